"""What a project exposes: every routed LiveView with its URL, handlers and auth posture.

Read by ``manage.py djust_audit`` and by the system checks (:mod:`djust.checks`): a LiveView that
a URL serves, with neither ``login_required``/``permission_required`` nor an explicit
``login_required = False``, is public by accident rather than by decision.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from djust.auth import auth_posture, handler_permissions
from djust.handlers import find_handler, handler_names
from djust.routes import is_live_view, view_key


@dataclass(frozen=True)
class HandlerInfo:
    name: str
    parameters: str
    requires: str
    limits: str


@dataclass(frozen=True)
class ViewInfo:
    url: str
    view: str
    posture: str
    handlers: list[HandlerInfo] = field(default_factory=list)

    @property
    def undeclared(self) -> bool:
        return self.posture == "undeclared"


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _limits(func: Any) -> str:
    parts = []
    if getattr(func, "_djust_debounce", None):
        parts.append(f"debounce {func._djust_debounce:g}s")
    if getattr(func, "_djust_throttle", None):
        parts.append(f"throttle {func._djust_throttle:g}s")
    if getattr(func, "_djust_rate_limit", None):
        rate, burst = func._djust_rate_limit
        parts.append(f"rate_limit {rate:g}/s burst {burst:g}")
    return ", ".join(parts)


def describe(cls: type) -> list[HandlerInfo]:
    """The event handlers of the LiveView class ``cls``: name, parameters, what they need."""
    found = []
    probe: Any = object.__new__(cls)
    for name in sorted(handler_names(probe)):
        bound = find_handler(probe, name)
        if bound is None:
            continue
        func = getattr(bound, "__func__", bound)
        parameters = str(inspect.signature(bound))
        found.append(HandlerInfo(name, parameters, handler_permissions(func), _limits(func)))
    return found


def live_views(urlconf: str | None = None) -> list[ViewInfo]:
    """Every LiveView the URLconf routes, in URL order."""
    views = []
    for url, callback in _patterns(get_resolver(urlconf)):
        cls = getattr(callback, "view_class", None)
        if not is_live_view(cls):
            continue
        assert cls is not None
        views.append(ViewInfo("/" + url, view_key(cls), auth_posture(cls), describe(cls)))
    return views
