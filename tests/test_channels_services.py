"""The Channels consumer's server-started updates when the browser has just left."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from djust.websocket import ChannelsServices


class GoneConsumer:
    """A consumer whose socket closed before ``disconnect`` reached it: ASGI servers raise
    ``OSError`` (uvicorn's ``ClientDisconnected``) from ``send``."""

    channel_name = "test.gone"

    async def _run(self, call, *args):
        raise ConnectionResetError("the client went away")


def run_alone(coroutine):
    """Run ``coroutine`` on a loop of its own thread (the suite's browser tests may leave a
    loop marked as running in this one)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result(timeout=30)


class BrokenConsumer(GoneConsumer):
    async def _run(self, call, *args):
        raise RuntimeError("a bug")


def test_an_update_for_a_browser_that_left_ends_quietly(caplog):
    async def deliver():
        services = ChannelsServices(GoneConsumer(), asyncio.get_running_loop())
        await services._deliver(print, "tick")
        return services

    with caplog.at_level(logging.ERROR, logger="djust"):
        services = run_alone(deliver())
    assert services.closed
    assert caplog.records == []


def test_any_other_failure_is_logged_not_lost(caplog):
    async def deliver():
        services = ChannelsServices(BrokenConsumer(), asyncio.get_running_loop())
        await services._deliver(print, "tick")
        return services

    with caplog.at_level(logging.ERROR, logger="djust"):
        services = run_alone(deliver())
    assert not services.closed
    assert "could not be delivered" in caplog.text and "a bug" in caplog.text
