"""``LiveView``: a view whose state lives on the server and whose page updates by patches.

The life of a view, as every host drives it (:mod:`djust.lifecycle`): ``mount(request,
**url_kwargs)``, then ``handle_params(params, uri)``, then render; then for each event
``handle_event(name, params, target)``, render, diff, and send the patches followed by the
commands the view queued (``drain_commands()``). This module is the class users subclass; the
stages live in their own modules: which handler an event calls in :mod:`djust.events`, public
state in :mod:`djust.public_state`, routing in :mod:`djust.routes`, the page in
:mod:`djust.page`, the connected session in :mod:`djust.session`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect

from djust import commands, events, http_fallback, page, streams, uploads
from djust.auth import AccessRefused
from djust.components.base import Component, assign_ids
from djust.forms import annotate_disable_with
from djust.handlers import event_handler, find_handler
from djust.lifecycle import mount_view
from djust.limits import annotate_pacing
from djust.public_state import public_state
from djust.routes import checked_url, register_view
from djust.services import UsesServices
from djust.template import Template, compile_string, get_template

# Attributes that configure the view and are not template context.
CONFIG_NAMES = frozenset({"template_name", "template_string", "request"})


def _records_uri(handle_params: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a subclass's ``handle_params`` so the view always knows its current URL."""

    @functools.wraps(handle_params)
    def wrapper(self: LiveView, params: dict[str, Any], uri: str) -> Any:
        self.__dict__["_uri"] = uri
        return handle_params(self, params, uri)

    wrapper._djust_records_uri = True  # type: ignore[attr-defined]
    return wrapper


class LiveView(UsesServices):
    """A page whose state is this object's public attributes, kept on the server.

    Subclasses set ``template_name`` or ``template_string``, set their state in
    ``mount(request, **kwargs)``, and mark the methods the browser may call with
    ``@event_handler``. After each handler, the page is rendered again and the browser receives
    only the DOM patches between the two renders. Attributes whose names start with ``_`` stay
    private: they are neither in the template context nor sent anywhere.
    """

    template_name: ClassVar[str | None] = None
    template_string: ClassVar[str | None] = None
    # Who may see the view (djust.auth). Declared, not set: a mixin listed after LiveView
    # (class V(LiveView, LoginRequiredMixin)) must still count. Unset means "not declared".
    login_required: ClassVar[bool | None]
    permission_required: ClassVar[str | list[str] | tuple[str, ...] | None]

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
        register_view(cls)
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
        for name in CONFIG_NAMES:
            context.pop(name, None)
        context.setdefault("flash", dict(self.__dict__.get("_flash", {})))
        context.setdefault("streams", streams.context(self))
        context.setdefault("uploads", uploads.context(self))
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
        html = annotate_pacing([self, *assign_ids(self)], page.render_page(self))
        return annotate_disable_with(html)

    # --- components ------------------------------------------------------------------------

    def find_component(self, component_id: str) -> Component | None:
        """The component with ``component_id`` anywhere in this view, if there is one."""
        return events.find_component(self, component_id)

    # --- events ----------------------------------------------------------------------------

    def find_event_handler(self, name: str) -> Callable[..., Any] | None:
        """The bound handler ``name`` if that method is marked ``@event_handler``."""
        return find_handler(self, name)

    def get_event_handler(self, name: str) -> Callable[..., Any]:
        """The bound handler ``name``; raises ``EventError('unknown_event')`` otherwise."""
        return events.view_handler_or_error(self, name)

    def handle_event(self, name: str, params: Mapping[str, Any], target: str | None = None) -> Any:
        """Run the handler ``name`` with ``params`` bound to its signature.

        With a ``target`` (a component id, from ``dj-target`` or the enclosing
        ``data-component-id``) the component's handler runs; a component without a handler of
        that name passes the event up to the view, with ``component_id`` added to the params.
        Raises :class:`EventError` (``unknown_event``, ``invalid_params``, ``unknown_target``)
        before running anything it refuses.
        """
        return events.dispatch(self, name, params, target)

    def handle_async_result(self, name: str, result: Any, error: BaseException | None) -> None:
        """A background task's result: ``result``, or the ``error`` it raised. The default
        raises that error, so that a failed task is reported like a failed handler."""
        if error is not None:
            raise error

    def _services(self) -> tuple[Any, str]:
        services, generation = self.__dict__.get("_djust_services") or (None, "")
        return services, generation

    # --- what the view sends besides patches -----------------------------------------------

    def _queue(self, command: dict[str, Any]) -> None:
        commands.queue(self, command)

    def drain_commands(self) -> list[dict[str, Any]]:
        """The frames queued since the last call (``push_event``, ``live_patch``,
        ``live_redirect``, ``redirect``), in order; the queue is emptied."""
        return commands.drain(self)

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
        self._queue({"t": commands.PUSH_EVENT, "event": name, "payload": body})

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

    # --- streams ---------------------------------------------------------------------------

    def stream(
        self,
        name: str,
        items: Iterable[Any],
        dom_id: Callable[[Any], str] | None = None,
        at: int = -1,
        limit: int | None = None,
        reset: bool = False,
    ) -> None:
        """Stream ``items`` into the page's ``dj-stream="name"`` container (see
        :mod:`djust.streams`): the next render shows them as ``{% for dom_id, item in
        streams.name %}``, then the view forgets them. ``dom_id(item)`` names each item's
        element (default ``"<name>-<item.id>"``); an item whose element exists is updated in
        place. ``at``: -1 appends, 0 prepends, n inserts before the n-th child. ``limit``: -n
        keeps the last n children in the browser, n the first n. ``reset`` empties the
        container first."""
        streams.stream(self, name, items, dom_id, at, limit, reset)

    def stream_insert(self, name: str, item: Any, at: int = -1, limit: int | None = None) -> None:
        """Insert one item into stream ``name`` (or update its element in place)."""
        streams.stream_insert(self, name, item, at, limit)

    def stream_delete(self, name: str, item: Any) -> None:
        """Remove the item's element (``item``, or its dom_id as a string) from the page."""
        streams.stream_delete(self, name, item)

    # --- uploads ---------------------------------------------------------------------------

    def allow_upload(
        self,
        name: str,
        accept: Iterable[str],
        max_entries: int = 1,
        max_file_size: int = 8 * 1024 * 1024,
        chunk_size: int = 64 * 1024,
    ) -> None:
        """Let the page upload files as ``name`` (call it in ``mount``): ``<input type="file"
        dj-upload="name">`` or a ``dj-drop-target="name"`` element. ``accept``: extensions
        (``[".png", ".jpg"]``), checked against the name and the file's first bytes; at most
        ``max_entries`` files of ``max_file_size`` bytes, sent ``chunk_size`` bytes at a time.
        The template reads ``{{ uploads.name.entries }}`` (``client_name``, ``progress``,
        ``errors``, ``ref``). See :mod:`djust.uploads`."""
        uploads.allow_upload(self, name, accept, max_entries, max_file_size, chunk_size)

    def consume_uploaded_entries(self, name: str, fn: Callable[[Any, Any], Any]) -> list[Any]:
        """Call ``fn(file, entry)`` for each finished upload of ``name`` (``file``: a Django
        ``File`` open on the temporary file, named as the visitor's file); the temporary files
        are removed afterwards. Returns what ``fn`` returned, in order."""
        return uploads.consume_uploaded_entries(self, name, fn)

    def cancel_upload(self, name: str, ref: str) -> None:
        """Drop the entry ``ref`` of upload ``name`` and its temporary file."""
        uploads.cancel_upload(self, name, ref)

    def redirect(self, url: str) -> None:
        """Send the browser to ``url`` with a full page load (any page, djust or not)."""
        self._queue({"t": commands.REDIRECT, "to": checked_url(url, allow_external=True)})

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
                return http_fallback.handle_post(cls, request, initkwargs, kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            flash = page.flash_from_cookie(request)
            try:
                live = mount_view(cls, request, kwargs, initkwargs, flash=flash)
            except AccessRefused as refused:
                if not refused.anonymous:
                    raise PermissionDenied(str(refused)) from None
                return HttpResponseRedirect(refused.redirect_to)
            return page.page_response(live, request, forget_flash=flash is not None)

        view.view_class = cls  # type: ignore[attr-defined]
        view.view_initkwargs = initkwargs  # type: ignore[attr-defined]
        view.__name__ = cls.__name__
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        return view
