"""``LiveView``: a view whose state lives on the server and whose page updates by patches."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from djust import tokens
from djust.decorators import is_event_handler
from djust.exceptions import EventError
from djust.params import bind
from djust.template import Template, compile_string, get_template

# Stands in for the view token while a page renders, so that the digest of a render does not
# depend on the token (which itself carries that digest).
TOKEN_PLACEHOLDER = "djust-view-token-pending"

# Class attributes that configure the view and are not template context.
_CONFIG_NAMES = frozenset({"template_name", "template_string", "request"})

_registry: dict[str, type[LiveView]] = {}


def view_key(cls: type) -> str:
    """The name a view token uses for a LiveView class."""
    return f"{cls.__module__}.{cls.__qualname__}"


def lookup_view(key: str) -> type[LiveView] | None:
    """The LiveView class a token names, importing its module if this process has not yet."""
    if key not in _registry:
        module, _, _name = key.rpartition(".")
        while module and key not in _registry:
            try:
                __import__(module)
                break
            except ImportError:
                module = module.rpartition(".")[0]
    return _registry.get(key)


class LiveView:
    """A page whose state is this object's public attributes, kept on the server.

    Subclasses set ``template_name`` or ``template_string``, set their state in
    ``mount(request, **kwargs)``, and mark the methods the browser may call with
    ``@event_handler``. After each handler, the page is rendered again and the browser receives
    only the DOM patches between the two renders.
    """

    template_name: ClassVar[str | None] = None
    template_string: ClassVar[str | None] = None

    request: HttpRequest

    def __init__(self, **initkwargs: Any) -> None:
        for name, value in initkwargs.items():
            if not hasattr(type(self), name):
                raise TypeError(
                    f"{type(self).__name__}.as_live_view() got {name!r}, which is not an "
                    f"attribute of the class."
                )
            setattr(self, name, value)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _registry[view_key(cls)] = cls

    def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        """Set the initial state. Called once per page load and once per socket connection."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The template context: public attributes (names not starting with ``_``)."""
        context: dict[str, Any] = {}
        for klass in reversed(type(self).__mro__):
            if klass is LiveView or not issubclass(klass, LiveView):
                continue
            for name, value in vars(klass).items():
                if name.startswith("_") or name in _CONFIG_NAMES:
                    continue
                if callable(value) or isinstance(value, (property, staticmethod, classmethod)):
                    continue
                context[name] = value
        for name, value in vars(self).items():
            if not name.startswith("_") and name not in _CONFIG_NAMES:
                context[name] = value
        context.update(kwargs)
        return context

    # --- rendering -------------------------------------------------------------------------

    def get_template(self) -> Template:
        """The compiled template this view renders."""
        if self.template_string is not None:
            return compile_string(self.template_string)
        if self.template_name:
            return get_template(self.template_name, near=type(self))
        raise TypeError(
            f"{type(self).__name__} has no template. Instead of leaving it empty, set "
            f"template_name = 'app/page.html' or template_string = '<div>...</div>' on the class."
        )

    def render_page(self) -> str:
        """The whole page as HTML, with the view token still a placeholder."""
        context = self.get_context_data()
        context.setdefault("request", getattr(self, "request", None))
        context["dj_view_id"] = TOKEN_PLACEHOLDER
        html = self.get_template().render(context)
        if "dj-root" not in html:
            html = _wrap_fragment(type(self).__name__, html, context["request"])
        return html

    # --- events ----------------------------------------------------------------------------

    def get_event_handler(self, name: str) -> Callable[..., Any]:
        """The bound handler ``name``, if that method is marked ``@event_handler``."""
        handler = getattr(self, name, None) if isinstance(name, str) else None
        if handler is None or not callable(handler) or not is_event_handler(handler):
            raise EventError(
                "unknown_event",
                f"{type(self).__name__} has no event handler named {name!r}. Instead of calling "
                f"an unmarked method, define it on the view and mark it with @event_handler.",
            )
        return handler

    def handle_event(self, name: str, params: dict[str, Any]) -> Any:
        """Run the handler ``name`` with ``params`` bound to its signature."""
        handler = self.get_event_handler(name)
        return handler(**bind(handler, name, params))

    # --- urls ------------------------------------------------------------------------------

    @classmethod
    def as_live_view(cls, **initkwargs: Any) -> Callable[..., HttpResponse]:
        """A Django view function serving this LiveView's page, for ``urlpatterns``."""

        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            live = cls(**initkwargs)
            live.request = request
            live.mount(request, **kwargs)
            return page_response(live, request)

        view.view_class = cls  # type: ignore[attr-defined]
        view.__name__ = cls.__name__
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        return view


def page_digest(html: str) -> str:
    """A short digest of a rendered page, to tell whether a socket mount renders the same."""
    return hashlib.blake2b(html.encode("utf-8"), digest_size=12).hexdigest()


def page_response(live: LiveView, request: HttpRequest) -> HttpResponse:
    """The full-page HTTP response for a mounted LiveView, its token bound to the visitor."""
    html = live.render_page()
    visitor, new_visitor = tokens.visitor_for_request(request)
    token = tokens.sign(
        tokens.ViewToken(
            view=view_key(type(live)),
            path=request.path_info,
            query=request.META.get("QUERY_STRING", ""),
            digest=page_digest(html),
            visitor=visitor,
        )
    )
    response = HttpResponse(html.replace(TOKEN_PLACEHOLDER, token))
    response["Cache-Control"] = "no-store"
    if new_visitor:
        tokens.set_visitor_cookie(response, request, visitor)
    return response


def _wrap_fragment(title: str, content: str, request: HttpRequest | None) -> str:
    """A minimal page around a template that is not a page of its own."""
    from djust.templatetags.djust_tags import djust_scripts

    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{title}</title>\n{djust_scripts({'request': request})}\n</head>\n<body>\n"
        f'<div dj-view="{TOKEN_PLACEHOLDER}" dj-root>{content}</div>\n</body>\n</html>\n'
    )
