"""``{% load djust_components %}``: ``{% component "tag" key=value ... %}`` renders a registered
component in place.

A component rendered this way is made afresh on every render: use it for presentational
components. One with state or handlers belongs on the view (``self.cart = CartComponent()``,
``{{ cart }}`` in the template), where it keeps its state and its ``component_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from djust.components.base import get_component

register = template.Library()


def component(context: Mapping[str, Any], tag: str, **kwargs: Any) -> SafeString:
    """The HTML of a new component of the class registered as ``tag``, made with ``kwargs``."""
    return get_component(tag)(**kwargs).render()


register.simple_tag(takes_context=True, name="component")(component)
