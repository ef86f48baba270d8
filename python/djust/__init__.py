"""djust: Phoenix LiveView-style reactive views for Django, with the hot paths in Rust.

Nothing here reads Django settings at import time, so ``djust`` (and ``djust.websocket``) can be
imported before ``DJANGO_SETTINGS_MODULE`` is set, as the README's ``asgi.py`` does.
"""

from djust import decorators
from djust._core import diff_html
from djust.components.base import Component, LiveComponent, register_component
from djust.handlers import event_handler
from djust.live_view import LiveView
from djust.public_state import reactive
from djust.pubsub import abroadcast, apush, broadcast, push
from djust.template import render_template

# Bound after `djust.live_view` (the module) is imported, which sets the package attribute of
# the same name: `from djust import live_view` must give the decorator.
live_view = decorators.live_view

__all__ = [
    "Component",
    "LiveComponent",
    "LiveView",
    "abroadcast",
    "apush",
    "broadcast",
    "diff_html",
    "event_handler",
    "live_view",
    "push",
    "reactive",
    "register_component",
    "render_template",
]
