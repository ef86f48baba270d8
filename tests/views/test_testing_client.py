"""LiveViewTestClient itself: CSS queries, forms, keys, keyed rows and the patches it records."""

from __future__ import annotations

import pytest

from djust import LiveView, event_handler
from djust.testing import LiveViewTestClient, SelectorError, parse_html
from tests.views import live

DOC = parse_html("""
<div id="top" class="box main">
  <ul><li class="a">one</li><li class="b" data-k="x-y">two</li><li>three</li></ul>
  <p>para <b>bold</b></p>
  <input type="checkbox" name="c" checked><input name="d" disabled>
  <section><span lang="en-GB">s</span></section>
</div>
""")


@pytest.mark.parametrize(
    ("selector", "texts"),
    [
        ("li", ["one", "two", "three"]),
        ("#top li.b", ["two"]),
        ("div > ul > li:first-child", ["one"]),
        ("li:last-child", ["three"]),
        ("li:nth-child(2)", ["two"]),
        ("li:nth-child(odd)", ["one", "three"]),
        ("li:not(.a)", ["two", "three"]),
        ("li.a + li", ["two"]),
        ("li.a ~ li", ["two", "three"]),
        ("[data-k^=x]", ["two"]),
        ("[data-k$='-y']", ["two"]),
        ('[data-k*="-"]', ["two"]),
        ("[class~=main] p b", ["bold"]),
        ("span[lang|=en]", ["s"]),
        ("li:has-text(thr)", ["three"]),
        ("b, li.a", ["one", "bold"]),
        ("*:empty", ["", ""]),
        ("input:checked", [""]),
        ("input:disabled", [""]),
    ],
)
def test_css_selectors(selector, texts):
    assert [e.text for e in DOC.find_all(selector)] == texts


@pytest.mark.parametrize("selector", ["", "li >", "> li", "li:hover", "li[", "a!b"])
def test_unreadable_selectors_say_what_is_understood(selector):
    with pytest.raises(SelectorError):
        DOC.find_all(selector)


def test_missing_elements_fail_with_the_html():
    counter = LiveViewTestClient(live.CounterView)
    with pytest.raises(AssertionError, match="no element matches '#nope'"):
        counter.click("#nope")
    with pytest.raises(AssertionError, match="has no dj-click"):
        counter.click("h1")


def test_todo_rows_are_keyed_and_submitted_through_the_form():
    todo = LiveViewTestClient("/views/todo/")
    todo.input("#new-text", "milk")
    todo.submit("#add-form")
    todo.submit("#add-form", text="eggs", urgent="yes")
    assert [li.text for li in todo.find_all("#todo-list li")] == ["✓milk", "✓eggs"]
    todo.click("#todo-2 .toggle")
    assert todo.find("#todo-2").has_class("done")
    todo.click("#reverse")
    assert [li.id for li in todo.find_all("#todo-list > li")] == ["todo-2", "todo-1"]


def test_forms_send_what_a_browser_would():
    class Form(LiveView):
        template_string = """
        <form dj-submit="save" data-form="profile">
          <input name="name" value="Ada">
          <input name="agree" type="checkbox" value="yes" checked>
          <input name="skip" type="checkbox">
          <input name="off" value="x" disabled>
          <input name="upload" type="file">
          <textarea name="bio">
Hello</textarea>
          <select name="lang"><option value="py">Python</option>
            <option value="rs" selected>Rust</option></select>
          <select name="tags" multiple><option selected>a</option><option>b</option>
            <option selected>c</option></select>
          <input type="radio" name="size" value="s">
          <input type="radio" name="size" value="m" checked>
          <button type="submit">Save</button>
        </form>
        """
        got = {}

        @event_handler
        def save(self, **data):
            self.got = data

    form = LiveViewTestClient(Form)
    form.submit("button")
    assert form.view.got == {
        "form": "profile",
        "name": "Ada",
        "agree": "yes",
        "bio": "Hello",
        "lang": "rs",
        "tags": ["a", "c"],
        "size": "m",
    }


def test_keys_respect_the_dj_key_filter():
    class Keys(LiveView):
        template_string = (
            '<input id="k" dj-keydown="pressed" dj-key="Enter" value="v"><p>{{ n }}</p>'
        )
        n = 0

        @event_handler
        def pressed(self, key: str, value: str):
            self.n += 1
            self.last = (key, value)

    keys = LiveViewTestClient(Keys)
    assert keys.keydown("#k", "a") == []
    keys.keydown("#k", "Enter")
    assert keys.view.n == 1 and keys.view.last == ("Enter", "v")


def test_params_cross_a_json_boundary():
    counter = LiveViewTestClient(live.CounterView)
    with pytest.raises(TypeError):
        counter.event("add", amount=object())


def test_render_after_changing_state_from_the_test():
    counter = LiveViewTestClient(live.CounterView)
    counter.view.count = 7
    assert counter.render() == [["text", [1, 0], "Count: 7"]]
    assert counter.render() == []


def test_a_class_that_is_not_a_live_view_is_refused():
    with pytest.raises(TypeError, match="LiveView class"):
        LiveViewTestClient(object)
    with pytest.raises(AssertionError, match="does not resolve"):
        LiveViewTestClient("/not/routed/")


def test_a_logged_in_user_and_session(django_user_model, db):
    class Who(LiveView):
        template_string = "<p>{{ name }} {{ theme }}</p>"

        def mount(self, request, **kwargs):
            self.name = request.user.username if request.user.is_authenticated else "anon"
            self.theme = request.session.get("theme", "light")

    ada = django_user_model(username="ada")
    assert LiveViewTestClient(Who, user=ada, session={"theme": "dark"}).text("p") == "ada dark"
    assert LiveViewTestClient(Who).text("p") == "anon light"


def test_form_level_change_sends_every_field():
    class Validate(LiveView):
        template_string = """
        <form dj-change="validate" dj-submit="save">
          <input id="email" name="email" value="">
          <input name="plan" value="free">
        </form><p>{{ seen }}</p>
        """
        seen = ""

        @event_handler
        def validate(self, email: str = "", plan: str = ""):
            self.seen = f"{email}|{plan}"

        @event_handler
        def save(self, **data):
            self.seen = "saved " + data["email"]

    form = LiveViewTestClient(Validate)
    form.change("#email", "ada@example.com")
    assert form.text("p") == "ada@example.com|free"
    form.submit("#email")
    assert form.text("p") == "saved ada@example.com"


def test_dj_target_is_read_from_the_element_itself():
    from djust.testing import event_target, parse_html

    tree = parse_html(
        '<div data-component-id="outer"><p dj-target="other">'
        '<button id="b">x</button></p><i id="i" dj-target="mine">y</i></div>'
    )
    assert event_target(tree.find("#b")) == "outer"
    assert event_target(tree.find("#i")) == "mine"
