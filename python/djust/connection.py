"""What a host hands a session: who is connected, and how to run the session's calls.

A host (the Channels consumer, the HTTP fallback, ``djust serve``, the test client) builds one
:class:`Connection` per socket (or per HTTP-fallback POST) and gives it to
:class:`~djust.session.LiveSession`; the session needs nothing else from the host. Build it with
:meth:`Connection.from_request` (an HTTP request of the visitor) or
:meth:`Connection.from_scope` (a socket's ASGI scope).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import close_old_connections
from django.http import HttpRequest, QueryDict

from djust import routes
from djust.socket_request import origin_allowed, request_from_scope
from djust.tokens import Visitor, visitor_for_request, visitor_for_scope

T = TypeVar("T")


def run_directly(call: Callable[[], T]) -> T:
    """Run ``call`` as it is: for hosts whose caller already looks after database connections
    (a test inside a transaction, say)."""
    return call()


def with_fresh_db_connections(call: Callable[[], T]) -> T:
    """Run ``call`` between two ``close_old_connections()``, as Django does around each request
    (and Channels' ``database_sync_to_async`` around each call): a connection that went stale
    or broke while the session was idle is replaced, and none is held past its ``CONN_MAX_AGE``."""
    close_old_connections()
    try:
        return call()
    finally:
        close_old_connections()


@dataclass(frozen=True)
class Connection:
    """What the host knows of one connection, handed to its session.

    ``visitor``: who is connected (session, visitor cookie, user), checked against view tokens.
    ``make_request(path, query)``: a GET ``HttpRequest`` for a page of this site as this visitor
    would send it (cookies, session, user), for ``mount`` and ``handle_params``.
    ``origin_allowed``: the host's verdict on the connection's ``Origin``; a session refuses to
    mount anything over a connection whose origin is not allowed.
    ``guard``: runs each of the session's calls; :func:`with_fresh_db_connections` for hosts
    that call from their own threads.
    ``socket``: ``False`` for the HTTP fallback, where every frame is its own request: a
    navigation is then a page load, and mount frames are refused.
    ``resolve``: which LiveView serves a path (:func:`djust.routes.resolve` unless the host
    knows better, as the test client does for a view that no URL pattern serves).
    ``services``: the host's side of subscriptions, timers and task results
    (:class:`djust.services.ServiceHost`); ``None`` where nothing can reach the session later
    (the HTTP fallback: timers and subscriptions are skipped, tasks run inline).
    ``address``: the client's network address where the host has one (``REMOTE_ADDR``, the
    scope's ``client``), for ``max_connections_per_address``; ``None`` is not counted (the
    in-process test client).
    """

    visitor: Visitor
    make_request: Callable[[str, str], HttpRequest]
    origin_allowed: bool = True
    guard: Callable[[Callable[[], Any]], Any] = run_directly
    socket: bool = True
    resolve: Callable[[str], routes.Route | None] = field(default=routes.resolve)
    services: Any = None
    awaits: bool = False
    address: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, **options: Any) -> Connection:
        """The connection of the visitor who sent ``request`` (its cookies, session and user)."""
        visitor, _new_cookie = visitor_for_request(request)
        options.setdefault("address", request.META.get("REMOTE_ADDR") or None)
        return cls(
            visitor=visitor,
            make_request=lambda path, query: page_request(request, path, query),
            **options,
        )

    @classmethod
    def from_scope(cls, scope: dict[str, Any], **options: Any) -> Connection:
        """The connection of an ASGI WebSocket scope (Channels' session and user when its
        middleware put them there). Reads the settings, so call it off the event loop."""
        options.setdefault("origin_allowed", origin_allowed(scope))
        client = scope.get("client")
        options.setdefault("address", str(client[0]) if client else None)
        return cls(
            visitor=visitor_for_scope(scope),
            make_request=lambda path, query: request_from_scope(scope, path, query),
            **options,
        )


def page_request(
    request: HttpRequest, path: str | None = None, query: str | None = None
) -> HttpRequest:
    """A GET of the page at ``path``/``query`` (default: ``request``'s own) from the visitor who
    sent ``request``: same cookies, session and user."""
    page = copy.copy(request)
    page.method = "GET"
    page.META = {**request.META, "REQUEST_METHOD": "GET"}
    if path is not None:
        page.path_info = path
        page.path = request.path[: len(request.path) - len(request.path_info)] + path
        page.META["PATH_INFO"] = path
    if query is not None:
        page.META["QUERY_STRING"] = query
    page.GET = QueryDict(page.META.get("QUERY_STRING", ""))
    page.POST = QueryDict()
    return page
