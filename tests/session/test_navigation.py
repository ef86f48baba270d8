"""The contract, part 3: params (dj-patch), navigate (dj-navigate), and the view's own
navigation: live_patch, live_redirect with a flash, redirect."""

from __future__ import annotations

import pytest

from tests.session.frames import assert_patch, event, kinds, text


def test_params_runs_handle_params_and_answers_a_patch(host):
    conn = host.connect(host.get("/contract/paged/"))
    conn.mount()
    frames = conn.send({"t": "params", "ref": 4, "url": "/contract/paged/?page=2&kind=x"})
    answer = host.without_resync(frames)
    assert kinds(answer) == ["patch"] and answer[0]["ref"] == 4, frames
    assert "page 2 of x" in text(frames)
    frames = host.without_resync(
        conn.send({"t": "params", "ref": 5, "url": "/contract/paged/?page=3"})
    )
    assert_patch(frames, 5, "page 3 of all")
    # The view kept its state, and events go on at the new URL.
    assert_patch(conn.send(event(6, "click")), 6, "1 clicks")
    assert_patch(conn.send(event(7, "click")), 7, "2 clicks")


def test_navigate_mounts_the_view_there_with_its_title_and_a_new_token(host):
    host.needs("in_place_navigation")
    page = host.get("/contract/paged/")
    conn = host.connect(page)
    conn.mount()
    frames = conn.send({"t": "navigate", "ref": 1, "url": "/contract/detail/9/?x=1"})
    assert kinds(frames) == ["mounted"], frames
    mounted = frames[0]
    assert mounted["html"] == "<h1>item 9</h1><p>0 clicks</p>"
    assert mounted["title"] == "Item 9 & more"
    assert mounted["token"] and mounted["token"] != page.token
    # Events now reach the new view, and the old view's handlers are gone.
    assert_patch(conn.send(event(2, "click")), 2, "1 clicks")
    assert kinds(conn.send(event(3, "nope"))) == ["error"]
    # The new token mounts that view after a reconnect.
    again = host.connect(page)
    frames = again.mount(token=mounted["token"], reconnect=True)
    assert kinds(frames) == ["mounted"]
    assert frames[0]["html"] == "<h1>item 9</h1><p>0 clicks</p>"


@pytest.mark.parametrize(
    "url", ["/contract/plain/", "/no/such/page/"], ids=["plain-django-view", "no-such-page"]
)
def test_navigate_to_a_page_no_live_view_serves_answers_redirect(host, url):
    conn = host.connect(host.get("/contract/paged/"))
    conn.mount()
    frames = host.without_resync(conn.send({"t": "navigate", "ref": 1, "url": url}))
    assert frames == [{"t": "redirect", "to": url}]
    # The current view stays.
    assert_patch(conn.send(event(2, "click")), 2, "1 clicks")


def test_live_patch_from_a_handler_follows_its_patch(host):
    conn = host.connect(host.get("/contract/nav/"))
    conn.mount()
    frames = conn.send(event(1, "go_tab", tab="two"))
    assert kinds(frames) == ["patch", "live_patch"], frames
    assert_patch(frames[:1], 1, "tab two")
    assert frames[1] == {"t": "live_patch", "to": "/contract/nav/?tab=two", "replace": False}
    # And again, from the URL the browser now shows.
    frames = conn.send(event(2, "go_tab", tab="three"))
    assert kinds(frames) == ["patch", "live_patch"], frames
    assert_patch(frames[:1], 2, "tab three")
    assert frames[1]["to"] == "/contract/nav/?tab=three"


def test_a_flash_put_before_live_redirect_shows_on_the_next_view(host):
    page = host.get("/contract/nav/")
    conn = host.connect(page)
    conn.mount()
    frames = conn.send(event(1, "save"))
    assert kinds(frames) == ["patch", "live_redirect"], frames
    assert frames[1] == {"t": "live_redirect", "to": "/contract/flashed/", "replace": False}
    # The client goes there (over a socket a navigate frame; without one, a page load).
    frames = conn.follow("/contract/flashed/")
    assert kinds(frames) == ["mounted"], frames
    assert "flash: Saved &amp; done" in frames[0]["html"]
    # A visitor who just follows a link there sees no flash.
    other = host.connect(host.get("/contract/nav/"))
    other.mount()
    frames = other.follow("/contract/flashed/")
    assert "flash: none" in frames[0]["html"]


def test_redirect_from_a_handler_follows_its_patch(host):
    conn = host.connect(host.get("/contract/counter/"))
    conn.mount()
    frames = conn.send(event(1, "leave"))
    assert kinds(frames) == ["patch", "redirect"], frames
    assert_patch(frames[:1], 1, "Count: 1")
    assert frames[1] == {"t": "redirect", "to": "/contract/plain/"}
