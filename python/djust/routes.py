"""Which LiveView serves a path: the registry of LiveView classes and the one route resolver.

Every ``LiveView`` subclass registers itself here when it is defined, under the name a view token
uses for it (:func:`view_key`). :func:`resolve` asks Django's URL resolver which view function
serves a path and answers with the LiveView class behind it (``as_live_view()`` marks its
function with ``view_class`` and ``view_initkwargs``), its URL kwargs and its ``as_live_view``
arguments. Mounting, navigation, ``live_patch`` and the test client all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404
from django.urls import resolve as django_resolve

from djust.exceptions import NavigationError

_registry: dict[str, type] = {}


def view_key(cls: type) -> str:
    """The name a view token uses for a LiveView class."""
    return f"{cls.__module__}.{cls.__qualname__}"


def register_view(cls: type) -> None:
    """Make the LiveView class ``cls`` known by its :func:`view_key` (latest definition wins)."""
    _registry[view_key(cls)] = cls


def is_live_view(cls: object) -> bool:
    """Whether ``cls`` is a registered LiveView class."""
    return isinstance(cls, type) and _registry.get(view_key(cls)) is cls


def lookup_view(key: str) -> type | None:
    """The LiveView class a token names, importing its module if this process has not yet."""
    if key not in _registry:
        module, _, _name = key.rpartition(".")
        while module and key not in _registry:
            try:
                __import__(module)
                break
            except ImportError:
                module = module.rpartition(".")[0]
    return _registry.get(key)


@dataclass(frozen=True)
class Route:
    """What serves a path: the view function's class (a LiveView's, or another view's) with the
    URL's kwargs and the ``as_live_view()`` arguments."""

    view_class: type | None
    kwargs: dict[str, Any] = field(default_factory=dict)
    initkwargs: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    @property
    def live(self) -> bool:
        """Whether a LiveView serves the path."""
        return is_live_view(self.view_class)


def match(path: str) -> Route | None:
    """Whatever Django routes ``path`` to, or ``None`` when no URL pattern matches it."""
    try:
        found = django_resolve(path)
    except Resolver404:
        return None
    cls = getattr(found.func, "view_class", None)
    name = str(getattr(cls, "__name__", None) or getattr(found.func, "__name__", "?"))
    return Route(
        view_class=cls if isinstance(cls, type) else None,
        kwargs=dict(found.kwargs),
        initkwargs=dict(getattr(found.func, "view_initkwargs", None) or {}),
        name=name,
    )


def resolve(path: str) -> Route | None:
    """The LiveView route serving ``path`` (a path, or a URL whose path is taken), or ``None``
    when no LiveView serves it."""
    route = match(urlsplit(path).path)
    return route if route is not None and route.live else None


def checked_url(url: Any, *, allow_external: bool) -> str:
    """``url`` if the browser may be sent there: a local path, or (``allow_external``) an
    http(s) URL. Anything else (``javascript:``, ``//host``) raises ``NavigationError``."""
    if not isinstance(url, str) or not url:
        raise NavigationError(f"a navigation target must be a non-empty string, got {url!r}.")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("//", "/\\")):
        if allow_external and parts.scheme in ("http", "https") and parts.netloc:
            return url
        raise NavigationError(
            f"{url!r} is not a path on this site. Instead of another site's URL, pass a path "
            f"such as '/items/3/'"
            + (
                "; redirect() accepts http(s) URLs."
                if not allow_external
                else ", or an http(s) URL."
            )
        )
    if not url.startswith(("/", "?")):
        raise NavigationError(
            f"{url!r} is a relative path. Instead of {url!r}, write it from the site's root: "
            f"'/{url}'."
        )
    return url
