"""The demo project served once for all its browser tests, on a database of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.livesupport import project_env, server_log, uvicorn_server

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_project"


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    """The base URL of the demo, migrated (with its seed products) into a temporary database."""
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(DEMO), "DJUST_DEMO_DB": str(database)}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=DEMO,
                   env=project_env(env), check=True, capture_output=True)
    with uvicorn_server(DEMO, "demo_project.asgi:application", env=env,
                        ready_path="/counter/") as base:
        yield base
    log = server_log(DEMO)
    for path in DEMO.glob("uvicorn-*.log"):
        path.unlink()
    assert "Traceback" not in log, log


def open_page(page, url: str) -> None:
    """Load ``url`` and wait until its LiveView is connected."""
    page.goto(url)
    page.wait_for_selector("[dj-connected]", timeout=10_000)
