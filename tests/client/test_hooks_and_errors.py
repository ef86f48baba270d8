"""dj-hook lifecycles, pushEvent from hooks, push_event from the server, and error frames."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text

pytestmark = pytest.mark.browser


def hook_log(page) -> list[str]:
    return page.evaluate("window.hookLog")


def wait_log(page, entry: str) -> None:
    page.wait_for_function("e => window.hookLog.includes(e)", arg=entry, timeout=10_000)


def test_hook_lifecycle_mounted_updated_destroyed(bindings, page):
    open_live(page, bindings.url + "/bindings/hooks/")
    wait_log(page, "mounted:chart")
    page.click("#bump")
    wait_log(page, "bumped:1")
    page.click("#toggle")
    wait_log(page, "destroyed:chart")
    page.click("#toggle")
    page.wait_for_function("window.hookLog.filter(e => e === 'mounted:chart').length === 2")
    # The destroyed instance is gone: only the live ones hear the next update.
    page.click("#bump")
    wait_log(page, "bumped:2")
    assert page.evaluate("window.hookLog.filter(e => e === 'bumped:2').length") == 1


def test_updated_is_called_when_the_hooked_element_changes(bindings, page):
    open_live(page, bindings.url + "/bindings/hooks/")
    wait_log(page, "mounted:chart")
    page.click("#bump")
    wait_text(page, "#chart", "chart 1")
    # updated() comes from the patch applier's callbacks (the DOM patches section).
    wait_log(page, "updated:chart:1")


def test_server_push_event_reaches_hooks_and_window(bindings, page):
    open_live(page, bindings.url + "/bindings/hooks/")
    page.click("#bump")
    page.click("#bump")
    wait_log(page, "window:2")
    log = hook_log(page)
    assert log.index("bumped:1") < log.index("window:1") < log.index("bumped:2")


def test_push_event_from_a_hook_with_a_reply(bindings, page):
    open_live(page, bindings.url + "/bindings/hooks/")
    page.click("#pinger")
    wait_text(page, "#pinged", "hello from pinger")
    wait_log(page, "reply:patch")


def test_hooks_hear_disconnected_and_reconnected(bindings, page):
    open_live(page, bindings.url + "/bindings/hooks/")
    wait_log(page, "mounted:chart")
    page.evaluate("window.__sockets.at(-1).close()")
    wait_log(page, "disconnected:chart")
    wait_log(page, "reconnected:chart")
    assert hook_log(page).count("mounted:chart") == 1, "the hook kept its instance"
    page.click("#bump")
    wait_log(page, "bumped:1")


def test_error_frames_are_logged_with_the_handler_name_and_the_page_stays_live(
    bindings, error_page
):
    page = error_page
    open_live(page, bindings.url + "/bindings/errors/")
    page.click("#explode")
    page.click("#missing")
    page.click("#bad-param")
    page.click("#ok")
    wait_text(page, "#total", "1")
    errors = page.console_errors
    assert len(errors) == 3, errors
    assert errors[0].startswith("[djust] handler_error in explode: explode() raised RuntimeError")
    assert errors[1].startswith("[djust] unknown_event in no_such_handler: ")
    assert "no_such_handler" in errors[1] and "@event_handler" in errors[1]
    assert errors[2].startswith("[djust] invalid_params in add: add() parameter 'amount'")
