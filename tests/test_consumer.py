"""LiveViewConsumer: mount by signed token, events to @event_handler methods only, patches back,
and a clear error frame for every bad input with the connection still usable afterwards."""

from __future__ import annotations

import json

import pytest
from channels.testing import WebsocketCommunicator

from djust.websocket import LiveViewConsumer
from tests.conftest import run_async


def test_mount_then_click_sends_one_text_patch(fetch_page, live_socket):
    page = fetch_page("/counter/")
    assert "<h1>Count: 0</h1>" in page.html

    async def scenario(socket):
        assert await socket.mount(page) == {"t": "mounted"}
        reply = await socket.ask({"t": "event", "ref": 1, "name": "increment"})
        assert reply == {"t": "patch", "ref": 1, "patches": [["text", [1, 0], "Count: 1"]]}
        reply = await socket.ask({"t": "event", "ref": 2, "name": "increment", "params": {}})
        assert reply["patches"] == [["text", [1, 0], "Count: 2"]]

    live_socket(scenario, cookie=page.cookie)


def test_params_are_coerced_to_annotations(fetch_page, live_socket):
    page = fetch_page("/counter/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask(
            {"t": "event", "ref": 1, "name": "add", "params": {"amount": "5", "note": "<b>hi</b>"}}
        )
        assert reply["t"] == "patch"
        html = json.dumps(reply["patches"])
        assert "Count: 5" in html
        assert "&lt;b&gt;hi&lt;/b&gt;" in html, "state rendered into patches is escaped"

    live_socket(scenario, cookie=page.cookie)


def test_mount_uses_the_page_query_and_url_kwargs(fetch_page, live_socket):
    page = fetch_page("/counter/?start=41")
    assert "Count: 41" in page.html
    item = fetch_page("/items/7/")
    assert "item 7: WIDGET" in item.html

    async def scenario(socket):
        assert await socket.mount(page) == {"t": "mounted"}
        reply = await socket.ask({"t": "event", "ref": 1, "name": "increment"})
        assert reply["patches"] == [["text", [1, 0], "Count: 42"]]

    live_socket(scenario, cookie=page.cookie)

    async def item_scenario(socket):
        assert await socket.mount(item) == {"t": "mounted"}

    live_socket(item_scenario, cookie=item.cookie)


def test_mount_sends_html_when_the_socket_render_differs(fetch_page, live_socket):
    page = fetch_page("/clock/")

    async def scenario(socket):
        reply = await socket.mount(page)
        assert reply["t"] == "mounted"
        assert "mount number" in reply["html"]
        assert reply["html"] not in page.html

    live_socket(scenario, cookie=page.cookie)


def test_reconnect_always_resends_the_html(fetch_page, live_socket):
    page = fetch_page("/counter/")

    async def scenario(socket):
        reply = await socket.mount(page, reconnect=True)
        assert "<h1>Count: 0</h1>" in reply["html"]

    live_socket(scenario, cookie=page.cookie)


@pytest.mark.parametrize(
    ("frame", "code", "mentions"),
    [
        ("{not json", "malformed_frame", "JSON"),
        ("[1, 2]", "malformed_frame", "object"),
        ('{"t": "teleport"}', "unknown_message", "teleport"),
        ('{"t": "event", "ref": 1}', "invalid_field", "name"),
        ('{"t": "event", "ref": "one", "name": "increment"}', "invalid_field", "ref"),
        ('{"t": "event", "ref": 1, "name": "increment", "params": [1]}', "invalid_field", "params"),
        ('{"t": "mount"}', "invalid_field", "token"),
    ],
)
def test_malformed_frames_get_an_error_and_the_session_goes_on(
    fetch_page, live_socket, frame, code, mentions
):
    page = fetch_page("/counter/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask(frame)
        assert reply["t"] == "error"
        assert reply["code"] == code
        assert mentions in reply["message"]
        reply = await socket.ask({"t": "event", "ref": 9, "name": "increment"})
        assert reply["patches"] == [["text", [1, 0], "Count: 1"]]

    live_socket(scenario, cookie=page.cookie)


def test_unknown_and_unmarked_handlers_are_refused(fetch_page, live_socket):
    page = fetch_page("/counter/")

    async def scenario(socket):
        await socket.mount(page)
        await socket.ask({"t": "event", "ref": 1, "name": "increment"})
        for name in ("nope", "reset", "mount", "__init__", "get_context_data"):
            reply = await socket.ask({"t": "event", "ref": 2, "name": name})
            assert reply == {
                "t": "error",
                "ref": 2,
                "code": "unknown_event",
                "message": reply["message"],
            }
            assert repr(name) in reply["message"]
            assert "@event_handler" in reply["message"]
        # `reset` did not run: the count is still 1, and goes on from there.
        reply = await socket.ask({"t": "event", "ref": 3, "name": "increment"})
        assert reply["patches"] == [["text", [1, 0], "Count: 2"]]

    live_socket(scenario, cookie=page.cookie)


def test_bad_params_name_the_handler_and_parameter(fetch_page, live_socket):
    page = fetch_page("/counter/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask(
            {"t": "event", "ref": 1, "name": "add", "params": {"amount": "lots"}}
        )
        assert reply["code"] == "invalid_params"
        assert "add()" in reply["message"] and "'amount'" in reply["message"]
        assert "int" in reply["message"] and "'lots'" in reply["message"]
        reply = await socket.ask({"t": "event", "ref": 2, "name": "add", "params": {}})
        assert reply["code"] == "invalid_params"
        assert "needs the parameter 'amount'" in reply["message"]
        reply = await socket.ask({"t": "event", "ref": 3, "name": "add", "params": {"amount": 2}})
        assert reply["patches"] == [["text", [1, 0], "Count: 2"]]

    live_socket(scenario, cookie=page.cookie)


def test_a_failing_handler_reports_and_keeps_the_page_in_step(fetch_page, live_socket):
    page = fetch_page("/counter/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "event", "ref": 1, "name": "explode"})
        # The handler set count = 99 before raising: the page is told, so it matches the server.
        assert reply["patches"] == [["text", [1, 0], "Count: 99"]]
        error = await socket.receive()
        assert error["t"] == "error" and error["code"] == "handler_error"
        assert error["message"].startswith("explode() raised RuntimeError")
        reply = await socket.ask({"t": "event", "ref": 2, "name": "increment"})
        assert reply["patches"] == [["text", [1, 0], "Count: 100"]]

    live_socket(scenario, cookie=page.cookie)


def test_events_before_mount_and_double_mounts_are_refused(fetch_page, live_socket):
    page = fetch_page("/counter/")

    async def scenario(socket):
        reply = await socket.ask({"t": "event", "ref": 1, "name": "increment"})
        assert reply["code"] == "not_mounted"
        assert await socket.mount(page) == {"t": "mounted"}
        reply = await socket.mount(page)
        assert reply["code"] == "already_mounted"
        assert await socket.ask({"t": "ping", "ref": 5}) == {"t": "pong", "ref": 5}

    live_socket(scenario, cookie=page.cookie)


def test_forged_and_foreign_tokens_are_refused(fetch_page, live_socket):
    page = fetch_page("/counter/")
    forged = page.token[:-3] + ("aaa" if not page.token.endswith("aaa") else "bbb")

    async def forged_scenario(socket):
        reply = await socket.ask({"t": "mount", "token": forged})
        assert reply["code"] == "invalid_token"
        assert await socket.mount(page) == {"t": "mounted"}, "a good token still works"

    live_socket(forged_scenario, cookie=page.cookie)

    async def foreign_scenario(socket):
        reply = await socket.mount(page)
        assert reply["code"] == "invalid_token"
        assert "another visitor" in reply["message"]

    live_socket(foreign_scenario, cookie="")


def test_huge_and_binary_frames_are_refused(fetch_page, live_socket, settings):
    settings.LIVEVIEW_CONFIG = {"max_frame_bytes": 1000}
    page = fetch_page("/counter/")

    async def scenario(socket):
        await socket.mount(page)
        huge = json.dumps(
            {"t": "event", "ref": 1, "name": "add", "params": {"amount": 1, "note": "x" * 5000}}
        )
        reply = await socket.ask(huge)
        assert reply["code"] == "frame_too_large"
        assert "1000" in reply["message"]
        await socket.communicator.send_to(bytes_data=b"\x81\x00")
        reply = await socket.receive()
        assert reply["code"] == "malformed_frame"
        reply = await socket.ask({"t": "event", "ref": 2, "name": "increment"})
        assert reply["patches"] == [["text", [1, 0], "Count: 1"]]

    live_socket(scenario, cookie=page.cookie)


def test_foreign_origins_cannot_open_a_socket():
    async def main():
        communicator = WebsocketCommunicator(
            LiveViewConsumer.as_asgi(),
            "/ws/live/",
            headers=[(b"host", b"testserver"), (b"origin", b"https://evil.example")],
        )
        connected, code = await communicator.connect()
        assert not connected
        assert code == 4403
        same = WebsocketCommunicator(
            LiveViewConsumer.as_asgi(),
            "/ws/live/",
            headers=[(b"host", b"testserver"), (b"origin", b"http://testserver")],
        )
        connected, _ = await same.connect()
        assert connected
        await same.disconnect()

    run_async(main())
