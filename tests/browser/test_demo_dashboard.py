"""The demo's dashboard in Chromium: a clock ticked by a timer, the visitors counted over
pub/sub (up when a tab opens, down when it closes) and a report built by a background task
that shows its progress, on both hosts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

WAIT = 5_000
# A closed tab falls silent and leaves the count within the presence window (5 s) plus one
# heartbeat (2 s); earlier tests' tabs leave the same way.
PRESENCE_WAIT = 12_000


def test_the_clock_ticks_without_a_click(demo_url, page):
    open_page(page, demo_url + "/dashboard/")
    clock = page.locator("#clock")
    expect(clock).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=WAIT)
    second = clock.inner_text()
    expect(clock).not_to_have_text(second, timeout=WAIT)


def test_visitors_go_up_when_a_tab_opens_and_down_when_it_closes(demo_url, page, browser):
    open_page(page, demo_url + "/dashboard/")
    visitors = page.locator("#visitors")
    expect(visitors).to_have_text("1", timeout=PRESENCE_WAIT)

    context = browser.new_context()
    try:
        other = context.new_page()
        open_page(other, demo_url + "/dashboard/")
        # Each learns of the other at once: the newcomer says "here", the other answers.
        expect(visitors).to_have_text("2", timeout=WAIT)
        expect(other.locator("#visitors")).to_have_text("2", timeout=WAIT)
        # Still two after a few heartbeats: the count does not decay while both are open.
        page.wait_for_timeout(5_000)
        expect(visitors).to_have_text("2")
    finally:
        context.close()
    expect(visitors).to_have_text("1", timeout=PRESENCE_WAIT)


def test_the_report_shows_its_progress_then_its_result(demo_url, page):
    open_page(page, demo_url + "/dashboard/")
    expect(page.locator("#report-status")).to_have_text("No report yet.")
    page.click("#generate")
    expect(page.locator("#generate")).to_be_disabled(timeout=WAIT)
    # The task tells the page after each category: some step between none and all is shown.
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('#report-progress');
            return bar && bar.value > 0 && bar.value < 100;
        }""",
        timeout=WAIT,
    )
    expect(page.locator("#report-status")).to_have_text(re.compile(r"^Working: \d+% \(\w+ done\)$"))

    expect(page.locator("#report-status")).to_have_text(
        re.compile(r"^Ready: \d+ products, built at \d\d:\d\d:\d\d\.$"), timeout=WAIT
    )
    expect(page.locator("#report-progress")).to_have_count(0)
    expect(page.locator("#generate")).to_be_enabled()
    rows = page.locator("#report-table tbody tr")
    expect(rows).to_have_count(4)  # the seed's categories
    assert rows.locator("td:first-child").all_inner_texts() == [
        "books",
        "electronics",
        "garden",
        "kitchen",
    ]
    total = sum(int(n) for n in rows.locator("td:nth-child(2)").all_inner_texts())
    assert page.locator("#report-status").inner_text().startswith(f"Ready: {total} products")


def test_a_cancelled_report_never_arrives(demo_url, page):
    open_page(page, demo_url + "/dashboard/")
    page.click("#generate")
    page.click("#cancel")
    expect(page.locator("#report-status")).to_have_text("Cancelled.", timeout=WAIT)
    # The task's thread finishes unheard (about 1.6 s): neither its progress nor its result
    # reaches the page.
    page.wait_for_timeout(2_500)
    expect(page.locator("#report-status")).to_have_text("Cancelled.")
    expect(page.locator("#report-table")).to_have_count(0)
    expect(page.locator("#generate")).to_be_enabled()
