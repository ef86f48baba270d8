"""Surviving the network: server restarts with typed text, the heartbeat, the HTTP fallback."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text
from tests.livesupport import click_counter

pytestmark = pytest.mark.browser

# What Chromium logs while the server is down; nothing else may appear.
OFFLINE_NOISE = ("WebSocket connection to", "Failed to load resource")


def only_offline_noise(errors: list[str]) -> bool:
    return all(error.startswith(OFFLINE_NOISE) for error in errors)


def test_a_server_restart_keeps_what_the_user_typed_and_the_next_event_works(bindings, error_page):
    page = error_page
    open_live(page, bindings.url + "/bindings/form/")
    page.fill("#draft", "sent before the restart")
    wait_text(page, "#drafted", "draft: sent before the restart")
    page.fill("#email", "typed@example.com")
    page.fill("#bio", "typed, never sent")
    page.check("#news")
    page.evaluate("document.getElementById('terms').scrollTop = 120")

    bindings.stop()
    page.wait_for_function(
        "!document.querySelector('[dj-view]').hasAttribute('dj-connected')", timeout=10_000
    )
    # Typed while the server is away.
    page.fill("#bio", "typed, never sent, and more while offline")
    bindings.start()
    page.wait_for_selector("[dj-connected]", timeout=30_000)

    # The fresh view knows nothing, yet the page still shows what was typed ...
    assert page.input_value("#email") == "typed@example.com"
    assert page.input_value("#bio") == "typed, never sent, and more while offline"
    assert page.is_checked("#news")
    assert page.evaluate("document.getElementById('terms').scrollTop") == 120
    assert page.evaluate("document.activeElement.id") == "bio", "focus came back to the field"
    # ... and what the server had (through dj-input) was sent to it again.
    wait_text(page, "#drafted", "draft: sent before the restart")
    page.click("#save")
    wait_text(
        page,
        "#saved",
        "[('action', 'save'), ('bio', 'typed, never sent, and more while "
        "offline'), ('email', 'typed@example.com'), ('news', 'yes'), "
        "('source', 'page')]",
    )
    assert only_offline_noise(page.console_errors), page.console_errors


def test_events_made_while_offline_are_sent_after_reconnecting(bindings, error_page):
    page = error_page
    open_live(page, bindings.url + "/bindings/counter/")
    page.click("#inc")
    wait_text(page, "#count", "Count: 1")
    bindings.stop()
    page.wait_for_function(
        "!document.querySelector('[dj-view]').hasAttribute('dj-connected')", timeout=10_000
    )
    page.click("#inc")
    page.click("#inc")
    bindings.start()
    page.wait_for_selector("[dj-connected]", timeout=30_000)
    # The restarted server mounted a fresh counter (0); the two offline clicks apply to it.
    wait_text(page, "#count", "Count: 2")
    assert only_offline_noise(page.console_errors), page.console_errors


def test_a_silent_connection_is_dropped_by_the_heartbeat_and_reopened(bindings, page):
    # A page whose clock runs fast: heartbeats every few milliseconds of real time.
    page.clock.install()
    open_live(page, bindings.url + "/bindings/counter/")
    page.evaluate("""() => {
        // A link that stays open but delivers nothing: what a dead NAT mapping looks like.
        const socket = window.__sockets.at(-1);
        window.firstSocket = socket;
        socket.send = () => {};
    }""")
    page.clock.run_for(31_000)
    page.clock.run_for(31_000)
    page.wait_for_function("window.__sockets.at(-1) !== window.firstSocket")
    page.clock.run_for(11_000)
    page.wait_for_selector("[dj-connected]", timeout=10_000)
    page.click("#inc")
    wait_text(page, "#count", "Count: 1")


def test_the_counter_over_the_http_fallback(bindings_http, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method))
    open_live(page, bindings_http.url + "/bindings/counter/")
    click_counter(page, "#inc", "#dec")
    page.click("#add")
    wait_text(page, "#count", "Count: 7")
    wait_text(page, "#note", "from data")
    assert requests.count("POST") == 5
    assert page.evaluate("window.__sockets.length") == 0


def test_http_fallback_patch_navigation(bindings_http, page):
    open_live(page, bindings_http.url + "/bindings/nav/")
    page.click("#next")
    # (How many handle_params calls the page counts depends on whether the GET ran it.)
    page.wait_for_function("document.querySelector('#page').textContent.startsWith('page 2 (')")
    assert page.url.endswith("/bindings/nav/?page=2")
    page.click("#other")
    page.wait_for_selector("#other-title")
    assert page.url.endswith("/bindings/nav/other/?from=2")


def test_a_socket_that_cannot_open_falls_back_to_http(bindings_no_socket, error_page):
    page = error_page
    open_live(page, bindings_no_socket.url + "/bindings/counter/")
    click_counter(page, "#inc", "#dec")
    assert only_offline_noise(page.console_errors), page.console_errors
