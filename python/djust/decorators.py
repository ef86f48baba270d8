"""``@event_handler``: the mark that makes a method callable from the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])

HANDLER_MARK = "_djust_event_handler"


@overload
def event_handler(func: F) -> F: ...


@overload
def event_handler(func: None = None) -> Callable[[F], F]: ...


def event_handler(func: F | None = None) -> F | Callable[[F], F]:
    """Mark a LiveView method as an event handler.

    Only marked methods can be called from the wire; every other method, public or not, is
    refused with an ``unknown_event`` error frame. Works bare (``@event_handler``) and called
    (``@event_handler()``).
    """

    def mark(f: F) -> F:
        setattr(f, HANDLER_MARK, True)
        return f

    if func is None:
        return mark
    return mark(func)


def is_event_handler(func: object) -> bool:
    """Whether ``func`` was marked with ``@event_handler``."""
    return bool(getattr(func, HANDLER_MARK, False))
