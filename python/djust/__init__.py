"""djust: Phoenix LiveView-style reactive views for Django, with the hot paths in Rust.

Nothing here reads Django settings at import time, so ``djust`` (and ``djust.websocket``) can be
imported before ``DJANGO_SETTINGS_MODULE`` is set, as the README's ``asgi.py`` does.
"""

from djust._core import diff_html
from djust.decorators import event_handler
from djust.live_view import LiveView
from djust.template import render_template

__all__ = ["LiveView", "diff_html", "event_handler", "render_template"]
