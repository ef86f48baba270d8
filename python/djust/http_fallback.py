"""The HTTP fallback: a LiveView's frames as POSTs to its own URL, for pages without a socket.

Used when ``LIVEVIEW_CONFIG['use_websocket']`` is False, or when the browser cannot open the
socket. The browser POSTs one client frame as JSON (an ``event`` or ``params`` message) to the
page's URL, with Django's CSRF header, plus two fields: ``token`` (the page's view token) and
``state`` (the snapshot from the previous reply, absent on the first POST); ``"resync": true``
asks for the root's HTML (the browser's DOM no longer matched a patch). The reply is JSON:
``{"frames": [...server frames...], "state": "<snapshot>"}`` — the same frames a socket would
send, so the browser handles both transports with one code path.

Each POST mounts a fresh view (``mount`` and ``handle_params``, as a socket connect does), sets
its public state from the snapshot (see ``djust.state``), renders what the browser shows, runs
the frame and answers with the patches between the two renders.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict

from djust import _core, config, state
from djust import tokens as view_tokens
from djust.exceptions import EventError, TokenError
from djust.live_view import LiveView, mount_view, page_digest, view_key
from djust.session import command_frames, error_frame, run_event, run_params


def handle_post(cls: type[LiveView], request: HttpRequest, initkwargs: dict[str, Any],
                kwargs: dict[str, Any]) -> HttpResponse:
    """Answer one HTTP-fallback POST to the LiveView ``cls``."""
    frames: list[str] = []
    snapshot: str | None = None
    ref = None
    view: LiveView | None = None
    visitor, _new = view_tokens.visitor_for_request(request)
    try:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise EventError("malformed_frame", "the request body is not UTF-8 JSON") from None
        except RequestDataTooBig:
            raise EventError(
                "frame_too_large",
                "the request body is over Django's DATA_UPLOAD_MAX_MEMORY_SIZE. Instead of "
                "sending that much in one event, send less or raise that setting",
            ) from None
        message = _core.parse_client_message(text, int(config.get("max_frame_bytes")))
        ref = message.get("ref")
        extra = json.loads(text)
        token = view_tokens.verify(extra.get("token"), visitor)
        if token.view != view_key(cls):
            raise TokenError("the view token belongs to another view than this URL's")
        view = mount_view(cls, _page_request(request), kwargs, initkwargs)
        # Commands from mount were delivered when the page was first served.
        command_frames(view)
        previous = extra.get("state")
        if previous is None:
            shown = None
            html = view.render_page()
            stale = page_digest(html) != token.digest
        else:
            shown = state.restore(view, token.view, visitor, previous)
            html = view.render_page()
            stale = False
        tree = _core.LiveTree(html)
        if shown is not None and page_digest(tree.root_inner_html()) != shown:
            stale = True
        if stale or extra.get("resync") is True:
            # The browser shows something else than this render: start it from this one.
            frames.append(_core.frame_mounted(tree.root_inner_html()))
        frames.extend(_run(view, tree, message))
        snapshot = state.snapshot(view, token.view, visitor,
                                  page_digest(tree.root_inner_html()))
    except Exception as err:
        frames.append(error_frame(ref, err, view))
    body = '{"frames":[' + ",".join(frames) + "]"
    if snapshot is not None:
        body += ',"state":' + json.dumps(snapshot)
    response = HttpResponse(body + "}", content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def _run(view: LiveView, tree: Any, message: dict[str, Any]) -> list[str]:
    kind = message["t"]
    if kind == "event":
        return run_event(view, tree, message)
    if kind == "params":
        base = view.request
        return run_params(view, tree, message,
                          lambda path, query: _page_request(base, path, query))
    if kind == "navigate":
        # Without a socket, going to another view is a page load.
        return [_core.frame_redirect(message["url"])]
    if kind == "ping":
        return [_core.frame_pong(message["ref"])]
    raise EventError("invalid_transport",
                     "the HTTP fallback takes event, params and navigate messages; a mount "
                     "needs no message, the first event carries the view token")


def _page_request(request: HttpRequest, path: str | None = None,
                  query: str | None = None) -> HttpRequest:
    """A GET for the page, as ``mount`` and ``handle_params`` expect, from the POST's request
    (same visitor: cookies, session, user)."""
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
