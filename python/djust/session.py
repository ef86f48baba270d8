"""One connected LiveView: frames in, frames out. Independent of the host serving the socket.

``LiveSession.handle_frame`` is synchronous (it runs user code, which may touch the database);
hosts call it from a worker thread, one frame at a time per connection, so a view sees its events
in the order the browser sent them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from djust import _core, config
from djust import tokens as view_tokens
from djust.exceptions import EventError, TemplateRenderError, TemplateSyntaxError, TokenError
from djust.live_view import LiveView, lookup_view, page_digest

logger = logging.getLogger("djust")


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
                return [self._mount(message)]
            if kind == "event":
                return self._event(message)
            return [_core.frame_pong(message["ref"])]
        except _core.ProtocolError as err:
            return [_core.frame_error(ref, err.code, str(err))]
        except TokenError as err:
            return [_core.frame_error(ref, "invalid_token", str(err))]
        except EventError as err:
            return [_core.frame_error(ref, err.code, err.message)]
        except (TemplateSyntaxError, TemplateRenderError) as err:
            logger.error("djust: template error in %s: %s", self._view_name(), err)
            return [_core.frame_error(ref, "template_error", _public_message(err))]
        except Exception as err:
            logger.exception("djust: error in %s handling a frame", self._view_name())
            return [_core.frame_error(ref, "server_error", _public_message(err))]

    def _view_name(self) -> str:
        return type(self.view).__name__ if self.view is not None else "an unmounted view"

    def _mount(self, message: dict[str, Any]) -> str:
        if self.view is not None:
            raise EventError("already_mounted", "this socket already has a mounted view")
        token = view_tokens.verify(message.get("token"), self._visitor)
        cls = lookup_view(token.view)
        if cls is None:
            raise TokenError(f"the view {token.view!r} named by the token no longer exists")
        request = self._make_request(token.path, token.query)
        view = cls()
        view.request = request
        view.mount(request, **_url_kwargs(token.path, cls))
        html = view.render_page()
        self._tree = _core.LiveTree(html)
        self.view = view
        stale = message.get("reconnect") or page_digest(html) != token.digest
        return _core.frame_mounted(self._tree.root_inner_html() if stale else None)

    def _event(self, message: dict[str, Any]) -> list[str]:
        if self.view is None:
            raise EventError("not_mounted", "send a mount frame before events")
        name = message["name"]
        params = message.get("params") or {}
        failure: Exception | None = None
        try:
            self.view.handle_event(name, params)
        except EventError:
            raise
        except Exception as err:
            # The handler may have changed state before failing: render it anyway, so that the
            # page keeps showing what the server holds.
            logger.exception("djust: %s.%s raised", self._view_name(), name)
            failure = err
        patches = self._tree.update(self.view.render_page())
        if config.get("debug_vdom"):
            logger.info("djust: %s.%s patches %s", self._view_name(), name, patches)
        frames = [_core.frame_patch(message.get("ref"), patches)]
        if failure is not None:
            frames.append(_core.frame_error(
                message.get("ref"), "handler_error",
                f"{name}() raised {_public_message(failure)}",
            ))
        return frames


def _public_message(err: Exception) -> str:
    """The exception text in DEBUG; only its type otherwise, so nothing private leaks."""
    if settings.DEBUG:
        return f"{type(err).__name__}: {err}"
    return type(err).__name__


def _url_kwargs(path: str, cls: type[LiveView]) -> dict[str, Any]:
    """The URL kwargs Django resolves for ``path`` when it routes to ``cls``."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return {}
    if getattr(match.func, "view_class", None) is cls:
        return dict(match.kwargs)
    return {}
