"""``DjustTemplateBackend`` in ``TEMPLATES``: ordinary views render the same page as with
Django's backend (context processors, ``request``, ``{% csrf_token %}``, ``{% url %}``,
``{% static %}``), and LiveViews render through the same engine."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.test import override_settings

import djust.template
from djust.template.backend import DjustTemplateBackend

OPTIONS = {
    "context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
    ],
}


def templates_setting(backend):
    return [{"BACKEND": backend, "DIRS": [], "APP_DIRS": True, "OPTIONS": OPTIONS}]


DJANGO = templates_setting("django.template.backends.django.DjangoTemplates")
DJUST = templates_setting("djust.template.backend.DjustTemplateBackend")

URLS = override_settings(ROOT_URLCONF="tests.template.urls", STATIC_URL="/static/")


@pytest.fixture
def fixed_csrf(monkeypatch):
    """The same CSRF token for both renders (Django masks a fresh one per call)."""
    monkeypatch.setattr(
        "django.template.context_processors.get_token", lambda request: "fixed-csrf-token"
    )


def get(client, url, templates):
    with override_settings(TEMPLATES=templates):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@URLS
@pytest.mark.django_db
def test_ordinary_views_render_the_same_page(client, fixed_csrf):
    ours = get(client, "/page/hello-world/", DJUST)
    theirs = get(client, "/page/hello-world/", DJANGO)
    assert ours == theirs
    assert 'name="csrfmiddlewaretoken" value="fixed-csrf-token"' in ours
    assert 'action="/page/hello-world/"' in ours and "/static/corpus/site.css" in ours
    assert "/page/hello-world/ out" in ours


@URLS
@pytest.mark.django_db
def test_the_backend_renders_natively_and_is_the_default_engine(rf, fixed_csrf):
    with override_settings(TEMPLATES=DJUST):
        backend = engines.all()[0]
        assert isinstance(backend, DjustTemplateBackend)
        assert djust.template.default_engine() is backend.engine
        template = backend.get_template("corpus/form_page.html")
        html = template.render({"title": "T", "slug": "s", "items": []}, rf.get("/x/"))
        assert template.template.is_native
        assert "<title>T | Corpus</title>" in html
        assert backend.from_string("{{ a }}").render({"a": "<b>"}) == "&lt;b&gt;"


@URLS
@pytest.mark.django_db
def test_liveviews_render_through_the_configured_engine(client):
    token = re.compile(r'dj-view="[^"]+"')
    ours = token.sub("", get(client, "/counter/", DJUST))
    theirs = token.sub("", get(client, "/counter/", DJANGO))
    assert ours == theirs
    assert "<h1>Clicks &lt;&amp;&gt;: 3</h1>" in ours
    with override_settings(TEMPLATES=DJUST):
        template = djust.template.get_template("corpus/live_counter.html")
        assert template.is_native
        assert template.engine is djust.template.default_engine()


def test_missing_templates_raise_template_does_not_exist():
    from django.template import TemplateDoesNotExist

    with override_settings(TEMPLATES=DJUST), pytest.raises(TemplateDoesNotExist):
        engines.all()[0].get_template("corpus/nope.html")


def test_a_non_dict_context_is_refused_with_a_clear_error():
    with override_settings(TEMPLATES=DJUST):
        template = engines.all()[0].from_string("x")
        with pytest.raises(TypeError, match="context must be a dict"):
            template.render(["not", "a", "dict"])


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("<p>{{ a }}</p>", id="native"),
        pytest.param("{% load tz %}<p>{{ a }}</p>", id="handed-to-django"),
    ],
)
@pytest.mark.parametrize("templates", [DJANGO, DJUST], ids=["django", "djust"])
def test_render_gives_a_safe_string_as_djangos_backend_does(source, templates):
    from django.utils.safestring import SafeData

    with override_settings(TEMPLATES=templates):
        html = engines.all()[0].from_string(source).render({"a": "<b>"})
    assert html == "<p>&lt;b&gt;</p>"
    assert isinstance(html, SafeData)


def test_render_to_string_html_is_not_escaped_again_in_another_template():
    """The admin's filter sidebar: HTML made with render_to_string, printed by a template
    and passed through format_html, as markup both times."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html

    with override_settings(TEMPLATES=DJUST):
        inner = render_to_string("corpus/inclusion.html", {"title": "<T>"})
        assert isinstance(inner, str) and "<" in inner
        outer = engines.all()[0].from_string("<div>{{ inner }}</div>").render({"inner": inner})
    assert outer == f"<div>{inner}</div>"
    assert format_html("<div>{}</div>", inner) == f"<div>{inner}</div>"
    assert djust.template.render_template("{{ x }}", {"x": inner}) == inner
