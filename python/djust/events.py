"""Which handler an event frame calls: the view's, or a component's, by name and target.

An event names a handler and, optionally, a component (``dj-target``, or the enclosing
``data-component-id``). :func:`dispatch` finds the handler — the component's own, else the
view's with ``component_id`` added to the params — and calls it; anything it refuses raises
:class:`~djust.exceptions.EventError` before any user code runs, with a message that suggests
the nearest handler name.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from djust.components.base import Component, assign_ids
from djust.exceptions import INVALID_PARAMS, UNKNOWN_EVENT, UNKNOWN_TARGET, EventError
from djust.handlers import call_handler, find_handler, handler_names

if TYPE_CHECKING:
    from djust.live_view import LiveView


def dispatch(
    view: LiveView, name: str, params: Mapping[str, Any], target: str | None = None
) -> Any:
    """Run the handler ``name`` of ``view`` (or of its component ``target``) with ``params``."""
    if not isinstance(params, Mapping):
        raise EventError(
            INVALID_PARAMS,
            f"{name}() was sent {type(params).__name__} params; events carry "
            f"a JSON object of parameters.",
        )
    if target:
        component = find_component(view, target)
        if component is None:
            raise EventError(UNKNOWN_TARGET, _unknown_target_message(view, target))
        handler = find_handler(component, name)
        if handler is not None:
            return call_handler(handler, f"{target}.{name}", params)
        view_handler = view.find_event_handler(name)
        if view_handler is None:
            raise EventError(UNKNOWN_EVENT, unknown_event_message(view, name, component))
        return call_handler(view_handler, name, {"component_id": target, **params})
    return call_handler(view_handler_or_error(view, name), name, params)


def view_handler_or_error(view: LiveView, name: str) -> Any:
    """The view's bound handler ``name``; raises ``EventError('unknown_event')`` otherwise."""
    handler = view.find_event_handler(name)
    if handler is None:
        raise EventError(UNKNOWN_EVENT, unknown_event_message(view, name))
    return handler


def find_component(owner: object, component_id: str) -> Component | None:
    """The component with ``component_id`` anywhere under ``owner``, if there is one."""
    for component in assign_ids(owner):
        if component.component_id == component_id:
            return component
    return None


def _suggestion(name: object, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
    if close:
        return f" Did you mean {close[0]!r}?"
    if names:
        return f" Its handlers: {', '.join(sorted(names))}."
    return ""


def unknown_event_message(view: LiveView, name: object, component: Component | None = None) -> str:
    """Why ``name`` is not a handler of ``view`` (or ``component``), and what to do instead."""
    names = handler_names(view)
    where = type(view).__name__
    if component is not None:
        where = (
            f"neither component {component.component_id!r} ({type(component).__name__}) nor {where}"
        )
        names = sorted(set(names) | set(handler_names(component)))
    return (
        f"{where} has no event handler named {name!r}. Instead of calling an unmarked or "
        f"missing method, define it and mark it with @event_handler.{_suggestion(name, names)}"
    )


def _unknown_target_message(view: LiveView, target: object) -> str:
    known = [c.component_id for c in assign_ids(view) if c.component_id]
    listing = ", ".join(repr(k) for k in known) if known else "none"
    return (
        f"{type(view).__name__} has no component with id {target!r} (its components: "
        f"{listing}). A component's id is the attribute it is assigned to: "
        f"self.{target if isinstance(target, str) and target.isidentifier() else 'name'} = "
        f"SomeComponent(...)."
    )
