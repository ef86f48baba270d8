"""``LiveSession``: the one driver of a connected view. Frames in, frames out.

Every host drives a view through a session: the Channels consumer (:mod:`djust.websocket`) one
per socket, the HTTP fallback (:mod:`djust.http_fallback`) one per POST, and the test client
(:mod:`djust.testing`) one per page. A host builds a :class:`~djust.connection.Connection` (who
is connected, how to make their requests, how to run each call) and hands the session:

- every text frame the browser sent, in order, to :meth:`LiveSession.handle_frame`;
- every update the server starts — a pub/sub message or a timer (:meth:`handle_info`), a
  background task's result (:meth:`handle_async_result`) — answered with a ``patch`` whose
  ``ref`` is ``null``.

Each returns the frames to send, in order, and never raises: what goes wrong becomes an ``error``
frame (``docs/protocol.md`` lists the codes) and the session goes on. Calls are synchronous (they
run user code, which may touch the database); a host makes them from a worker thread, one at a
time per session, so a view sees its events in the order they were sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from djust import _core, auth, config, snapshots, streams, tokens, uploads
from djust.commands import command_frames
from djust.components.base import assign_ids
from djust.connection import Connection
from djust.exceptions import (
    ALREADY_MOUNTED,
    FORBIDDEN_ORIGIN,
    HANDLER_ERROR,
    INVALID_TOKEN,
    INVALID_TRANSPORT,
    INVALID_URL,
    NOT_MOUNTED,
    SERVER_ERROR,
    TEMPLATE_ERROR,
    UNKNOWN_MESSAGE,
    EventError,
    TemplateRenderError,
    TemplateSyntaxError,
    TokenError,
)
from djust.handlers import defer_awaitables
from djust.lifecycle import (
    Outcome,
    Pending,
    carried_flash,
    mount_view,
    render,
    run_async_result,
    run_event,
    run_info,
    run_params,
)
from djust.limits import ConnectionLimits, Dropped
from djust.page import page_digest, page_title
from djust.routes import Route, lookup_view, view_key
from djust.services import PENDING, SessionServices, payload_dict

if TYPE_CHECKING:
    from djust._core import (
        ClientMessage,
        EventMessage,
        MountMessage,
        NavigateMessage,
        ParamsMessage,
        PingMessage,
    )
    from djust.live_view import LiveView

logger = logging.getLogger("djust")


class LiveSession:
    """The server side of one ``[dj-view]`` element's connection.

    ``view`` is the mounted LiveView (``None`` until a mount frame succeeds); ``last_failure``
    is the exception the view's own code raised during the last call (a handler,
    ``handle_info``), already logged and reported to the browser as ``handler_error``, for hosts
    that supervise sessions and for the test client. ``close_code``, once set, asks the host to
    close the socket with it after sending the frames (a rate limit, a logout elsewhere);
    ``ended`` sessions refuse every further message.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.view: LiveView | None = None
        self.last_failure: Exception | None = None
        # Whether the host hands binary frames to handle_binary (upload chunks).
        self.accepts_binary = False
        self.close_code: int | None = None
        self.ended = False
        self.limits = ConnectionLimits()
        self._tree: Any = None
        # Subscriptions, timers and tasks of the connection's views (djust.services); the
        # mounted view's generation names what it owns there.
        self.services = SessionServices(connection.services)
        self._generation = ""
        # One method per client message type (see docs/protocol.md).
        self._handlers: dict[str, Callable[[Any], list[str]]] = {
            "mount": self._mount,
            "event": self._event,
            "ping": self._ping,
            "params": self._params,
            "navigate": self._navigate,
        }

    # --- what hosts call --------------------------------------------------------------------

    def handle_frame(self, text: str) -> list[str]:
        """The frames answering one frame from the browser, in order. Never raises."""
        ref: int | None = None

        def handle() -> list[str]:
            nonlocal ref
            upload = uploads.upload_frame(text)
            if upload is not None:
                return uploads.handle_frame(self, upload)
            message = parse_message(text)
            ref = message_ref(message)
            return self.run_message(message)

        return self._call(handle, lambda: ref)

    def handle_binary(self, data: bytes) -> list[str]:
        """The frames answering one binary frame: an upload chunk, ``[u16 big-endian n][n
        bytes of JSON {"entry", "offset"}][the bytes]`` (see :mod:`djust.uploads`). Never
        raises. A host that passes binary frames here sets ``accepts_binary``, so that the
        client sends chunks that way instead of as base64 in JSON."""
        return self._call(lambda: uploads.handle_binary(self, data))

    def run_message(self, message: ClientMessage) -> list[str]:
        """The frames answering a parsed client message (see :func:`parse_message`). Unlike
        :meth:`handle_frame` it raises what it refuses (``EventError``, ``TokenError``) and
        what failed outside the view's handlers; :func:`error_frame` turns those into frames."""
        self.last_failure = None
        refused = self.limits.admit(self, message) or auth.session_frames_if_logged_out(
            self, message["t"]
        )
        if refused is not None:
            return refused
        handler = self._handlers.get(message["t"])
        if handler is None:
            raise EventError(
                UNKNOWN_MESSAGE, f"this server does not handle {message['t']!r} messages"
            )
        return handler(message)

    def handle_info(
        self,
        event: str,
        payload: Mapping[str, Any],
        owner: str | None = None,
        awaits: bool | None = None,
    ) -> list[str]:
        """Deliver a message the server started to the view's ``handle_info(event, payload)``
        (or, with ``owner``, to whoever in the session started it: a component's timer); the
        patch (``ref`` null) and the view's commands. A message for a view this connection no
        longer shows is dropped."""

        return self._call(
            lambda: self._to_owner(
                owner, lambda view, receiver: run_info(view, event, payload, receiver)
            ),
            awaits=awaits,
        )

    def handle_published(self, topic: str, event: str, payload: str) -> list[str]:
        """Deliver what was broadcast to ``topic`` (``payload``: JSON text) to every view and
        component of this session subscribed to it."""
        owners = sorted(self.services.subscribers(topic))
        if len(owners) == 1:
            return self.handle_info(event, payload_dict(payload), owners[0])
        # Several receivers in one session: each runs to completion in turn (an ``async def``
        # one included), so that the frames come back as one list.
        frames: list[str] = []
        for owner in owners:
            frames.extend(self.handle_info(event, payload_dict(payload), owner, awaits=False))
        return frames

    def handle_timer(
        self, event: str, payload: str, owner: str, timer_id: int | None = None
    ) -> list[str]:
        """A timer of ``owner`` fired (``payload``: JSON text)."""
        self.services.timer_fired(timer_id)
        return self.handle_info(event, payload_dict(payload), owner)

    def handle_async_result(
        self, name: str, result: Any, error: BaseException | None = None
    ) -> list[str]:
        """Deliver a background task's result to ``handle_async_result`` of the view (or the
        component) that started it."""
        return self._call(lambda: self._async_result(name, result, error))

    def _async_result(self, name: str, result: Any, error: BaseException | None) -> list[str]:
        owner = self.services.task_owners.pop(name, None)
        return self._to_owner(
            owner, lambda view, receiver: run_async_result(view, name, result, error, receiver)
        )

    def _to_owner(self, owner: str | None, step: Callable[[Any, Any], Any]) -> list[str]:
        """The frames of ``step(view, receiver)`` for the view or component ``owner`` names
        (the view when ``None``); nothing for an owner this connection no longer shows."""
        view = self._require_view()
        receiver = view if owner is None else self._receiver(owner)
        if receiver is None:
            return []
        return self._outcome_frames(None, step(view, receiver))

    def _receiver(self, owner: str) -> Any:
        """The view or component of the current view named by ``owner`` (``None``: it belongs
        to a view this connection replaced, or a component that is gone)."""
        generation, _, component_id = owner.partition(":")
        if self.view is None or generation != self._generation:
            return None
        return self.view.find_component(component_id) if component_id else self.view

    def _next_services(self) -> tuple[SessionServices, str]:
        return self.services, self.services.next_generation()

    def _adopt(self, view: LiveView, generation: str) -> None:
        """Make ``view`` (of ``generation``) the session's view: what the previous view
        started ends, and what its components asked for in their constructors starts."""
        if self._generation and self._generation != generation:
            self.services.release(self._generation)
        self._generation = generation
        self.services.adopt(generation, assign_ids(view))

    def render(self) -> list[str]:
        """Render the view again (its state changed outside any handler): the patch, ``ref``
        null, and the commands it queued."""
        return self._call(lambda: self._outcome_frames(None, render(self._require_view())))

    def close(self) -> None:
        """Release the view, its tree, and everything it started: the connection is gone."""
        self.services.release()
        uploads.release(self)
        self.view = None
        self._tree = None
        self.limits.release()

    @property
    def root_html(self) -> str:
        """The inside of the page's ``dj-root`` element as the browser now holds it."""
        return self._tree.root_inner_html() if self._tree is not None else ""

    # --- the HTTP fallback's view, between requests -------------------------------------------

    def resume(
        self,
        route: Route,
        request: HttpRequest,
        token_text: Any,
        state: Any,
        resync: bool,
        message_type: str = "event",
    ) -> list[str]:
        """Mount ``route``'s view for one HTTP-fallback request (``request``: a GET of the
        page) and give it the state the browser carried (``state``: the previous reply's
        :meth:`snapshot`, ``None`` on the first POST).

        Returns a ``mounted`` frame with the root's HTML when the browser shows something else
        than this render (or asked for it with ``resync``), else nothing. Raises what the caller
        turns into an error frame.
        """
        token = tokens.verify(token_text, self.connection.visitor)
        if route.view_class is None or token.view != view_key(route.view_class):
            if message_type == "params":
                # dj-patch moved the address bar to another view's URL, where this POST went.
                raise _not_this_view(request.get_full_path(), token.view.rpartition(".")[2])
            raise TokenError("the view token belongs to another view than this URL's")
        view = mount_view(route.view_class, request, route.kwargs, route.initkwargs)
        # Commands from mount were delivered when the page was first served, and what mount
        # starts (subscriptions, timers, tasks) is skipped as on that first GET: nothing could
        # reach this request later. Handlers' tasks run inline (djust.services).
        view.drain_commands()
        generation = self.services.next_generation()
        view.__dict__["_djust_services"] = (self.services, generation)
        self._generation = generation
        if state is None:
            html, streamed = streams.detach(view, view.render_page())
            tree = _core.LiveTree(html)
            stale = page_digest(html) != token.digest
        else:
            shown = snapshots.restore(view, token.view, self.connection.visitor.binding(), state)
            html, streamed = streams.detach(view, view.render_page())
            tree = _core.LiveTree(html)
            stale = page_digest(tree.root_inner_html()) != shown
        self.view, self._tree = view, tree
        if stale or resync:
            # The root's HTML has the streams' containers empty: mount's items follow.
            return [_core.frame_mounted(tree.root_inner_html()), *command_frames(streamed)]
        return []

    def snapshot(self) -> str:
        """The signed snapshot of the view's public state, for the HTTP fallback's reply."""
        view = self._require_view()
        return snapshots.snapshot(
            view,
            view_key(type(view)),
            self.connection.visitor.binding(),
            page_digest(self._tree.root_inner_html()),
        )

    # --- messages ---------------------------------------------------------------------------

    def _mount(self, message: MountMessage) -> list[str]:
        if not self.connection.socket:
            raise EventError(
                INVALID_TRANSPORT,
                "the HTTP fallback takes event, params and navigate messages; a "
                "mount needs no message, the first event carries the view token",
            )
        if not self.connection.origin_allowed:
            raise EventError(
                FORBIDDEN_ORIGIN,
                "this server does not accept sockets from the "
                "page's origin; add its host to ALLOWED_HOSTS",
            )
        if self.view is not None:
            raise EventError(ALREADY_MOUNTED, "this socket already has a mounted view")
        token = tokens.verify(message.get("token"), self.connection.visitor)
        cls = lookup_view(token.view)
        if cls is None:
            raise TokenError(f"the view {token.view!r} named by the token no longer exists")
        path, query = token.path, token.query
        # After dj-patch the page shows another URL of the same view: mount at that URL, so a
        # reconnect restores what the address bar says.
        url = message.get("url")
        if url:
            moved = urlsplit(url)
            route = self.connection.resolve(moved.path)
            if route is not None and route.view_class is cls:
                path, query = moved.path, moved.query
        route = self.connection.resolve(path)
        kwargs, initkwargs = (
            (route.kwargs, route.initkwargs)
            if route is not None and route.view_class is cls
            else ({}, {})
        )
        services = self._next_services()
        try:
            view = mount_view(
                cls, self.connection.make_request(path, query), kwargs, initkwargs, None, services
            )
            outcome = _rendered(view)
        except BaseException:
            self.services.release(services[1])
            raise
        self._tree = _core.LiveTree(outcome.html)
        self.view = view
        self._adopt(view, services[1])
        stale = (
            message.get("reconnect")
            or (path, query) != (token.path, token.query)
            or page_digest(outcome.html) != token.digest
        )
        mounted = _core.frame_mounted(self._tree.root_inner_html() if stale else None)
        return [mounted, *command_frames(outcome.commands, type(view).__name__)]

    def _navigate(self, message: NavigateMessage) -> list[str]:
        self._require_view()
        url = message["url"]
        if not self.connection.socket:
            # Without a socket, going to another view is a page load.
            return [_core.frame_redirect(url)]
        parts = urlsplit(url)
        route = self.connection.resolve(parts.path)
        if route is None or route.view_class is None:
            return [_core.frame_redirect(url)]
        services = self._next_services()
        try:
            view = mount_view(
                route.view_class,
                self.connection.make_request(parts.path, parts.query),
                route.kwargs,
                route.initkwargs,
                flash=carried_flash(self.view, url),
                services=services,
            )
            outcome = _rendered(view)
            tree = _core.LiveTree(outcome.html)
        except BaseException:
            # The old view stays, with everything it started; the new one's ends here.
            self.services.release(services[1])
            raise
        token = tokens.issue(
            view=view_key(route.view_class),
            path=parts.path,
            query=parts.query,
            digest=page_digest(outcome.html),
            visitor=self.connection.visitor,
        )
        # Only now does the new view replace the old: a mount that raised leaves the page as is.
        self.view, self._tree = view, tree
        self._adopt(view, services[1])
        mounted = _core.frame_mounted(tree.root_inner_html(), page_title(outcome.html), token)
        return [mounted, *command_frames(outcome.commands, type(view).__name__)]

    def _event(self, message: EventMessage) -> list[str]:
        outcome = run_event(
            self._require_view(),
            message["name"],
            message.get("params") or {},
            message.get("target"),
        )
        return self._outcome_frames(message.get("ref"), outcome)

    def _params(self, message: ParamsMessage) -> list[str]:
        view = self._require_view()
        url = message["url"]
        parts = urlsplit(url)
        route = self.connection.resolve(parts.path)
        if route is None or route.view_class is not type(view):
            raise _not_this_view(url, type(view).__name__)
        outcome = run_params(view, self.connection.make_request(parts.path, parts.query))
        return self._outcome_frames(message["ref"], outcome)

    def _ping(self, message: PingMessage) -> list[str]:
        return [_core.frame_pong(message["ref"])]

    # --- frames -----------------------------------------------------------------------------

    def _require_view(self) -> LiveView:
        if self.view is None:
            raise EventError(NOT_MOUNTED, "send a mount frame before anything else")
        return self.view

    def _outcome_frames(self, ref: int | None, outcome: Outcome | Pending) -> list[str]:
        """The patch answering ``ref``, the commands, and the error if the view's code failed."""
        if isinstance(outcome, Pending):
            waiting = outcome

            def resume(value: Any, error: Any) -> list[str]:
                return self._call(
                    lambda: self._outcome_frames(ref, waiting.finish(error)), lambda: ref
                )

            raise _Suspend(Suspended(outcome.awaitable, resume))
        name = type(outcome.view).__name__
        patch = self._tree.patch_frame(ref, outcome.html)
        if config.get("debug_vdom"):
            config.vdom_logger().debug("%s.%s -> %s", name, outcome.call, _patches_of(patch))
        frames = [patch, *command_frames(outcome.commands, name)]
        if outcome.failure is not None:
            self.last_failure = outcome.failure
            frames.append(
                _core.frame_error(
                    ref, HANDLER_ERROR, f"{outcome.call} raised {public_message(outcome.failure)}"
                )
            )
        if self._generation and PENDING:
            self.services.adopt(self._generation, assign_ids(outcome.view))
        for task_name, result, error in self.services.take_inline_results():
            # No connection to deliver them later (the HTTP fallback): they answer now.
            frames.extend(self._async_result(task_name, result, error))
        return frames

    def _call(
        self,
        work: Callable[[], list[str]],
        ref: Callable[[], int | None] = lambda: None,
        awaits: bool | None = None,
    ) -> list[str]:
        """Run ``work`` under the host's guard; its frames, or the error frame of what it
        raised. On a connection that ``awaits``, a call that reached an ``async def`` handler
        answers a :class:`Suspended` instead (typed as frames: only such hosts see one)."""
        self.last_failure = None
        deferring = defer_awaitables.set(self.connection.awaits if awaits is None else awaits)
        try:
            result: list[str] = self.connection.guard(work)
            return result
        except _Suspend as suspended:
            return cast("list[str]", suspended.suspended)
        except Exception as err:
            return [error_frame(ref(), err, self.view)]
        finally:
            defer_awaitables.reset(deferring)


class Suspended:
    """A call waiting for an ``async def`` handler (``mount`` excepted): the host runs
    ``awaitable`` on its asyncio loop, then calls ``resume(value, error)`` from a worker thread
    for the frames. The session takes no other message meanwhile."""

    def __init__(self, awaitable: Any, resume: Callable[[Any, Any], list[str]]) -> None:
        self.awaitable = awaitable
        self.resume = resume


class _Suspend(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, suspended: Suspended) -> None:
        self.suspended = suspended


def _not_this_view(url: str, view_name: str) -> EventError:
    return EventError(
        INVALID_URL,
        f"{url!r} is not served by {view_name}. Instead of dj-patch (or live_patch), use "
        f"dj-navigate (or live_redirect) to go to another view.",
    )


def message_ref(message: ClientMessage) -> int | None:
    """The ``ref`` a reply to ``message`` carries (a mount has none)."""
    ref = message.get("ref")
    return ref if isinstance(ref, int) else None


def parse_message(text: str) -> ClientMessage:
    """A browser frame, checked (size, JSON, fields) before any of the view's code runs; raises
    ``_core.ProtocolError`` with the error frame's code."""
    return _core.parse_client_message(text, int(config.get("max_frame_bytes")))


def _rendered(view: LiveView) -> Outcome:
    return render(view, call="mount()")


def _patches_of(frame: str) -> str:
    """The patch list of a patch frame, as the frame carries it (``patches`` is its last key)."""
    return frame[frame.index('"patches":') + len('"patches":') : -1]


def error_frame(ref: int | None, err: Exception, view: LiveView | None) -> str:
    """The ``error`` frame telling the browser why a frame failed; logs what is unexpected."""
    name = type(view).__name__ if view is not None else "an unmounted view"
    if isinstance(err, Dropped):
        return _core.frame_patch(ref, "[]")
    if isinstance(err, auth.AccessRefused):
        # Where the first GET would send the visitor: the login page, or the page's 403.
        return _core.frame_redirect(err.redirect_to)
    if isinstance(err, _core.ProtocolError):
        return _core.frame_error(ref if ref is not None else err.ref, err.code, str(err))
    if isinstance(err, TokenError):
        return _core.frame_error(ref, INVALID_TOKEN, str(err))
    if isinstance(err, EventError):
        return _core.frame_error(ref, err.code, err.message)
    if isinstance(err, (TemplateSyntaxError, TemplateRenderError)):
        logger.error("djust: template error in %s: %s", name, err)
        return _core.frame_error(
            ref, TEMPLATE_ERROR, f"the page of {name} could not be rendered: {public_message(err)}"
        )
    logger.error("djust: error in %s handling a frame", name, exc_info=err)
    return _core.frame_error(
        ref,
        SERVER_ERROR,
        f"the server failed while {name} handled this message: {public_message(err)}",
    )


def public_message(err: BaseException) -> str:
    """The exception text in DEBUG; only its type otherwise, so nothing private leaks."""
    if settings.DEBUG:
        return f"{type(err).__name__}: {err}"
    return type(err).__name__
