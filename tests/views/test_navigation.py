"""Navigation: live_patch runs handle_params and moves the URL; dj-patch links do the same;
live_redirect and dj-navigate mount another view; back and forward replay handle_params."""

from __future__ import annotations

import pytest

from djust import LiveView
from djust.exceptions import NavigationError
from djust.mixins.navigation import NavigationMixin
from djust.testing import LiveViewTestClient
from tests.views import live


@pytest.fixture
def page():
    return LiveViewTestClient("/views/params/")


def test_live_patch_runs_handle_params_and_queues_the_url_change(page):
    view = page.view
    view.live_patch(params={"category": "books", "page": 2})
    assert view.category == "books" and view.page == 2
    assert view.uri == "/views/params/?category=books&page=2"
    assert view.drain_commands() == [
        {"t": "live_patch", "to": "/views/params/?category=books&page=2", "replace": False}
    ]
    assert view.drain_commands() == [], "draining empties the queue"


def test_live_patch_from_a_handler_moves_the_address_bar(page):
    page.click("#books")
    page.click("#next")
    assert page.url == "/views/params/?category=books&page=2"
    assert page.text("#filter") == "books page 2 tags"
    assert page.history == [
        "/views/params/",
        "/views/params/?category=books",
        "/views/params/?category=books&page=2",
    ]


def test_live_patch_with_lists_path_and_replace(page):
    page.view.live_patch(params={"tag": ["a", "b"], "skip": None}, replace=True)
    assert page.view.tags == ["a", "b"]
    command = page.view.drain_commands()[0]
    assert command == {"t": "live_patch", "to": "/views/params/?tag=a&tag=b", "replace": True}
    page.view.live_patch(path="/views/params/?category=music")
    assert page.view.category == "music"
    page.view.live_patch(path="/views/params/", params={})
    assert page.view.uri == "/views/params/"


def test_dj_patch_links_call_handle_params_without_remounting(page):
    view = page.view
    page.click("#music")
    assert page.view is view, "no remount"
    assert view.calls == 2
    assert page.url == "/views/params/?category=music&page=2"
    assert page.text("#filter") == "music page 2 tags"
    assert page.patches == [["text", [3, 0], "music page 2 tags "]]


def test_back_and_forward_replay_handle_params(page):
    page.click("#books")
    page.click("#music")
    page.back()
    assert page.url == "/views/params/?category=books"
    assert page.text("#filter") == "books page 1 tags"
    page.back()
    assert page.text("#filter") == "all page 1 tags"
    page.forward()
    page.forward()
    assert page.text("#filter") == "music page 2 tags"
    assert page.view.calls == 7, "mount, two patches, two backs, two forwards"
    with pytest.raises(AssertionError, match="no later history"):
        page.forward()


def test_live_redirect_mounts_the_other_view(page):
    page.click("#go")
    assert isinstance(page.view, live.ItemView)
    assert page.url == "/views/items/9/"
    assert page.text("#item") == "item 9 in main"
    page.back()
    assert isinstance(page.view, live.ParamsView)
    assert page.url == "/views/params/"


def test_dj_navigate_links_mount_the_other_view(page):
    page.click("#detail")
    assert isinstance(page.view, live.ItemView)
    assert page.text("#item") == "item 3 in main"
    assert page.history == ["/views/params/", "/views/items/3/"]


def test_navigating_to_a_page_that_is_not_live_is_a_page_load(page):
    page.click("#plain")
    assert page.redirected_to == "/views/plain/"


def test_redirect_sends_the_browser_away(page):
    page.click("#away")
    assert page.redirected_to == "https://example.com/bye"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "items/3/", "", None],
)
def test_live_redirect_only_goes_to_local_paths(page, target):
    with pytest.raises(NavigationError):
        page.view.live_redirect(target)
    assert page.view.drain_commands() == []


@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:text/html,x", "ftp://x/"])
def test_redirect_refuses_non_http_schemes(page, target):
    with pytest.raises(NavigationError):
        page.view.redirect(target)


def test_live_patch_refuses_another_views_path(page):
    with pytest.raises(NavigationError, match="use live_redirect"):
        page.view.live_patch(path="/views/counter/")
    with pytest.raises(NavigationError, match="no URL pattern"):
        page.view.live_patch(path="/nowhere/")
    with pytest.raises(NavigationError, match="takes a dict"):
        page.view.live_patch(params=["a"])


def test_a_bare_liveview_explains_where_live_patch_lives():
    class Bare(LiveView):
        template_string = "<p></p>"

    with pytest.raises(AttributeError, match="NavigationMixin"):
        Bare().live_patch(params={})


def test_commands_keep_their_order():
    class Busy(NavigationMixin, LiveView):
        template_string = "<p></p>"

    view = Busy()
    view.request = None
    view.push_event("a", {})
    view.live_patch(params={"x": 1})
    view.push_event("b", {"n": 2})
    view.live_redirect("/next/")
    assert [c["t"] for c in view.drain_commands()] == [
        "push_event",
        "live_patch",
        "push_event",
        "live_redirect",
    ]


def test_a_live_redirect_while_mounting_replaces_the_entry():
    class Moved(NavigationMixin, LiveView):
        template_string = "<p>old</p>"

        def mount(self, request, **kwargs):
            self.live_redirect("/views/counter/?start=5")

    moved = LiveViewTestClient(Moved, "/views/old/")
    assert isinstance(moved.view, live.CounterView)
    assert moved.text("#count") == "Count: 5"
    assert moved.history == ["/views/counter/?start=5"]
