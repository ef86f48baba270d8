"""Decorators for views: ``@event_handler``, ``@reactive`` and the ``@live_view`` function view."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar, overload

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


class reactive(property):  # noqa: N801 (named like the `property` it is)
    """A computed attribute the template sees, like a public attribute.

    ``@reactive`` works as ``@property`` does (with ``@name.setter``); unlike a plain property,
    its value is part of the template context. Every event re-renders the page, so a change made
    through the setter reaches the browser with that event's patches.
    """


def live_view(func: Callable[..., Any] | None = None, *, template_name: str | None = None,
              template_string: str | None = None) -> Any:
    """A LiveView written as a function that returns its state and handlers (``locals()``).

    The function runs at mount with ``(request, **url_kwargs)``. What it returns becomes the
    view: plain values are the template context, functions are the event handlers, and
    variables those functions change with ``nonlocal`` are read back after every event::

        @live_view(template_name='counter.html')
        def counter_view(request):
            count = 0

            def increment():
                nonlocal count
                count += 1

            return locals()

    The result is a Django view function for ``urlpatterns`` (``path('counter/',
    counter_view)``); its LiveView class is ``counter_view.view_class``.
    """

    def build(f: Callable[..., Any]) -> Any:
        from djust.live_view import function_view_class

        cls = function_view_class(f, template_name=template_name,
                                  template_string=template_string)
        view = cls.as_live_view()
        view.as_live_view = cls.as_live_view  # type: ignore[attr-defined]
        return view

    if func is not None:
        if not inspect.isfunction(func):
            raise TypeError("@live_view decorates a function: @live_view(template_name='x.html')")
        return build(func)
    return build


# --- finding and calling handlers --------------------------------------------------------------


def find_handler(owner: object, name: object) -> Callable[..., Any] | None:
    """``owner``'s bound method ``name`` if it is marked ``@event_handler``, else ``None``.

    Looks the name up statically first, so that a name sent from the wire never runs a
    property's getter or a ``__getattr__`` hook just by being asked for.
    """
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        return None
    try:
        static = inspect.getattr_static(owner, name)
    except AttributeError:
        return None
    if isinstance(static, (staticmethod, classmethod)):
        static = static.__func__
    if not is_event_handler(static):
        return None
    handler = getattr(owner, name)
    return handler if callable(handler) else None


def handler_names(owner: object) -> list[str]:
    """The names of ``owner``'s event handlers, for error messages that suggest one."""
    names = []
    for name in dir(type(owner)):
        if not name.startswith("_"):
            try:
                static = inspect.getattr_static(owner, name)
            except AttributeError:
                continue
            if isinstance(static, (staticmethod, classmethod)):
                static = static.__func__
            if is_event_handler(static):
                names.append(name)
    return names


def call_handler(handler: Callable[..., Any], name: str, params: Any) -> Any:
    """Bind ``params`` to ``handler`` and run it to completion, ``async def`` handlers included.

    An ``async def`` handler runs through asgiref's ``async_to_sync``: inside a socket session
    (itself a ``sync_to_async`` worker) it runs on the server's event loop, and its ORM calls
    come back to the worker thread, as Django's own async views do.
    """
    from djust.params import bind

    kwargs = bind(handler, name, params)
    if inspect.iscoroutinefunction(handler):
        return _run_coroutine(handler, kwargs)
    result = handler(**kwargs)
    if inspect.isawaitable(result):
        awaitable = result

        async def wait() -> Any:
            return await awaitable

        return _run_coroutine(wait, {})
    return result


def _run_coroutine(func: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    import asyncio

    from asgiref.sync import async_to_sync

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
