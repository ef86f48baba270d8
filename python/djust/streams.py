"""Streams: large collections rendered once, then forgotten by the server.

A view streams items into a container of its page::

    def mount(self, request):
        self.stream("messages", Message.objects.order_by("-id")[:50], limit=-200)

    @event_handler
    def send(self, text: str):
        self.stream_insert("messages", Message.objects.create(text=text))

    <ul id="messages" dj-stream="messages">
      {% for dom_id, message in streams.messages %}
        <li id="{{ dom_id }}">{{ message.text }}</li>
      {% endfor %}
    </ul>

Each render shows only the items streamed since the last one; the session then drops them, so a
view holds no item once it is rendered (memory O(1) per view, however long the list grows).

How it reaches the browser: the session's tree (what the server diffs against) always sees every
``dj-stream`` container empty — :func:`detach` cuts the container's children out of each render —
so patches never touch a stream's children. The cut HTML travels in a ``stream`` frame after the
render's patch: ``{"t": "stream", "streams": [{"name", "html", "at", "deletes", "reset",
"limit"}]}``. The client parses ``html`` in the container, and for each child with an ``id``
replaces the element of that ``id`` in place or inserts it where ``at`` (a map from ``id``) says
(``-1`` the end, ``0`` the start, ``n`` before the n-th child); ``deletes`` are removed first (after
``reset`` emptied the container), and ``limit`` trims the container afterwards (``-n`` keeps the
last n children, ``n`` the first n). The first GET's page carries the items inline, so the page
works without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from djust import commands

STREAM = commands.STREAM
ATTRIBUTE = "dj-stream"

# A start tag carrying dj-stream="name": group 1 the tag name, group 2 (or 3) the stream's name.
_CONTAINER = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\bdj-stream\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)')(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.IGNORECASE,
)
# What can open or close an element inside a container, and what hides tags from a parser.
_TAG_OR_RAW = re.compile(
    r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>",
    re.DOTALL,
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})


@dataclass
class Stream:
    """One stream of a view: how its items are named, and what waits for the next render."""

    name: str
    dom_id: Callable[[Any], str]
    limit: int | None = None
    at: list[int] = field(default_factory=list)
    items: list[tuple[str, Any]] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    reset: bool = False

    def insert(self, item: Any, at: int) -> None:
        self.items.append((_dom_id(self, item), item))
        self.at.append(at)

    def rendered(self) -> None:
        """Forget what was just rendered: the browser holds it now."""
        self.items, self.at, self.deletes, self.reset = [], [], [], False


class StreamItems:
    """What ``{{ streams.name }}`` is in a template: the ``(dom_id, item)`` pairs to render."""

    def __init__(self, stream: Stream) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self._stream.items))

    def __len__(self) -> int:
        return len(self._stream.items)

    def __bool__(self) -> bool:
        return bool(self._stream.items)


def _default_dom_id(name: str) -> Callable[[Any], str]:
    def dom_id(item: Any) -> str:
        key = item.get("id") if isinstance(item, dict) else getattr(item, "pk", None)
        if key is None and not isinstance(item, dict):
            key = getattr(item, "id", None)
        if key is None:
            raise ValueError(
                f"stream {name!r} got an item without an id ({item!r}). Instead of relying on "
                f"`id`/`pk`, pass dom_id=lambda item: f'{name}-...' to self.stream()."
            )
        return f"{name}-{key}"

    return dom_id


def _dom_id(stream: Stream, item: Any) -> str:
    value = stream.dom_id(item)
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise ValueError(
            f"stream {stream.name!r}: dom_id gave {value!r} for {item!r}. Instead, return a "
            f"non-empty string without spaces: it becomes the element's id."
        )
    return value


def _streams(view: Any) -> dict[str, Stream]:
    found: dict[str, Stream] = view.__dict__.setdefault("_streams", {})
    return found


def _check_at(at: Any) -> int:
    if not isinstance(at, int) or isinstance(at, bool) or at < -1:
        raise ValueError(f"at= is -1 (the end), 0 (the start) or a position, got {at!r}.")
    return at


def _check_limit(limit: Any) -> int | None:
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or not limit):
        raise ValueError(
            f"limit= keeps the last n items (-n) or the first n (n), never 0; got {limit!r}."
        )
    return limit


def stream(
    view: Any,
    name: str,
    items: Iterable[Any],
    dom_id: Callable[[Any], str] | None = None,
    at: int = -1,
    limit: int | None = None,
    reset: bool = False,
) -> None:
    """Define (or add to) the stream ``name``; see :meth:`LiveView.stream`."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"a stream's name is an identifier like 'messages', got {name!r}.")
    found = _streams(view)
    current = found.get(name)
    if current is None:
        current = found[name] = Stream(name, dom_id or _default_dom_id(name))
    elif dom_id is not None:
        current.dom_id = dom_id
    if limit is not None or current.limit is None:
        current.limit = _check_limit(limit)
    if reset:
        current.rendered()
        current.reset = True
    at = _check_at(at)
    for item in items:
        current.insert(item, at)


def stream_insert(view: Any, name: str, item: Any, at: int = -1, limit: int | None = None) -> None:
    """Insert (or update in place) one item; see :meth:`LiveView.stream_insert`."""
    current = _require(view, name)
    if limit is not None:
        current.limit = _check_limit(limit)
    current.insert(item, _check_at(at))


def stream_delete(view: Any, name: str, item: Any) -> None:
    """Remove the item (or the dom_id given as a string) from the page."""
    current = _require(view, name)
    dom_id = item if isinstance(item, str) else _dom_id(current, item)
    current.deletes.append(dom_id)
    # Deleting what this render would insert: it is not inserted.
    kept = [
        (pair, at) for pair, at in zip(current.items, current.at, strict=True) if pair[0] != dom_id
    ]
    current.items = [pair for pair, _ in kept]
    current.at = [at for _, at in kept]


def _require(view: Any, name: str) -> Stream:
    found = _streams(view).get(name)
    if found is None:
        raise KeyError(
            f"{type(view).__name__} has no stream {name!r}. Instead, call "
            f"self.stream({name!r}, items) first (in mount)."
        )
    return found


def context(view: Any) -> dict[str, StreamItems]:
    """``streams`` in the template context."""
    return {name: StreamItems(found) for name, found in _streams(view).items()}


def detach(view: Any, html: str) -> tuple[str, list[dict[str, Any]]]:
    """The render ``html`` with every stream container emptied (what the session's tree keeps),
    and the ``stream`` command carrying what was cut (none when nothing changed). The view's
    streams forget their items: they are rendered."""
    found: dict[str, Stream] = view.__dict__.get("_streams") or {}
    if not found:
        return html, []
    parts: list[str] = []
    sent: list[dict[str, Any]] = []
    position = 0
    for match in _CONTAINER.finditer(html):
        if match.start() < position:
            continue  # a container inside one already cut
        inner_end, end = _closing(html, match.end(), match.group(1).lower())
        parts.append(html[position : match.end()])
        position = inner_end
        name = match.group(2) if match.group(2) is not None else match.group(3)
        current = found.get(name)
        if current is None:
            # Not a stream of this view: an element like any other, diffed as usual.
            parts.append(html[match.end() : inner_end])
            continue
        if not (current.items or current.deletes or current.reset):
            continue
        sent.append(
            {
                "name": name,
                "html": html[match.end() : inner_end].strip(),
                "at": {
                    dom_id: at for (dom_id, _), at in zip(current.items, current.at, strict=True)
                },
                "deletes": list(current.deletes),
                "reset": current.reset,
                "limit": current.limit,
            }
        )
    parts.append(html[position:])
    for current in found.values():
        current.rendered()
    return "".join(parts), ([{"t": STREAM, "streams": sent}] if sent else [])


def _closing(html: str, start: int, tag: str) -> tuple[int, int]:
    """Where the element whose start tag ends at ``start`` closes: (its end tag's start, end)."""
    if tag in _VOID:
        return start, start
    depth = 1
    position = start
    while (match := _TAG_OR_RAW.search(html, position)) is not None:
        position = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        if not name:
            continue  # a comment
        if not closing and name in _RAW_TEXT:
            # Raw text: nothing in it is a tag until its own end tag.
            end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, position)
            position = end.end() if end else len(html)
        elif name == tag and not match.group(3):
            depth += -1 if closing else 1
            if depth == 0:
                return match.start(), match.end()
    raise ValueError(
        f"the dj-stream container <{tag}> is never closed. Instead, close it: </{tag}>."
    )
