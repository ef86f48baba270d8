"""The Python half of ``djust serve``'s host: what the Rust server asks of the project.

The server (``djust._core.Server``) calls, on its Python worker threads:

- the project's WSGI application for every HTTP request that is not a static file;
- :func:`open_socket` for every WebSocket handshake, which answers the connection's
  :class:`~djust.session.LiveSession` (or ``None`` to refuse a foreign origin); the session's
  ``handle_frame`` then for each of its frames, one at a time, and ``close`` at the end.

It also works out what the server serves as static files (:func:`static_locations`) and puts the
client script among them under a name that carries its content hash (:func:`client_script`), so
that pages load it as a cacheable file instead of inline.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.utils.functional import SimpleLazyObject

from djust import config
from djust.connection import Connection, with_fresh_db_connections
from djust.session import LiveSession
from djust.socket_request import SocketRequest, origin_allowed_for
from djust.templatetags import djust_tags


class SocketWSGIRequest(WSGIRequest, SocketRequest):
    """A socket's handshake as Django sees it: no response will carry cookies back, so the
    pages a session renders need not mint CSRF tokens (``{% djust_scripts %}`` checks this)."""


def open_socket(environ: dict[str, Any], link: Any = None) -> LiveSession | None:
    """The session for a WebSocket whose handshake is ``environ``; ``None`` when its origin is
    refused. The handshake's cookies give the visitor, its session and its user, as Django's
    session and authentication middleware would. ``link`` (``_core.SessionLink``) is the
    session's actor, for its subscriptions, timers and task results."""
    return with_fresh_db_connections(lambda: _open(environ, link))


def _open(environ: dict[str, Any], link: Any) -> LiveSession | None:
    request = SocketWSGIRequest(environ)
    if not origin_allowed_for(request.META.get("HTTP_ORIGIN"), request.META.get("HTTP_HOST", "")):
        return None
    if apps.is_installed("django.contrib.sessions"):
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        if apps.is_installed("django.contrib.auth"):
            from django.contrib.auth import get_user

            request.user = SimpleLazyObject(lambda: get_user(request))
    return LiveSession(
        Connection.from_request(
            request, guard=with_fresh_db_connections, services=link, awaits=link is not None
        )
    )


@dataclass
class StaticLocations:
    """What the server serves under ``STATIC_URL``: the URL prefix and the folders, in order."""

    url: str | None
    dirs: list[str] = field(default_factory=list)


def static_locations() -> StaticLocations:
    """Where static files come from: ``STATIC_ROOT`` (after ``collectstatic``), or in
    ``DEBUG`` the folders Django's finders search. ``None`` when ``STATIC_URL`` is not a path
    on this site (a CDN) or staticfiles is not installed."""
    url = getattr(settings, "STATIC_URL", None)
    if not url or not str(url).startswith("/") or str(url).startswith("//"):
        return StaticLocations(None)
    url = str(url)
    if not url.endswith("/"):
        url += "/"
    if not apps.is_installed("django.contrib.staticfiles"):
        return StaticLocations(url)
    dirs: list[str] = []
    if settings.DEBUG:
        from django.contrib.staticfiles import finders

        for finder in finders.get_finders():
            for storage in getattr(finder, "storages", {}).values():
                location = getattr(storage, "location", None)
                if location and os.path.isdir(location) and location not in dirs:
                    dirs.append(str(location))
    root = getattr(settings, "STATIC_ROOT", None)
    if root and os.path.isdir(root):
        dirs.append(str(root))
    return StaticLocations(url, dirs)


def client_script(static_url: str) -> tuple[str, bytes]:
    """The client script's URL (under ``static_url``, named by its content's hash) and body."""
    body = djust_tags.client_source().encode("utf-8")
    digest = hashlib.blake2b(body, digest_size=8).hexdigest()
    return f"{static_url}djust/client.{digest}.js", body


def serve_client_from(url: str | None) -> None:
    """Make ``{% djust_scripts %}`` load the client from ``url`` (``None``: inline it)."""
    djust_tags.SERVED_CLIENT_URL = url


def websocket_path() -> str:
    """The path the client opens its socket on (``LIVEVIEW_CONFIG['websocket_path']``)."""
    return str(config.get("websocket_path"))
