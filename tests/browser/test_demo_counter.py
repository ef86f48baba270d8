"""The demo project's counters in Chromium: page template and template_string forms."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page
from tests.livesupport import click_counter

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/counter/", "/counter/inline/"])
def test_counter(demo_url, page, path):
    open_page(page, demo_url + path)
    assert page.locator("#count").inner_text() == "Count: 0"
    click_counter(page, "#inc", "#dec")
    assert page.locator("#count").inner_text() == "Count: 2"


def test_counter_goes_below_zero_with_a_structural_change(demo_url, page):
    open_page(page, demo_url + "/counter/")
    page.click("#dec")
    page.wait_for_selector("p.note", timeout=10_000)
    assert page.locator("#count").inner_text() == "Count: -1"
    page.click("#inc")
    page.wait_for_selector("p.note", state="detached", timeout=10_000)
    assert page.locator("#count").inner_text() == "Count: 0"


def test_the_index_links_every_page(demo_url, page):
    open_page(page, demo_url + "/")
    links = page.locator("li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == [
        "/counter/",
        "/counter/inline/",
        "/todo/",
        "/search/",
        "/shop/",
        "/components/",
        "/chat/",
        "/dashboard/",
    ]


def test_the_browsers_icon_request_is_answered_without_an_error(demo_url, page):
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    open_page(page, demo_url + "/")
    assert page.request.get(demo_url + "/favicon.ico").status == 204
    assert failed == []
