"""Renders a template with Django's engine and with djust's, and compares what comes out.

Both engines share one ``django.template.Engine`` configuration (loaders, libraries, options):
djust's ``Engine`` wraps it. An outcome is the output, or the error (its kind and message).
Unless told otherwise, ``check`` also asserts that djust rendered natively, in Rust — a case
that only passed because djust handed the template to Django proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.template import Context, TemplateSyntaxError, VariableDoesNotExist
from django.template import Engine as DjangoEngine

from djust.template import Engine

# Templates the locmem loader serves to both engines.
TEMPLATES = {
    "base.html": (
        "<html><head><title>{% block title %}Site{% endblock %}</title></head>\n"
        "<body>{% block nav %}<nav>{% include 'nav.html' %}</nav>{% endblock %}\n"
        "<main>{% block content %}{% endblock %}</main>\n"
        "{% block footer %}<footer>{{ footer|default:'(c)' }}</footer>{% endblock %}</body></html>"
    ),
    "nav.html": "{% for item in menu %}<a href='{{ item.url }}'>{{ item.label }}</a>{% endfor %}",
    "page.html": (
        "{% extends 'base.html' %}{% block title %}{{ title }} - {{ block.super }}{% endblock %}"
        "{% block content %}<h1>{{ title }}</h1>{% include 'card.html' with body=text %}"
        "{% endblock %}"
    ),
    "card.html": "<div class='card'>{{ body|linebreaksbr }}</div>",
    "deep.html": (
        "{% extends 'page.html' %}{% block content %}[{{ block.super }}]{% endblock %}"
        "{% block footer %}{% endblock %}"
    ),
    "nested_blocks.html": (
        "{% extends 'base.html' %}{% block content %}A{% block inner %}B{% endblock %}C"
        "{% endblock %}"
    ),
    "nested_child.html": (
        "{% extends 'nested_blocks.html' %}{% block inner %}[{{ block.super }}]{% endblock %}"
    ),
    "dynamic_parent.html": "{% extends parent %}{% block content %}dyn{% endblock %}",
    "only.html": "{{ a|default:'no a' }}/{{ b|default:'no b' }}",
    "corpus/inclusion.html": "<h2>{{ title }}</h2>",
    "dir/one.html": "one:{% include './two.html' %}",
    "dir/two.html": "two",
    "cycle_part.html": "{% cycle 'x' 'y' %}",
    "loop_part.html": "{{ forloop.counter|default:'-' }}{{ item }}",
    "blocks_in_include.html": "{% block content %}included{% endblock %}",
    "uses_humanize.html": "{% load humanize %}{{ n|intcomma }}",
    "includes_humanize.html": "[{% include 'uses_humanize.html' %}]",
}

LIBRARIES = {"corpus_tags": "tests.template.templatetags.corpus_tags"}


def make_engines(**options: Any) -> tuple[Any, Engine]:
    """Django's engine and djust's, over the same configuration."""
    django_engine = DjangoEngine(
        loaders=[("django.template.loaders.locmem.Loader", TEMPLATES)],
        libraries=LIBRARIES,
        **options,
    )
    return django_engine, Engine(django_engine)


def outcome(render: Callable[[], str]) -> tuple[str, ...]:
    """What a render gives: ``("ok", output)`` or ``("error", kind, message)``."""
    try:
        return ("ok", render())
    except TemplateSyntaxError as exc:
        return ("error", "TemplateSyntaxError", str(exc))
    except VariableDoesNotExist as exc:
        # Django's message ends with the repr of its context stack; djust names the variable.
        return ("error", "VariableDoesNotExist", str(exc).split(" in ", 1)[0])
    except Exception as exc:  # noqa: BLE001 - every failure is an outcome to compare
        return ("error", type(exc).__name__, str(exc))


def render_django(engine: Any, source: str, context: Mapping[str, Any]) -> tuple[str, ...]:
    return outcome(
        lambda: engine.from_string(source).render(
            Context(dict(context), autoescape=engine.autoescape)
        )
    )


def check(
    engines: tuple[Any, Engine],
    source: str,
    context: Mapping[str, Any] | None = None,
    *,
    native: bool = True,
) -> tuple[str, ...]:
    """Asserts both engines give the same outcome for ``source`` with ``context``; returns it."""
    context = context or {}
    django_engine, ours = engines
    expected = render_django(django_engine, source, context)
    return _compare(repr(source), expected, lambda: ours.from_string(source), context, native)


def check_named(
    engines: tuple[Any, Engine], name: str, context: Mapping[str, Any], *, native: bool = True
) -> tuple[str, ...]:
    """Like ``check`` for a template the loaders find by name."""
    django_engine, ours = engines
    expected = outcome(
        lambda: django_engine.get_template(name).render(
            Context(dict(context), autoescape=django_engine.autoescape)
        )
    )
    return _compare(name, expected, lambda: ours.get_template(name), context, native)


def _compare(
    shown: str,
    expected: tuple[str, ...],
    load: Callable[[], Any],
    context: Mapping[str, Any],
    native: bool,
) -> tuple[str, ...]:
    """Renders djust's template from ``load`` and asserts it gives Django's ``expected``."""
    compiled: list[Any] = []

    def render() -> str:
        template = load()
        compiled.append(template)
        return template.render(dict(context))

    actual = outcome(render)
    assert actual == expected, f"\ntemplate: {shown}\ndjango:   {expected!r}\ndjust:    {actual!r}"
    if native and compiled:
        assert compiled[0].is_native, f"djust handed {shown} to Django"
    return actual
