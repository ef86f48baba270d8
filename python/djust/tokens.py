"""View tokens: the signed ``dj_view_id`` a page carries to mount its LiveView over the socket.

A token names the view class, the page path, a digest of the HTML the page was served with, the
visitor it was issued to and the user who was logged in. It is signed with Django's signing
(``SECRET_KEY``), so it cannot be forged or pointed at another view, and it is refused for any
other visitor or user, so a token lifted from one browser cannot be replayed from another.

The visitor is the Django session where the request has one, and otherwise a signed cookie
(``djust_vid``) set with the page: a page that stores nothing needs no session table. Tokens
carry keyed digests of these identities, never the session key or cookie itself (the page is
readable by scripts; the session cookie is not).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from djust import config
from djust.exceptions import TokenError
from djust.socket_request import scope_cookies

TOKEN_SALT = "djust.view-token"
VISITOR_COOKIE = "djust_vid"
VISITOR_SALT = "djust.visitor"
VISITOR_MAX_AGE = 365 * 24 * 3600
_BINDING_SALT = "djust.visitor-binding"


class _NoUserInfo:
    """The user of a socket whose scope says nothing about it (no ``AuthMiddlewareStack``)."""

    def __repr__(self) -> str:
        return "NO_USER_INFO"


NO_USER_INFO: Any = _NoUserInfo()


def _digest(kind: str, value: str) -> str:
    return kind + ":" + salted_hmac(_BINDING_SALT, f"{kind}:{value}").hexdigest()[:32]


def _user_binding(user: Any) -> str:
    """``""`` for an anonymous visitor, otherwise a keyed digest of the user's primary key."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return _digest("u", str(user.pk))


@dataclass(frozen=True)
class Visitor:
    """Who an HTTP request or a socket comes from, as far as djust can tell.

    ``session_key`` is the Django session's key where there is a session, ``cookie_id`` the id in
    the signed visitor cookie, ``user`` the logged-in user (or ``AnonymousUser``), or
    :data:`NO_USER_INFO` for a socket whose scope says nothing about the user. A new token is
    bound to :meth:`binding`; :func:`verify` accepts any of :meth:`bindings`, so a page bound to
    the cookie that has since gained a session still mounts.
    """

    session_key: str | None
    cookie_id: str | None
    user: Any = field(default=NO_USER_INFO, compare=False)

    def binding(self) -> str:
        """The identity a new token is bound to: the session if there is one, else the cookie
        (a keyed digest of it; ``""`` when the visitor has neither)."""
        if self.session_key:
            return _digest("s", self.session_key)
        if self.cookie_id:
            return _digest("c", self.cookie_id)
        return ""

    def bindings(self) -> frozenset[str]:
        """Every identity this visitor can prove (a page bound to its cookie may have gained a
        session since it was served)."""
        found = set()
        if self.session_key:
            found.add(_digest("s", self.session_key))
        if self.cookie_id:
            found.add(_digest("c", self.cookie_id))
        return frozenset(found)

    def user_binding(self) -> str | None:
        """The user's binding, or ``None`` when the socket's scope carries no user."""
        if self.user is NO_USER_INFO:
            return None
        return _user_binding(self.user)


@dataclass(frozen=True)
class ViewToken:
    """What a verified token says. ``visitor`` and ``user`` are bindings (keyed digests)."""

    view: str
    path: str
    query: str
    digest: str
    visitor: str
    user: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.visitor, Visitor):
            # Built from a Visitor directly: take the user's binding from it too.
            object.__setattr__(self, "user", self.visitor.user_binding() or "")
            object.__setattr__(self, "visitor", self.visitor.binding())


def sign(token: ViewToken) -> str:
    """The token as a URL-safe signed string, ready for ``dj-view="..."``."""
    payload = {
        "v": token.view,
        "p": token.path,
        "q": token.query,
        "h": token.digest,
        "u": token.visitor,
        "a": token.user,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def issue(view: str, path: str, query: str, digest: str, visitor: Visitor) -> str:
    """A signed token for the view class named ``view`` at ``path``, bound to ``visitor``."""
    return sign(
        ViewToken(
            view=view,
            path=path,
            query=query,
            digest=digest,
            visitor=visitor.binding(),
            user=visitor.user_binding() or "",
        )
    )


def verify(value: Any, visitor: Visitor | None) -> ViewToken:
    """The token's contents, if it is genuine, unexpired and was issued to ``visitor`` (and to
    its user, when the visitor's connection knows its user)."""
    if not isinstance(value, str) or not value:
        raise TokenError("the mount frame carries no view token")
    try:
        payload = signing.loads(value, salt=TOKEN_SALT, max_age=config.get("token_max_age"))
    except signing.SignatureExpired:
        raise TokenError("the view token has expired; reload the page") from None
    except signing.BadSignature:
        raise TokenError("the view token is not valid (was SECRET_KEY changed?)") from None
    try:
        token = ViewToken(
            view=payload["v"],
            path=payload["p"],
            query=payload["q"],
            digest=payload["h"],
            visitor=payload["u"],
            user=payload.get("a", ""),
        )
    except (KeyError, TypeError):
        raise TokenError("the view token is not a djust view token") from None
    known = visitor.bindings() if visitor is not None else frozenset()
    if not token.visitor or not any(secrets.compare_digest(token.visitor, k) for k in known):
        raise TokenError("the view token was issued to another visitor; reload the page")
    user = visitor.user_binding() if visitor is not None else None
    if user is None:
        if token.user:
            raise TokenError(
                "the view token belongs to a logged-in user, but the socket does not know who "
                "its user is. Instead of routing LiveViewConsumer bare, wrap it in Channels' "
                "AuthMiddlewareStack in asgi.py."
            )
    elif not secrets.compare_digest(token.user, user):
        raise TokenError("the view token was issued to another user; reload the page")
    return token


def visitor_for_request(request: HttpRequest) -> tuple[Visitor, bool]:
    """The visitor an HTTP request comes from, and whether it needs a visitor cookie set.

    A request with a Django session is known by it. Otherwise its signed ``djust_vid`` cookie
    identifies it; a request without one gets a new id, which must then be set on the response
    with :func:`set_visitor_cookie`.
    """
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None) if session is not None else None
    cookie_id = _visitor_from_cookies(request.COOKIES)
    user = getattr(request, "user", None)
    new_cookie = False
    if not session_key and cookie_id is None:
        cookie_id, new_cookie = secrets.token_urlsafe(18), True
    return Visitor(session_key=session_key, cookie_id=cookie_id, user=user), new_cookie


def set_visitor_cookie(response: HttpResponse, request: HttpRequest, visitor: Visitor) -> None:
    """Give the browser its signed visitor cookie."""
    if visitor.cookie_id is None:
        return
    response.set_signed_cookie(
        VISITOR_COOKIE,
        visitor.cookie_id,
        salt=VISITOR_SALT,
        max_age=VISITOR_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def visitor_for_scope(scope: dict[str, Any]) -> Visitor:
    """The visitor a socket comes from: its session and cookie, and its user when the scope
    has one (Channels' ``AuthMiddlewareStack``). Reads nothing from the database."""
    session = scope.get("session")
    session_key = getattr(session, "session_key", None) if session is not None else None
    return Visitor(
        session_key=session_key,
        cookie_id=_visitor_from_cookies(scope_cookies(scope)),
        user=scope["user"] if "user" in scope else NO_USER_INFO,
    )


def _visitor_from_cookies(cookies: dict[str, str]) -> str | None:
    request = HttpRequest()
    request.COOKIES = cookies
    return request.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=VISITOR_SALT, max_age=VISITOR_MAX_AGE
    )
