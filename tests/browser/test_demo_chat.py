"""The demo's chat in Chromium, two visitors at once: what one says appears in both pages, and
the other sees who is typing (pub/sub between sessions, on both hosts)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

# A broadcast is a local round trip; the typing notice lasts 3 s after the last keystroke.
WAIT = 5_000


@pytest.fixture
def other_page(browser):
    """A second visitor: a page in a context of its own (own cookies, own session), failing
    the test on the browser's errors as the ``page`` fixture does."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on(
        "console",
        lambda msg: msg.type == "error"
        and not msg.text.startswith("Failed to load resource")
        and problems.append(msg.text),
    )
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    yield page
    context.close()
    assert not problems, f"the second page reported errors: {problems}"


def messages(page) -> list[str]:
    return page.locator("#messages .message .text").all_inner_texts()


def test_a_message_appears_in_both_pages_and_the_other_sees_who_is_typing(
    demo_url, page, other_page
):
    ann, bob = page, other_page
    open_page(ann, demo_url + "/chat/")
    open_page(bob, demo_url + "/chat/")
    hello = f"hello {uuid.uuid4().hex[:6]}"  # the room keeps earlier tests' messages

    ann.fill("#name", "Ann")
    ann.locator("#name").dispatch_event("change")
    ann.locator("#message").press_sequentially(hello[:5], delay=30)
    expect(bob.locator("#typing")).to_have_text("Ann is typing…", timeout=WAIT)
    expect(ann.locator("#typing")).to_have_text("")  # not about herself

    ann.locator("#message").press_sequentially(hello[5:], delay=10)
    ann.click("#send")
    for seen_by in (ann, bob):
        expect(seen_by.locator("#messages .message .text").last).to_have_text(hello, timeout=WAIT)
    # Her message is hers on her page only, and the notice ends with the message.
    expect(ann.locator("#messages .message").last).to_have_class("message mine")
    expect(bob.locator("#messages .message").last).to_have_class("message")
    expect(bob.locator("#messages .message .name").last).to_have_text("Ann")
    expect(bob.locator("#typing")).to_have_text("", timeout=WAIT)
    # The field is a new, empty one, and the cursor is back in it.
    expect(ann.locator("#message")).to_have_value("")
    expect(ann.locator("#message")).to_be_focused()

    reply = f"hi Ann {uuid.uuid4().hex[:6]}"
    bob.fill("#message", reply)
    bob.press("#message", "Enter")
    for seen_by in (ann, bob):
        expect(seen_by.locator("#messages .message .text").last).to_have_text(reply, timeout=WAIT)
    assert messages(ann)[-2:] == messages(bob)[-2:] == [hello, reply]


def test_a_page_opened_later_starts_with_the_rooms_last_messages(demo_url, page, other_page):
    open_page(page, demo_url + "/chat/")
    said = f"for later {uuid.uuid4().hex[:6]}"
    page.fill("#message", said)
    page.click("#send")
    expect(page.locator("#messages .message .text").last).to_have_text(said, timeout=WAIT)

    open_page(other_page, demo_url + "/chat/")
    expect(other_page.locator("#messages .message .text").last).to_have_text(said)
    # One copy, though it may have arrived both in the room's history and as a broadcast.
    assert messages(other_page).count(said) == 1


def test_the_typing_notice_goes_away_when_typing_stops(demo_url, page, other_page):
    open_page(page, demo_url + "/chat/")
    open_page(other_page, demo_url + "/chat/")
    name = page.locator("#name").input_value()
    page.locator("#message").press_sequentially("thinking", delay=20)
    expect(other_page.locator("#typing")).to_have_text(f"{name} is typing…", timeout=WAIT)
    # Nothing more is typed: 3 s after the last keystroke heard, the notice is gone.
    expect(other_page.locator("#typing")).to_have_text("", timeout=WAIT)
