"""djust's Rust template engine, seen from Python: compiling, caching, tag libraries, errors."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from djust import _core
from djust.exceptions import TemplateRenderError, TemplateSyntaxError

logger = logging.getLogger("djust")


def _tag_libraries() -> dict[str, dict[str, Callable[..., Any]]]:
    """The tag libraries the Rust engine runs natively: ``{% load name %}`` → simple tags."""
    from djust.templatetags import djust_tags

    return {"djust_tags": djust_tags.SIMPLE_TAGS}


@functools.cache
def _library_tag_names() -> dict[str, list[str]]:
    return {name: sorted(tags) for name, tags in _tag_libraries().items()}


def _convert_error(err: _core.TemplateError) -> Exception:
    if err.kind == "variable_does_not_exist":
        from django.template import VariableDoesNotExist

        return VariableDoesNotExist(str(err))
    cls = TemplateSyntaxError if err.kind == "syntax" else TemplateRenderError
    return cls(
        str(err),
        template_name=err.template_name,
        line=err.line,
        column=err.column,
        source_line=err.source_line,
    )


def _django_engine() -> Any:
    """The project's Django template engine (its libraries and options), or a default one."""
    from django.core.exceptions import ImproperlyConfigured
    from django.template import Engine

    try:
        return Engine.get_default()
    except ImproperlyConfigured:
        return Engine()


class Template:
    """A template compiled by djust's Rust engine.

    ``render(context)`` takes a plain mapping; the simple tags of loaded libraries receive it
    too (for ``takes_context`` tags such as ``djust_scripts``). Valid Django that the Rust engine
    does not run natively (a tag library it does not know, say) is rendered by Django's own
    engine instead, with the same output; the log says so once per template.
    """

    def __init__(self, source: str, name: str = "<string>") -> None:
        self.name = name
        self._source = source
        self._django: Any = None
        try:
            self._compiled = _core.Template(source, name, _library_tag_names())
        except _core.TemplateError as err:
            if err.kind != "unsupported":
                raise _convert_error(err) from None
            self._hand_to_django(str(err))

    def _hand_to_django(self, reason: str) -> None:
        logger.info("djust: template %s is rendered by Django's engine (%s)", self.name, reason)
        self._django = _django_engine().from_string(self._source)

    def render(self, context: Mapping[str, Any]) -> str:
        if self._django is None:
            libraries = _tag_libraries()

            def call_tag(library: str, name: str, args: tuple, kwargs: dict) -> Any:
                return libraries[library][name](context, *args, **kwargs)

            try:
                return self._compiled.render(context, call_tag)
            except _core.TemplateError as err:
                if err.kind != "unsupported":
                    raise _convert_error(err) from None
                self._hand_to_django(str(err))
        from django.template import Context

        return self._django.render(Context(dict(context)))


@functools.lru_cache(maxsize=512)
def compile_string(source: str) -> Template:
    """The compiled form of a template source string, cached by its text."""
    return Template(source)


def render_template(source: str, context: Mapping[str, Any]) -> str:
    """Render a Django template source string with ``context``, in Rust.

    Raises :class:`djust.exceptions.TemplateSyntaxError` (a subclass of Django's) for a template
    that does not parse, with ``template_name``, ``line``, ``column`` and ``source_line``.
    """
    return compile_string(source).render(context)


def diff_html(old: str, new: str) -> str:
    """The DOM patches that turn ``old`` HTML into ``new``, as a JSON list."""
    return _core.diff_html(old, new)


def find_template_source(name: str, near: type | None = None) -> tuple[str, str]:
    """Find a template by name the way Django would; returns ``(source, origin)``.

    Searches every configured Django template engine's loaders first. If none has it and
    ``near`` is given, also looks in the ``templates/`` folder of the package that defines
    ``near`` (a LiveView class), so an app that is not yet in ``INSTALLED_APPS`` still finds
    its own templates.
    """
    from django.template import TemplateDoesNotExist, engines

    tried: list[Any] = []
    for engine in engines.all():
        inner = getattr(engine, "engine", None)
        for loader in getattr(inner, "template_loaders", ()):
            # Read the source without letting Django compile it: djust compiles it instead.
            for origin in loader.get_template_sources(name):
                try:
                    return loader.get_contents(origin), str(origin.name)
                except TemplateDoesNotExist:
                    tried.append((origin, "Source does not exist"))
    if near is not None:
        module = __import__(near.__module__, fromlist=["__file__"])
        module_file = getattr(module, "__file__", None)
        if module_file:
            for folder in (Path(module_file).parent, Path(module_file).parent.parent):
                candidate = folder / "templates" / name
                if candidate.is_file():
                    return candidate.read_text(encoding="utf-8"), str(candidate)
    raise TemplateDoesNotExist(name, tried=tried)


@functools.lru_cache(maxsize=512)
def _compile_named(name: str, source: str) -> Template:
    return Template(source, name)


def get_template(name: str, near: type | None = None) -> Template:
    """The compiled template ``name``; recompiled whenever its source changes."""
    source, _origin = find_template_source(name, near)
    return _compile_named(name, source)
