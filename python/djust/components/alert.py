"""``AlertComponent``: a message box, optionally dismissible, styled for the configured CSS
framework (``LIVEVIEW_CONFIG['css_framework']``: ``bootstrap5``, ``tailwind`` or ``None``)."""

from __future__ import annotations

from typing import Any

from djust import config
from djust.components.base import LiveComponent
from djust.handlers import event_handler
from djust.public_state import reactive

_TYPES = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")
_ALIASES = {"error": "danger"}

_TAILWIND = {
    "success": "bg-green-50 text-green-800 border-green-200",
    "danger": "bg-red-50 text-red-800 border-red-200",
    "warning": "bg-yellow-50 text-yellow-800 border-yellow-200",
    "info": "bg-blue-50 text-blue-800 border-blue-200",
}


class AlertComponent(LiveComponent):
    """A message of a ``type`` (``success``, ``info``, ``warning``, ``danger`` or ``error``,
    and Bootstrap's others); with ``dismissible=True`` it has a close button that hides it.

    ``dismiss()`` hides it from Python too, and ``show(message=None)`` brings it back.
    """

    template = (
        '{% if visible %}<div class="{{ css_class }}" role="alert">'
        '<span class="djust-alert-message">{{ message }}</span>'
        '{% if dismissible %}<button type="button" class="{{ close_class }}" dj-click="dismiss" '
        'data-component-id="{{ component_id }}" aria-label="Close">{{ close_label }}</button>'
        "{% endif %}</div>{% endif %}"
    )

    def mount(self) -> None:
        self.message = ""
        self.type = "info"
        self.dismissible = False
        self.visible = True

    def update(self, **assigns: Any) -> None:
        kind = assigns.get("type", self.type)
        kind = _ALIASES.get(kind, kind)
        if kind not in _TYPES:
            raise ValueError(
                f"AlertComponent type {kind!r} is not one of {', '.join(_TYPES)} (or 'error'). "
                f"Instead of {kind!r}, pass e.g. type='warning'."
            )
        assigns["type"] = kind
        super().update(**assigns)

    @event_handler
    def dismiss(self) -> None:
        """Hide the alert (its close button calls this)."""
        self.visible = False

    def show(self, message: str | None = None) -> None:
        """Show the alert again, with a new message if one is given."""
        if message is not None:
            self.message = message
        self.visible = True

    @reactive
    def css_class(self) -> str:
        framework = config.get("css_framework")
        if framework == "bootstrap5":
            dismissible = " alert-dismissible" if self.dismissible else ""
            return f"alert alert-{self.type}{dismissible}"
        if framework == "tailwind":
            colours = _TAILWIND.get(self.type, "bg-gray-50 text-gray-800 border-gray-200")
            return f"flex items-center justify-between rounded border p-4 {colours}"
        return f"djust-alert djust-alert-{self.type}"

    @reactive
    def close_class(self) -> str:
        if config.get("css_framework") == "bootstrap5":
            return "btn-close"
        return "djust-alert-close"

    @reactive
    def close_label(self) -> str:
        # Bootstrap's btn-close draws its own cross; elsewhere the button shows one.
        return "" if config.get("css_framework") == "bootstrap5" else "\u00d7"
