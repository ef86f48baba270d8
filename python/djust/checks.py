"""System checks (``manage.py check``) for djust's configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from djust.config import DEFAULTS, unknown_option_hint


@checks.register(checks.Tags.compatibility)
def check_liveview_config(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """LIVEVIEW_CONFIG must be a dict whose keys djust knows."""
    config = getattr(settings, "LIVEVIEW_CONFIG", None)
    if config is None:
        return []
    if not isinstance(config, dict):
        return [
            checks.Error(
                f"LIVEVIEW_CONFIG must be a dict, not {type(config).__name__}.",
                hint=(
                    "Instead of another type, write LIVEVIEW_CONFIG = {'use_websocket': True, ...}."
                ),
                id="djust.E001",
            )
        ]
    messages: list[checks.CheckMessage] = []
    for key in config:
        if key not in DEFAULTS:
            messages.append(
                checks.Warning(
                    f"LIVEVIEW_CONFIG has an unknown option {key!r}; djust ignores it.",
                    hint=unknown_option_hint(key),
                    id="djust.W001",
                )
            )
    return messages
