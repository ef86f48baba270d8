"""``djust.js.JS``: chains of client-side commands, rendered into bindings."""

from __future__ import annotations

import html as html_lib
import json

import pytest

from djust import render_template
from djust.js import JS


def test_a_chain_is_a_json_array_of_ops_and_each_call_returns_a_longer_one():
    base = JS().show(to="#menu")
    longer = base.add_class("open active", to="#menu").push("opened", value={"id": 7})
    assert json.loads(base) == [["show", {"display": "block", "to": "#menu"}]]
    assert longer.ops == [
        ["show", {"display": "block", "to": "#menu"}],
        ["add_class", {"names": ["open", "active"], "to": "#menu"}],
        ["push", {"event": "opened", "value": {"id": 7}}],
    ]
    assert isinstance(longer, JS) and isinstance(longer, str)
    assert (JS().hide(to="#a") + JS().focus(to="#b")).ops == [
        ["hide", {"to": "#a"}],
        ["focus", {"to": "#b"}],
    ]


def test_every_op_the_client_knows():
    js = (
        JS()
        .show()
        .hide()
        .toggle(display="flex")
        .add_class("a")
        .remove_class(["b"])
        .toggle_class("c")
        .set_attribute("aria-expanded", "true")
        .remove_attribute("title")
        .transition("fade", time=300)
        .dispatch("opened", detail={"x": 1})
        .focus()
        .push("save", target="cart")
    )
    assert [op for op, _ in js.ops] == [
        "show", "hide", "toggle", "add_class", "remove_class", "toggle_class", "set_attr",
        "remove_attr", "transition", "dispatch", "focus", "push",
    ]  # fmt: skip


def test_rendered_into_an_attribute_it_is_escaped_and_reads_back_whole():
    js = JS().push("say", value={"text": "\"quoted\" <b> & 'single'"})
    html = render_template('<button dj-click="{{ js }}">x</button>', {"js": js})
    assert "<b>" not in html and '"quoted"' not in html
    value = html.split('dj-click="', 1)[1].split('">x', 1)[0]
    assert json.loads(html_lib.unescape(value)) == js.ops


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: JS().show(to=""), "CSS selector"),
        (lambda: JS().add_class(""), "at least one class"),
        (lambda: JS().set_attribute("on click", "x"), "attribute name"),
        (lambda: JS().transition("x", time=-1), "milliseconds"),
        (lambda: JS().push(""), "handler's name"),
        (lambda: JS().push("x", value={"when": object()}), "cannot be sent as JSON"),
        (lambda: JS("not json"), "Expecting value"),
    ],
)
def test_mistakes_are_refused_when_the_chain_is_built(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
