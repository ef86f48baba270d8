"""The demo project served once for all its browser tests, on a database of its own, by each
host in turn: uvicorn + Channels (``[channels]``) and ``djust serve`` (``[serve]``)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.livesupport import HOSTS, ServerProcess, project_env

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_project"


@contextlib.contextmanager
def demo_server(host: str, database: Path, **env: str) -> Iterator[str]:
    """Serve the demo with ``host`` (migrated into ``database``) with ``env``; yields its base
    URL. Fails if the server printed a traceback."""
    env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(DEMO), "DJUST_DEMO_DB": str(database), **env}
    if not database.exists():
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=DEMO,
            env=project_env(env),
            check=True,
            capture_output=True,
        )
    server = ServerProcess(
        host,
        DEMO,
        asgi="demo_project.asgi:application",
        settings="demo_project.settings",
        env=env,
        ready_path="/counter/",
    )
    try:
        server.start()
        yield server.url
    finally:
        log = server.close()
    assert "Traceback" not in log, log


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Callable[[str], Path]:
    """The demo's database for each host (the todo tests leave rows behind)."""
    folder = tmp_path_factory.mktemp("demo")
    return lambda host: folder / f"demo-{host}.sqlite3"


@pytest.fixture(scope="session", params=HOSTS)
def demo_url(request, demo_database):
    """The base URL of the demo, migrated (with its seed products) into a temporary database."""
    with demo_server(request.param, demo_database(request.param)) as base:
        yield base


@pytest.fixture(scope="session", params=HOSTS)
def demo_fallback_url(request, demo_database):
    """The demo served over the HTTP fallback (``use_websocket`` off)."""
    with demo_server(request.param, demo_database(request.param), DJUST_USE_WEBSOCKET="0") as base:
        yield base


def open_page(page, url: str) -> None:
    """Load ``url`` and wait until its LiveView is connected."""
    page.goto(url)
    page.wait_for_selector("[dj-connected]", timeout=10_000)
