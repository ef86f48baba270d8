"""``LIVEVIEW_CONFIG``: djust's settings, read at call time, never at import."""

from __future__ import annotations

import difflib
import logging
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Transport: False serves events over HTTP POSTs instead of a WebSocket.
    "use_websocket": True,
    # Where asgi.py routes LiveViewConsumer; the client connects here.
    "websocket_path": "/ws/live/",
    # Log every patch list the server sends.
    "debug_vdom": False,
    # Raise TypeError for state values that cannot be serialised.
    "strict_serialization": False,
    # CSS framework used by the built-in components.
    "css_framework": "bootstrap5",
    # Frames larger than this are refused with a `frame_too_large` error frame.
    "max_frame_bytes": 1024 * 1024,
    # How long (seconds) a page's view token can be used to (re)connect.
    "token_max_age": 14 * 24 * 3600,
    # djust serve: how often (seconds) the server pings each socket, and after how long
    # without a word from the client it drops it.
    "heartbeat_interval": 15,
    "heartbeat_timeout": 45,
    # djust serve: request bodies larger than this (bytes) are refused with 413 before Django
    # reads them (Django's DATA_UPLOAD_MAX_MEMORY_SIZE still applies below it).
    "max_body_bytes": 256 * 1024 * 1024,
    # Pub/sub between sessions: {"backend": "memory"} (this process) or {"backend": "redis",
    # "url": "redis://127.0.0.1:6379/0", "prefix": "djust"} (every process; djust.pubsub).
    "pubsub": {"backend": "memory"},
    # Threads running start_async / @background work that is not `async def` (djust.tasks).
    "task_threads": 8,
    # Per connection: messages that run the view's code (events, params, navigations) refill
    # at this many a second, up to a burst; a connection beyond it is closed (djust.limits).
    "events_per_second": 50,
    "event_burst": 200,
    # Mounted sockets one client address may hold per process (None: no limit). Behind a
    # reverse proxy every visitor has the proxy's address: raise it, or set None.
    "max_connections_per_address": 1000,
    # Uploads (djust.uploads): bytes one connection may upload in all, and how long an
    # unfinished upload waits for a reconnect to resume it before its file is removed.
    "upload_max_session_bytes": 512 * 1024 * 1024,
    "upload_resume_seconds": 60,
}


class Config:
    """djust's settings: ``LIVEVIEW_CONFIG`` over djust's defaults, with in-process overrides.

    ``config.set('debug_vdom', True)`` turns an option on for this process without editing
    settings (for a debugging session, or a test); ``config.reset()`` drops the overrides.
    """

    def __init__(self) -> None:
        self._overrides: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        """One option's value: an override, else ``LIVEVIEW_CONFIG``, else the default."""
        _check_name(name)
        if name in self._overrides:
            return self._overrides[name]
        from django.conf import settings

        configured = getattr(settings, "LIVEVIEW_CONFIG", None) or {}
        if name in configured:
            return configured[name]
        return DEFAULTS[name]

    def set(self, name: str, value: Any) -> None:
        """Override one option for this process."""
        _check_name(name)
        self._overrides[name] = value

    def reset(self, name: str | None = None) -> None:
        """Drop the override of ``name``, or of every option."""
        if name is None:
            self._overrides.clear()
        else:
            self._overrides.pop(name, None)


def unknown_option_hint(name: object) -> str:
    """What to say about an option djust does not know: the nearest known name, or the list."""
    close = difflib.get_close_matches(str(name), list(DEFAULTS), n=1)
    if close:
        return f"Did you mean {close[0]!r}?"
    return "Known options: " + ", ".join(sorted(DEFAULTS)) + "."


def _check_name(name: str) -> None:
    if name not in DEFAULTS:
        raise KeyError(f"LIVEVIEW_CONFIG has no option {name!r}. {unknown_option_hint(name)}")


config = Config()
get = config.get


def vdom_logger() -> logging.Logger:
    """The logger for ``debug_vdom`` output; it reaches stderr even when the project has not
    configured logging for djust."""
    logger = logging.getLogger("djust.vdom")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s djust.vdom %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    return logger
