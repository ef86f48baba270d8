"""The demo's multi-view shop in Chromium: dj-patch filters, dj-navigate detail pages, back and
forward, and a live_patch from a handler."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

# Each step is a local round trip (milliseconds); a missed one fails fast.
WAIT = 3_000


def test_filters_in_the_url_render_on_the_first_request(demo_url):
    html = urllib.request.urlopen(demo_url + "/shop/?category=books&sort=price").read().decode()
    assert "8 products in books, by price" in html
    assert html.index("Foundation") < html.index("Dune")


def test_a_detail_page_adds_to_the_cart_with_a_flash(demo_url, page):
    open_page(page, demo_url + "/shop/1/")
    name = page.locator("#product-name").inner_text()
    page.click("#add-to-cart")
    expect(page.locator("#flash")).to_have_text(f"{name} × 1 in your cart.", timeout=WAIT)


def test_dj_patch_filters_without_a_reload(demo_url, page):
    open_page(page, demo_url + "/shop/")
    page.evaluate("window.__sameDocument = true")
    page.click("#cat-books")
    expect(page.locator("#showing")).to_have_text("8 products in books, by name", timeout=WAIT)
    assert page.url.endswith("/shop/?category=books&sort=name")
    page.click("#sort-price")
    expect(page.locator("#showing")).to_have_text("8 products in books, by price", timeout=WAIT)
    page.go_back()
    expect(page.locator("#showing")).to_have_text("8 products in books, by name", timeout=WAIT)
    page.go_forward()
    expect(page.locator("#showing")).to_have_text("8 products in books, by price", timeout=WAIT)
    assert page.evaluate("window.__sameDocument") is True


def test_live_patch_from_a_handler_moves_the_address_bar(demo_url, page):
    open_page(page, demo_url + "/shop/?category=kitchen")
    page.click("#cheapest")
    expect(page.locator("#showing")).to_have_text("8 products in kitchen, by price", timeout=WAIT)
    page.wait_for_url("**/shop/?category=kitchen&sort=price", timeout=WAIT)


def test_dj_navigate_mounts_the_detail_view_and_back(demo_url, page):
    open_page(page, demo_url + "/shop/?category=garden")
    page.evaluate("window.__sameDocument = true")
    page.click("#products a:text-is('Hammock')")
    expect(page.locator("#product-name")).to_have_text("Hammock", timeout=WAIT)
    assert page.title() == "Hammock · Shop · djust demo"
    assert "/shop/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    page.click("#back")
    expect(page.locator("#showing")).to_have_text("6 products in garden, by name", timeout=WAIT)
    page.go_back()
    expect(page.locator("#product-name")).to_have_text("Hammock", timeout=WAIT)
    assert page.evaluate("window.__sameDocument") is True
