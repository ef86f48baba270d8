"""The page: a mounted view rendered whole, and the first GET's response that carries it.

A LiveView's first response is a complete HTML page that works without JavaScript. Its
``dj-view`` attribute holds a view token (:mod:`djust.tokens`) bound to the visitor, naming the
view, the URL and a digest of the page, so that the page's socket can mount the same view and
skip re-sending what the browser already shows. A template that is not a page of its own (no
``dj-root``) is wrapped in a minimal page.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from djust import streams, tokens
from djust.commands import NAVIGATIONS
from djust.components.base import assign_ids
from djust.routes import view_key
from djust.templatetags.djust_tags import djust_scripts

if TYPE_CHECKING:
    from djust.live_view import LiveView

# Stands in for the view token while a page renders, so that the digest of a render does not
# depend on the token (which itself carries that digest).
TOKEN_PLACEHOLDER = "djust-view-token-pending"

# Attribute names are case-insensitive: `<div DJ-ROOT>` marks the root too.
_DJ_ROOT = re.compile("dj-root", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def render_page(view: LiveView) -> str:
    """The whole page of ``view`` as HTML, with the view token still a placeholder."""
    assign_ids(view)
    context = view.get_context_data()
    context.setdefault("request", getattr(view, "request", None))
    context["dj_view_id"] = TOKEN_PLACEHOLDER
    html = view.get_template().render(context)
    if "dj-root" not in html and not _DJ_ROOT.search(html):
        html = _wrap_fragment(type(view).__name__, html, context["request"])
    return html


def page_digest(html: str) -> str:
    """A short digest of a rendered page, to tell whether a socket mount renders the same."""
    return hashlib.blake2b(html.encode("utf-8"), digest_size=12).hexdigest()


def page_title(html: str) -> str | None:
    """The text of a rendered page's ``<title>``, if it has one."""
    match = _TITLE.search(html)
    return html_lib.unescape(match.group(1)).strip() if match else None


@dataclass(frozen=True)
class FirstRender:
    """What the first GET of a mounted view answers: the page with its token in place, or the
    navigation ``mount`` asked for (a command dict), which becomes an HTTP redirect."""

    html: str
    token: str
    visitor: tokens.Visitor
    new_cookie: bool
    navigation: dict[str, Any] | None = None


def first_render(view: LiveView, request: HttpRequest) -> FirstRender:
    """The first GET's page for the mounted ``view``. Events it pushed while mounting are left
    for the socket's own mount, which queues them again."""
    visitor, new_cookie = tokens.visitor_for_request(request)
    for command in view.drain_commands():
        if command["t"] in NAVIGATIONS:
            return FirstRender("", "", visitor, new_cookie, navigation=command)
    html = view.render_page()
    # The page shows the streams' items; the digest is of what a session's tree keeps.
    kept, _streamed = streams.detach(view, html)
    token = tokens.issue(
        view=view_key(type(view)),
        path=request.path_info,
        query=request.META.get("QUERY_STRING", ""),
        digest=page_digest(kept),
        visitor=visitor,
    )
    return FirstRender(html.replace(TOKEN_PLACEHOLDER, token), token, visitor, new_cookie)


def page_response(view: LiveView, request: HttpRequest, forget_flash: bool = False) -> HttpResponse:
    """The full-page HTTP response for the mounted ``view``, its token bound to the visitor; a
    ``redirect``/``live_redirect``/``live_patch`` queued while mounting is an HTTP redirect.
    ``forget_flash``: the page showed the flash a cookie carried (see :func:`carry_flash`)."""
    page = first_render(view, request)
    if page.navigation is not None:
        response: HttpResponse = HttpResponseRedirect(page.navigation["to"])
    else:
        response = HttpResponse(page.html)
        response["Cache-Control"] = "no-store"
        if page.new_cookie:
            tokens.set_visitor_cookie(response, request, page.visitor)
    if forget_flash:
        response.delete_cookie(FLASH_COOKIE, samesite="Lax")
    return response


# Without a socket, live_redirect is a page load: the flash goes along in a short-lived cookie.
FLASH_COOKIE = "djust_flash"
_FLASH_SALT = "djust.flash"
_FLASH_MAX_AGE = 60


def carry_flash(
    response: HttpResponse, request: HttpRequest, to: str, flash: dict[str, str]
) -> None:
    """Let the page load of ``to`` that follows ``response`` show ``flash``."""
    response.set_signed_cookie(
        FLASH_COOKIE,
        json.dumps({"to": to, "flash": flash}),
        salt=_FLASH_SALT,
        max_age=_FLASH_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def flash_from_cookie(request: HttpRequest) -> dict[str, str] | None:
    """The flash :func:`carry_flash` sent along to this page, if this is its page load."""
    text = request.get_signed_cookie(
        FLASH_COOKIE, default=None, salt=_FLASH_SALT, max_age=_FLASH_MAX_AGE
    )
    if text is None:
        return None
    try:
        carried = json.loads(text)
    except ValueError:
        return None
    if not isinstance(carried, dict) or carried.get("to") != request.get_full_path():
        return None
    flash = carried.get("flash")
    return {str(k): str(v) for k, v in flash.items()} if isinstance(flash, dict) else None


def _wrap_fragment(title: str, content: str, request: HttpRequest | None) -> str:
    """A minimal page around a template that is not a page of its own."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n{djust_scripts({'request': request})}\n</head>\n<body>\n"
        f'<div dj-view="{TOKEN_PLACEHOLDER}" dj-root>{content}</div>\n</body>\n</html>\n'
    )
