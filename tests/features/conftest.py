"""The features site (site/) served by each host in turn: uvicorn + Channels and djust serve."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.livesupport import HOSTS, ServerProcess

SITE = Path(__file__).resolve().parent / "site"


def _serve(host: str, env: dict[str, str] | None = None):
    server = ServerProcess(
        host,
        SITE,
        asgi="features_site.asgi:application",
        settings="features_site.settings",
        env={"DJANGO_DEBUG": "0", "PYTHONPATH": str(SITE), **(env or {})},
        ready_path="/js/",
        log_name="features",
    )
    server.start()
    yield server
    log = server.close()
    assert "Traceback" not in log, log


@pytest.fixture(scope="session", params=HOSTS)
def features(request):
    """The features site over WebSocket."""
    yield from _serve(request.param)


@pytest.fixture(scope="session", params=HOSTS)
def features_http(request):
    """The features site with ``LIVEVIEW_CONFIG['use_websocket'] = False``."""
    yield from _serve(request.param, {"DJUST_USE_WEBSOCKET": "0"})
