"""The contract suite's fixtures: ``host``, one of every host a LiveSession runs under."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from djust.config import config
from tests.livesupport import ServerProcess, project_env
from tests.session.adapters import HOSTS, ActorHost, Host

REPO = Path(__file__).resolve().parents[2]
SERVE_SETTINGS = "tests.session.serve_settings"

# What the contract views provoke on purpose and the server logs with its traceback (a handler
# that raises, a context that cannot be built); any other traceback is a bug.
EXPECTED_TRACEBACKS = (
    "RuntimeError: boom",
    "RuntimeError: the context cannot be built",
    "payload cannot be sent as JSON",  # test_pubsub: an unsendable broadcast, refused
)


@pytest.fixture(scope="session")
def actor_servers(tmp_path_factory) -> Iterator[Callable[[int | None], ServerProcess]]:
    """``djust serve --settings tests.session.serve_settings`` from the repository's root, on a
    migrated database file of its own, started when a test first needs it and stopped at the
    end of the session: one server per frame limit (``None``: the default limit)."""
    folder = tmp_path_factory.mktemp("actor")
    database = folder / "contract.sqlite3"
    env = {"PYTHONPATH": str(REPO), "DJUST_CONTRACT_DB": str(database)}
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "--settings", SERVE_SETTINGS],
        cwd=REPO,
        env=project_env(env),
        check=True,
        capture_output=True,
    )
    servers: dict[int | None, ServerProcess] = {}

    def server(max_frame_bytes: int | None) -> ServerProcess:
        if max_frame_bytes not in servers:
            extra = (
                {}
                if max_frame_bytes is None
                else {"DJUST_CONTRACT_MAX_FRAME_BYTES": str(max_frame_bytes)}
            )
            started = ServerProcess(
                "serve",
                REPO,
                settings=SERVE_SETTINGS,
                env={**env, **extra},
                ready_path="/contract/plain/",
                log_dir=folder,
            )
            started.start()
            servers[max_frame_bytes] = started
        return servers[max_frame_bytes]

    yield server
    logs = [served.close() for served in servers.values()]
    unexpected = [
        block
        for log in logs
        for block in log.split("Traceback")[1:]
        if not any(text in block for text in EXPECTED_TRACEBACKS)
    ]
    assert not unexpected, "\n".join(logs)


@pytest.fixture(params=list(HOSTS))
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    """Each host in turn (``session``, ``channels``, ``http``, ``actor``); its connections are
    closed afterwards."""
    if HOSTS[request.param] is ActorHost:
        serving: Host = ActorHost(request.getfixturevalue("actor_servers"))
    else:
        serving = HOSTS[request.param]()
    try:
        yield serving
    finally:
        serving.close()


@pytest.fixture
def frame_limit(host: Host) -> Iterator[Callable[[int], None]]:
    """Set ``max_frame_bytes`` for this test only."""
    try:
        yield host.limit_frames
    finally:
        config.reset("max_frame_bytes")
