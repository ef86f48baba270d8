"""``LiveViewConsumer``: djust over Django Channels (route ``ws/live/`` to it in ``asgi.py``).

The consumer is a thin host for :class:`~djust.session.LiveSession`: it builds the connection's
:class:`~djust.connection.Connection` from the scope, hands the session each text frame from a
worker thread (one at a time, so a view sees its events in order), and sends back what the
session answers. Messages the server starts reach the session through the channel layer: a
``{"type": "djust.info", "event": ..., "payload": {...}}`` sent to the consumer's channel calls
the view's ``handle_info``.

Importing this module reads no settings and touches no models, so ``asgi.py`` may import it
before setting ``DJANGO_SETTINGS_MODULE``.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import itertools
import logging
from typing import Any

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from djust import pubsub
from djust.connection import Connection, with_fresh_db_connections
from djust.session import LiveSession

logger = logging.getLogger("djust")

# Close codes in the 4000-4999 range are free for applications.
CLOSE_FORBIDDEN_ORIGIN = 4403


class LiveViewConsumer(AsyncWebsocketConsumer):
    """One browser socket serving one LiveView, frame by frame and in order."""

    async def connect(self) -> None:
        connection = await sync_to_async(Connection.from_scope)(
            self.scope, guard=with_fresh_db_connections
        )
        if not connection.origin_allowed:
            await self.close(code=CLOSE_FORBIDDEN_ORIGIN)
            return
        self.services = ChannelsServices(self, asyncio.get_running_loop())
        self.session = LiveSession(dataclasses.replace(connection, services=self.services))
        self.session.accepts_binary = True
        # One call into the session at a time, in arrival order: frames, channel-layer
        # messages, timers and task results all wait their turn.
        self._turn = asyncio.Lock()
        await self.accept()

    async def _run(self, call: Any, *args: Any) -> None:
        async with self._turn:
            # A timer or a task result may find the socket closed by the time its turn comes.
            if self.services.closed:
                return
            frames = await sync_to_async(call)(*args)
            if not self.services.closed:
                await self._send_all(frames)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            # Binary frames are upload chunks (djust.uploads).
            await self._run(self.session.handle_binary, bytes_data or b"")
            return
        await self._run(self.session.handle_frame, text_data)

    async def djust_info(self, message: dict[str, Any]) -> None:
        """A channel-layer message for the view's ``handle_info``."""
        await self._run(self.session.handle_info, message["event"], message.get("payload") or {})

    async def djust_published(self, message: dict[str, Any]) -> None:
        """A broadcast to a topic this session subscribed to (``djust.broadcast``)."""
        await self._run(
            self.session.handle_published, message["topic"], message["event"], message["payload"]
        )

    async def djust_push(self, message: dict[str, Any]) -> None:
        """A ``push_event`` frame for every subscriber of a topic (``djust.push``)."""
        await self.send(text_data=message["frame"])

    async def _send_all(self, frames: list[str]) -> None:
        for frame in frames:
            await self.send(text_data=frame)
        if self.session.close_code is not None:
            # The session ended itself (a rate limit, a logout elsewhere): docs/protocol.md.
            await self.close(code=self.session.close_code)

    async def disconnect(self, code: int) -> None:
        session = getattr(self, "session", None)
        if session is not None:
            self.services.closed = True
            await sync_to_async(session.close)()
            self.services.stop()


class ChannelsServices:
    """A consumer's side of its session's subscriptions, timers and task results: topics are
    channel-layer groups (the in-process hub without a layer), timers the event loop's, and
    results reach the session through the consumer's turn, in order with its frames."""

    def __init__(self, consumer: LiveViewConsumer, loop: asyncio.AbstractEventLoop) -> None:
        self.consumer = consumer
        self.loop = loop
        self.closed = False
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._ids = itertools.count(1)
        self._layer = pubsub.channel_layer()
        self._pending: set[asyncio.Task[Any]] = set()

    # Called from the session, on the worker thread sync_to_async runs it on.

    def subscribe(self, topic: str) -> None:
        if self._layer is not None:
            self._on_loop(
                self._layer.group_add(pubsub.group_name(topic), self.consumer.channel_name)
            )
        else:
            pubsub.local_hub.subscribe(topic, self)

    def unsubscribe(self, topic: str) -> None:
        if self._layer is not None:
            self._on_loop(
                self._layer.group_discard(pubsub.group_name(topic), self.consumer.channel_name)
            )
        else:
            pubsub.local_hub.unsubscribe(topic, self)

    def _on_loop(self, coroutine: Any) -> None:
        """Run ``coroutine`` on the consumer's loop: at once when the caller is on that loop
        (asgiref runs an ``async def`` view method there), else waiting for it from the
        worker thread. (Not ``async_to_sync``, which refuses inside a running loop.)"""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self._keep(self.loop.create_task(coroutine))
            return
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def start_timer(self, after_ms: int, repeat: bool, event: str, payload: str, owner: str) -> int:
        timer_id = next(self._ids)

        def fire() -> None:
            if repeat:
                arm()
            else:
                self._timers.pop(timer_id, None)
            self._start(self.consumer.session.handle_timer, event, payload, owner, timer_id)

        def arm() -> None:
            if not self.closed:
                self._timers[timer_id] = self.loop.call_later(
                    after_ms / 1000, fire, context=contextvars.Context()
                )

        self.loop.call_soon_threadsafe(arm, context=contextvars.Context())
        return timer_id

    def _start(self, call: Any, *args: Any) -> None:
        """Queue a call into the session from any thread. It runs in a fresh context: one
        copied from the worker thread that asked would make asgiref see that thread's
        executor as busy."""

        def start() -> None:
            if not self.closed:
                self._keep(self.loop.create_task(self._deliver(call, *args)))

        self.loop.call_soon_threadsafe(start, context=contextvars.Context())

    def _keep(self, task: asyncio.Task[Any]) -> None:
        """Hold ``task`` until it is done (the loop keeps only a weak reference)."""
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _deliver(self, call: Any, *args: Any) -> None:
        """A server-started call (timer, broadcast, task result). The browser may have left
        between the call's start and its send (ASGI servers raise ``OSError`` then, before
        ``disconnect`` reaches the consumer): that is the end of the connection, not a fault."""
        try:
            await self.consumer._run(call, *args)
        except OSError:
            self.closed = True
        except Exception:  # noqa: BLE001 - nobody awaits this task: say what went wrong
            logger.exception("djust: a server-started update could not be delivered")

    def cancel_timer(self, timer_id: int) -> None:
        def cancel() -> None:
            handle = self._timers.pop(timer_id, None)
            if handle is not None:
                handle.cancel()

        self.loop.call_soon_threadsafe(cancel, context=contextvars.Context())

    def deliver_async_result(self, name: str, result: Any, error: BaseException | None) -> bool:
        if self.closed:
            return False
        self._start(self.consumer.session.handle_async_result, name, result, error)
        return True

    # Called by the in-process hub (no channel layer), from the publisher's thread.

    def published(self, topic: str, event: str, payload: str) -> None:
        self._start(self.consumer.session.handle_published, topic, event, payload)

    def pushed(self, frame: str) -> None:
        if not self.closed:
            asyncio.run_coroutine_threadsafe(self.consumer.send(text_data=frame), self.loop)

    def stop(self) -> None:
        """The socket closed: no timer fires again (runs on the event loop)."""
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        pubsub.local_hub.forget(self)
