"""The HTTP fallback: a LiveView's frames as POSTs to its own URL, for pages without a socket.

Used when ``LIVEVIEW_CONFIG['use_websocket']`` is False, or when the browser cannot open the
socket. The browser POSTs one client frame as JSON (an ``event`` or ``params`` message) to the
page's URL, with Django's CSRF header, plus two fields: ``token`` (the page's view token) and
``state`` (the snapshot from the previous reply, absent on the first POST); ``"resync": true``
asks for the root's HTML (the browser's DOM no longer matched a patch). The reply is JSON:
``{"frames": [...server frames...], "state": "<snapshot>"}`` — the same frames a socket would
send, so the browser handles both transports with one code path.

Each POST is one short :class:`~djust.session.LiveSession`: it mounts a fresh view (``mount`` and
``handle_params``, as a socket connect does), sets its public state from the snapshot (see
:mod:`djust.snapshots`), renders what the browser shows, runs the frame and answers with the
patches between the two renders.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from djust import uploads
from djust.connection import Connection, page_request
from djust.exceptions import FRAME_TOO_LARGE, MALFORMED_FRAME, EventError
from djust.lifecycle import carried_flash
from djust.page import carry_flash
from djust.routes import Route
from djust.session import LiveSession, error_frame, message_ref, parse_message


def handle_post(
    cls: type, request: HttpRequest, initkwargs: dict[str, Any], kwargs: dict[str, Any]
) -> HttpResponse:
    """Answer one HTTP-fallback POST to the LiveView ``cls``."""
    page = page_request(request)
    session = LiveSession(Connection.from_request(page, socket=False))
    frames: list[str] = []
    snapshot: str | None = None
    ref: int | None = None
    redirected_to: str | None = None
    flash: dict[str, str] = {}
    try:
        text = _body(request)
        upload = uploads.upload_frame(text)
        message = parse_message(text) if upload is None else None
        ref = message_ref(message) if message is not None else None
        envelope = json.loads(text)
        frames.extend(
            session.resume(
                Route(cls, kwargs, initkwargs),
                page,
                envelope.get("token"),
                envelope.get("state"),
                envelope.get("resync") is True,
                message["t"] if message is not None else "event",
            )
        )
        uploads.reattach(session)
        if message is not None:
            frames.extend(session.run_message(message))
        else:
            frames.extend(uploads.handle_frame(session, upload or {}))
        # Unfinished uploads wait for the next POST, as for a reconnect.
        uploads.release(session)
        snapshot = session.snapshot()
        redirected_to = session.view.__dict__.get("_redirected_to") if session.view else None
        flash = carried_flash(session.view, redirected_to) if redirected_to else {}
    except Exception as err:
        frames.append(error_frame(ref, err, session.view))
    body = '{"frames":[' + ",".join(frames) + "]"
    if snapshot is not None:
        body += ',"state":' + json.dumps(snapshot)
    response = HttpResponse(body + "}", content_type="application/json")
    response["Cache-Control"] = "no-store"
    if flash and redirected_to:
        # The browser follows live_redirect with a page load: the flash goes along.
        carry_flash(response, request, redirected_to, flash)
    return response


def _body(request: HttpRequest) -> str:
    try:
        return request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise EventError(MALFORMED_FRAME, "the request body is not UTF-8 JSON") from None
    except RequestDataTooBig:
        raise EventError(
            FRAME_TOO_LARGE,
            "the request body is over Django's DATA_UPLOAD_MAX_MEMORY_SIZE. Instead of "
            "sending that much in one event, send less or raise that setting",
        ) from None
