"""The bindings pages (the test site in site/) served by uvicorn, and a page that may expect
errors."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.livesupport import free_port, project_env

# A Django project of the tests' own (settings, urls, asgi and the bindings app), not the demo:
# editing the demo cannot break these tests.
SITE = Path(__file__).resolve().parent / "site"


class SiteServer:
    """uvicorn serving the test site on a fixed port, which can be stopped and started again
    (the reconnect tests restart it under an open page)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(SITE), **(env or {})}
        self.log_path = SITE / f"uvicorn-bindings-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the process owns it until stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "client_site.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
            ],
            cwd=SITE,
            env=project_env(self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + "/bindings/plain/", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start:\n{self.log()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def close(self) -> str:
        """Stop for good; returns everything the server printed."""
        self.stop()
        text = self.log()
        self.log_path.unlink(missing_ok=True)
        return text


def _serve(env: dict[str, str] | None = None, expected: tuple[str, ...] = ()):
    server = SiteServer(env)
    server.start()
    yield server
    log = server.close()
    # The only traceback the tests provoke on purpose is the "boom" handler's (and for the
    # socket-less server, Channels refusing the unrouted path); anything else is a bug.
    expected = ("RuntimeError: boom", *expected)
    unexpected = [
        block for block in log.split("Traceback")[1:] if not any(text in block for text in expected)
    ]
    assert not unexpected, log


@pytest.fixture(scope="session")
def bindings():
    """The test site over WebSocket."""
    yield from _serve()


@pytest.fixture(scope="session")
def bindings_http():
    """The test site with ``LIVEVIEW_CONFIG['use_websocket'] = False``."""
    yield from _serve({"DJUST_USE_WEBSOCKET": "0"})


@pytest.fixture(scope="session")
def bindings_no_socket():
    """The test site pointing the client at a WebSocket path nothing serves."""
    yield from _serve(
        {"DJUST_WEBSOCKET_PATH": "/ws/nowhere/"},
        expected=("No route found for path 'ws/nowhere/'",),
    )


@pytest.fixture
def error_page(browser):
    """A browser page that records console errors for the test to check, instead of failing on
    them (``page`` fails a test on any). Uncaught page errors still fail the test."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    uncaught: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: uncaught.append(str(err)))
    yield page
    context.close()
    assert not uncaught, uncaught
