"""Malformed templates: djust raises what Django raises (a ``TemplateSyntaxError`` with the same
message), with the template's name, line, column and source line, and a ``template_debug`` that
Django's technical 500 page shows."""

from __future__ import annotations

import pytest
from django.template import Context
from django.template import TemplateSyntaxError as DjangoTemplateSyntaxError
from django.test import RequestFactory, override_settings
from django.views.debug import technical_500_response

from djust.exceptions import TemplateRenderError, TemplateSyntaxError
from tests.template.differential import check, make_engines

ENGINES = make_engines()

MALFORMED = [
    "{% if %}x{% endif %}",
    "{% if a b %}{% endif %}",
    "{% if a == %}{% endif %}",
    "{% if x %}",
    "{% for %}{% endfor %}",
    "{% for x y z %}{% endfor %}",
    "{% for x in %}{% endfor %}",
    "{% for x, in y %}{% endfor %}",
    "{% endfor %}",
    "{% with %}{% endwith %}",
    "{% with a %}{% endwith %}",
    "{% with a=1 b %}{% endwith %}",
    "{% cycle %}",
    "{% cycle a %}",
    "{% cycle nope %}{% cycle a b as nope %}",
    "{% cycle a b as c d %}",
    "{% resetcycle %}",
    "{% resetcycle a b %}",
    "{% resetcycle x %}",
    "{% firstof %}",
    "{% regroup a by b %}",
    "{% regroup a with b as c %}",
    "{% regroup a by b to c %}",
    "{% autoescape %}{% endautoescape %}",
    "{% autoescape maybe %}{% endautoescape %}",
    "{% filter escape %}{% endfilter %}",
    "{% filter safe|upper %}{% endfilter %}",
    "{% filter nope %}{% endfilter %}",
    "{% templatetag %}",
    "{% templatetag nope %}",
    "{% widthratio a b %}",
    "{% widthratio a b c d e %}",
    "{% lorem 1 2 3 %}",
    "{% now %}",
    "{% url %}",
    "{% block %}{% endblock %}",
    "{% block a %}{% endblock b %}",
    "{% block a %}{% endblock %}{% block a %}{% endblock %}",
    "x{% extends 'base.html' %}",
    "{% load x %}{% extends 'base.html' %}",
    "{% extends 'base.html' %}{% extends 'base.html' %}",
    "{% extends %}",
    "{% include %}",
    "{% include 'a' with %}",
    "{% include 'a' only only %}",
    "{% include 'a' bogus %}",
    "{% load nope %}",
    "{% load nope from corpus_tags %}",
    "{% load corpus_tags %}{% greet %}",
    "{% load corpus_tags %}{% greet a b c %}",
    "{% load corpus_tags %}{% greet bad=1 %}",
    "{% load corpus_tags %}{% greet name=1 name=2 %}",
    "{% load corpus_tags %}{% greet name=1 '!' %}",
    "{{ x|nope }}",
    "{{ x|upper:1 }}",
    "{{ x|default }}",
    "{{ }}",
    "{% %}",
    "{{ _x }}",
    "{{ x._y }}",
    "{{ x|default:_y }}",
    "{{ 'a'b }}",
    "{{ x y }}",
    "{{ |upper }}",
    "{% frobnicate %}",
    "{% if x %}{% else %}{% elif %}",
    "{% comment %}never closed",
    "{% verbatim %}never closed",
    "{% load i18n %}{% trans %}",
    "{% load i18n %}{% trans 'a' context %}",
    "{% load i18n %}{% trans 'a' as %}",
    "{% load i18n %}{% trans 'a' noop noop %}",
    "{% load i18n %}{% trans 'a' bogus %}",
    "{% load i18n %}{% blocktrans %}{% if %}",
    "{% load i18n %}{% blocktrans count %}{% endblocktrans %}",
    "{% load i18n %}{% blocktrans bogus %}{% endblocktrans %}",
    "{% load i18n %}{% blocktrans count c=1 %}a{% endblocktrans %}",
    "{% load i18n %}{% blocktrans count c=x %}a{% plural %}b{% endblocktrans %}",
    "{% load i18n %}{% get_current_language %}",
    "{% load static %}{% static %}",
    "{% load static %}{% get_static_prefix foo %}",
    "{% load l10n %}{% localize maybe %}",
    "{% widthratio 1 2 'x' %}",
    "{% block a %}{{ block.super }}{% endblock %}",
    "{% extends '' %}",
    "{% extends x|default:'' %}",
]


@pytest.mark.parametrize("source", MALFORMED)
def test_errors_match_django(source):
    check(ENGINES, source, {"x": "1"})


def test_syntax_errors_carry_position_and_debug_info():
    _, ours = ENGINES
    source = "line one\n{% if x %}\n  {% frobnicate %}\n{% endif %}"
    with pytest.raises(TemplateSyntaxError) as info:
        ours.from_string(source)
    err = info.value
    assert isinstance(err, DjangoTemplateSyntaxError)
    assert (err.line, err.column, err.source_line) == (3, 3, "  {% frobnicate %}")
    debug = err.template_debug
    assert debug["during"] == "{% frobnicate %}"
    assert debug["line"] == 3 and debug["before"] == "  "
    assert (3, "  {% frobnicate %}\n") in debug["source_lines"]


def test_errors_in_included_templates_point_into_them():
    django_engine, ours = make_engines()
    django_engine.template_loaders[0].templates_dict["broken.html"] = "ok\n{{ x|nope }}"
    with pytest.raises(TemplateSyntaxError) as info:
        ours.from_string("{% include 'broken.html' %}").render({})
    assert info.value.template_name == "broken.html"
    assert info.value.line == 2


@override_settings(DEBUG=True)
def test_djangos_debug_page_shows_the_template_excerpt():
    _, ours = ENGINES
    try:
        ours.from_string("<p>\n{% if %}\n</p>")
    except TemplateSyntaxError as exc:
        request = RequestFactory().get("/")
        response = technical_500_response(request, type(exc), exc, exc.__traceback__)
    body = response.content.decode()
    assert "Unexpected end of expression in if tag." in body
    assert "Error during template rendering" in body
    assert "{% if %}" in body


class _RaisesTypeError:
    """An attribute whose getter raises ``TypeError``: Django re-raises it, since the
    attribute exists (it is in ``dir()``)."""

    @property
    def broken(self):
        raise TypeError("broken getter")


def test_an_attribute_raising_type_error_raises_as_in_django():
    outcome = check(ENGINES, "[{{ obj.broken }}]", {"obj": _RaisesTypeError()})
    assert outcome == ("error", "TypeError", "broken getter")
    # A TypeError from a name that is not an attribute is a missing variable, as in Django.
    check(ENGINES, "[{{ obj.missing }}]", {"obj": _RaisesTypeError()})


def test_for_unpacking_the_wrong_length_raises_a_value_error():
    source = "{% for a, b in items %}{{ a }}{% endfor %}"
    context = {"items": [(1, 2, 3)]}
    django_engine, ours = ENGINES
    with pytest.raises(ValueError, match="Need 2 values to unpack in for loop; got 3.") as theirs:
        django_engine.from_string(source).render(Context(context))
    with pytest.raises(ValueError, match="Need 2 values to unpack in for loop; got 3.") as raised:
        ours.from_string(source).render(context)
    assert str(raised.value) == str(theirs.value)
    assert isinstance(raised.value, TemplateRenderError)
    assert raised.value.line == 1


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("{% for a in x %}{% endfor %}", {"x": 5}),
        ("{% regroup x by y as z %}", {"x": 5}),
    ],
)
def test_iterating_a_value_that_is_not_iterable_raises_a_type_error(source, context):
    django_engine, ours = ENGINES
    with pytest.raises(TypeError) as theirs:
        django_engine.from_string(source).render(Context(context))
    with pytest.raises(TypeError) as raised:
        ours.from_string(source).render(context)
    assert str(raised.value) == str(theirs.value)
    assert isinstance(raised.value, TemplateRenderError)
