"""Public state: what a view or component shows its template, and ``@reactive`` properties.

A view's (or component's) state is its public attributes — names not starting with ``_`` — plus
the class-level defaults declared on its own classes and ``@reactive`` properties. The same rule
decides what the template sees and what an HTTP-fallback snapshot carries.
"""

from __future__ import annotations

from typing import Any

# Names that configure a view or component rather than being part of its state.
CONFIG_NAMES = frozenset(
    {
        "template",
        "template_name",
        "template_string",
        "request",
        "login_required",
        "permission_required",
    }
)


class reactive(property):  # noqa: N801 (named like the `property` it is)
    """A computed attribute the template sees, like a public attribute.

    ``@reactive`` works as ``@property`` does (with ``@name.setter``); unlike a plain property,
    its value is part of the template context. Every event re-renders the page, so a change made
    through the setter reaches the browser with that event's patches.
    """


def public_state(obj: object, base: type) -> dict[str, Any]:
    """The template context of ``obj``: its public attributes, class-level defaults declared
    below ``base`` included, and ``@reactive`` properties."""
    context: dict[str, Any] = {}
    for klass in reversed(type(obj).__mro__):
        if (
            klass is object
            or klass is base
            or (isinstance(klass, type) and issubclass(base, klass))
        ):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in CONFIG_NAMES:
                continue
            if isinstance(value, reactive):
                try:
                    context[name] = getattr(obj, name)
                except AttributeError:
                    # Not set yet: the template sees it as missing, as Django would.
                    context.pop(name, None)
                continue
            if callable(value) or isinstance(value, (property, staticmethod, classmethod)):
                continue
            context[name] = value
    for name, value in vars(obj).items():
        if not name.startswith("_") and name not in CONFIG_NAMES:
            context[name] = value
    return context
