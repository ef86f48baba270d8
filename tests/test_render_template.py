"""djust.render_template from Python: the same output as Django's engine, and typed errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context
from django.template import Template as DjangoTemplate
from django.template.exceptions import TemplateSyntaxError as DjangoTemplateSyntaxError
from django.utils.safestring import mark_safe

import djust
from djust.exceptions import TemplateSyntaxError


class Author:
    def __init__(self, name):
        self.name = name

    def shout(self):
        return self.name.upper()

    def delete(self):
        raise AssertionError("templates must not call methods that alter data")

    delete.alters_data = True

    def __str__(self):
        return f"<{self.name}>"


CASES = [
    ("{{ user.name }}", {"user": {"name": "Ada"}}),
    ("{{ author.name }} {{ author.shout }} {{ author }}", {"author": Author("Ada & Bob")}),
    ("[{{ author.delete }}]", {"author": Author("x")}),
    ("{{ items.1 }} {{ items.9 }} {{ missing.deep.path }}!", {"items": ["a", "b"]}),
    ("{{ d.1 }}", {"d": {1: "int key"}}),
    ("{% if n > 1 %}many{% elif n == 1 %}one{% else %}none{% endif %}", {"n": 1}),
    ("{% if a and not b or c %}yes{% endif %}", {"a": True, "b": False, "c": False}),
    ("{% if x in xs %}in{% endif %}{% if 'z' not in xs %} out{% endif %}", {"x": 2, "xs": [1, 2]}),
    ("{% if n < 'a' %}never{% else %}incomparable{% endif %}", {"n": 1}),
    (
        "{% for x in xs %}{{ forloop.counter }}:{{ x }}{% if not forloop.last %}, {% endif %}"
        "{% empty %}nothing{% endfor %}",
        {"xs": ["a", "b", "c"]},
    ),
    ("{% for x in xs %}{% empty %}nothing{% endfor %}", {"xs": []}),
    ("{% for k, v in pairs %}{{ k }}={{ v }};{% endfor %}", {"pairs": [("a", 1), ("b", 2)]}),
    ("{% for x in xs reversed %}{{ x }}{% endfor %}", {"xs": (1, 2, 3)}),
    (
        "{% for row in rows %}{% for c in row %}{{ forloop.parentloop.counter }}{{ c }}"
        "{% endfor %}{% endfor %}",
        {"rows": [["a"], ["b", "c"]]},
    ),
    ("{% for k in d %}{{ k }}{% endfor %}", {"d": {"x": 1, "y": 2}}),
    ("{{ s|upper }} {{ s|lower }} {{ s|length }} {{ nope|length }}", {"s": "MiXed <b>"}),
    (
        "{{ empty|default:'fallback' }} {{ zero|default:\"none\" }} {{ s|default:x }}",
        {"empty": "", "zero": 0, "s": "set", "x": "y"},
    ),
    (
        "{{ html }} {{ html|safe }} {{ safe }} {{ safe|upper }} {{ html|escape }}",
        {"html": "<i>'x' & \"y\"</i>", "safe": mark_safe("<b>ok</b>")},
    ),
    (
        "{{ n }} {{ f }} {{ big }} {{ t }} {{ none }} {{ lst }} {{ dct }}",
        {
            "n": 42,
            "f": 0.1,
            "big": 1e20,
            "t": True,
            "none": None,
            "lst": ["a", 1],
            "dct": {"k": "v"},
        },
    ),
    ("{{ dec }} {{ date }}", {"dec": Decimal("1.50"), "date": datetime.date(2024, 2, 29)}),
    ("{# comment #}a{% comment %} hidden {{ x }} {% endcomment %}b", {}),
    ("{{ 'literal' }} {{ 12 }} {{ \"dq\"|upper }}", {}),
    ("{{ x\n}} stays text", {"x": 1}),
]


def django_render(source, context):
    return DjangoTemplate(source).render(Context(context))


@pytest.mark.parametrize(("source", "context"), CASES)
def test_same_output_as_django(source, context):
    assert djust.render_template(source, context) == django_render(source, context)


def test_syntax_errors_are_djangos_type_with_position():
    source = "line one\n{% if x %}\n  {% frobnicate %}\n{% endif %}"
    with pytest.raises(TemplateSyntaxError) as info:
        djust.render_template(source, {})
    err = info.value
    assert isinstance(err, DjangoTemplateSyntaxError)
    assert "Invalid block tag on line 3: 'frobnicate'" in str(err)
    assert (err.line, err.column) == (3, 3)
    assert err.source_line == "  {% frobnicate %}"
    assert err.template_name == "<string>"


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("{% if x %}never closed", "Unclosed tag on line 1: 'if'"),
        ("{% for x in %}{% endfor %}", "for"),
        ("{% endif %}", "Invalid block tag on line 1: 'endif'"),
        ("{% load no_such_library %}", "'no_such_library' is not a registered tag library"),
        ("{{ x|no_such_filter }}", "Invalid filter: 'no_such_filter'"),
        ("{{ }}", "Empty variable tag on line 1"),
    ],
)
def test_bad_templates_raise_template_syntax_error(source, fragment):
    with pytest.raises(TemplateSyntaxError) as info:
        djust.render_template(source, {})
    assert fragment in str(info.value)


def test_exceptions_from_python_objects_propagate_unchanged():
    class Broken:
        @property
        def value(self):
            raise ZeroDivisionError("inside a property")

    with pytest.raises(ZeroDivisionError, match="inside a property"):
        djust.render_template("{{ obj.value }}", {"obj": Broken()})


def test_self_referencing_lists_render_like_python():
    loop = [1]
    loop.append(loop)
    assert djust.render_template("{{ loop.0 }}", {"loop": loop}) == "1"


def test_djust_scripts_inlines_the_client():
    html = djust.render_template("{% load djust_tags %}{% djust_scripts %}", {})
    assert html.startswith('<script data-djust-client data-ws-path="/ws/live/"')
    assert "applyPatches" in html and html.endswith("</script>")
