"""``JS``: commands the browser runs itself, with no round trip to the server.

A ``JS`` is a chain of operations written into a binding instead of an event name::

    from djust.js import JS

    class Page(LiveView):
        def mount(self, request):
            self.open_menu = JS().show(to="#menu").add_class("open", to="#burger")
            self.save = JS().push("save").hide(to="#editor")

    <button dj-click="{{ open_menu }}">Menu</button>

Every binding that names an event (``dj-click``, ``dj-change``, ``dj-submit``, the key and focus
bindings) takes one. The value is a JSON array of ``[op, args]`` pairs; ``JS`` is a ``str``, so it
renders (escaped) into an attribute, is kept in the HTTP fallback's snapshot like any string, and
each method returns a new, longer chain. ``to`` is a CSS selector (the whole document); without it
an operation acts on the element that carries the binding. A selector matching nothing does
nothing. What the commands change (classes, attributes, ``display``) is kept by the client when
later patches from the server rewrite those attributes: see ``docs/client.md``, "JS commands".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

# One name per operation, as the client's JS_OPS table knows them.
OPS = frozenset(
    {
        "show",
        "hide",
        "toggle",
        "add_class",
        "remove_class",
        "toggle_class",
        "set_attr",
        "remove_attr",
        "transition",
        "dispatch",
        "focus",
        "push",
    }
)


def _classes(names: str | Iterable[str]) -> list[str]:
    found = names.split() if isinstance(names, str) else [str(n) for n in names]
    if not found:
        raise ValueError("a class command needs at least one class name, got none")
    return found


class JS(str):
    """A chain of client-side commands; ``str(js)`` is the binding's value (a JSON array)."""

    def __new__(cls, ops: str = "[]") -> JS:
        json.loads(ops)  # a JS is always a valid chain
        return super().__new__(cls, ops)

    @property
    def ops(self) -> list[list[Any]]:
        """The chain as ``[op, args]`` pairs."""
        ops: list[list[Any]] = json.loads(self)
        return ops

    def _then(self, op: str, to: str | None = None, **args: Any) -> JS:
        if to is not None:
            if not isinstance(to, str) or not to.strip():
                raise ValueError(f"{op}(to=...) needs a CSS selector, got {to!r}.")
            args["to"] = to
        clean = {name: value for name, value in args.items() if value is not None}
        try:
            text = json.dumps([*self.ops, [op, clean]], separators=(",", ":"))
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"JS().{op}(...) got a value that cannot be sent as JSON ({err}). Instead, pass "
                f"strings, numbers, booleans, lists and dicts."
            ) from None
        return JS(text)

    # --- visibility ------------------------------------------------------------------------

    def show(self, to: str | None = None, display: str = "block") -> JS:
        """Show the elements (``style.display`` becomes ``display``)."""
        return self._then("show", to, display=display)

    def hide(self, to: str | None = None) -> JS:
        """Hide the elements (``style.display`` becomes ``none``)."""
        return self._then("hide", to)

    def toggle(self, to: str | None = None, display: str = "block") -> JS:
        """Hide the elements that are shown, show (with ``display``) those that are hidden."""
        return self._then("toggle", to, display=display)

    # --- classes and attributes ------------------------------------------------------------

    def add_class(self, names: str | Iterable[str], to: str | None = None) -> JS:
        """Add the classes (space-separated, or a list)."""
        return self._then("add_class", to, names=_classes(names))

    def remove_class(self, names: str | Iterable[str], to: str | None = None) -> JS:
        """Remove the classes."""
        return self._then("remove_class", to, names=_classes(names))

    def toggle_class(self, names: str | Iterable[str], to: str | None = None) -> JS:
        """Add each class the element lacks, remove each it has."""
        return self._then("toggle_class", to, names=_classes(names))

    def set_attribute(self, name: str, value: str = "", to: str | None = None) -> JS:
        """Set attribute ``name`` to ``value``."""
        return self._then("set_attr", to, name=_attr_name(name), value=str(value))

    def remove_attribute(self, name: str, to: str | None = None) -> JS:
        """Remove attribute ``name``."""
        return self._then("remove_attr", to, name=_attr_name(name))

    def transition(self, names: str | Iterable[str], to: str | None = None, time: int = 200) -> JS:
        """Add the classes for ``time`` milliseconds, then take them away (a CSS animation)."""
        if not isinstance(time, int) or time < 0:
            raise ValueError(
                f"transition(time=...) takes milliseconds (an int >= 0), got {time!r}."
            )
        return self._then("transition", to, names=_classes(names), time=time)

    # --- events and focus -------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        to: str | None = None,
        detail: Mapping[str, Any] | None = None,
        bubbles: bool = True,
    ) -> JS:
        """Dispatch the DOM ``CustomEvent`` ``event`` (with ``detail``) on the elements."""
        if not isinstance(event, str) or not event:
            raise ValueError(f"dispatch() needs an event name, got {event!r}.")
        return self._then(
            "dispatch", to, event=event, detail=dict(detail) if detail else None, bubbles=bubbles
        )

    def focus(self, to: str | None = None) -> JS:
        """Focus the first element matched."""
        return self._then("focus", to)

    def push(
        self,
        event: str,
        value: Mapping[str, Any] | None = None,
        target: str | None = None,
    ) -> JS:
        """Send ``event`` to the server as the binding would, its params plus ``value``;
        ``target`` routes it to a component, as ``dj-target`` does."""
        if not isinstance(event, str) or not event:
            raise ValueError(f"push() needs an event handler's name, got {event!r}.")
        return self._then(
            "push", None, event=event, value=dict(value) if value else None, target=target
        )

    def __add__(self, other: str) -> JS:
        """Two chains one after the other: ``JS().hide(to="#a") + JS().show(to="#b")``."""
        if not isinstance(other, JS):
            return str.__add__(self, other)  # type: ignore[return-value]
        return JS(json.dumps([*self.ops, *other.ops], separators=(",", ":")))

    def __repr__(self) -> str:
        return f"JS({str.__repr__(self)})"


def _attr_name(name: str) -> str:
    if not isinstance(name, str) or not name or any(c in name for c in " \"'>/=\t\n"):
        raise ValueError(f"an attribute name is a word like 'aria-expanded', got {name!r}.")
    return name
