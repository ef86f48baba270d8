"""View tokens: the signed ``dj_view_id`` a page carries to mount its LiveView over the socket.

A token names the view class, the page path, a digest of the HTML the page was served with, and
the visitor it was issued to. It is signed with Django's signing (``SECRET_KEY``), so it cannot
be forged, and it is refused for any other visitor, so a token lifted from one browser cannot be
replayed from another. Visitors are told apart by a signed cookie, not by the Django session: a
view that stores nothing needs no session table.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse

from djust import config
from djust.exceptions import TokenError

TOKEN_SALT = "djust.view-token"
VISITOR_COOKIE = "djust_vid"
VISITOR_SALT = "djust.visitor"
VISITOR_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class ViewToken:
    """What a verified token says."""

    view: str
    path: str
    query: str
    digest: str
    visitor: str


def sign(token: ViewToken) -> str:
    """The token as a URL-safe signed string, ready for ``dj-view="..."``."""
    payload = {"v": token.view, "p": token.path, "q": token.query, "h": token.digest,
               "u": token.visitor}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def verify(value: Any, visitor: str | None) -> ViewToken:
    """The token's contents, if it is genuine, unexpired and was issued to ``visitor``."""
    if not isinstance(value, str) or not value:
        raise TokenError("the mount frame carries no view token")
    try:
        payload = signing.loads(value, salt=TOKEN_SALT, max_age=config.get("token_max_age"))
    except signing.SignatureExpired:
        raise TokenError("the view token has expired; reload the page") from None
    except signing.BadSignature:
        raise TokenError("the view token is not valid (was SECRET_KEY changed?)") from None
    try:
        token = ViewToken(view=payload["v"], path=payload["p"], query=payload["q"],
                          digest=payload["h"], visitor=payload["u"])
    except (KeyError, TypeError):
        raise TokenError("the view token is not a djust view token") from None
    if not visitor or not secrets.compare_digest(token.visitor, visitor):
        raise TokenError("the view token was issued to another visitor")
    return token


def visitor_for_request(request: HttpRequest) -> tuple[str, bool]:
    """The visitor an HTTP request comes from, and whether that visitor is new (no cookie yet).

    A new visitor's id must be set on the response with :func:`set_visitor_cookie`.
    """
    visitor = _visitor_from_cookies(request.COOKIES)
    if visitor is None:
        return secrets.token_urlsafe(18), True
    return visitor, False


def set_visitor_cookie(response: HttpResponse, request: HttpRequest, visitor: str) -> None:
    """Give the browser its signed visitor cookie."""
    response.set_signed_cookie(
        VISITOR_COOKIE,
        visitor,
        salt=VISITOR_SALT,
        max_age=VISITOR_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def visitor_for_scope(scope: dict[str, Any]) -> str | None:
    """The visitor a socket comes from (by the cookie its handshake carried), if known."""
    from djust.socket_request import scope_cookies

    return _visitor_from_cookies(scope_cookies(scope))


def _visitor_from_cookies(cookies: dict[str, str]) -> str | None:
    request = HttpRequest()
    request.COOKIES = cookies
    return request.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=VISITOR_SALT, max_age=VISITOR_MAX_AGE
    )
