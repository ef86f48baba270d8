"""Pub/sub: ``broadcast`` a message to every session subscribed to a topic, wherever it runs.

Call :func:`broadcast` from anywhere — a handler, a model signal, a management command, the
Django shell, a Celery task; :func:`abroadcast` from async code. Each subscribed view (or live
component) receives ``handle_info(event, payload)`` and its page is patched. :func:`push` sends
the same ``push_event`` frame to every subscriber's browser with no Python per subscriber.

Where a message goes:

- sessions of ``djust serve`` in this process: Rust's broker (``_core.pubsub_publish``); with
  ``LIVEVIEW_CONFIG['pubsub'] = {'backend': 'redis', 'url': ...}`` it also travels through
  Redis to every other process (``--workers``, other machines) and arrives from them;
- sessions under Channels: the channel layer's group for the topic (``channels_redis`` reaches
  other processes), when Channels is installed with a layer configured and this process is not
  a ``djust serve`` server;
- sessions of the test client in this process: :data:`local_hub`.

Payloads are JSON objects (a dict of JSON values), checked here, at the call: an error names
what cannot be sent. Publishing never blocks on the network and never raises because a
transport is down: a lost message is logged and counted (:func:`stats`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
import weakref
from typing import Any, Protocol

from djust import _core, config

logger = logging.getLogger("djust")

# Set by ``djust serve`` in its process: sessions are then the broker's, not a channel layer's.
SERVING = False

MAX_TOPIC_BYTES = 512


def check_topic(topic: Any) -> str:
    """``topic`` if it names a topic; raises ``TypeError``/``ValueError`` saying why not."""
    if not isinstance(topic, str):
        raise TypeError(f"a topic is a str, got {type(topic).__name__} {topic!r}")
    size = len(topic.encode())
    if not 0 < size <= MAX_TOPIC_BYTES:
        raise ValueError(f"a topic is a non-empty name of at most {MAX_TOPIC_BYTES} bytes")
    return topic


def payload_json(call: str, event: Any, payload: Any) -> str:
    """``payload`` (a dict of JSON values, or ``None``) as JSON text; raises ``TypeError``
    naming what cannot be sent."""
    if not isinstance(event, str) or not event:
        raise ValueError(f"{call}() needs an event name, got {event!r}")
    if payload is None:
        return "{}"
    if not isinstance(payload, dict):
        raise TypeError(
            f"{call}({event!r}): the payload must be a dict, got {type(payload).__name__}. "
            f"Instead, send {{'value': ...}}."
        )
    try:
        return json.dumps(payload, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{call}({event!r}): the payload cannot be sent as JSON ({err}). Send plain "
            f"values (str, int, float, bool, None, list, dict): an id instead of a model "
            f"instance, an ISO string instead of a datetime."
        ) from None


# --- the local hub: sessions in this process that no server hosts (the test client) ------------


class LocalSubscriber(Protocol):
    def published(self, topic: str, event: str, payload: str) -> None: ...

    def pushed(self, frame: str) -> None: ...


class LocalHub:
    """Topics of this process's sessions that neither ``djust serve`` nor a channel layer hosts
    (the test client's, or a Channels consumer's when no layer is configured)."""

    def __init__(self) -> None:
        self._topics: dict[str, weakref.WeakSet[Any]] = {}
        self._lock = threading.Lock()
        # Messages a subscriber's full inbox refused.
        self.dropped = 0

    def subscribe(self, topic: str, subscriber: LocalSubscriber) -> None:
        with self._lock:
            self._topics.setdefault(topic, weakref.WeakSet()).add(subscriber)

    def unsubscribe(self, topic: str, subscriber: LocalSubscriber) -> None:
        with self._lock:
            found = self._topics.get(topic)
            if found is not None:
                found.discard(subscriber)
                if not found:
                    del self._topics[topic]

    def forget(self, subscriber: LocalSubscriber) -> None:
        with self._lock:
            for topic in list(self._topics):
                self._topics[topic].discard(subscriber)
                if not self._topics[topic]:
                    del self._topics[topic]

    def subscribers(self, topic: str) -> list[LocalSubscriber]:
        with self._lock:
            return list(self._topics.get(topic, ()))

    def publish(self, topic: str, event: str, payload: str) -> int:
        found = self.subscribers(topic)
        for subscriber in found:
            subscriber.published(topic, event, payload)
        return len(found)

    def push(self, topic: str, frame: str) -> int:
        found = self.subscribers(topic)
        for subscriber in found:
            subscriber.pushed(frame)
        return len(found)


local_hub = LocalHub()


# --- configuration --------------------------------------------------------------------------

_configured = False
_configure_lock = threading.Lock()


def settings() -> dict[str, Any]:
    """``LIVEVIEW_CONFIG['pubsub']`` with its defaults: ``backend`` (``"memory"``: this process
    only; ``"redis"``), ``url``, ``prefix`` (of the Redis channels, ``"djust"``)."""
    found = config.get("pubsub") or {}
    if not isinstance(found, dict):
        raise TypeError("LIVEVIEW_CONFIG['pubsub'] must be a dict such as {'backend': 'redis'}")
    backend = found.get("backend", "memory")
    if backend not in ("memory", "redis"):
        raise ValueError(
            f"LIVEVIEW_CONFIG['pubsub']['backend'] is {backend!r}; use 'memory' (this process "
            f"only) or 'redis' (every process, through the Redis server at 'url')"
        )
    return {
        "backend": backend,
        "url": found.get("url", "redis://127.0.0.1:6379/0"),
        "prefix": found.get("prefix", "djust"),
    }


def configure(force: bool = False) -> dict[str, Any]:
    """Link this process's broker to Redis when the settings ask for it (done once, on first
    use; ``djust serve`` calls it at start so a bad URL stops the server with a clear line)."""
    global _configured
    with _configure_lock:
        chosen = settings()
        if force or not _configured:
            _core.pubsub_configure(
                chosen["url"] if chosen["backend"] == "redis" else None, chosen["prefix"]
            )
            _configured = True
    return chosen


def stats() -> dict[str, Any]:
    """This process's pub/sub counters: ``published``, ``delivered``, ``dropped`` (a session's
    mailbox was full), ``received_remote``, ``remote_failures`` (Redis could not take a
    message), ``remote`` (``None`` without Redis, else whether it is connected now)."""
    found = dict(_core.pubsub_stats())
    found["dropped"] += local_hub.dropped
    return found


# --- publishing -----------------------------------------------------------------------------


def group_name(topic: str) -> str:
    """The channel-layer group of ``topic`` (group names allow few characters and 100 of them)."""
    return "djust.topic." + hashlib.sha256(topic.encode()).hexdigest()[:40]


def channel_layer() -> Any:
    if SERVING:
        return None
    try:
        from django.conf import settings as django_settings

        if not getattr(django_settings, "CHANNEL_LAYERS", None):
            return None
        from channels.layers import get_channel_layer
    except ImportError:
        return None
    return get_channel_layer()


def _published(topic: str, event: Any, payload: Any, call: str) -> dict[str, Any]:
    """Deliver ``handle_info(event, payload)`` in this process (and through Redis); the
    channel-layer message carrying it to Channels consumers."""
    check_topic(topic)
    text = payload_json(call, event, payload)
    _ensure_configured()
    _core.pubsub_publish(topic, event, text)
    local_hub.publish(topic, event, text)
    return {"type": "djust.published", "topic": topic, "event": event, "payload": text}


def _pushed(topic: str, event: Any, payload: Any, call: str) -> dict[str, Any]:
    """Send a ``push_event`` frame, encoded once, in this process (and through Redis); the
    channel-layer message carrying it to Channels consumers."""
    check_topic(topic)
    frame = _core.frame_push_event(event, payload_json(call, event, payload))
    _ensure_configured()
    _core.pubsub_push(topic, frame)
    local_hub.push(topic, frame)
    return {"type": "djust.push", "topic": topic, "frame": frame}


def _ensure_configured() -> None:
    if not _configured:
        configure()


# Group sends started from inside a running event loop, kept until done (a task nobody holds
# may be collected before it runs).
_pending: set[asyncio.Task[Any]] = set()


def _send_to_group(message: dict[str, Any]) -> None:
    """Hand ``message`` to its topic's channel-layer group from synchronous code: at once when
    no loop runs in this thread, as a task of the running loop otherwise."""
    layer = channel_layer()
    if layer is None:
        return
    group = group_name(message["topic"])
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    try:
        if loop is None:
            from asgiref.sync import async_to_sync

            async_to_sync(layer.group_send)(group, message)
        else:
            task = loop.create_task(layer.group_send(group, message))
            _pending.add(task)
            task.add_done_callback(_group_sent)
    except Exception:  # noqa: BLE001 - a broadcast never raises into its caller
        logger.exception("djust: a broadcast to %r through the channel layer failed", group)


async def _asend_to_group(message: dict[str, Any]) -> None:
    layer = channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(group_name(message["topic"]), message)
    except Exception:  # noqa: BLE001 - a broadcast never raises into its caller
        logger.exception(
            "djust: a broadcast to %r through the channel layer failed", message["topic"]
        )


def _group_sent(task: asyncio.Task[Any]) -> None:
    _pending.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error(
            "djust: a broadcast through the channel layer failed", exc_info=task.exception()
        )


def broadcast(topic: str, event: str, payload: dict[str, Any] | None = None) -> None:
    """Deliver ``handle_info(event, payload)`` to every session subscribed to ``topic``."""
    _send_to_group(_published(topic, event, payload, "broadcast"))


async def abroadcast(topic: str, event: str, payload: dict[str, Any] | None = None) -> None:
    """:func:`broadcast` for async code: the channel layer's send is awaited."""
    await _asend_to_group(_published(topic, event, payload, "abroadcast"))


def push(topic: str, event: str, payload: dict[str, Any] | None = None) -> None:
    """Send one ``push_event(event, payload)`` frame, encoded once, to every browser subscribed
    to ``topic`` (hooks receive it with ``handleEvent``); no view code runs."""
    _send_to_group(_pushed(topic, event, payload, "push"))


async def apush(topic: str, event: str, payload: dict[str, Any] | None = None) -> None:
    """:func:`push` for async code."""
    await _asend_to_group(_pushed(topic, event, payload, "apush"))
