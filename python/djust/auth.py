"""Who may see a LiveView and call its handlers, checked where Django would check it.

View level: a LiveView declares ``login_required = True`` and/or ``permission_required =
"app.perm"`` (or a list of permissions), or mixes in :class:`LoginRequiredMixin` /
:class:`PermissionRequiredMixin` as a Django class-based view would. :func:`check_view_access`
runs before ``mount()`` every time a view is mounted — the first GET, every socket mount, every
in-place navigation, every HTTP-fallback POST — and raises :class:`AccessRefused`: the first GET
answers it as Django does (a redirect to ``LOGIN_URL`` with ``next``, or 403), a connected page
is sent a ``redirect`` frame to the same place.

Handler level: :func:`login_required` and :func:`permission_required` wrap an event handler; a
refused call is an ``error`` frame and the session goes on.

Logged out elsewhere: :func:`session_frames_if_logged_out` re-reads the visitor's Django session
before each message of a connected view, as Django's ``get_user`` does on each request; a
session that no longer holds the user (logout in another tab) or whose password hash changed
ends the live session.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user
from django.http import HttpRequest, QueryDict
from django.shortcuts import resolve_url

from djust import _core
from djust.exceptions import HANDLER_ERROR, INVALID_TOKEN, EventError

if TYPE_CHECKING:
    from djust.session import LiveSession

F = TypeVar("F", bound=Callable[..., Any])

# WebSocket's own "policy violation": the session was ended by the server for a reason the
# client cannot fix by retrying at once (logged out, rate limited). The client reconnects later.
CLOSE_POLICY = 1008


class AccessRefused(Exception):
    """The visitor may not see the view. ``redirect_to``: where a connected page is sent — the
    login page with ``next`` for an anonymous visitor (``anonymous``), else the view's own URL,
    whose GET answers 403 as Django's ``PermissionRequiredMixin`` does."""

    def __init__(self, message: str, redirect_to: str, anonymous: bool) -> None:
        super().__init__(message)
        self.redirect_to = redirect_to
        self.anonymous = anonymous


class LoginRequiredMixin:
    """Only logged-in users see the view; others are sent to ``LOGIN_URL`` with ``next``."""

    login_required = True


class PermissionRequiredMixin:
    """Only users with every permission in ``permission_required`` see the view."""

    login_required = True
    permission_required: str | Iterable[str] | None = None


def required_permissions(cls: type) -> tuple[str, ...]:
    """The permissions ``cls`` declares, as a tuple."""
    perms = getattr(cls, "permission_required", None)
    if perms is None:
        return ()
    if isinstance(perms, str):
        return (perms,)
    return tuple(perms)


def auth_posture(cls: type) -> str:
    """How ``cls`` is protected, in words: for ``djust_audit`` and the system check."""
    perms = required_permissions(cls)
    if perms:
        return "permission: " + ", ".join(perms)
    declared = getattr(cls, "login_required", None)
    if declared is True:
        return "login required"
    if declared is False:
        return "public (login_required = False)"
    return "undeclared"


def _user(request: HttpRequest | None) -> Any:
    return getattr(request, "user", None) if request is not None else None


def check_view_access(cls: type, request: HttpRequest) -> None:
    """Raise :class:`AccessRefused` unless ``request``'s user may see ``cls``."""
    perms = required_permissions(cls)
    if not perms and getattr(cls, "login_required", None) is not True:
        return
    user = _user(request)
    if user is None or not user.is_authenticated:
        raise AccessRefused(
            f"{cls.__name__} requires a logged-in user", login_url(request.get_full_path()), True
        )
    if perms and not user.has_perms(perms):
        raise AccessRefused(
            f"{cls.__name__} requires the permission {', '.join(perms)}",
            request.get_full_path(),
            False,
        )


def login_url(next_path: str) -> str:
    """``LOGIN_URL`` with ``next`` set to ``next_path``, as Django's ``redirect_to_login``."""
    parts = urlsplit(resolve_url(settings.LOGIN_URL))
    query = QueryDict(parts.query, mutable=True)
    query[REDIRECT_FIELD_NAME] = next_path
    return urlunsplit(parts._replace(query=query.urlencode(safe="/")))


# --- handlers ---------------------------------------------------------------------------------


def _owner_request(owner: Any) -> HttpRequest | None:
    """The request of the view ``owner`` is (or of the view its component sits in)."""
    seen = 0
    while owner is not None and seen < 50:
        request = owner.__dict__.get("request") if hasattr(owner, "__dict__") else None
        if request is not None:
            return request
        owner = getattr(owner, "_parent", None)
        seen += 1
    return None


def _guarded(check: Callable[[Any, str], None]) -> Callable[[F], F]:
    """Wrap a handler so ``check(owner, name)`` runs (and may raise) before it."""

    def wrap(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
                check(self, func.__name__)
                return await func(self, *args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            check(self, func.__name__)
            return func(self, *args, **kwargs)

        return run  # type: ignore[return-value]

    return wrap


def login_required(func: F) -> F:
    """Refuse the event handler to visitors who are not logged in (an ``error`` frame; the
    session goes on). Put it under ``@event_handler``."""

    def check(owner: Any, name: str) -> None:
        user = _user(_owner_request(owner))
        if user is None or not user.is_authenticated:
            raise EventError(
                HANDLER_ERROR, f"{name}() requires a logged-in user; log in and try again"
            )

    wrapped = _guarded(check)(func)
    wrapped._djust_login_required = True  # type: ignore[attr-defined]
    return wrapped


def permission_required(perm: str | Iterable[str]) -> Callable[[F], F]:
    """Refuse the event handler to users without ``perm`` (one permission or several, all
    needed), as Django's ``user.has_perms`` decides. Put it under ``@event_handler``."""
    perms = (perm,) if isinstance(perm, str) else tuple(perm)
    if not perms or not all(isinstance(p, str) and "." in p for p in perms):
        raise TypeError(
            f"@permission_required takes 'app_label.codename' strings, got {perm!r}. Instead "
            f"of that, write @permission_required('shop.change_order')."
        )

    def check(owner: Any, name: str) -> None:
        user = _user(_owner_request(owner))
        if user is None or not user.is_authenticated or not user.has_perms(perms):
            raise EventError(
                HANDLER_ERROR,
                f"{name}() requires the permission {', '.join(perms)}, which this user lacks",
            )

    def decorate(func: F) -> F:
        wrapped = _guarded(check)(func)
        wrapped._djust_permissions = perms  # type: ignore[attr-defined]
        return wrapped

    return decorate


def handler_permissions(func: Any) -> str:
    """What a handler requires, in words (for ``djust_audit``)."""
    perms = getattr(func, "_djust_permissions", None)
    if perms:
        return "permission: " + ", ".join(perms)
    if getattr(func, "_djust_login_required", False):
        return "login required"
    return ""


# --- logged out elsewhere ---------------------------------------------------------------------


def still_logged_in(request: HttpRequest) -> bool:
    """Whether the user ``request`` was made for is still the one its Django session holds,
    with the same password hash: re-read from the session store, as ``get_user`` does on each
    request. The user read is put on ``request``, so permissions are checked afresh too (a
    revoked permission counts from the next event, as from Django's next request)."""
    user = _user(request)
    if user is None or not getattr(user, "is_authenticated", False):
        return True
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if session is None or not key:
        return True
    engine = import_module(settings.SESSION_ENGINE)
    fresh = HttpRequest()
    fresh.session = engine.SessionStore(key)
    current = get_user(fresh)
    if not (current.is_authenticated and current.pk == user.pk):
        return False
    request.user = current
    return True


def session_frames_if_logged_out(session: LiveSession, message_type: str) -> list[str] | None:
    """The frames ending ``session`` when its user logged out (or changed password) since the
    view was mounted, else ``None``. The view is dropped, the socket asked to close."""
    view = session.view
    if view is None or message_type == "ping":
        return None
    request = view.__dict__.get("request")
    if request is None or still_logged_in(request):
        return None
    uri = view.current_uri
    session.close()
    session.ended = True
    session.close_code = CLOSE_POLICY
    return [
        _core.frame_error(
            None,
            INVALID_TOKEN,
            "you were logged out (or your password changed) in another window; reload the page",
        ),
        _core.frame_redirect(uri),
    ]
