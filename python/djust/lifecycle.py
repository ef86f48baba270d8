"""The life of a view: mount it, then run what happens to it, each step ending in an outcome.

Every host drives a view through these functions — the first GET (:mod:`djust.page`), the
session behind a socket or the HTTP fallback (:mod:`djust.session`), and through the session the
test client. Each step runs the view's code and renders it, and returns an :class:`Outcome`: the
new page, the commands the view queued, and the exception its code raised, if any. What to send
(patches, frames, an HTTP response) is the caller's business.

An event refused before any user code runs (:class:`~djust.exceptions.EventError`) propagates;
an exception raised by user code in a handler, ``handle_info`` or a task's result is caught and
logged, the view is rendered all the same (it may have changed state before failing, and the
page must show what the server holds), and the outcome carries the exception.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from djust import streams
from djust.auth import check_view_access
from djust.exceptions import EventError
from djust.handlers import defer_awaitables, run_coroutine
from djust.params import query_params

if TYPE_CHECKING:
    from djust.live_view import LiveView

logger = logging.getLogger("djust")


@dataclass
class Outcome:
    """What one step of a view's life produced."""

    view: LiveView
    html: str
    commands: list[dict[str, Any]] = field(default_factory=list)
    failure: Exception | None = None
    # What ran, for logs and the error frame: "increment()", "handle_info('tick')".
    call: str = "render()"


def mount_view(
    cls: type[LiveView],
    request: HttpRequest,
    url_kwargs: Mapping[str, Any],
    initkwargs: Mapping[str, Any] | None = None,
    flash: Mapping[str, str] | None = None,
    services: tuple[Any, str] | None = None,
) -> LiveView:
    """A new ``cls`` for ``request``: constructed, ``mount``-ed and given its ``handle_params``.

    ``flash`` is what the previous view handed over (see :func:`carried_flash`); ``mount``
    already sees it. Raises :class:`~djust.auth.AccessRefused` before anything runs when the
    visitor may not see ``cls`` (its ``login_required``/``permission_required``).
    """
    check_view_access(cls, request)
    live = cls(**(initkwargs or {}))
    live.request = request
    live.__dict__["_uri"] = request.get_full_path()
    if services is not None:
        # The connection's services and this view's generation in them (djust.services), so
        # that mount() can subscribe and start timers and tasks.
        live.__dict__["_djust_services"] = services
    if flash:
        live.__dict__["_flash"] = dict(flash)
    # ``async def mount`` returns a coroutine; LiveView's own signature says None.
    mounted: Any = live.mount(request, **url_kwargs)  # type: ignore[func-returns-value]
    if inspect.isawaitable(mounted):
        # ``async def mount``: run to completion here (a view is not there until it mounted).
        _await(mounted)
    live.handle_params(query_params(request.GET), request.get_full_path())
    return live


def render(view: LiveView, failure: Exception | None = None, call: str = "render()") -> Outcome:
    """Render ``view`` and collect the commands it queued (after ``call`` ran)."""
    # The session's tree keeps the streams' containers empty; their new items go as a command.
    html, streamed = streams.detach(view, view.render_page())
    return Outcome(view, html, [*streamed, *view.drain_commands()], failure, call)


def mount(
    cls: type[LiveView],
    request: HttpRequest,
    url_kwargs: Mapping[str, Any],
    initkwargs: Mapping[str, Any] | None = None,
    flash: Mapping[str, str] | None = None,
) -> Outcome:
    """Mount a new ``cls`` (see :func:`mount_view`) and render it."""
    return render(mount_view(cls, request, url_kwargs, initkwargs, flash))


def run_event(view: LiveView, name: str, params: Any, target: str | None = None) -> Outcome:
    """Run the event handler ``name`` (of component ``target``) with ``params``, then render."""
    return _run(view, f"{name}()", view.handle_event, name, params, target)


def run_params(view: LiveView, request: HttpRequest) -> Outcome:
    """Move ``view`` to ``request``'s URL (``handle_params``), then render."""
    view.request = request
    view.handle_params(query_params(request.GET), request.get_full_path())
    return render(view, call="handle_params()")


def run_info(
    view: LiveView, event: str, payload: Mapping[str, Any], receiver: Any = None
) -> Outcome:
    """Deliver a message the server started (pub/sub, a timer) to ``handle_info`` of the view
    (or of ``receiver``, one of its live components), then render the view."""
    receiver = view if receiver is None else receiver
    return _run(
        view,
        f"{_who(view, receiver)}handle_info({event!r})",
        receiver.handle_info,
        event,
        dict(payload),
    )


def run_async_result(
    view: LiveView, name: str, result: Any, error: BaseException | None, receiver: Any = None
) -> Outcome:
    """Deliver a background task's result to ``handle_async_result`` of the view (or of
    ``receiver``, one of its live components), then render the view."""
    receiver = view if receiver is None else receiver
    return _run(
        view,
        f"{_who(view, receiver)}handle_async_result({name!r})",
        receiver.handle_async_result,
        name,
        result,
        error,
    )


def _who(view: LiveView, receiver: Any) -> str:
    return "" if receiver is view else f"{receiver.component_id}."


@dataclass
class Pending:
    """A step waiting for an ``async def`` handler (see ``handlers.defer_awaitables``): run
    ``awaitable`` on an event loop, then :meth:`finish` with what it gave."""

    view: LiveView
    call: str
    awaitable: Any

    def finish(self, error: BaseException | None) -> Outcome:
        """The outcome once the awaitable finished (raising ``error``, or not)."""
        if error is not None and not isinstance(error, Exception):
            error = RuntimeError(f"{self.call} was cancelled")
        return _ran(self.view, self.call, error)


def _run(view: LiveView, call: str, function: Any, *args: Any) -> Outcome | Any:
    try:
        result = function(*args)
    except EventError:
        raise
    except Exception as err:
        return _ran(view, call, err)
    if inspect.isawaitable(result):
        if defer_awaitables.get():
            return Pending(view, call, result)
        try:
            _await(result)
        except EventError:
            raise
        except Exception as err:
            return _ran(view, call, err)
    return render(view, call=call)


def _await(awaitable: Any) -> Any:
    """Run ``awaitable`` to completion from synchronous code (``async def`` view methods)."""

    async def wait() -> Any:
        return await awaitable

    return run_coroutine(wait, {})


def _ran(view: LiveView, call: str, failure: BaseException | None) -> Outcome:
    if isinstance(failure, EventError):
        raise failure
    if failure is not None:
        logger.error("djust: %s.%s raised", type(view).__name__, call, exc_info=failure)
        return render(view, failure if isinstance(failure, Exception) else None, call)
    return render(view, call=call)


def carried_flash(previous: LiveView | None, url: str) -> dict[str, str]:
    """The flash ``previous`` hands to the view at ``url``: all of it when ``previous`` asked
    for that navigation with ``live_redirect`` (so ``put_flash`` then ``live_redirect`` shows
    the message on the next page), nothing when the visitor simply followed a link."""
    if previous is None or previous.__dict__.get("_redirected_to") != url:
        return {}
    return dict(previous.__dict__.get("_flash", {}))
