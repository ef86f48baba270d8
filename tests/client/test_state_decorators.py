"""The README's state decorators as the browser meets them: @debounce paces the client without
a dj-debounce in the template; dj-disable-with keeps a submit from being sent twice."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text
from tests.client.test_rate_and_loading import TYPE_FAST

pytestmark = pytest.mark.browser


def test_debounce_on_the_handler_paces_the_client(bindings, page):
    open_live(page, bindings.url + "/bindings/decorated/")
    page.evaluate(TYPE_FAST, ["#search", "djust"])
    wait_text(page, "#seen", 'search 1× "djust"; saved 0')
    page.wait_for_timeout(500)
    wait_text(page, "#seen", 'search 1× "djust"; saved 0')


def test_dj_disable_with_disables_the_button_until_the_reply(bindings, page):
    open_live(page, bindings.url + "/bindings/decorated/")
    page.click("#save")
    assert page.locator("#save").is_disabled()
    page.evaluate("document.getElementById('save').click()")  # a second click in flight
    wait_text(page, "#seen", 'search 0× ""; saved 1')
    page.wait_for_function("!document.getElementById('save').disabled")
    page.wait_for_timeout(800)
    wait_text(page, "#seen", 'search 0× ""; saved 1')
