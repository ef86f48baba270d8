"""dj-debounce, dj-throttle and dj-loading in Chromium."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text

pytestmark = pytest.mark.browser


TYPE_FAST = """([selector, text]) => {
    // Keystrokes with no gap at all, whatever the machine's load: real typing can pause.
    const el = document.querySelector(selector);
    el.focus();
    for (const c of text) {
        el.value += c;
        el.dispatchEvent(new Event("input", { bubbles: true }));
    }
}"""


def test_debounce_sends_once_after_the_user_pauses(bindings, page):
    open_live(page, bindings.url + "/bindings/rate/")
    page.evaluate(TYPE_FAST, ["#search", "djust"])
    wait_text(page, "#seen", 'search 1× "djust"; lazy 0× ""; ticks 0')
    page.wait_for_timeout(500)
    wait_text(page, "#seen", 'search 1× "djust"; lazy 0× ""; ticks 0')


def test_debounce_blur_sends_when_the_field_is_left(bindings, page):
    open_live(page, bindings.url + "/bindings/rate/")
    page.click("#lazy")
    page.keyboard.type("later", delay=10)
    page.wait_for_timeout(400)
    wait_text(page, "#seen", 'search 0× ""; lazy 0× ""; ticks 0')
    page.click("#search")
    wait_text(page, "#seen", 'search 0× ""; lazy 1× "later"; ticks 0')


def test_a_pending_debounced_event_is_sent_before_the_next_event(bindings, page):
    open_live(page, bindings.url + "/bindings/rate/")
    page.evaluate(TYPE_FAST, ["#search", "ab"])
    # Clicking at once: the search goes first, not 300 ms later and out of order.
    page.locator("#spam").dispatch_event("click")
    wait_text(page, "#seen", 'search 1× "ab"; lazy 0× ""; ticks 1')


def test_throttle_sends_the_first_then_at_most_one_per_interval(bindings, page):
    open_live(page, bindings.url + "/bindings/rate/")
    page.evaluate("() => { for (let i = 0; i < 10; i++) document.getElementById('spam').click(); }")
    # The first click at once, the last of the burst at the end of the 400 ms window.
    wait_text(page, "#seen", 'search 0× ""; lazy 0× ""; ticks 2')
    page.wait_for_timeout(600)
    wait_text(page, "#seen", 'search 0× ""; lazy 0× ""; ticks 2')


LOADING_STATE = """() => {
    const s = (id) => document.getElementById(id);
    return {
        slow_disabled: s("slow").disabled,
        slow_busy: s("slow").classList.contains("busy"),
        slow_loading: s("slow").classList.contains("dj-loading"),
        inner_spinner: getComputedStyle(s("inner-spinner")).display,
        spinner: getComputedStyle(s("spinner")).display,
        content: getComputedStyle(s("content")).display,
        quick_disabled: s("quick").disabled,
    };
}"""

IDLE = {
    "slow_disabled": False,
    "slow_busy": False,
    "slow_loading": False,
    "inner_spinner": "none",
    "spinner": "none",
    "content": "block",
    "quick_disabled": False,
}


def test_loading_states_follow_the_sender_and_named_events(bindings, page):
    open_live(page, bindings.url + "/bindings/loading/")
    assert page.evaluate(LOADING_STATE) == IDLE
    page.click("#slow")
    assert page.evaluate(LOADING_STATE) == {
        "slow_disabled": True,
        "slow_busy": True,
        "slow_loading": True,
        "inner_spinner": "block",
        "spinner": "inline",
        "content": "none",
        "quick_disabled": False,
    }
    wait_text(page, "#done", "1")
    assert page.evaluate(LOADING_STATE) == IDLE


def test_loading_states_scoped_to_another_event_stay_idle(bindings, page):
    open_live(page, bindings.url + "/bindings/loading/")
    page.click("#quick")
    state = page.evaluate(LOADING_STATE)
    assert state == IDLE, 'dj-loading="slow" elements ignore the quick event'
    assert page.evaluate("document.getElementById('quick').classList.contains('dj-loading')")
    wait_text(page, "#done", "1")
    assert not page.evaluate("document.getElementById('quick').classList.contains('dj-loading')")
