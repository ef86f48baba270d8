"""The contract, part 7: ``async def`` handlers, ``mount`` and ``handle_info`` answer as plain
ones do, on every host (under ``djust serve`` they run on the asyncio loop thread)."""

from __future__ import annotations

from tests.session.frames import assert_patch, event
from tests.session.test_pubsub import until


def test_an_async_handler_answers_its_event_with_a_patch(host):
    conn = host.connect(host.get("/contract/gate/"))
    conn.mount()
    assert_patch(conn.send(event(1, "pause", ms=20)), 1, "paused 20")
    # In order: the second event is answered after the first.
    frames = conn.send_many([event(2, "pause", ms=30), event(3, "pause", ms=1)])
    assert [f["ref"] for f in frames if f["t"] == "patch"] == [2, 3]
    assert "paused 1" in str(frames[-1])


def test_an_async_handler_that_raises_is_a_handler_error_and_the_view_goes_on(host):
    conn = host.connect(host.get("/contract/gate/"))
    conn.mount()
    frames = conn.send(event(1, "fail_later"))
    errors = [f for f in frames if f["t"] == "error"]
    assert errors and errors[0]["code"] == "handler_error", frames
    assert_patch(conn.send(event(2, "pause", ms=1)), 2, "paused 1")


def test_an_async_handle_info_answers_a_broadcast(host):
    host.needs("server_push")
    conn = host.connect(host.get("/contract/gate/"))
    conn.mount()
    host.broadcast("gate", "hello")
    until(conn, [], "info hello")
