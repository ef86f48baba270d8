"""The session over a socket: handle_params on mount and on params frames, navigate to another
view, the view's commands after each reply, and component targets."""

from __future__ import annotations

import json

import pytest

from djust import tokens


def test_mount_runs_handle_params_with_the_page_query(fetch_page, live_socket):
    page = fetch_page("/session/list/?page=3&kind=books")

    async def scenario(socket):
        reply = await socket.mount(page)
        assert reply["t"] == "mounted"
        reply = await socket.ask({"t": "event", "ref": 1, "name": "touch"})
        assert "page 4 of books; 1 calls" in json.dumps(reply["patches"])

    live_socket(scenario, cookie=page.cookie)


def test_a_reconnect_at_a_patched_url_mounts_at_that_url(fetch_page, live_socket):
    page = fetch_page("/session/list/?page=1")

    async def scenario(socket):
        reply = await socket.mount(page, url="/session/list/?page=5", reconnect=True)
        assert "page 5 of all" in reply["html"]

    live_socket(scenario, cookie=page.cookie)


def test_a_mount_url_of_another_view_is_ignored(fetch_page, live_socket):
    page = fetch_page("/session/list/?page=2")

    async def scenario(socket):
        reply = await socket.mount(page, url="/session/detail/1/", reconnect=True)
        assert "page 2 of all" in reply["html"]

    live_socket(scenario, cookie=page.cookie)


def test_params_frames_run_handle_params_and_answer_with_patches(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "params", "ref": 4, "url": "/session/list/?page=2&kind=x"})
        assert reply["t"] == "patch" and reply["ref"] == 4
        assert "page 2 of x; 2 calls" in json.dumps(reply["patches"])
        reply = await socket.ask({"t": "params", "ref": 5, "url": "/session/list/?kind=a&kind=b"})
        assert reply["patches"] == [["text", [0, 0], "page 1 of ['a', 'b']; 3 calls; "]]

    live_socket(scenario, cookie=page.cookie)


def test_params_for_another_view_teaches_dj_navigate(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "params", "ref": 1, "url": "/session/detail/2/"})
        assert reply["code"] == "invalid_url"
        assert "dj-navigate" in reply["message"] and "ListView" in reply["message"]
        reply = await socket.ask({"t": "event", "ref": 2, "name": "touch"})
        assert reply["t"] == "patch"

    live_socket(scenario, cookie=page.cookie)


def test_navigate_mounts_another_view_with_its_title_and_a_token(fetch_page, live_socket):
    page = fetch_page("/session/list/")
    new_token = {}

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "navigate", "ref": 1, "url": "/session/detail/9/?x=1"})
        assert reply["t"] == "mounted"
        assert reply["html"] == "<h1>item 9</h1><p>0 clicks</p>"
        assert reply["title"] == "Item 9 & more"
        new_token["value"] = reply["token"]
        # Events now reach the new view.
        reply = await socket.ask({"t": "event", "ref": 2, "name": "click"})
        assert reply["patches"] == [["text", [1, 0], "1 clicks"]]
        reply = await socket.ask({"t": "event", "ref": 3, "name": "touch"})
        assert reply["code"] == "unknown_event"

    live_socket(scenario, cookie=page.cookie)
    visitor = tokens.visitor_for_scope({"headers": [(b"cookie", page.cookie.encode())]})
    token = tokens.verify(new_token["value"], visitor)
    assert (token.view, token.path, token.query) == (
        "tests.testapp.session_views.DetailView",
        "/session/detail/9/",
        "x=1",
    )

    async def reconnect(socket):
        reply = await socket.ask({"t": "mount", "token": new_token["value"], "reconnect": True})
        assert reply["html"] == "<h1>item 9</h1><p>0 clicks</p>"

    live_socket(reconnect, cookie=page.cookie)


@pytest.mark.parametrize("url", ["/session/plain/", "/no/such/page/"])
def test_navigate_to_a_page_that_is_no_live_view_answers_redirect(fetch_page, live_socket, url):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        assert await socket.ask({"t": "navigate", "ref": 1, "url": url}) == {
            "t": "redirect",
            "to": url,
        }
        # The current view stays.
        assert (await socket.ask({"t": "event", "ref": 2, "name": "touch"}))["t"] == "patch"

    live_socket(scenario, cookie=page.cookie)


def test_navigate_off_site_is_refused(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "navigate", "ref": 1, "url": "//evil.example/"})
        assert reply["code"] == "invalid_field" and "a path on this site" in reply["message"]

    live_socket(scenario, cookie=page.cookie)


def test_a_navigation_whose_mount_fails_leaves_the_current_view(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "navigate", "ref": 1, "url": "/session/broken/"})
        assert reply["code"] == "server_error" and reply["ref"] == 1
        assert (await socket.ask({"t": "event", "ref": 2, "name": "touch"}))["t"] == "patch"

    live_socket(scenario, cookie=page.cookie)


def test_navigate_and_params_before_mount_are_refused(live_socket):
    async def scenario(socket):
        for frame in (
            {"t": "navigate", "ref": 1, "url": "/session/list/"},
            {"t": "params", "ref": 2, "url": "/session/list/"},
        ):
            reply = await socket.ask(frame)
            assert reply["code"] == "not_mounted"

    live_socket(scenario)


def test_commands_follow_the_patch_in_the_order_queued(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        await socket.send({"t": "event", "ref": 1, "name": "commands"})
        frames = [await socket.receive() for _ in range(5)]
        assert frames[0]["t"] == "patch" and "page 101" in json.dumps(frames[0]["patches"])
        assert frames[1:] == [
            {"t": "push_event", "event": "saved", "payload": {"at": "2025-01-02", "n": "1.5"}},
            {"t": "live_patch", "to": "/session/list/?page=7", "replace": True},
            {"t": "live_redirect", "to": "/session/detail/3/", "replace": False},
            {"t": "redirect", "to": "/login/"},
        ]
        assert await socket.nothing_more()

    live_socket(scenario, cookie=page.cookie)


def test_commands_queued_by_mount_follow_mounted(fetch_page, live_socket):
    page = fetch_page("/session/list/?greet=1")

    async def scenario(socket):
        assert (await socket.mount(page))["t"] == "mounted"
        assert await socket.receive() == {
            "t": "push_event",
            "event": "hello",
            "payload": {"from": "mount"},
        }

    live_socket(scenario, cookie=page.cookie)


def test_a_payload_that_is_not_json_is_an_error_frame(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "event", "ref": 1, "name": "bad_payload"})
        assert reply["t"] == "error" and reply["code"] == "server_error"
        assert (await socket.ask({"t": "event", "ref": 2, "name": "touch"}))["t"] == "patch"

    live_socket(scenario, cookie=page.cookie)


def test_an_event_target_reaches_handle_event(fetch_page, live_socket):
    page = fetch_page("/session/list/")

    async def scenario(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "event", "ref": 1, "name": "touch", "target": "sidebar"})
        assert "sidebar" in json.dumps(reply["patches"])

    live_socket(scenario, cookie=page.cookie)


def test_a_flash_set_before_live_redirect_shows_on_the_next_view(fetch_page, live_socket):
    page = fetch_page("/session/flash/")

    async def scenario(socket):
        await socket.mount(page)
        await socket.ask({"t": "event", "ref": 1, "name": "save"})
        assert await socket.receive() == {
            "t": "live_redirect",
            "to": "/session/flashed/",
            "replace": False,
        }
        reply = await socket.ask({"t": "navigate", "ref": 2, "url": "/session/flashed/"})
        assert reply["html"] == "<p>flash: Saved &amp; done</p>"

    live_socket(scenario, cookie=page.cookie)

    async def followed_link(socket):
        await socket.mount(page)
        reply = await socket.ask({"t": "navigate", "ref": 1, "url": "/session/flashed/"})
        assert reply["html"] == "<p>flash: none</p>"

    live_socket(followed_link, cookie=page.cookie)


def test_the_test_client_carries_the_flash_the_same_way():
    from djust.testing import LiveViewTestClient
    from tests.testapp.session_views import FlashSourceView

    view = LiveViewTestClient(FlashSourceView, url="/session/flash/")
    view.event("save")
    assert view.url == "/session/flashed/"
    assert view.flash == {"info": "Saved & done"}
    assert view.text("p") == "flash: Saved & done"
