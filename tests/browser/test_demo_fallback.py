"""The demo's pages over the HTTP fallback (no WebSocket): state travels in signed snapshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WAIT = 3_000


def open_fallback(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[dj-connected]")


def test_todo_over_http(demo_fallback_url, page):
    open_fallback(page, demo_fallback_url + "/todo/")
    for count, text in enumerate(["milk", "eggs"], start=1):
        page.fill("#new-text", text)
        page.click("#add-btn")
        expect(page.locator("#todo-list > li")).to_have_count(count, timeout=WAIT)
    page.click("#todo-2 button.toggle")
    expect(page.locator("#summary")).to_have_text("2 items, 1 done", timeout=WAIT)
    page.fill("#new-text", "bread")
    page.click("#add-btn")
    expect(page.locator("#todo-3")).to_have_count(1, timeout=WAIT)


def test_components_keep_their_state_over_http(demo_fallback_url, page):
    open_fallback(page, demo_fallback_url + "/components/")
    page.click("[data-component-id=apples] .inc")
    expect(page.locator("#total")).to_have_text("Total: 1", timeout=WAIT)
    page.click("[data-component-id=apples] .inc")
    expect(page.locator("#total")).to_have_text("Total: 2", timeout=WAIT)
