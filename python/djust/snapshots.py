"""State snapshots: a view's public state, signed, carried by the page between HTTP-fallback POSTs.

Without a socket there is no server process holding the view between events, and djust keeps no
server-side store. Instead each HTTP-fallback reply carries a snapshot of the view's public
attributes (names not starting with ``_``), signed with ``SECRET_KEY`` and bound to the visitor
and the view class, and the next POST sends it back. The server mounts a fresh view (so private
attributes are recomputed by ``mount``), then sets the public attributes from the snapshot.

A snapshot is signed, not encrypted: the visitor can read it, and can send an older snapshot of
their own again. Keep secrets in ``_private`` attributes and authoritative data in the database.

Values round-trip exactly: JSON's own types as they are, and tuples, sets, dicts with non-string
keys, dates and times, ``Decimal``, ``UUID`` and safe strings under a type tag. Components carry
their class, id and public attributes; on restore, a component that ``mount`` re-created in the
same place is updated in place (so what its own ``mount`` computed stays), any other is rebuilt
from the snapshot without calling its constructor. Any other value
raises ``TypeError`` when ``LIVEVIEW_CONFIG['strict_serialization']`` is set; otherwise it is left
out of the snapshot (and so recomputed by ``mount`` on each event), with a warning once per
attribute.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import logging
import math
import uuid
from typing import Any

from django.core import signing
from django.utils.safestring import SafeString

from djust import config
from djust.components.base import Component, qualified_name
from djust.exceptions import TokenError

logger = logging.getLogger("djust")

SALT = "djust.state"
TAG = "$djust"
_warned: set[tuple[str, str]] = set()


class Unserialisable(TypeError):
    """A value a snapshot cannot carry."""


def _encode(value: Any) -> Any:
    if isinstance(value, Component):
        return {
            TAG: "component",
            "c": qualified_name(type(value)),
            "id": value.component_id,
            "v": {name: _encode(item) for name, item in _component_attrs(value)},
        }
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}
    if kind is list:
        return [_encode(item) for item in value]
    if kind is dict:
        if TAG not in value and all(type(key) is str for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {TAG: "dict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind in (tuple, set, frozenset):
        return {TAG: kind.__name__, "v": [_encode(item) for item in value]}
    if kind is SafeString:
        return {TAG: "safe", "v": str(value)}
    if kind in (datetime.datetime, datetime.date, datetime.time):
        return {TAG: kind.__name__, "v": value.isoformat()}
    if kind is datetime.timedelta:
        return {TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if kind is decimal.Decimal:
        return {TAG: "decimal", "v": str(value)}
    if kind is uuid.UUID:
        return {TAG: "uuid", "v": str(value)}
    raise Unserialisable(kind.__qualname__)


_DECODERS: dict[str, Any] = {
    "float": float,
    "dict": lambda items: {_decode(k): _decode(v) for k, v in items},
    "tuple": lambda items: tuple(_decode(item) for item in items),
    "set": lambda items: {_decode(item) for item in items},
    "frozenset": lambda items: frozenset(_decode(item) for item in items),
    "safe": SafeString,
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "timedelta": lambda parts: datetime.timedelta(*parts),
    "decimal": decimal.Decimal,
    "uuid": uuid.UUID,
}


def _decode(value: Any, current: Any = None) -> Any:
    """The value ``value`` encodes; ``current`` is what a fresh ``mount`` put in its place,
    reused where it is the same component."""
    if isinstance(value, list):
        same = isinstance(current, list) and len(current) == len(value)
        return [_decode(item, current[i] if same else None) for i, item in enumerate(value)]
    if isinstance(value, dict):
        if value.get(TAG) == "component":
            return _decode_component(value, current)
        if TAG in value:
            return _DECODERS[value[TAG]](value["v"])
        mounted: dict[Any, Any] = current if isinstance(current, dict) else {}
        return {key: _decode(item, mounted.get(key)) for key, item in value.items()}
    return value


def _component_attrs(component: Component) -> list[tuple[str, Any]]:
    return [
        (name, item)
        for name, item in vars(component).items()
        if not name.startswith("_") and name != "component_id"
    ]


def _decode_component(data: dict[str, Any], current: Any) -> Component:
    cls = _component_class(data["c"])
    if type(current) is cls:
        component = current
    else:
        # Rebuilt as it was, without running __init__/mount again: the snapshot is its state.
        component = cls.__new__(cls)
        object.__setattr__(component, "_parent", None)
        object.__setattr__(component, "component_id", data["id"])
    for name, item in data["v"].items():
        setattr(component, name, _decode(item, getattr(component, name, None)))
    return component


def _component_class(name: str) -> type[Component]:
    module, _, qualname = name.rpartition(".")
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not (isinstance(target, type) and issubclass(target, Component)):
        raise TypeError(f"{name} is not a component class")
    return target


def encode_value(value: Any) -> Any:
    """``value`` as plain JSON data; raises :class:`Unserialisable` naming the type it cannot
    carry."""
    try:
        return _encode(value)
    except RecursionError:
        raise Unserialisable("a structure nested too deeply") from None


def decode_value(data: Any, current: Any = None) -> Any:
    """The value :func:`encode_value` encoded (see :func:`_decode` for ``current``)."""
    return _decode(data, current)


def snapshot(view: Any, view_name: str, visitor: str, digest: str) -> str:
    """The signed snapshot of ``view``'s public state; ``digest`` is that of the root HTML the
    browser will show."""
    values: dict[str, Any] = {}
    for name, value in vars(view).items():
        if name.startswith("_") or name == "request":
            continue
        try:
            values[name] = encode_value(value)
        except Unserialisable as err:
            where = f"{type(view).__name__}.{name}"
            if config.get("strict_serialization"):
                raise TypeError(
                    f"{where} holds {err}, which the HTTP fallback cannot carry between "
                    f"requests. Instead of that object, store what identifies it (a primary "
                    f"key, a string) and look it up when needed."
                ) from None
            if (where, str(err)) not in _warned:
                _warned.add((where, str(err)))
                logger.warning(
                    "djust: %s holds %s, which the HTTP fallback cannot carry; "
                    "mount() recomputes it on every event",
                    where,
                    err,
                )
    payload = {"v": view_name, "u": visitor, "h": digest, "s": values}
    return signing.dumps(payload, salt=SALT, compress=True)


def restore(view: Any, view_name: str, visitor: str, text: Any) -> str:
    """Set ``view``'s public state from a snapshot; returns the digest it was taken with.

    Raises :class:`TokenError` for a snapshot that is forged, expired, or not this visitor's
    snapshot of this view.
    """
    if not isinstance(text, str):
        raise TokenError("the state snapshot is not a string")
    try:
        payload = signing.loads(text, salt=SALT, max_age=config.get("token_max_age"))
        if payload["v"] != view_name or payload["u"] != visitor:
            raise TokenError("the state snapshot belongs to another view or visitor")
        values = {
            name: decode_value(data, getattr(view, name, None))
            for name, data in payload["s"].items()
        }
        digest = str(payload["h"])
    except signing.SignatureExpired:
        raise TokenError("the state snapshot has expired; reload the page") from None
    except signing.BadSignature:
        raise TokenError("the state snapshot is not valid (was SECRET_KEY changed?)") from None
    except (KeyError, TypeError, ValueError, AttributeError, ImportError):
        raise TokenError("the state snapshot is not a djust state snapshot") from None
    for name, value in values.items():
        setattr(view, name, value)
    return digest
