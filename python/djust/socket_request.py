"""What a socket knows of its visitor, as Django sees it: an ``HttpRequest`` built from the scope.

``mount(request, **kwargs)`` receives the same kind of object over the socket as over HTTP: the
page's path and query string, headers, cookies, and — when Channels' middleware put them in the
scope — ``request.user`` and ``request.session``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin1").lower()
        value = raw_value.decode("latin1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


def scope_cookies(scope: dict[str, Any]) -> dict[str, str]:
    """The cookies the socket's handshake carried."""
    if "cookies" in scope:
        return dict(scope["cookies"])
    return parse_cookie(_headers(scope).get("cookie", ""))


class SocketRequest(HttpRequest):
    """A request built from a socket's scope: no response will carry cookies back."""


def request_from_scope(scope: dict[str, Any], path: str, query: str) -> HttpRequest:
    """A GET ``HttpRequest`` for the page at ``path``/``query`` as seen by this socket."""
    request = SocketRequest()
    request.method = "GET"
    script_name = scope.get("root_path", "")
    request.path_info = path
    request.path = f"{script_name}{path}"
    request.GET = QueryDict(query)
    request.COOKIES = scope_cookies(scope)
    meta: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": script_name,
        "QUERY_STRING": query,
    }
    client = scope.get("client")
    if client:
        meta["REMOTE_ADDR"] = client[0]
        meta["REMOTE_PORT"] = client[1]
    server = scope.get("server")
    if server:
        meta["SERVER_NAME"], meta["SERVER_PORT"] = server[0], str(server[1])
    for name, value in _headers(scope).items():
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
        meta[key] = value
    if scope.get("scheme") in ("wss", "https"):
        meta["wsgi.url_scheme"] = "https"
    request.META = meta
    if "user" in scope:
        request.user = scope["user"]
    if "session" in scope:
        request.session = scope["session"]
    return request


def origin_allowed(scope: dict[str, Any]) -> bool:
    """Whether the handshake's ``Origin`` may open a socket (same host, or in ALLOWED_HOSTS).

    Browsers always send ``Origin`` on a WebSocket handshake; refusing foreign origins stops
    another site from driving a visitor's views with the visitor's cookies.
    """
    headers = _headers(scope)
    return origin_allowed_for(headers.get("origin"), headers.get("host", ""))


def origin_allowed_for(origin: str | None, host: str) -> bool:
    """Whether a handshake from ``origin`` to ``host`` (its ``Host`` header) may open a socket."""
    if origin is None:
        return True
    origin_host = urlsplit(origin).netloc.lower()
    if not origin_host:
        return False
    if origin_host == host.lower():
        return True
    domain, _port = split_domain_port(origin_host)
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)
