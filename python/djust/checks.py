"""System checks (``manage.py check``) for djust's configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from djust.audit import live_views
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


@checks.register(checks.Tags.security, deploy=True)
def check_auth_posture(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every routed LiveView says who may see it, even when the answer is "anyone" (``manage.py
    check --deploy``: the README's first examples rightly leave it out)."""
    return [
        checks.Warning(
            f"{view.view} (at {view.url}) declares neither login_required nor "
            f"permission_required, so anyone can mount it and call its handlers.",
            hint=(
                "Instead of leaving it implicit, set login_required = True (or mix in "
                "LoginRequiredMixin), permission_required = 'app.codename', or "
                "login_required = False for a page that is public on purpose."
            ),
            id="djust.S005",
        )
        for view in live_views()
        if view.undeclared
    ]


@checks.register(checks.Tags.security)
def check_deployment(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """What a public deployment needs: a channel layer across processes, an origin list."""
    if settings.DEBUG:
        return []
    messages: list[checks.CheckMessage] = []
    layers = getattr(settings, "CHANNEL_LAYERS", None) or {}
    backend = str(layers.get("default", {}).get("BACKEND", ""))
    if backend.endswith("InMemoryChannelLayer"):
        messages.append(
            checks.Warning(
                "DEBUG is off and CHANNEL_LAYERS uses InMemoryChannelLayer: messages do not "
                "cross processes, so a second worker never hears the first one's broadcasts.",
                hint="Instead, use channels_redis.core.RedisChannelLayer in production.",
                id="djust.S006",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        messages.append(
            checks.Warning(
                "DEBUG is off and ALLOWED_HOSTS contains '*': djust accepts LiveView sockets "
                "from pages of any origin, so another site can drive your views with your "
                "visitors' cookies.",
                hint="Instead of '*', list the hosts your pages are served from.",
                id="djust.S007",
            )
        )
    return messages
