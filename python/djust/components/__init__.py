"""Reusable pieces of a page: ``Component``, ``LiveComponent``, ``@register_component`` and the
built-in set (``AlertComponent``)."""

from djust.components.alert import AlertComponent
from djust.components.base import (
    Component,
    LiveComponent,
    get_component,
    register_component,
)

__all__ = ["AlertComponent", "Component", "LiveComponent", "get_component", "register_component"]
