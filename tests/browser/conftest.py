"""The demo project served once for all its browser tests, on a database of its own."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.livesupport import project_env, server_log, uvicorn_server

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_project"


@contextlib.contextmanager
def demo_server(database: Path, **env: str) -> Iterator[str]:
    """Serve the demo (migrated into ``database``) with ``env``; yields its base URL."""
    env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(DEMO), "DJUST_DEMO_DB": str(database), **env}
    if not database.exists():
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=DEMO,
            env=project_env(env),
            check=True,
            capture_output=True,
        )
    with uvicorn_server(
        DEMO, "demo_project.asgi:application", env=env, ready_path="/counter/"
    ) as base:
        yield base


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo") / "demo.sqlite3"


@pytest.fixture(scope="session")
def demo_url(demo_database):
    """The base URL of the demo, migrated (with its seed products) into a temporary database."""
    with demo_server(demo_database) as base:
        yield base
    check_and_remove_logs()


@pytest.fixture(scope="session")
def demo_fallback_url(demo_database):
    """The demo served over the HTTP fallback (``use_websocket`` off)."""
    with demo_server(demo_database, DJUST_USE_WEBSOCKET="0") as base:
        yield base
    check_and_remove_logs()


def check_and_remove_logs() -> None:
    log = server_log(DEMO)
    for path in DEMO.glob("uvicorn-*.log"):
        path.unlink()
    assert "Traceback" not in log, log


def open_page(page, url: str) -> None:
    """Load ``url`` and wait until its LiveView is connected."""
    page.goto(url)
    page.wait_for_selector("[dj-connected]", timeout=10_000)
