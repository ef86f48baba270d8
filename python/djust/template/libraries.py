"""What a Django engine's tag libraries hold, told to the Rust engine.

Each tag is one of: a Django tag the Rust engine runs itself (recognised by its compile
function), a ``simple_tag`` the Rust engine calls back (with its signature, so arguments are
checked as Django checks them), or anything else (the template then goes to Django). Each
filter is Django's own builtin (run natively, called back for values it cannot handle) or a
project filter called back.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from djust import _core


def _simple_tag_code() -> Any:
    """The code object of the compile function ``Library.simple_tag`` makes."""
    from django.template import Library

    library = Library()
    library.simple_tag(lambda: None, name="probe")
    return library.tags["probe"].__code__


def _native_tags() -> dict[Any, str]:
    """Django's compile functions the Rust engine has equivalents for, with their names."""
    from django.template import defaulttags, loader_tags
    from django.templatetags import i18n, l10n, static

    native = {}
    for library in (
        defaulttags.register,
        loader_tags.register,
        i18n.register,
        static.register,
        l10n.register,
    ):
        for name, compile_function in library.tags.items():
            native[compile_function] = name
    return native


def _native_filters() -> dict[Any, str]:
    """Django's builtin filter functions (and the l10n library's), with their names."""
    from django.template import defaultfilters
    from django.templatetags import l10n

    native = {}
    for library in (defaultfilters.register, l10n.register):
        for name, function in library.filters.items():
            native[function] = name
    return native


def filter_arity(function: Callable[..., Any]) -> tuple[int, int]:
    """Arguments Django's ``args_check`` requires and accepts (the filtered value counted)."""
    spec = inspect.getfullargspec(inspect.unwrap(function))
    accepted = len(spec.args)
    return accepted - len(spec.defaults or ()), accepted


@dataclass
class EngineLibraries:
    """The Rust side's description, and the Python functions it calls back, by
    ``(library, name)`` (``""`` for builtins)."""

    core: Any
    filters: dict[tuple[str, str], Callable[..., Any]] = field(default_factory=dict)
    tags: dict[tuple[str, str], tuple[Callable[..., Any], bool]] = field(default_factory=dict)


def describe(builtins: Iterable[Any], libraries: dict[str, Any]) -> EngineLibraries:
    """Describe Django ``Library`` objects: ``builtins`` (in order, later ones win) and the
    ``{% load %}``-able ``libraries`` by name."""
    simple_code = _simple_tag_code()
    native_tags = _native_tags()
    native_filters = _native_filters()
    result = EngineLibraries(core=_core.Libraries(default=False))

    def register(name: str | None, library: Any) -> None:
        key = name or ""
        for tag, compile_function in library.tags.items():
            if compile_function in native_tags and native_tags[compile_function] != "debug":
                try:
                    result.core.add_django_tag(name, tag, native_tags[compile_function])
                    continue
                except ValueError:
                    pass  # a Django tag the engine does not run (querystring): see below
            if getattr(compile_function, "__code__", None) is simple_code:
                cells = compile_function.__closure__ or ()
                closure = dict(
                    zip(
                        compile_function.__code__.co_freevars,
                        (cell.cell_contents for cell in cells),
                        strict=True,
                    )
                )
                result.core.add_simple_tag(
                    name,
                    tag,
                    list(closure["params"]),
                    len(closure["defaults"] or ()),
                    closure["varargs"] is not None,
                    closure["varkw"] is not None,
                    list(closure["kwonly"]),
                    list(closure["kwonly_defaults"] or {}),
                    bool(closure["takes_context"]),
                )
                result.tags[(key, tag)] = (closure["func"], bool(closure["takes_context"]))
                continue
            result.core.add_foreign_tag(name, tag)
        for filter_name, function in library.filters.items():
            result.filters[(key, filter_name)] = function
            if function in native_filters:
                result.core.add_django_filter(name, filter_name, native_filters[function])
            else:
                required, accepted = filter_arity(function)
                result.core.add_host_filter(name, filter_name, required, accepted)

    for library in builtins:
        register(None, library)
    for name, library in sorted(libraries.items()):
        result.core.add_library(name)
        register(name, library)
    return result
