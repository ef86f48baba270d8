"""Templates found through Django's loaders: compiled once, recompiled when the file changes
(in debug), and the log says once when a template goes to Django's engine."""

from __future__ import annotations

import logging
import os

from djust.template import Engine


def write(path, text, stamp):
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))


def test_debug_engines_recompile_a_changed_file(tmp_path):
    page = tmp_path / "page.html"
    write(page, "one {{ x }}", 1_000_000_000)
    engine = Engine.from_settings(dirs=[tmp_path], debug=True)
    assert engine.get_template("page.html").render({"x": 1}) == "one 1"
    assert engine.get_template("page.html") is engine.get_template("page.html")
    write(page, "two {{ x }}", 2_000_000_000)
    assert engine.get_template("page.html").render({"x": 1}) == "two 1"


def test_without_debug_compiled_templates_are_kept(tmp_path):
    page = tmp_path / "page.html"
    write(page, "one", 1_000_000_000)
    engine = Engine.from_settings(dirs=[tmp_path], debug=False)
    assert engine.get_template("page.html").render({}) == "one"
    write(page, "two", 2_000_000_000)
    assert engine.get_template("page.html").render({}) == "one"


LIBRARIES = {
    "humanize": "django.contrib.humanize.templatetags.humanize",
    "tz": "django.templatetags.tz",
}


def test_library_filters_are_called_back_natively(tmp_path):
    (tmp_path / "humanize.html").write_text("{% load humanize %}{{ n|intcomma }}")
    engine = Engine.from_settings(dirs=[tmp_path], libraries=LIBRARIES)
    template = engine.get_template("humanize.html")
    assert template.render({"n": 1234567}) == "1,234,567"
    assert template.is_native


def test_handing_a_template_to_django_is_logged_once(tmp_path, caplog):
    (tmp_path / "tz.html").write_text("{% load tz %}{% get_current_timezone as zone %}{{ zone }}")
    engine = Engine.from_settings(dirs=[tmp_path], libraries=LIBRARIES)
    with caplog.at_level(logging.INFO, logger="djust"):
        for _ in range(3):
            template = engine.get_template("tz.html")
            assert template.render({}) == "America/Chicago"
    handed = [r for r in caplog.records if "rendered by Django's engine" in r.getMessage()]
    assert len(handed) == 1
    assert "tz.html" in handed[0].getMessage()
    assert not template.is_native
