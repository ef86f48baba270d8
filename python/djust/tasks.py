"""Background work of a view: ``start_async`` and ``@background``, run off the event path.

A plain function runs on a thread of a small pool of its own (``LIVEVIEW_CONFIG['task_threads']``,
so slow reports never take the threads that answer events); an ``async def`` runs on one asyncio
loop thread shared by the process. Either way the result (or the exception) is handed back to
the session, which delivers it to ``handle_async_result(name, result, error)`` in order with the
view's events. A cancelled task's result is never delivered; a task that has not started yet
does not start.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import inspect
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from django.db import close_old_connections

from djust import config

logger = logging.getLogger("djust")

Done = Callable[["Task", Any, "BaseException | None"], None]


class Task:
    """One running piece of background work."""

    def __init__(self) -> None:
        self.cancelled = False
        self._future: concurrent.futures.Future[Any] | None = None

    def cancel(self) -> None:
        """Stop it: a task not started never starts, a coroutine is cancelled at its next
        ``await``, and a function already running finishes unheard (threads cannot be
        interrupted)."""
        self.cancelled = True
        if self._future is not None:
            self._future.cancel()


_pool: concurrent.futures.ThreadPoolExecutor | None = None
_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def _thread_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=int(config.get("task_threads")), thread_name_prefix="djust-task"
            )
        return _pool


def event_loop() -> asyncio.AbstractEventLoop:
    """The process's asyncio loop for ``async def`` background work, on a daemon thread."""
    global _loop
    with _lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="djust-asyncio", daemon=True).start()
            _loop = loop
        return _loop


def _call_sync(callback: Callable[..., Any], args: tuple[Any, ...], kwargs: Any) -> Any:
    # A task thread is a foreign thread to Django: keep its database connections fresh.
    close_old_connections()
    try:
        return callback(*args, **kwargs)
    finally:
        close_old_connections()


def start(
    callback: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any], done: Done
) -> Task:
    """Run ``callback(*args, **kwargs)`` in the background; ``done(task, result, error)`` is
    called from the thread that finished it, unless the task was cancelled."""
    task = Task()
    if inspect.iscoroutinefunction(callback):
        future: concurrent.futures.Future[Any] = asyncio.run_coroutine_threadsafe(
            callback(*args, **kwargs), event_loop()
        )
    else:
        future = _thread_pool().submit(_call_sync, callback, args, dict(kwargs))
    task._future = future

    def finished(future: concurrent.futures.Future[Any]) -> None:
        if task.cancelled or future.cancelled():
            return
        error = future.exception()
        if error is not None and not isinstance(error, Exception):
            return  # KeyboardInterrupt and the like are not a view's business
        try:
            done(task, None if error is not None else future.result(), error)
        except Exception:  # noqa: BLE001 - the delivering thread must live on
            logger.exception("djust: a background task's result could not be delivered")

    future.add_done_callback(finished)
    return task


def run_inline(
    callback: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[Any, Exception | None]:
    """Run ``callback`` now (for a connection that cannot deliver a result later)."""
    try:
        if inspect.iscoroutinefunction(callback):
            result = asyncio.run_coroutine_threadsafe(
                callback(*args, **kwargs), event_loop()
            ).result()
        else:
            result = callback(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - delivered to handle_async_result
        return None, err
    return result, None


def background(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run an event handler off the event path: the event is answered at once (render a
    loading state from what the handler set before, e.g. with ``@event_handler`` calling a
    ``@background`` method, or with ``dj-loading``) and the page is patched again when the
    handler finishes. Its name is the task's name: a second click while it runs cancels the
    first run. Use on a method that is also an ``@event_handler``::

        @event_handler
        @background
        def generate_report(self): ...
    """

    @functools.wraps(handler)
    def start_in_background(self: Any, *args: Any, **kwargs: Any) -> None:
        self.start_async(handler, self, *args, name=handler.__name__, **kwargs)

    start_in_background._djust_background = True  # type: ignore[attr-defined]
    return start_in_background
