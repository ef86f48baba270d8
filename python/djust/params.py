"""Event parameters: the JSON an event carries, bound to a handler's signature and annotations.

Pages send strings (``data-count="3"``, an input's ``value``), JSON values, lists (a multiple
select) and dicts (a submitted form). :func:`bind` turns them into the keyword arguments a
handler declares, converting each to its annotation; whatever cannot be converted is refused with
an :class:`~djust.exceptions.EventError` that names the handler, the parameter, what it expects
and what it got.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import inspect
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from djust.exceptions import INVALID_PARAMS, EventError

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


class _Uncoercible(Exception):
    """``value`` does not fit the annotation; ``bind`` turns this into an ``EventError``."""


def _coerce_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _Uncoercible


def _coerce_int(value: Any) -> int:
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


def _coerce_float(value: Any) -> float:
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


def _coerce_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _Uncoercible


def _coerce_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _Uncoercible
    try:
        result = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise _Uncoercible from None
    if not result.is_finite():
        raise _Uncoercible
    return result


def _coerce_uuid(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise _Uncoercible
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise _Uncoercible from None


def _from_iso(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    def coerce(value: Any) -> Any:
        if not isinstance(value, str):
            raise _Uncoercible
        try:
            return parse(value.strip())
        except ValueError:
            raise _Uncoercible from None

    return coerce


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    bool: _coerce_bool,
    int: _coerce_int,
    float: _coerce_float,
    str: _coerce_str,
    decimal.Decimal: _coerce_decimal,
    uuid.UUID: _coerce_uuid,
    # datetime before date: a datetime is a date, not the other way round.
    datetime.datetime: _from_iso(datetime.datetime.fromisoformat),
    datetime.date: _from_iso(datetime.date.fromisoformat),
    datetime.time: _from_iso(datetime.time.fromisoformat),
}


def _coerce_union(value: Any, options: tuple[Any, ...]) -> Any:
    if value is None and type(None) in options:
        return None
    # An exact type match first: 3 stays 3 for `int | str`, "3" stays "3" for `str | int`.
    for option in options:
        if isinstance(option, type) and option is not type(None) and type(value) is option:
            return value
    for option in options:
        if option is type(None):
            continue
        try:
            return coerce(value, option)
        except _Uncoercible:
            continue
    raise _Uncoercible


def _coerce_sequence(value: Any, target: type, args: tuple[Any, ...]) -> Any:
    if not isinstance(value, (list, tuple)):
        raise _Uncoercible
    if target is tuple and args and args[-1] is not Ellipsis:
        if len(args) != len(value):
            raise _Uncoercible
        return tuple(coerce(item, arg) for item, arg in zip(value, args, strict=True))
    item_type = args[0] if args else Any
    items = [coerce(item, item_type) for item in value]
    return target(items) if target is not list else items


def _coerce_mapping(value: Any, args: tuple[Any, ...]) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise _Uncoercible
    if not args:
        return value
    key_type, value_type = args
    return {coerce(k, key_type): coerce(v, value_type) for k, v in value.items()}


def coerce(value: Any, annotation: Any) -> Any:
    """``value`` converted to ``annotation``; raises ``_Uncoercible`` when it does not fit."""
    if annotation is inspect.Parameter.empty or annotation is Any or annotation is object:
        return value
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return _coerce_union(value, args)
    if origin is typing.Literal:
        for option in args:
            if value == option and type(value) is type(option):
                return option
            try:
                if coerce(value, type(option)) == option:
                    return option
            except _Uncoercible:
                continue
        raise _Uncoercible
    if origin is typing.Annotated:
        return coerce(value, args[0])
    target = origin or annotation
    if target in _SCALARS:
        return _SCALARS[target](value)
    if target in (list, tuple, set, frozenset):
        return _coerce_sequence(value, target, args)
    if target in (dict, Mapping):
        return _coerce_mapping(value, args)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return _coerce_enum(value, target)
    if isinstance(target, type) and isinstance(value, target):
        return value
    raise _Uncoercible


def _coerce_enum(value: Any, target: type[enum.Enum]) -> enum.Enum:
    for member in target:
        if value == member.value or value == member.name:
            return member
        if isinstance(value, str) and not isinstance(member.value, str):
            try:
                if coerce(value, type(member.value)) == member.value:
                    return member
            except _Uncoercible:
                continue
    raise _Uncoercible


def describe(annotation: Any) -> str:
    """An annotation as a person reads it: ``int``, ``list[int]``, ``int | None``."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    return str(annotation).replace("typing.", "").replace("NoneType", "None")


@functools.lru_cache(maxsize=1024)
def _signature(handler: Callable[..., Any]) -> tuple[tuple[inspect.Parameter, Any], ...]:
    """The parameters ``bind`` fills, with their resolved annotations; cached per function."""
    func = inspect.unwrap(handler)
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except Exception:
        # An annotation that names something not importable here: use the raw annotations.
        hints = {}
    return tuple(
        (parameter, hints.get(name, parameter.annotation))
        for name, parameter in inspect.signature(handler).parameters.items()
    )


def signature_of(handler: Callable[..., Any]) -> tuple[tuple[inspect.Parameter, Any], ...]:
    """Parameters and annotations of a bound or plain handler (cached by its function)."""
    func = getattr(handler, "__func__", None)
    if func is None:
        return _signature(handler)
    # Bound method: cache by the function, then drop `self`.
    return _signature(func)[1:]


def bind(
    handler: Callable[..., Any], handler_name: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """Keyword arguments for ``handler`` from an event's params.

    Values are coerced to the parameters' annotations (``"7"`` → ``7`` for ``int``, a list of
    strings to ``list[int]``, ``None`` to ``Optional[...]``); keys the handler does not name go
    to its ``**kwargs`` if it has one and are dropped otherwise (pages send every ``data-*``
    attribute). A missing or uncoercible parameter raises :class:`EventError` naming the handler
    and the parameter.
    """
    kwargs: dict[str, Any] = {}
    named: set[str] = set()
    accepts_extra = False
    for parameter, annotation in signature_of(handler):
        name = parameter.name
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            accepts_extra = True
            continue
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.POSITIONAL_ONLY):
            continue
        named.add(name)
        if name not in params:
            if parameter.default is inspect.Parameter.empty:
                raise EventError(
                    INVALID_PARAMS,
                    f"{handler_name}() needs the parameter '{name}', which the event did not "
                    f"send. Instead of leaving it out, send it from the element "
                    f'(data-{name.replace("_", "-")}="..." or dj-value-'
                    f"{name.replace('_', '-')}=\"...\"), or give '{name}' a default.",
                )
            continue
        value = params[name]
        if value is None and parameter.default is None:
            # `x: str = None`: None is what the handler expects when nothing is chosen.
            kwargs[name] = None
            continue
        try:
            kwargs[name] = coerce(value, annotation)
        except _Uncoercible:
            raise EventError(
                INVALID_PARAMS,
                f"{handler_name}() parameter '{name}' expects {describe(annotation)}, "
                f"got {_preview(value)}.",
            ) from None
    if accepts_extra:
        for name, value in params.items():
            if name not in named:
                kwargs[name] = value
    return kwargs


def _preview(value: Any) -> str:
    """``repr(value)``, cut short: an error message must not echo a huge payload back."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def query_params(query: Any) -> dict[str, str | list[str]]:
    """A ``QueryDict`` (``request.GET``) as ``handle_params`` receives it.

    Keys that appear once map to their string, repeated keys (``?tag=a&tag=b``) to the list of
    their values.
    """
    result: dict[str, str | list[str]] = {}
    for key in query:
        values = query.getlist(key)
        result[key] = values[0] if len(values) == 1 else list(values)
    return result
