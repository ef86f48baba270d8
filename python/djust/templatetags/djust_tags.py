"""``{% load djust_tags %}``: the tags a LiveView page template uses.

Registered with Django's ``Library``; djust's Rust engine calls the same functions back through
that registration, so a page renders the same whichever engine runs it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from djust import config
from djust.socket_request import SocketRequest

register = template.Library()

CLIENT_JS = Path(__file__).resolve().parent.parent / "static" / "djust" / "client.js"
# Loaded only by pages whose view allows an upload (djust.uploads).
UPLOADS_JS = CLIENT_JS.with_name("uploads.js")


def compact(source: str) -> str:
    """JavaScript source without its comment lines and indentation: what pages load.

    Only whole lines go (lines that are ``//`` comments, and ``/* ... */`` blocks that start a
    line), so statements and line breaks stay as written. Template literals could hold such
    lines, so a source using backticks outside comments is refused.
    """
    lines = []
    in_block = False
    for line in source.splitlines():
        text = line.strip()
        if in_block or text.startswith("/*"):
            in_block = "*/" not in text
            if in_block:
                continue
            text = text.split("*/", 1)[1].strip()
        if text and not text.startswith("//"):
            lines.append(text)
    compacted = "\n".join(lines) + "\n"
    if "`" in compacted or any(line.endswith("\\") for line in lines):
        raise RuntimeError(
            "the script uses a template literal or a line continuation, which "
            "compact() cannot strip safely; use string concatenation instead"
        )
    return compacted


def minified_header(source: str) -> str:
    """The first line of a script's minified copy (``npm run minify``): the source it is of."""
    return "// djust minified from sha256:" + hashlib.sha256(source.encode("utf-8")).hexdigest()


def served_script(path: Path) -> str:
    """A client script as pages load it: its minified copy beside it (``<name>.min.js``, made
    by ``npm run minify`` and committed) when that copy is of the current source, else the
    source itself :func:`compact`-ed — larger, the same behaviour."""
    source = path.read_text(encoding="utf-8")
    served = None
    copy = path.with_name(path.stem + ".min.js")
    if copy.exists():
        header, _, body = copy.read_text(encoding="utf-8").partition("\n")
        if header == minified_header(source):
            served = body
    if served is None:
        served = compact(source)
    if "</script" in served.lower():
        raise RuntimeError(f"{path} contains '</script' and cannot be inlined in a page")
    return served


@functools.cache
def client_source() -> str:
    """The client runtime as pages load it (see :func:`served_script`), read once per process."""
    return served_script(CLIENT_JS)


@functools.cache
def uploads_source() -> str:
    """The uploads script as pages that need it load it."""
    return served_script(UPLOADS_JS)


def _nonce(context: Mapping[str, Any]) -> str:
    request = context.get("request") if hasattr(context, "get") else None
    nonce = getattr(request, "csp_nonce", None)
    return f' nonce="{escape(str(nonce))}"' if nonce else ""


def _csrf(context: Mapping[str, Any]) -> str:
    """What the client needs to send Django's CSRF header with HTTP-fallback POSTs.

    The client reads the CSRF cookie, so the page stays the same on every render (a socket mount
    compares digests). Only where the cookie is out of reach of scripts (``CSRF_USE_SESSIONS``,
    ``CSRF_COOKIE_HTTPONLY``) is the token itself written into the page.
    """
    from django.conf import settings
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
    attrs = (
        f' data-csrf-cookie="{escape(settings.CSRF_COOKIE_NAME)}"'
        f' data-csrf-header="{escape(header)}"'
    )
    request = context.get("request") if hasattr(context, "get") else None
    if isinstance(request, HttpRequest) and not isinstance(request, SocketRequest):
        token = get_token(request)  # also makes CsrfViewMiddleware set the cookie
        if settings.CSRF_USE_SESSIONS or settings.CSRF_COOKIE_HTTPONLY:
            attrs += f' data-csrf-token="{escape(token)}"'
    return attrs


# Set by `djust serve`, which serves the client as a static file named by its content hash.
SERVED_CLIENT_URL: str | None = None


def djust_scripts(context: Mapping[str, Any]) -> SafeString:
    """The client runtime as a ``<script>``.

    Under ``djust serve`` the script is a static file with a content hash in its name, cached
    by browsers for good; anywhere else it is inline, so that the page works under any server,
    including plain uvicorn with no static-files handler. The request's ``csp_nonce``
    (django-csp) is applied when present. With ``LIVEVIEW_CONFIG['use_websocket']`` False the
    client sends events as POSTs.
    """
    ws_path = escape(str(config.get("websocket_path")))
    transport = "" if config.get("use_websocket") else ' data-transport="http"'
    debug = ' data-debug-vdom="true"' if config.get("debug_vdom") else ""
    attributes = (
        f'data-djust-client data-ws-path="{ws_path}"{transport}{debug}'
        f"{_csrf(context)}{_nonce(context)}"
    )
    # Parts only some pages use come after the core, inline (they plug in whichever runs first).
    extra = ""
    uploads = context.get("uploads") if hasattr(context, "get") else None
    if uploads:
        extra = f"<script{_nonce(context)}>{uploads_source()}</script>"
    if SERVED_CLIENT_URL is not None:
        src = escape(SERVED_CLIENT_URL)
        return mark_safe(f'<script {attributes} src="{src}"></script>{extra}')
    return mark_safe(f"<script {attributes}>{client_source()}</script>{extra}")


register.simple_tag(takes_context=True, name="djust_scripts")(djust_scripts)
