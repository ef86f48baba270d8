"""dj-patch, dj-navigate, back/forward, and server-initiated live_patch/live_redirect/redirect."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text

pytestmark = pytest.mark.browser


def mark_page(page) -> None:
    """Tag the window: the tag survives everything but a full page load."""
    page.evaluate("window.sameDocument = true")


def same_document(page) -> bool:
    return page.evaluate("window.sameDocument === true")


def test_dj_patch_pushes_the_url_and_runs_handle_params_without_a_remount(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/")
    wait_text(page, "#page", "page 1 (1 handle_params)")
    mark_page(page)
    page.click("#next")
    wait_text(page, "#page", "page 2 (2 handle_params)")
    assert page.url.endswith("/bindings/nav/?page=2")
    page.click("#next")
    wait_text(page, "#page", "page 3 (3 handle_params)")
    page.go_back()
    wait_text(page, "#page", "page 2 (4 handle_params)")
    page.go_back()
    wait_text(page, "#page", "page 1 (5 handle_params)")
    assert page.url.endswith("/bindings/nav/")
    page.go_forward()
    wait_text(page, "#page", "page 2 (6 handle_params)")
    assert same_document(page), "a dj-patch or back/forward reloaded the page"


def test_dj_replace_patches_without_a_new_history_entry(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/")
    entries = page.evaluate("history.length")
    page.click("#replace")
    page.wait_for_function("document.querySelector('#page').textContent.startsWith('page 99 ')")
    assert page.url.endswith("/bindings/nav/?page=99")
    assert page.evaluate("history.length") == entries


def test_dj_navigate_mounts_another_view_over_the_same_socket(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/?page=4")
    mark_page(page)
    page.click("#other")
    wait_text(page, "#other-title", "other view, from 4")
    assert page.url.endswith("/bindings/nav/other/?from=4")
    assert page.title() == "OtherView"
    page.click("#back-to-nav")
    wait_text(page, "#page", "page 3 (1 handle_params)")
    assert page.title() == "NavView"
    page.go_back()
    wait_text(page, "#other-title", "other view, from 4")
    page.go_back()
    wait_text(page, "#page", "page 4 (1 handle_params)")
    assert same_document(page)
    # The view now on the page is the one events reach.
    page.click("#next")
    wait_text(page, "#page", "page 5 (2 handle_params)")


def test_reconnecting_after_navigation_remounts_the_view_now_shown(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/")
    page.click("#other")
    wait_text(page, "#other-title", "other view, from 1")
    page.evaluate("window.__sockets.at(-1).close()")
    page.wait_for_function("!document.querySelector('[dj-view]').hasAttribute('dj-connected')")
    page.wait_for_selector("[dj-connected]", timeout=15_000)
    wait_text(page, "#other-title", "other view, from 1")
    page.click("#back-to-nav")
    wait_text(page, "#page", "page 3 (1 handle_params)")


def test_server_live_patch_updates_history(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/")
    mark_page(page)
    page.click("#server-patch")
    wait_text(page, "#page", "page 10 (2 handle_params)")
    page.wait_for_url("**/bindings/nav/?page=10")
    page.go_back()
    wait_text(page, "#page", "page 1 (3 handle_params)")
    assert same_document(page)


def test_server_live_redirect_navigates_over_the_socket(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/")
    mark_page(page)
    page.click("#server-redirect")
    wait_text(page, "#other-title", "other view, from server")
    page.wait_for_url("**/bindings/nav/other/?from=server")
    assert same_document(page)


def test_server_redirect_and_navigation_to_a_plain_page_load_it_in_full(bindings, page):
    open_live(page, bindings.url + "/bindings/nav/")
    page.click("#server-full")
    page.wait_for_selector("#plain", timeout=10_000)
    assert page.url.endswith("/bindings/plain/")
    open_live(page, bindings.url + "/bindings/nav/")
    page.evaluate("""() => {
        const link = document.createElement("a");
        link.id = "to-plain";
        link.href = "/bindings/plain/";
        link.setAttribute("dj-navigate", "");
        link.textContent = "plain";
        document.querySelector("[dj-root]").append(link);
    }""")
    page.click("#to-plain")
    page.wait_for_selector("#plain", timeout=10_000)
