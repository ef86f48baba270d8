"""Random template sources, rendered by Django and by djust: djust never crashes, and gives
what Django gives — the same output, or the same error (for a source that does not parse, a
``TemplateSyntaxError`` with Django's message)."""

from __future__ import annotations

import random

import pytest

from tests.template.differential import check, make_engines
from tests.template.values import VALUES

ENGINES = make_engines()

FRAGMENTS = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{",
    "}",
    " ",
    "\n",
    "x",
    "text",
    "html",
    "list",
    "dict",
    "dicts",
    "none",
    "zero",
    "float",
    "safe",
    "list.0",
    "dict.a",
    "dict.items",
    "thing.name",
    "forloop.counter",
    "1",
    "-2",
    "2.5",
    "'s'",
    '"<q>"',
    "|",
    ":",
    ",",
    "=",
    "|upper",
    "|default:'d'",
    "|length",
    "|join:', '",
    "|floatformat:2",
    "|first",
    "|escape",
    "|safe",
    "|add:1",
    "|slice:':1'",
    "|yesno",
    "|date:'Y'",
    "|nope",
    "if ",
    "elif ",
    "else",
    "endif",
    "for x in ",
    "empty",
    "endfor",
    "with y=",
    "endwith",
    " and ",
    " or ",
    " not ",
    " in ",
    " == ",
    " > ",
    " is ",
    "None",
    "True",
    "{% if text %}",
    "{% endif %}",
    "{% for x in list %}",
    "{% endfor %}",
    "{{ x }}",
    "{% cycle 'a' 'b' %}",
    "{% firstof none text %}",
    "{% with y=text %}",
    "{% endwith %}",
    "{% autoescape off %}",
    "{% endautoescape %}",
    "{% spaceless %}",
    "{% endspaceless %}",
    "{% filter upper %}",
    "{% endfilter %}",
    "{% ifchanged %}",
    "{% endifchanged %}",
    "{% comment %}",
    "{% endcomment %}",
    "{% verbatim %}",
    "{% endverbatim %}",
    "{% block b %}",
    "{% endblock %}",
    "{% include 'nav.html' %}",
    "{% extends 'base.html' %}",
    "{% load i18n %}",
    "{% trans 'x' %}",
    "{% templatetag openblock %}",
    "<b>",
    "&",
    "é",
]


def random_source(rng: random.Random) -> str:
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30)))


@pytest.mark.parametrize("seed", range(40))
def test_random_sources_behave_as_in_django(seed):
    rng = random.Random(seed)
    context = {**VALUES, "menu": [{"url": "/", "label": "home"}]}
    for _ in range(25):
        check(ENGINES, random_source(rng), context, native=False)
