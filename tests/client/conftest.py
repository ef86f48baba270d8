"""The bindings pages (the test site in site/) served by each host in turn — uvicorn + Channels
(``[channels]``) and ``djust serve`` (``[serve]``) — and a page that may expect errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.livesupport import HOSTS, ServerProcess

# A Django project of the tests' own (settings, urls, asgi and the bindings app), not the demo:
# editing the demo cannot break these tests.
SITE = Path(__file__).resolve().parent / "site"


def _serve(host: str, env: dict[str, str] | None = None, expected: tuple[str, ...] = ()):
    """The test site served by ``host`` on a fixed port (``.url``), which the reconnect tests
    stop and start again under an open page."""
    server = ServerProcess(
        host,
        SITE,
        asgi="client_site.asgi:application",
        settings="client_site.settings",
        env={"DJANGO_DEBUG": "0", "PYTHONPATH": str(SITE), **(env or {})},
        ready_path="/bindings/plain/",
        log_name="bindings",
    )
    server.start()
    yield server
    log = server.close()
    # The only traceback the tests provoke on purpose is the "boom" handler's (and for the
    # socket-less server under Channels, its router refusing the unrouted path); anything else
    # is a bug.
    expected = ("RuntimeError: boom", *expected)
    unexpected = [
        block for block in log.split("Traceback")[1:] if not any(text in block for text in expected)
    ]
    assert not unexpected, log


@pytest.fixture(scope="session", params=HOSTS)
def bindings(request):
    """The test site over WebSocket."""
    yield from _serve(request.param)


@pytest.fixture(scope="session", params=HOSTS)
def bindings_http(request):
    """The test site with ``LIVEVIEW_CONFIG['use_websocket'] = False``."""
    yield from _serve(request.param, {"DJUST_USE_WEBSOCKET": "0"})


@pytest.fixture(scope="session", params=HOSTS)
def bindings_no_socket(request):
    """The test site pointing the client at a WebSocket path nothing serves."""
    yield from _serve(
        request.param,
        {"DJUST_CLIENT_SOCKET_PATH": "/ws/nowhere/"},
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
