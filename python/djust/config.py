"""``LIVEVIEW_CONFIG``: djust's settings, read at call time, never at import."""

from __future__ import annotations

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
}


def get(name: str) -> Any:
    """One ``LIVEVIEW_CONFIG`` value, falling back to djust's default."""
    from django.conf import settings

    config = getattr(settings, "LIVEVIEW_CONFIG", None) or {}
    if name in config:
        return config[name]
    return DEFAULTS[name]
