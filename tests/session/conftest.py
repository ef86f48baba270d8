"""The contract suite's fixtures: ``host``, one of every host a LiveSession runs under."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from djust.config import config
from tests.session.adapters import HOSTS, Host


@pytest.fixture(params=list(HOSTS))
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    """Each host in turn (``session``, ``channels``, ``http``); its connections are closed
    afterwards."""
    serving = HOSTS[request.param]()
    try:
        yield serving
    finally:
        serving.close()


@pytest.fixture
def frame_limit() -> Iterator[Callable[[int], None]]:
    """Set ``max_frame_bytes`` for this test only."""

    def set_limit(size: int) -> None:
        config.set("max_frame_bytes", size)

    try:
        yield set_limit
    finally:
        config.reset("max_frame_bytes")
