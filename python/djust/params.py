"""Event parameters: the JSON an event carries, bound to a handler's signature and annotations."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

from djust.exceptions import EventError

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class _Uncoercible(Exception):
    pass


def _coerce(value: Any, annotation: Any) -> Any:
    if annotation is inspect.Parameter.empty or annotation is Any:
        return value
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _coerce(value, option)
            except _Uncoercible:
                continue
        raise _Uncoercible
    target = origin or annotation
    if target is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _Uncoercible
    if target is int:
        if isinstance(value, bool):
            raise _Uncoercible
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise _Uncoercible from None
        raise _Uncoercible
    if target is float:
        if isinstance(value, bool):
            raise _Uncoercible
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                raise _Uncoercible from None
        raise _Uncoercible
    if target is str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        raise _Uncoercible
    if target in (list, dict):
        if isinstance(value, target):
            return value
        raise _Uncoercible
    return value


def _describe(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def bind(handler: Callable[..., Any], handler_name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``handler`` from an event's params.

    Values are coerced to the parameters' annotations (``"7"`` → ``7`` for ``int``); keys the
    handler does not name go to its ``**kwargs`` if it has one and are dropped otherwise (pages
    send every ``data-*`` attribute). A missing or uncoercible parameter raises
    :class:`EventError` naming the handler and the parameter.
    """
    signature = inspect.signature(handler)
    try:
        hints = typing.get_type_hints(handler)
    except Exception:
        hints = {}
    kwargs: dict[str, Any] = {}
    accepts_extra = False
    for name, parameter in signature.parameters.items():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            accepts_extra = True
            continue
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL,
                              inspect.Parameter.POSITIONAL_ONLY):
            continue
        if name not in params:
            if parameter.default is inspect.Parameter.empty:
                raise EventError(
                    "invalid_params",
                    f"{handler_name}() needs the parameter '{name}', which the event did not "
                    f"send. Send it with data-{name.replace('_', '-')}=\"...\" on the element, "
                    f"or give '{name}' a default.",
                )
            continue
        annotation = hints.get(name, parameter.annotation)
        try:
            kwargs[name] = _coerce(params[name], annotation)
        except _Uncoercible:
            raise EventError(
                "invalid_params",
                f"{handler_name}() parameter '{name}' expects {_describe(annotation)}, "
                f"got {params[name]!r}.",
            ) from None
    if accepts_extra:
        for name, value in params.items():
            if name not in kwargs and name not in signature.parameters:
                kwargs[name] = value
    return kwargs
