"""Pub/sub across processes: two ``djust serve`` processes sharing broadcasts through a real
``redis-server`` (Debian's, started here on a loopback port of its own), which is then killed
and brought back under them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.livesupport import ServerProcess, free_port, project_env
from tests.session.adapters import ActorHost
from tests.session.frames import event
from tests.session.test_pubsub import QUIET, texts, until

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "tests.session.serve_settings"

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed (make test does)"
)


class Redis:
    """``redis-server`` on a port of its own, with no persistence, stoppable and restartable."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if probe.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def two_servers(redis: Redis, tmp_path: Path) -> Iterator[tuple[ActorHost, ActorHost]]:
    database = tmp_path / "contract.sqlite3"
    env = {
        "PYTHONPATH": str(REPO),
        "DJUST_CONTRACT_DB": str(database),
        "DJUST_CONTRACT_REDIS_URL": redis.url,
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "--settings", SETTINGS],
        cwd=REPO,
        env=project_env(env),
        check=True,
        capture_output=True,
    )
    servers = []
    for name in ("a", "b"):
        server = ServerProcess(
            "serve",
            REPO,
            settings=SETTINGS,
            env=env,
            ready_path="/contract/plain/",
            log_dir=tmp_path,
            log_name=name,
        )
        server.start()
        servers.append(server)
    hosts = [ActorHost(lambda _limit, served=served: served) for served in servers]
    try:
        yield hosts[0], hosts[1]
    finally:
        for host in hosts:
            host.close()
        logs = [server.close() for server in servers]
        assert "pub/sub through Redis" in logs[0], logs[0]


def mounted(host: ActorHost):
    conn = host.connect(host.get("/contract/room/"))
    conn.mount()
    return conn


def test_a_broadcast_in_one_process_reaches_the_sessions_of_the_other(two_servers):
    first, second = two_servers
    here, there = mounted(first), mounted(second)
    # The subscriptions to Redis come up in the background: retry until the first arrives.
    deadline = time.monotonic() + 15
    while True:
        first.broadcast("room", "said", {"text": "across"})
        frames = there.wait_pushed(1, timeout=0.5)
        if "across" in texts(frames) or time.monotonic() > deadline:
            break
    assert "across" in texts(frames)
    until(here, [], "across")
    # And the other way, from a handler.
    there.send(event(1, "say", text="back again"))
    until(here, [], "back again")


def test_redis_going_away_keeps_local_sessions_working_and_delivery_comes_back(two_servers, redis):
    first, second = two_servers
    here, there = mounted(first), mounted(second)
    deadline = time.monotonic() + 15
    while "warm" not in texts(there.wait_pushed(1, timeout=0.3)):
        assert time.monotonic() < deadline, "Redis never carried a message"
        first.broadcast("room", "said", {"text": "warm"})
    redis.kill()
    # Broadcasting neither blocks nor fails the caller; local sessions still hear it.
    started = time.monotonic()
    first.broadcast("room", "said", {"text": "while down"})
    assert time.monotonic() - started < 2
    until(here, [], "while down")
    assert "while down" not in texts(there.wait_pushed(1, timeout=QUIET))
    # Events go on in both processes.
    assert there.send(event(1, "leave"))[0]["ref"] == 1
    redis.start()
    deadline = time.monotonic() + 20
    while True:
        first.broadcast("room", "said", {"text": "back"})
        frames = here.wait_pushed(5, timeout=0.5)
        if "back" in texts(frames):
            break
        assert time.monotonic() < deadline, "delivery did not resume after Redis came back"
    # The second process's subscription to Redis came back by itself: it hears the first.
    another = mounted(second)
    deadline = time.monotonic() + 20
    while "returned" not in texts(another.wait_pushed(1, timeout=0.5)):
        assert time.monotonic() < deadline, "the other process never heard from Redis again"
        first.broadcast("room", "said", {"text": "returned"})
