"""``{% load djust_tags %}``: the tags a LiveView page template uses.

The same functions serve Django's template engine (through ``register``) and djust's Rust
engine (through ``SIMPLE_TAGS``), so a page renders the same whichever engine runs it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from djust import config

register = template.Library()

CLIENT_JS = Path(__file__).resolve().parent.parent / "static" / "djust" / "client.js"


@functools.cache
def client_source() -> str:
    """The client runtime's source, read once per process."""
    source = CLIENT_JS.read_text(encoding="utf-8")
    if "</script" in source.lower():
        raise RuntimeError(f"{CLIENT_JS} contains '</script' and cannot be inlined in a page")
    return source


def _nonce(context: Mapping[str, Any]) -> str:
    request = context.get("request") if hasattr(context, "get") else None
    nonce = getattr(request, "csp_nonce", None)
    return f' nonce="{escape(str(nonce))}"' if nonce else ""


def djust_scripts(context: Mapping[str, Any]) -> SafeString:
    """The client runtime as an inline ``<script>``.

    Inline so that the page works under any server, including plain uvicorn with no
    static-files handler; the request's ``csp_nonce`` (django-csp) is applied when present.
    """
    ws_path = escape(str(config.get("websocket_path")))
    return mark_safe(
        f'<script data-djust-client data-ws-path="{ws_path}"{_nonce(context)}>'
        f"{client_source()}</script>"
    )


register.simple_tag(takes_context=True, name="djust_scripts")(djust_scripts)

# Tags the Rust engine calls back, by name; each takes the render context first.
SIMPLE_TAGS = {"djust_scripts": djust_scripts}
