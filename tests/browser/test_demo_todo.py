"""The demo's todo list in Chromium: add, toggle, delete and reverse keyed rows.

The markup is fixed (see the issue): `form#add-form`, `input#new-text`, `button#add-btn`,
`p#summary`, `ul#todo-list > li#todo-<id>` with `button.toggle`, `span.text`, `button.delete`,
and `button#reverse`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

# Each step is a local round trip (milliseconds); a missed one fails fast.
WAIT = 3_000


def add(page, text: str, count: int) -> None:
    page.fill("#new-text", text)
    page.click("#add-btn")
    expect(page.locator("#todo-list > li")).to_have_count(count, timeout=WAIT)


def ids(page) -> list[str]:
    return page.locator("#todo-list > li").evaluate_all("items => items.map(li => li.id)")


def test_the_first_response_has_the_fixed_markup(demo_url, page):
    open_page(page, demo_url + "/todo/")
    for selector in (
        "form#add-form",
        "form#add-form input#new-text[name=text]",
        "form#add-form button#add-btn",
        "ul#todo-list",
        "button#reverse",
    ):
        expect(page.locator(selector)).to_have_count(1)
    expect(page.locator("p#summary")).to_have_text("0 items, 0 done")


def test_add_toggle_delete_and_reverse(demo_url, page):
    open_page(page, demo_url + "/todo/")
    add(page, "milk", 1)
    add(page, "eggs", 2)
    add(page, "bread", 3)
    assert page.locator("#todo-2 span.text").inner_text() == "eggs"
    page.click("#todo-2 button.toggle")
    expect(page.locator("#todo-2")).to_have_class("done", timeout=WAIT)
    expect(page.locator("#summary")).to_have_text("3 items, 1 done")
    page.click("#reverse")
    expect(page.locator("#todo-list > li").first).to_have_id("todo-3", timeout=WAIT)
    assert ids(page) == ["todo-3", "todo-2", "todo-1"]
    page.click("#todo-3 button.delete")
    expect(page.locator("#todo-3")).to_have_count(0, timeout=WAIT)
    expect(page.locator("#summary")).to_have_text("2 items, 1 done")
    page.click("#todo-2 button.toggle")
    expect(page.locator("#summary")).to_have_text("2 items, 0 done", timeout=WAIT)
    expect(page.locator("#todo-2")).not_to_have_class("done")


def test_blank_text_adds_nothing(demo_url, page):
    open_page(page, demo_url + "/todo/")
    add(page, "milk", 1)
    page.fill("#new-text", "   ")
    page.click("#add-btn")
    add(page, "eggs", 2)
    assert ids(page) == ["todo-1", "todo-2"]


def test_reverse_moves_rows_and_adding_clears_the_field(demo_url, page):
    open_page(page, demo_url + "/todo/")
    for n, text in enumerate(["a", "b", "c"], start=1):
        add(page, text, n)
        expect(page.locator("#new-text")).to_have_value("")
    page.evaluate("document.querySelectorAll('#todo-list > li').forEach(li => li.__row = li.id)")
    page.click("#reverse")
    expect(page.locator("#todo-list > li").first).to_have_id("todo-3", timeout=WAIT)
    kept = page.locator("#todo-list > li").evaluate_all("items => items.map(li => li.__row)")
    assert kept == ["todo-3", "todo-2", "todo-1"], "each row is the same DOM node, moved"
