"""JS commands and streams in a real browser, on both hosts."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text

pytestmark = pytest.mark.browser


def test_js_commands_run_without_a_round_trip_and_survive_patches(features, page):
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda text: frames.append(text)))
    open_live(page, features.url + "/js/")
    page.click("#open")
    assert page.is_visible("#menu")

    assert page.get_attribute("#menu", "class") == "menu count-0 open"
    assert page.get_attribute("#open", "aria-expanded") == "true"
    # The server rewrites the menu's class, style-free title and text: what JS set stays.
    page.click("#inc")
    wait_text(page, "#count", "1")
    wait_text(page, "#menu", "menu 1")
    # No round trip for #open: the only event sent is #inc's push.
    assert len([f for f in frames if '"t":"event"' in f]) == 1, frames
    assert page.get_attribute("#menu", "class") == "menu count-1 open"
    assert page.get_attribute("#menu", "title") == "t1"
    assert page.is_visible("#menu")
    assert "bumped" in page.get_attribute("#count", "class")
    page.click("#close")
    assert not page.is_visible("#menu")
    page.click("#inc")
    wait_text(page, "#count", "2")
    assert not page.is_visible("#menu")
    assert page.get_attribute("#menu", "class") == "menu count-2"


def test_a_command_whose_selector_matches_nothing_is_harmless(features, page):
    open_live(page, features.url + "/js/")
    page.click("#missing")
    wait_text(page, "#count", "1")


def test_infinite_scroll_streams_pages_and_limit_trims_the_dom(features, page):
    page.set_viewport_size({"width": 600, "height": 400})
    open_live(page, features.url + "/feed/")
    assert page.locator("#items > li").count() == 30
    for loaded in (60, 90, 120):
        page.locator("#items > li").last.scroll_into_view_if_needed()
        wait_text(page, "#loaded", f"{loaded} loaded")
        page.wait_for_function(
            "n => document.querySelector('#items > li:last-child').id === 'items-' + n",
            arg=loaded - 1,
        )
    # limit=-60: only the last 60 stay in the page.
    assert page.locator("#items > li").count() == 60
    assert page.locator("#items > li").first.get_attribute("id") == "items-60"
    page.click("#post")
    page.wait_for_selector("#items > li#items-new1:first-child")
    assert page.locator("#items > li").count() == 60
    assert page.locator("#items > li").last.get_attribute("id") == "items-118"


def test_over_the_http_fallback_too(features_http, page):
    open_live(page, features_http.url + "/js/")
    page.click("#open")
    page.click("#inc")
    wait_text(page, "#count", "1")
    assert page.get_attribute("#menu", "class") == "menu count-1 open"
    page.goto(features_http.url + "/feed/")
    page.wait_for_selector("[dj-connected]")
    page.click("#post")
    page.wait_for_selector("#items > li#items-new1:first-child")
    page.locator("#items > li").last.scroll_into_view_if_needed()
    wait_text(page, "#loaded", "60 loaded")
