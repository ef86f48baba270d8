"""The demo's debounced product search over the seeded SQLite catalogue, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

# Each step is a local round trip (milliseconds); a missed one fails fast.
WAIT = 3_000


def test_the_first_response_invites_a_search(demo_url, page):
    open_page(page, demo_url + "/search/")
    expect(page.locator("#status")).to_have_text("Type to search · 0 searches")
    expect(page.locator("#search")).to_have_attribute("dj-debounce", "300")


def test_typing_searches_once_when_typing_pauses(demo_url, page):
    open_page(page, demo_url + "/search/")
    page.locator("#search").press_sequentially("lamp", delay=20)
    # Four keystrokes, well inside the 300 ms debounce: one search (a loaded machine may
    # stretch a pause past it once), never one per key.
    expect(page.locator("#status")).to_have_text(
        re.compile(r"^4 found for “lamp” · [12] searches$"), timeout=WAIT
    )
    names = page.locator("#results .name").all_inner_texts()
    assert names == ["Desk Lamp", "Lamp Dimmer", "Lava Lamp Mug", "Solar Garden Lamp"]
    page.fill("#search", "")
    expect(page.locator("#results li")).to_have_count(0, timeout=WAIT)
