"""Event handlers: the ``@event_handler`` mark, finding a marked method by name, and calling it.

Only marked methods are callable from the wire. :func:`find_handler` looks a name up statically,
so a name sent by a browser never runs a property's getter or a ``__getattr__`` hook just by being
asked for; :func:`call_handler` binds the event's params to the handler's signature
(:func:`djust.params.bind`) and runs it, ``async def`` handlers included. Which handler an event
frame reaches (the view's, or a component's) is decided in :mod:`djust.events`.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, overload

from asgiref.sync import async_to_sync

from djust.params import bind

F = TypeVar("F", bound=Callable[..., Any])

HANDLER_MARK = "_djust_event_handler"


@overload
def event_handler(func: F) -> F: ...


@overload
def event_handler(func: None = None) -> Callable[[F], F]: ...


def event_handler(func: F | None = None) -> F | Callable[[F], F]:
    """Mark a view or component method as an event handler.

    Only marked methods can be called from the wire; every other method, public or not, is
    refused with an ``unknown_event`` error frame. Works bare (``@event_handler``) and called
    (``@event_handler()``), on plain and ``async def`` methods. Parameters are converted to their
    annotations; see :func:`djust.params.bind`.
    """

    def mark(f: F) -> F:
        if not callable(f):
            raise TypeError(
                f"@event_handler marks methods, not {type(f).__name__}. Instead of decorating "
                f"a value, decorate the `def` that handles the event."
            )
        setattr(f, HANDLER_MARK, True)
        return f

    if func is None:
        return mark
    return mark(func)


def is_event_handler(func: object) -> bool:
    """Whether ``func`` was marked with ``@event_handler``."""
    return bool(getattr(func, HANDLER_MARK, False))


def _marked(owner: object, name: str) -> bool:
    try:
        static = inspect.getattr_static(owner, name)
    except AttributeError:
        return False
    if isinstance(static, (staticmethod, classmethod)):
        static = static.__func__
    return is_event_handler(static)


def find_handler(owner: object, name: object) -> Callable[..., Any] | None:
    """``owner``'s bound method ``name`` if it is marked ``@event_handler``, else ``None``."""
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        return None
    if not _marked(owner, name):
        return None
    handler = getattr(owner, name)
    return handler if callable(handler) else None


def handler_names(owner: object) -> list[str]:
    """The names of ``owner``'s event handlers, for error messages that suggest one."""
    return [name for name in dir(type(owner)) if not name.startswith("_") and _marked(owner, name)]


# Set by a host that awaits on its own (``djust serve``): an ``async def`` handler's coroutine
# is then handed back unawaited, for the host to run on its asyncio loop while the thread that
# called the handler goes back to other work.
defer_awaitables: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "djust_defer_awaitables", default=False
)


def call_handler(handler: Callable[..., Any], name: str, params: Any) -> Any:
    """Bind ``params`` to ``handler`` and run it to completion, ``async def`` handlers included.

    An ``async def`` handler runs through asgiref's ``async_to_sync``: inside a socket session
    (itself a ``sync_to_async`` worker) it runs on the server's event loop, and its ORM calls
    come back to the worker thread, as Django's own async views do. Under
    :data:`defer_awaitables` its coroutine is returned instead, not yet started.
    """
    kwargs = bind(handler, name, params)
    if inspect.iscoroutinefunction(handler):
        if defer_awaitables.get():
            return handler(**kwargs)
        return run_coroutine(handler, kwargs)
    result = handler(**kwargs)
    if inspect.isawaitable(result) and not defer_awaitables.get():
        awaitable = result

        async def wait() -> Any:
            return await awaitable

        return run_coroutine(wait, {})
    return result


def run_coroutine(func: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """Run the coroutine function ``func(**kwargs)`` to completion from synchronous code."""
    suspended = asyncio._get_running_loop()
    if suspended is None:
        return async_to_sync(func)(**kwargs)
    # We were called synchronously, so the loop marked as running in this thread is suspended
    # (Playwright's sync API, for one, parks its loop that way). Unmark it while asgiref runs
    # the coroutine on a loop of its own: thread-sensitive calls (the ORM) still come back to
    # this thread and its database connection.
    asyncio._set_running_loop(None)
    try:
        return async_to_sync(func)(**kwargs)
    finally:
        asyncio._set_running_loop(suspended)
