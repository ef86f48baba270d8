"""Rendering Django templates from Python: Django, Jinja2, MiniJinja and djust side by side.

Four pages, the same data for every engine: (a) a 100-row table with a few filters and an
``{% if %}`` per row, (b) the same with 10,000 rows, (c) a page with ``{% extends %}``, three
blocks and two ``{% include %}``s, (d) a 100-row table of aware datetimes and floats through
``|date:"Y-m-d H:i"`` and ``|floatformat:2`` (the most ordinary table there is). Each timing
runs from the Python call to the returned string, context conversion included; engines are
interleaved and the median of repeated runs is reported, with ratios against djust from the
same run.
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    USE_TZ=True,
    TIME_ZONE="UTC",
)
django.setup()

import jinja2  # noqa: E402
import minijinja  # noqa: E402
from django.template import Context  # noqa: E402
from django.template import Engine as DjangoEngine  # noqa: E402

from djust.template import Engine  # noqa: E402

TABLE = {
    "django": (
        '<table>{% for row in rows %}<tr class="{% if row.active %}on{% else %}off{% endif %}">'
        "<td>{{ row.id }}</td><td>{{ row.name|title }}</td><td>{{ row.email|lower }}</td>"
        '<td>{{ row.score|floatformat:2 }}</td><td>{{ row.note|default:"-" }}</td></tr>'
        "{% endfor %}</table>"
    ),
    "jinja": (
        '<table>{% for row in rows %}<tr class="{% if row.active %}on{% else %}off{% endif %}">'
        "<td>{{ row.id }}</td><td>{{ row.name|title }}</td><td>{{ row.email|lower }}</td>"
        '<td>{{ "%.2f"|format(row.score) }}</td><td>{{ row.note|default("-", true) }}</td>'
        "</tr>{% endfor %}</table>"
    ),
}

DATED = {
    "django": (
        "<table>{% for row in rows %}<tr><td>{{ row.name }}</td>"
        '<td>{{ row.created|date:"Y-m-d H:i" }}</td><td>{{ row.score|floatformat:2 }}</td>'
        "</tr>{% endfor %}</table>"
    ),
    "jinja": (
        "<table>{% for row in rows %}<tr><td>{{ row.name }}</td>"
        '<td>{{ row.created.strftime("%Y-%m-%d %H:%M") }}</td>'
        '<td>{{ "%.2f"|format(row.score) }}</td></tr>{% endfor %}</table>'
    ),
}

# The layout and the navigation read the same in both languages.
BASE = (
    "<!DOCTYPE html><html><head><title>{% block title %}Site{% endblock %}</title></head>"
    '<body>{% include "nav.html" %}<main>{% block content %}{% endblock %}</main>'
    "<footer>{% block footer %}{{ site|upper }}{% endblock %}</footer></body></html>"
)
NAV = '<nav>{% for link in links %}<a href="{{ link.url }}">{{ link.label }}</a>{% endfor %}</nav>'

PAGE = {
    "django": {
        "base.html": BASE,
        "nav.html": NAV,
        "card.html": '<div class="card"><h2>{{ title }}</h2><p>{{ body|capfirst }}</p></div>',
        "page.html": (
            '{% extends "base.html" %}{% block title %}{{ title }} - {{ block.super }}'
            '{% endblock %}{% block content %}<h1>{{ title }}</h1>{% include "card.html" %}'
            "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}{% endblock %}"
            "{% block footer %}&copy; {{ year }} {{ block.super }}{% endblock %}"
        ),
    },
    "jinja": {
        "base.html": BASE,
        "nav.html": NAV,
        "card.html": '<div class="card"><h2>{{ title }}</h2><p>{{ body|capitalize }}</p></div>',
        "page.html": (
            '{% extends "base.html" %}{% block title %}{{ title }} - {{ super() }}'
            '{% endblock %}{% block content %}<h1>{{ title }}</h1>{% include "card.html" %}'
            "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}{% endblock %}"
            "{% block footer %}&copy; {{ year }} {{ super() }}{% endblock %}"
        ),
    },
}


def dated_rows(count: int) -> list[dict]:
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return [
        {
            "name": f"user {i}",
            "created": start + datetime.timedelta(minutes=97 * i),
            "score": i * 1.37,
        }
        for i in range(count)
    ]


def rows(count: int) -> list[dict]:
    return [
        {
            "id": i,
            "name": f"user number {i}",
            "email": f"User{i}@Example.COM",
            "score": i * 1.37,
            "active": i % 3 == 0,
            "note": "" if i % 2 else f"note <{i}>",
        }
        for i in range(count)
    ]


PAGE_CONTEXT = {
    "title": "Hello & welcome",
    "site": "example",
    "year": 2026,
    "links": [{"url": f"/section/{i}/", "label": f"Section {i}"} for i in range(8)],
    "body": "A short body of text that is long enough to be truncated by the card filter.",
    "paragraphs": [f"Paragraph {i} with <em>markup</em> to escape." for i in range(5)],
}


def engines_for(case: str):
    """A render function per engine for ``case`` (``table`` or ``page``)."""
    django_engine = DjangoEngine(
        loaders=[("django.template.loaders.locmem.Loader", PAGE["django"])]
    )
    djust_engine = Engine(django_engine)
    jinja_env = jinja2.Environment(loader=jinja2.DictLoader(PAGE["jinja"]), autoescape=True)
    mini_env = minijinja.Environment(templates=PAGE["jinja"], auto_escape_callback=lambda n: True)
    if case in ("table", "dated"):
        sources = TABLE if case == "table" else DATED
        d = django_engine.from_string(sources["django"])
        u = djust_engine.from_string(sources["django"])
        j = jinja_env.from_string(sources["jinja"])
        mini_env.add_template("table", sources["jinja"])
        return {
            "Django": lambda ctx: d.render(Context(ctx)),
            "Jinja2": lambda ctx: j.render(ctx),
            "MiniJinja": lambda ctx: mini_env.render_template("table", **ctx),
            "djust": lambda ctx: u.render(ctx),
        }
    d = django_engine.get_template("page.html")
    u = djust_engine.get_template("page.html")
    j = jinja_env.get_template("page.html")
    return {
        "Django": lambda ctx: d.render(Context(ctx)),
        "Jinja2": lambda ctx: j.render(ctx),
        "MiniJinja": lambda ctx: mini_env.render_template("page.html", **ctx),
        "djust": lambda ctx: u.render(ctx),
    }


def measure(renders: dict, context: dict, rounds: int, inner: int) -> dict[str, float]:
    """Median seconds per render for each engine, interleaved round by round."""
    samples: dict[str, list[float]] = {name: [] for name in renders}
    for render in renders.values():
        render(context)  # warm up (compiles, caches)
    for _ in range(rounds):
        for name, render in renders.items():
            start = time.perf_counter()
            for _ in range(inner):
                render(context)
            samples[name].append((time.perf_counter() - start) / inner)
    return {name: statistics.median(values) for name, values in samples.items()}


def fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main() -> None:
    cases = [
        ("(a) 100-row table", "table", {"rows": rows(100)}, 31, 20),
        ("(b) 10,000-row table", "table", {"rows": rows(10_000)}, 9, 1),
        ("(c) extends + 3 blocks + 2 includes", "page", PAGE_CONTEXT, 31, 50),
        ("(d) 100-row table, `date` and `floatformat`", "dated", {"rows": dated_rows(100)}, 31, 20),
    ]
    print("## Template rendering\n")
    print(
        "Median time per render, from the Python call to the returned string (context "
        "conversion included), engines interleaved in one process. Ratios: how many times "
        "longer the engine takes than djust.\n"
    )
    print(
        "| page | Django | Jinja2 | MiniJinja | djust | Django ÷ djust | Jinja2 ÷ djust "
        "| MiniJinja ÷ djust |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for title, case, context, rounds, inner in cases:
        result = measure(engines_for(case), context, rounds, inner)
        ours = result["djust"]
        print(
            f"| {title} | {fmt(result['Django'])} | {fmt(result['Jinja2'])} | "
            f"{fmt(result['MiniJinja'])} | {fmt(ours)} | {result['Django'] / ours:.1f}× | "
            f"{result['Jinja2'] / ours:.1f}× | {result['MiniJinja'] / ours:.2f}× |"
        )
    print(
        "\nGoal: at least 20× Django on (a), (b) and (d), ahead of Jinja2 and MiniJinja on all "
        "four (ratios above 1)."
    )
    where_the_time_goes()


def where_the_time_goes() -> None:
    """djust on (b), built up step by step: what each part of the table costs."""
    from django.template import Engine as DjangoEngine

    engine = Engine(DjangoEngine())
    steps = [
        ("call and return (no row read)", "{{ rows|length }}"),
        ("loop over the 10,000 rows", "{% for row in rows %}{% endfor %}"),
        ("+ one field per row", "{% for row in rows %}{{ row.id }}{% endfor %}"),
        (
            "+ five fields, no filters",
            "{% for row in rows %}{{ row.id }}{{ row.name }}"
            "{{ row.email }}{{ row.score }}{{ row.note }}{% endfor %}",
        ),
        ("the whole table (a)/(b)", TABLE["django"]),
    ]
    context = {"rows": rows(10_000)}
    print(
        "\nWhere djust's time goes on (b): the same rows, rendered by templates that do "
        "more and more of the table.\n"
    )
    print("| template | djust |")
    print("| --- | ---: |")
    for title, source in steps:
        template = engine.from_string(source)
        result = measure({"djust": lambda ctx, t=template: t.render(ctx)}, context, 9, 1)
        print(f"| {title} | {fmt(result['djust'])} |")


if __name__ == "__main__":
    main()
