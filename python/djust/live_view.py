"""``LiveView``: a view whose state lives on the server and whose page updates by patches.

The life of a view, as every host drives it (the Channels consumer, the HTTP fallback, the
test client): ``mount(request, **url_kwargs)``, then ``handle_params(params, uri)``, then render;
then for each event ``handle_event(name, params, target)``, render, diff, and send the patches
followed by the commands the view queued (``drain_commands()``).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)

from djust import tokens
from djust.components.base import Component, assign_ids, public_state
from djust.decorators import call_handler, event_handler, find_handler, handler_names
from djust.exceptions import EventError, NavigationError
from djust.params import query_params
from djust.template import Template, compile_string, get_template

# Stands in for the view token while a page renders, so that the digest of a render does not
# depend on the token (which itself carries that digest).
TOKEN_PLACEHOLDER = "djust-view-token-pending"

# Attribute names are case-insensitive: `<div DJ-ROOT>` marks the root too.
_DJ_ROOT = re.compile("dj-root", re.IGNORECASE)

# Attributes that configure the view and are not template context.
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


def _records_uri(handle_params: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a subclass's ``handle_params`` so the view always knows its current URL."""

    @functools.wraps(handle_params)
    def wrapper(self: LiveView, params: dict[str, Any], uri: str) -> Any:
        self.__dict__["_uri"] = uri
        return handle_params(self, params, uri)

    wrapper._djust_records_uri = True  # type: ignore[attr-defined]
    return wrapper


class LiveView:
    """A page whose state is this object's public attributes, kept on the server.

    Subclasses set ``template_name`` or ``template_string``, set their state in
    ``mount(request, **kwargs)``, and mark the methods the browser may call with
    ``@event_handler``. After each handler, the page is rendered again and the browser receives
    only the DOM patches between the two renders. Attributes whose names start with ``_`` stay
    private: they are neither in the template context nor sent anywhere.
    """

    template_name: ClassVar[str | None] = None
    template_string: ClassVar[str | None] = None

    request: HttpRequest

    def __init__(self, **initkwargs: Any) -> None:
        for name, value in initkwargs.items():
            if not hasattr(type(self), name):
                raise TypeError(
                    f"{type(self).__name__}.as_live_view() got {name!r}, which is not an "
                    f"attribute of the class. Instead of passing it, declare it on the class "
                    f"({name} = ...) or set it in mount()."
                )
            setattr(self, name, value)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _registry[view_key(cls)] = cls
        own = vars(cls).get("handle_params")
        if own is not None and not getattr(own, "_djust_records_uri", False):
            cls.handle_params = _records_uri(own)  # type: ignore[method-assign]

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Component) and not name.startswith("_"):
            # The attribute name is the component's id: unique in the view, stable across
            # renders and reconnects.
            value.attach(self, name)
        object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        if name in ("live_patch", "live_redirect"):
            raise AttributeError(
                f"{type(self).__name__} has no {name}(). Instead of a bare LiveView, mix in "
                f"navigation: class {type(self).__name__}(NavigationMixin, LiveView), with "
                f"`from djust.mixins.navigation import NavigationMixin`."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # --- lifecycle -------------------------------------------------------------------------

    def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        """Set the initial state. Called once per page load and once per socket connection,
        with the URL's keyword arguments."""

    def handle_params(self, params: dict[str, str | list[str]], uri: str) -> None:
        """React to the URL's query: called right after every mount, after a ``live_patch``,
        a ``dj-patch`` link, and the back and forward buttons. ``params`` maps each query key
        to its value (a list when the key repeats); ``uri`` is the path with its query."""
        self.__dict__["_uri"] = uri

    def handle_info(self, event: str, payload: dict[str, Any]) -> None:
        """A message from outside the browser: a child component's ``send_parent``, pub/sub,
        a timer or a background task. The default does nothing."""

    @property
    def current_uri(self) -> str:
        """The page's URL (path and query) as the browser shows it now."""
        uri = self.__dict__.get("_uri")
        if uri is not None:
            return uri
        request = self.__dict__.get("request")
        return request.get_full_path() if request is not None else "/"

    # --- context and rendering -------------------------------------------------------------

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The template context: public attributes (names not starting with ``_``), class
        defaults and ``@reactive`` properties included, plus ``flash``."""
        context = public_state(self, LiveView)
        for name in _CONFIG_NAMES:
            context.pop(name, None)
        context.setdefault("flash", dict(self.__dict__.get("_flash", {})))
        context.update(kwargs)
        return context

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
        assign_ids(self)
        context = self.get_context_data()
        context.setdefault("request", getattr(self, "request", None))
        context["dj_view_id"] = TOKEN_PLACEHOLDER
        html = self.get_template().render(context)
        if "dj-root" not in html and not _DJ_ROOT.search(html):
            html = _wrap_fragment(type(self).__name__, html, context["request"])
        return html

    # --- components ------------------------------------------------------------------------

    def find_component(self, component_id: str) -> Component | None:
        """The component with ``component_id`` anywhere in this view, if there is one."""
        for component in assign_ids(self):
            if component.component_id == component_id:
                return component
        return None

    # --- events ----------------------------------------------------------------------------

    def find_event_handler(self, name: str) -> Callable[..., Any] | None:
        """The bound handler ``name`` if that method is marked ``@event_handler``."""
        return find_handler(self, name)

    def get_event_handler(self, name: str) -> Callable[..., Any]:
        """The bound handler ``name``; raises ``EventError('unknown_event')`` otherwise."""
        handler = self.find_event_handler(name)
        if handler is None:
            raise EventError("unknown_event", _unknown_event_message(self, name))
        return handler

    def handle_event(self, name: str, params: Mapping[str, Any],
                     target: str | None = None) -> Any:
        """Run the handler ``name`` with ``params`` bound to its signature.

        With a ``target`` (a component id, from ``dj-target`` or the enclosing
        ``data-component-id``) the component's handler runs; a component without a handler of
        that name passes the event up to the view, with ``component_id`` added to the params.
        Raises :class:`EventError` (``unknown_event``, ``invalid_params``, ``unknown_target``)
        before running anything it refuses.
        """
        if not isinstance(params, Mapping):
            raise EventError("invalid_params",
                             f"{name}() was sent {type(params).__name__} params; events carry "
                             f"a JSON object of parameters.")
        if target:
            component = self.find_component(target)
            if component is None:
                raise EventError("unknown_target", _unknown_target_message(self, target))
            handler = find_handler(component, name)
            if handler is not None:
                return call_handler(handler, f"{target}.{name}", params)
            view_handler = self.find_event_handler(name)
            if view_handler is None:
                raise EventError("unknown_event", _unknown_event_message(
                    self, name, component=component))
            return call_handler(view_handler, name, {"component_id": target, **params})
        return call_handler(self.get_event_handler(name), name, params)

    # --- what the view sends besides patches -----------------------------------------------

    def _queue(self, command: dict[str, Any]) -> None:
        self.__dict__.setdefault("_commands", []).append(command)

    def drain_commands(self) -> list[dict[str, Any]]:
        """The frames queued since the last call (``push_event``, ``live_patch``,
        ``live_redirect``, ``redirect``), in order; the queue is emptied."""
        commands: list[dict[str, Any]] = self.__dict__.get("_commands", [])
        self.__dict__["_commands"] = []
        return commands

    def push_event(self, name: str, payload: Mapping[str, Any] | None = None) -> None:
        """Send ``name`` with ``payload`` to the page's hooks (``this.handleEvent(name, fn)``)
        and as a ``djust:<name>`` DOM event on ``window``, after this event's patches."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"push_event needs an event name, got {name!r}.")
        body = dict(payload or {})
        try:
            json.dumps(body)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"push_event({name!r}) payload cannot be sent as JSON ({err}). Instead of "
                f"objects, send plain values: str, int, float, bool, None, lists and dicts."
            ) from None
        self._queue({"t": "push_event", "event": name, "payload": body})

    def put_flash(self, kind: str, message: str) -> None:
        """Show ``message`` as a flash of ``kind`` (``info``, ``error``, ...): the template
        reads it as ``{{ flash.info }}``; it stays until cleared or the view is left,
        and goes along to the next view when this one then calls ``live_redirect``."""
        self.__dict__.setdefault("_flash", {})[str(kind)] = str(message)

    @event_handler
    def clear_flash(self, kind: str | None = None) -> None:
        """Remove the flash of ``kind``, or every flash. Callable from the page
        (``dj-click="clear_flash" data-kind="info"``)."""
        flash = self.__dict__.setdefault("_flash", {})
        if kind is None:
            flash.clear()
        else:
            flash.pop(kind, None)

    def redirect(self, url: str) -> None:
        """Send the browser to ``url`` with a full page load (any page, djust or not)."""
        self._queue({"t": "redirect", "to": checked_url(url, allow_external=True)})

    # --- urls ------------------------------------------------------------------------------

    @classmethod
    def as_live_view(cls, **initkwargs: Any) -> Callable[..., HttpResponse]:
        """A Django view function serving this LiveView's page, for ``urlpatterns``.

        A GET mounts the view (``mount`` with the URL's keyword arguments, then
        ``handle_params``) and answers the whole rendered page, which works without
        JavaScript; its ``dj-view`` token lets the page's socket mount the same view.
        """
        for name in initkwargs:
            if not hasattr(cls, name):
                raise TypeError(
                    f"{cls.__name__}.as_live_view() got {name!r}, which is not an attribute "
                    f"of the class. Instead of passing it, declare it on the class first."
                )

        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                from djust import http_fallback

                return http_fallback.handle_post(cls, request, initkwargs, kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            live = mount_view(cls, request, kwargs, initkwargs)
            return page_response(live, request)

        view.view_class = cls  # type: ignore[attr-defined]
        view.view_initkwargs = initkwargs  # type: ignore[attr-defined]
        view.__name__ = cls.__name__
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        return view


def mount_view(cls: type[LiveView], request: HttpRequest, url_kwargs: Mapping[str, Any],
               initkwargs: Mapping[str, Any] | None = None,
               flash: Mapping[str, str] | None = None) -> LiveView:
    """A new ``cls`` for ``request``: constructed, ``mount``-ed and given its ``handle_params``.

    ``flash`` is what the previous view handed over (see :func:`carried_flash`); ``mount``
    already sees it.
    """
    live = cls(**(initkwargs or {}))
    live.request = request
    live.__dict__["_uri"] = request.get_full_path()
    if flash:
        live.__dict__["_flash"] = dict(flash)
    live.mount(request, **url_kwargs)
    live.handle_params(query_params(request.GET), request.get_full_path())
    return live


def carried_flash(previous: LiveView | None, url: str) -> dict[str, str]:
    """The flash ``previous`` hands to the view at ``url``: all of it when ``previous`` asked
    for that navigation with ``live_redirect`` (so ``put_flash`` then ``live_redirect`` shows
    the message on the next page), nothing when the visitor simply followed a link."""
    if previous is None or previous.__dict__.get("_redirected_to") != url:
        return {}
    return dict(previous.__dict__.get("_flash", {}))


def checked_url(url: Any, *, allow_external: bool) -> str:
    """``url`` if the browser may be sent there: a local path, or (``allow_external``) an
    http(s) URL. Anything else (``javascript:``, ``//host``) raises ``NavigationError``."""
    if not isinstance(url, str) or not url:
        raise NavigationError(f"a navigation target must be a non-empty string, got {url!r}.")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("//", "/\\")):
        if allow_external and parts.scheme in ("http", "https") and parts.netloc:
            return url
        raise NavigationError(
            f"{url!r} is not a path on this site. Instead of another site's URL, pass a path "
            f"such as '/items/3/'" + ("; redirect() accepts http(s) URLs." if not allow_external
                                      else ", or an http(s) URL.")
        )
    if not url.startswith(("/", "?")):
        raise NavigationError(
            f"{url!r} is a relative path. Instead of {url!r}, write it from the site's root: "
            f"'/{url}'."
        )
    return url


def page_digest(html: str) -> str:
    """A short digest of a rendered page, to tell whether a socket mount renders the same."""
    return hashlib.blake2b(html.encode("utf-8"), digest_size=12).hexdigest()


def page_response(live: LiveView, request: HttpRequest) -> HttpResponse:
    """The full-page HTTP response for a mounted LiveView, its token bound to the visitor.

    A ``redirect``/``live_redirect``/``live_patch`` queued while mounting becomes an HTTP
    redirect; events pushed while mounting are left for the socket's own mount.
    """
    for command in live.drain_commands():
        if command["t"] in ("redirect", "live_redirect", "live_patch"):
            return HttpResponseRedirect(command["to"])
    html = live.render_page()
    visitor, new_cookie = tokens.visitor_for_request(request)
    token = tokens.issue(
        view=view_key(type(live)),
        path=request.path_info,
        query=request.META.get("QUERY_STRING", ""),
        digest=page_digest(html),
        visitor=visitor,
    )
    response = HttpResponse(html.replace(TOKEN_PLACEHOLDER, token))
    response["Cache-Control"] = "no-store"
    if new_cookie:
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


def _suggestion(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
    if close:
        return f" Did you mean {close[0]!r}?"
    if names:
        return f" Its handlers: {', '.join(sorted(names))}."
    return ""


def _unknown_event_message(view: LiveView, name: Any, component: Component | None = None) -> str:
    names = handler_names(view)
    where = type(view).__name__
    if component is not None:
        where = (f"neither component {component.component_id!r} "
                 f"({type(component).__name__}) nor {where}")
        names = sorted(set(names) | set(handler_names(component)))
    return (
        f"{where} has no event handler named {name!r}. Instead of calling an unmarked or "
        f"missing method, define it and mark it with @event_handler.{_suggestion(name, names)}"
    )


def _unknown_target_message(view: LiveView, target: Any) -> str:
    known = [c.component_id for c in assign_ids(view) if c.component_id]
    listing = ", ".join(repr(k) for k in known) if known else "none"
    return (
        f"{type(view).__name__} has no component with id {target!r} (its components: "
        f"{listing}). A component's id is the attribute it is assigned to: "
        f"self.{target if isinstance(target, str) and target.isidentifier() else 'name'} = "
        f"SomeComponent(...)."
    )


# --- function views (@live_view) ------------------------------------------------------------


class FunctionLiveView(LiveView):
    """A LiveView built by ``@live_view`` from a function returning ``locals()``."""

    view_function: ClassVar[Callable[..., Any]]

    def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        function = type(self).view_function
        scope = function(request, **kwargs)
        if not isinstance(scope, Mapping):
            raise TypeError(
                f"@live_view function {function.__name__}() returned "
                f"{type(scope).__name__}. Instead, end it with `return locals()` (or a dict "
                f"of its state and handlers)."
            )
        self.__dict__["_scope"] = dict(scope)
        # Variables the inner functions change with `nonlocal` live in closure cells; read
        # them from there, so the template sees their current values.
        cells: dict[str, Any] = {}
        for value in scope.values():
            if inspect.isfunction(value) and value.__closure__:
                for var, cell in zip(value.__code__.co_freevars, value.__closure__, strict=True):
                    if var in scope:
                        cells[var] = cell
        self.__dict__["_cells"] = cells

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = {}
        cells = self.__dict__.get("_cells", {})
        for name, value in self.__dict__.get("_scope", {}).items():
            if name.startswith("_") or name in _CONFIG_NAMES or inspect.isfunction(value):
                continue
            if name in cells:
                try:
                    value = cells[name].cell_contents
                except ValueError:  # the cell was emptied with `del`
                    continue
            context[name] = value
        context.update(super().get_context_data())
        context.update(kwargs)
        return context

    def find_event_handler(self, name: str) -> Callable[..., Any] | None:
        value = self.__dict__.get("_scope", {}).get(name) if isinstance(name, str) else None
        if inspect.isfunction(value) and not name.startswith("_"):
            return value
        return super().find_event_handler(name)


def function_view_class(function: Callable[..., Any], *, template_name: str | None,
                        template_string: str | None) -> type[FunctionLiveView]:
    """The LiveView class ``@live_view`` makes of ``function``."""
    if template_name is None and template_string is None:
        raise TypeError(
            f"@live_view on {function.__name__}() needs a template. Instead of a bare "
            f"@live_view, write @live_view(template_name='app/page.html')."
        )
    namespace = {
        "template_name": template_name,
        "template_string": template_string,
        "view_function": staticmethod(function),
        "__module__": function.__module__,
        "__qualname__": function.__qualname__,
        "__doc__": function.__doc__,
    }
    return type(function.__name__, (FunctionLiveView,), namespace)
