"""The demo's components page in Chromium: an alert, two stateful counters and their parent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

# Each step is a local round trip (milliseconds); a missed one fails fast.
WAIT = 3_000


def test_the_first_response_marks_every_component(demo_url, page):
    open_page(page, demo_url + "/components/")
    for component in ("notice", "apples", "pears", "badge"):
        expect(page.locator(f"[data-component-id={component}]:not(button)")).to_have_count(1)
    expect(page.locator("div[data-component-id=notice]")).to_have_attribute("role", "alert")


def test_the_parent_resets_its_children(demo_url, page):
    open_page(page, demo_url + "/components/")
    page.click("#reset")
    expect(page.locator("#last-change")).to_have_text("Last change: reset", timeout=WAIT)
    expect(page.locator("[data-component-id=notice] .djust-alert-message")).to_have_text(
        "Counters reset."
    )


def test_counters_keep_their_own_state_and_tell_the_parent(demo_url, page):
    open_page(page, demo_url + "/components/")
    page.click("[data-component-id=apples] .inc")
    page.click("[data-component-id=apples] .inc")
    expect(page.locator("[data-component-id=apples] .count")).to_have_text("2", timeout=WAIT)
    page.click("#pears-plus")
    expect(page.locator("#total")).to_have_text("Total: 3", timeout=WAIT)
    expect(page.locator("#last-change")).to_have_text("Last change: pears is now 1")
    expect(page.locator("[data-component-id=pears] .count")).to_have_text("1")
    page.click("#reset")
    expect(page.locator("#total")).to_have_text("Total: 0", timeout=WAIT)
    expect(page.locator("[data-component-id=apples] .count")).to_have_text("0")


def test_the_alert_dismisses_itself(demo_url, page):
    open_page(page, demo_url + "/components/")
    page.click("[data-component-id=notice] button")
    expect(page.locator("[role=alert]")).to_have_count(0, timeout=WAIT)
