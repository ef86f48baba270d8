"""djust's template engine: the Django template language, compiled and rendered in Rust.

``render_template(source, context)`` renders a template string; ``get_template(name)`` and
``compile_string(source)`` give compiled templates with ``.render(context)``. They use the
engine of the project's ``TEMPLATES``: the ``DjustTemplateBackend`` if one is configured, else
the options of its first ``DjangoTemplates`` backend (so LiveViews render through the same
loaders, libraries and options as the rest of the site).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.template import TemplateDoesNotExist, engines
from django.template.backends.django import DjangoTemplates

from djust.template.backend import DjustTemplateBackend
from djust.template.engine import Engine, Template

__all__ = [
    "Engine",
    "Template",
    "compile_string",
    "default_engine",
    "get_template",
    "render_template",
]

_fallback_engine: Engine | None = None


def default_engine() -> Engine:
    """The engine LiveViews and ``render_template`` use (see the module docstring)."""
    global _fallback_engine
    backends = engines.all()
    for backend in backends:
        if isinstance(backend, DjustTemplateBackend):
            return backend.engine
    for backend in backends:
        if isinstance(backend, DjangoTemplates):
            engine = getattr(backend, "_djust_engine", None)
            if engine is None:
                engine = Engine(backend.engine)
                backend._djust_engine = engine
            return engine
    if _fallback_engine is None:
        _fallback_engine = Engine.from_settings()
    return _fallback_engine


def compile_string(source: str) -> Template:
    """The compiled form of a template source string, cached by its text."""
    return default_engine().from_string(source)


def render_template(source: str, context: Mapping[str, Any]) -> str:
    """Render a Django template source string with ``context``, in Rust.

    Raises :class:`djust.exceptions.TemplateSyntaxError` (a subclass of Django's) for a template
    that does not parse, with ``template_name``, ``line``, ``column`` and ``source_line``.
    """
    return compile_string(source).render(context)


def get_template(name: str, near: type | None = None) -> Template:
    """The compiled template ``name``, found by the engine's loaders (recompiled when the file
    changes, in debug). If none has it and ``near`` is given, also looks in the ``templates/``
    folder of the package that defines ``near`` (a LiveView class), so an app that is not
    yet in ``INSTALLED_APPS`` still finds its own templates."""
    engine = default_engine()
    try:
        return engine.get_template(name)
    except TemplateDoesNotExist:
        if near is None:
            raise
        module = __import__(near.__module__, fromlist=["__file__"])
        module_file = getattr(module, "__file__", None)
        if module_file:
            for folder in (Path(module_file).parent, Path(module_file).parent.parent):
                candidate = folder / "templates" / name
                if candidate.is_file():
                    return engine.from_string(candidate.read_text(encoding="utf-8"))
        raise
