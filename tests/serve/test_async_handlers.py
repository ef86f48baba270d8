"""``async def`` handlers under ``djust serve`` run on the asyncio loop thread and do not hold a
Python pool thread while they wait: with a pool of one thread, a handler waiting at a gate
does not stop another session's plain handler from opening it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.livesupport import ServerProcess, project_env
from tests.session.adapters import ActorHost
from tests.session.frames import event

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "tests.session.serve_settings"


@pytest.fixture
def one_thread_server(tmp_path: Path):
    env = {"PYTHONPATH": str(REPO), "DJUST_CONTRACT_DB": str(tmp_path / "db.sqlite3")}
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "--settings", SETTINGS],
        cwd=REPO,
        env=project_env(env),
        check=True,
        capture_output=True,
    )
    server = ServerProcess(
        "serve",
        REPO,
        settings=SETTINGS,
        env=env,
        ready_path="/contract/plain/",
        log_dir=tmp_path,
        serve_args=("--threads", "1"),
    )
    server.start()
    host = ActorHost(lambda _limit: server)
    try:
        yield host
    finally:
        host.close()
        log = server.close()
        assert "Traceback" not in log, log


def test_a_waiting_async_handler_leaves_the_only_pool_thread_to_others(one_thread_server):
    host = one_thread_server
    waiter = host.connect(host.get("/contract/gate/"))
    waiter.mount()
    opener = host.connect(host.get("/contract/gate/"))
    opener.mount()
    # The waiter's handler now waits at the gate; its answer comes only once it opens.
    waiter.socket.send(json.dumps(event(1, "wait_gate")))
    frames = opener.send(event(1, "open_gate"))
    assert "opener done" in json.dumps(frames), frames
    answered = waiter.wait_pushed(1, timeout=10)
    assert answered and answered[0]["ref"] == 1 and "opened" in json.dumps(answered), answered
