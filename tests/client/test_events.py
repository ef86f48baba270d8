"""Every event binding in Chromium against the test site's bindings pages (site/bindings)."""

from __future__ import annotations

import pytest

from tests.client.pages import open_live, wait_text

pytestmark = pytest.mark.browser


def test_click_sends_dj_value_and_data_params_and_reaches_elements_added_later(bindings, page):
    open_live(page, bindings.url + "/bindings/counter/")
    page.click("#inc")
    wait_text(page, "#count", "Count: 1")
    page.click("#add")
    wait_text(page, "#count", "Count: 6")
    wait_text(page, "#note", "from data")
    # #late did not exist when the page loaded: delegation covers it.
    page.click("#late")
    wait_text(page, "#count", "Count: 16")
    page.click("#dec")
    wait_text(page, "#count", "Count: 15")


def test_input_and_change_send_value(bindings, page):
    open_live(page, bindings.url + "/bindings/fields/")
    page.fill("#name", "Ada")
    wait_text(page, "#typed", "typed: Ada")
    page.select_option("#colour", "green")
    wait_text(page, "#choices", "colour: green, agreed: False")
    page.check("#agree")
    wait_text(page, "#choices", "colour: green, agreed: True")
    page.uncheck("#agree")
    wait_text(page, "#choices", "colour: green, agreed: False")


def test_dj_change_on_a_form_sends_every_field(bindings, page):
    open_live(page, bindings.url + "/bindings/fields/")
    page.fill("#city", "Oslo")
    page.locator("#city").blur()
    wait_text(page, "#prefs-seen", "[('city', 'Oslo')]")
    page.select_option("#tags", ["a", "c"])
    wait_text(page, "#prefs-seen", "[('city', 'Oslo'), ('tags', ['a', 'c'])]")


def test_submit_sends_the_fields_as_a_dict_without_files(bindings, page, tmp_path):
    open_live(page, bindings.url + "/bindings/form/")
    upload = tmp_path / "me.png"
    upload.write_bytes(b"not really a png")
    page.fill("#email", "ada@example.com")
    page.fill("#bio", "line one\nline two")
    page.check("#news")
    page.select_option("#langs", ["py", "rs"])
    page.set_input_files("#avatar", str(upload))
    page.click("#save")
    wait_text(
        page,
        "#saved",
        "[('action', 'save'), ('bio', 'line one\\nline two'), "
        "('email', 'ada@example.com'), ('langs', ['py', 'rs']), "
        "('news', 'yes'), ('source', 'page')]",
    )
    assert page.url.endswith("/bindings/form/"), "the form was not submitted the browser's way"


def test_keydown_with_a_key_filter_and_keyup(bindings, page):
    open_live(page, bindings.url + "/bindings/keys/")
    page.click("#box")
    page.keyboard.type("hi")
    page.keyboard.press("Enter")
    wait_text(page, "#log", "enter:hi")
    page.click("#up")
    page.keyboard.press("x")
    wait_text(page, "#log", "enter:hi up:x")


def test_window_keys(bindings, page):
    open_live(page, bindings.url + "/bindings/keys/")
    page.keyboard.press("a")  # neither filter lets "a" through
    page.keyboard.press("Escape")
    wait_text(page, "#log", "window:Escape")
    page.keyboard.press("q")
    wait_text(page, "#log", "window:Escape wup:q")


def test_focus_and_blur(bindings, page):
    open_live(page, bindings.url + "/bindings/focus/")
    page.click("#watched")
    wait_text(page, "#focus-log", "focus:watched")
    page.keyboard.type("x")
    page.click("#other")
    wait_text(page, "#focus-log", "focus:watched blur:watched=x")


def test_dj_target_and_data_component_id_route_to_components(bindings, page):
    open_live(page, bindings.url + "/bindings/components/")
    page.click("#left-inc")
    wait_text(page, "#counts", "left 1, right 0, view 0")
    page.click("#right-inc")
    page.click("#right-inc")
    wait_text(page, "#counts", "left 1, right 2, view 0")
    page.click("#view-inc")
    wait_text(page, "#counts", "left 1, right 2, view 1")


def test_typing_keeps_focus_and_caret_while_patches_arrive(bindings, page):
    open_live(page, bindings.url + "/bindings/focus-keep/")
    page.click("#field")
    page.keyboard.type("hello world", delay=20)
    wait_text(page, "#mirror", "HELLO WORLD")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("X", delay=20)
    wait_text(page, "#mirror", "HXELLO WORLD")
    state = page.evaluate("""() => {
        const el = document.activeElement;
        return [el.id, el.value, el.selectionStart, el.selectionEnd];
    }""")
    assert state == ["field", "hXello world", 2, 2]
