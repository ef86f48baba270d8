"""One connected LiveView: frames in, frames out. Independent of the host serving the socket.

``LiveSession.handle_frame`` is synchronous (it runs user code, which may touch the database);
hosts call it from a worker thread, one frame at a time per connection, so a view sees its events
in the order the browser sent them. The HTTP fallback (``djust.http_fallback``) drives views with
the same helpers, so a view behaves the same over either transport.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest

from djust import _core, config
from djust import tokens as view_tokens
from djust.exceptions import EventError, TemplateRenderError, TemplateSyntaxError, TokenError
from djust.live_view import (
    LiveView,
    carried_flash,
    lookup_view,
    mount_view,
    page_digest,
    view_key,
)
from djust.params import query_params

logger = logging.getLogger("djust")

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class LiveSession:
    """The server side of one ``[dj-view]`` element's socket."""

    def __init__(self, make_request: Callable[[str, str], HttpRequest],
                 visitor: str | None) -> None:
        self._make_request = make_request
        self._visitor = visitor
        self.view: LiveView | None = None
        self._tree: Any = None

    def handle_frame(self, text: str) -> list[str]:
        """The frames to send back for one frame received. Never raises."""
        ref = None
        try:
            message = _core.parse_client_message(text, int(config.get("max_frame_bytes")))
            ref = message.get("ref")
            kind = message["t"]
            if kind == "mount":
                return self._mount(message)
            if kind == "event":
                return self._event(message)
            if kind == "params":
                return self._params(message)
            if kind == "navigate":
                return self._navigate(message)
            return [_core.frame_pong(message["ref"])]
        except Exception as err:
            return [error_frame(ref, err, self.view)]

    # --- mount and navigation ---------------------------------------------------------------

    def _mount(self, message: dict[str, Any]) -> list[str]:
        if self.view is not None:
            raise EventError("already_mounted", "this socket already has a mounted view")
        token = view_tokens.verify(message.get("token"), self._visitor)
        cls = lookup_view(token.view)
        if cls is None:
            raise TokenError(f"the view {token.view!r} named by the token no longer exists")
        path, query = token.path, token.query
        # After dj-patch the page shows another URL of the same view: mount at that URL, so a
        # reconnect restores what the address bar says.
        url = message.get("url")
        if url:
            moved = urlsplit(url)
            route = resolve_live_view(moved.path)
            if route is not None and route[0] is cls:
                path, query = moved.path, moved.query
        route = resolve_live_view(path)
        kwargs, initkwargs = (route[1], route[2]) if route and route[0] is cls else ({}, {})
        view = mount_view(cls, self._make_request(path, query), kwargs, initkwargs)
        html = view.render_page()
        self._tree = _core.LiveTree(html)
        self.view = view
        stale = (message.get("reconnect") or (path, query) != (token.path, token.query)
                 or page_digest(html) != token.digest)
        mounted = _core.frame_mounted(self._tree.root_inner_html() if stale else None)
        return [mounted, *command_frames(view)]

    def _navigate(self, message: dict[str, Any]) -> list[str]:
        self._require_view()
        url = message["url"]
        parts = urlsplit(url)
        route = resolve_live_view(parts.path)
        if route is None:
            return [_core.frame_redirect(url)]
        cls, kwargs, initkwargs = route
        view = mount_view(cls, self._make_request(parts.path, parts.query), kwargs, initkwargs,
                          flash=carried_flash(self.view, url))
        html = view.render_page()
        tree = _core.LiveTree(html)
        token = view_tokens.sign(view_tokens.ViewToken(
            view=view_key(cls), path=parts.path, query=parts.query, digest=page_digest(html),
            visitor=self._visitor or "",
        ))
        # Only now does the new view replace the old: a mount that raised leaves the page as is.
        self.view, self._tree = view, tree
        mounted = _core.frame_mounted(tree.root_inner_html(), page_title(html), token)
        return [mounted, *command_frames(view)]

    # --- events -----------------------------------------------------------------------------

    def _event(self, message: dict[str, Any]) -> list[str]:
        view = self._require_view()
        return run_event(view, self._tree, message)

    def _params(self, message: dict[str, Any]) -> list[str]:
        return run_params(self._require_view(), self._tree, message, self._make_request)

    def _require_view(self) -> LiveView:
        if self.view is None:
            raise EventError("not_mounted", "send a mount frame before anything else")
        return self.view


# --- driving a view: shared with the HTTP fallback -------------------------------------------


def resolve_live_view(path: str) -> tuple[type[LiveView], dict[str, Any], dict[str, Any]] | None:
    """The LiveView class Django routes ``path`` to, with its URL kwargs and the keyword
    arguments given to ``as_live_view()``; ``None`` when ``path`` is not a LiveView's."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    cls = getattr(match.func, "view_class", None)
    if not (isinstance(cls, type) and issubclass(cls, LiveView)):
        return None
    initkwargs = getattr(match.func, "view_initkwargs", None) or {}
    return cls, dict(match.kwargs), dict(initkwargs)


def check_same_view(view: LiveView, path: str, url: str) -> None:
    """Refuse a ``params`` URL that another view serves: that is a navigation, not a patch."""
    route = resolve_live_view(path)
    if route is None or route[0] is not type(view):
        raise EventError(
            "invalid_url",
            f"{url!r} is not served by {type(view).__name__}. Instead of dj-patch (or "
            f"live_patch), use dj-navigate (or live_redirect) to go to another view.",
        )


def run_params(view: LiveView, tree: Any, message: dict[str, Any],
               make_request: Callable[[str, str], HttpRequest]) -> list[str]:
    """Move the view to a ``params`` message's URL (``handle_params``); the patch frame and
    the view's commands."""
    parts = urlsplit(message["url"])
    check_same_view(view, parts.path, message["url"])
    view.request = make_request(parts.path, parts.query)
    view.handle_params(query_params(view.request.GET), view.request.get_full_path())
    return [_core.frame_patch(message["ref"], tree.update(view.render_page())),
            *command_frames(view)]


def run_event(view: LiveView, tree: Any, message: dict[str, Any]) -> list[str]:
    """Run an ``event`` message's handler; the patch frame and the view's commands."""
    name = message["name"]
    params = message.get("params") or {}
    target = message.get("target")
    failure: Exception | None = None
    try:
        view.handle_event(name, params, target)
    except EventError:
        raise
    except Exception as err:
        # The handler may have changed state before failing: render it anyway, so that the
        # page keeps showing what the server holds.
        logger.exception("djust: %s.%s raised", type(view).__name__, name)
        failure = err
    patches = tree.update(view.render_page())
    if config.get("debug_vdom"):
        config.vdom_logger().debug("%s.%s() -> %s", type(view).__name__, name, patches)
    frames = [_core.frame_patch(message.get("ref"), patches), *command_frames(view)]
    if failure is not None:
        frames.append(_core.frame_error(
            message.get("ref"), "handler_error", f"{name}() raised {public_message(failure)}",
        ))
    return frames


def command_frames(view: LiveView) -> list[str]:
    """The frames for the commands (push_event, live_patch, ...) the view queued, in order."""
    frames = []
    for command in view.drain_commands():
        kind = command.get("t")
        if kind == "push_event":
            event = str(command.get("event"))
            try:
                payload = json.dumps(command.get("payload") or {}, cls=DjangoJSONEncoder)
            except (TypeError, ValueError) as err:
                raise TypeError(
                    f"push_event({event!r}) payload cannot be sent as JSON ({err}). Instead, "
                    f"push strings, numbers, booleans, lists and dicts."
                ) from None
            frames.append(_core.frame_push_event(event, payload))
        elif kind == "live_patch":
            frames.append(_core.frame_live_patch(command["to"], bool(command.get("replace"))))
        elif kind == "live_redirect":
            frames.append(_core.frame_live_redirect(command["to"], bool(command.get("replace"))))
        elif kind == "redirect":
            frames.append(_core.frame_redirect(command["to"]))
        else:
            raise TypeError(f"{type(view).__name__} queued an unknown command {command!r}")
    return frames


def page_title(html: str) -> str | None:
    """The text of a rendered page's ``<title>``, if it has one."""
    match = _TITLE.search(html)
    return html_lib.unescape(match.group(1)).strip() if match else None


def error_frame(ref: int | None, err: Exception, view: LiveView | None) -> str:
    """The ``error`` frame telling the browser why a frame failed; logs what is unexpected."""
    name = type(view).__name__ if view is not None else "an unmounted view"
    if isinstance(err, _core.ProtocolError):
        return _core.frame_error(ref, err.code, str(err))
    if isinstance(err, TokenError):
        return _core.frame_error(ref, "invalid_token", str(err))
    if isinstance(err, EventError):
        return _core.frame_error(ref, err.code, err.message)
    if isinstance(err, (TemplateSyntaxError, TemplateRenderError)):
        logger.error("djust: template error in %s: %s", name, err)
        return _core.frame_error(ref, "template_error", public_message(err))
    logger.error("djust: error in %s handling a frame", name, exc_info=err)
    return _core.frame_error(ref, "server_error", public_message(err))


def public_message(err: Exception) -> str:
    """The exception text in DEBUG; only its type otherwise, so nothing private leaks."""
    if settings.DEBUG:
        return f"{type(err).__name__}: {err}"
    return type(err).__name__
