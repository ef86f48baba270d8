"""The demo's debounced product search over the seeded SQLite catalogue, in Chromium."""

from __future__ import annotations

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


@pytest.mark.xfail(strict=True, reason="needs issue 5's client: dj-input with dj-debounce")
def test_typing_searches_once_when_typing_pauses(demo_url, page):
    open_page(page, demo_url + "/search/")
    page.locator("#search").press_sequentially("lamp", delay=40)
    expect(page.locator("#status")).to_have_text("4 found for “lamp” · 1 searches",
                                                 timeout=WAIT)
    names = page.locator("#results .name").all_inner_texts()
    assert names == ["Desk Lamp", "Lamp Dimmer", "Lava Lamp Mug", "Solar Garden Lamp"]
    page.fill("#search", "")
    expect(page.locator("#results li")).to_have_count(0, timeout=WAIT)
