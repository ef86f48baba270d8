"""Rate limits: how fast one connection, and one handler, may be called.

Checked in the session (:mod:`djust.session`), so they hold on every host that drives one:

- per connection, a token bucket over the messages that run the view's code (``event``,
  ``params``, ``navigate``): ``LIVEVIEW_CONFIG['events_per_second']`` refilled per second, up to
  ``event_burst`` at once. A connection that empties it gets an ``error`` frame, then the socket
  is closed with :data:`CLOSE_POLICY` (1008);
- per client address, at most ``max_connections_per_address`` mounted sockets in this process
  (``None``: no limit); the next one gets an ``error`` frame and the close;
- per handler, the decorators below. ``@throttle(interval)`` and ``@debounce(wait)`` tell the
  client how often to send; the server enforces the same pace with a little slack for network
  jitter, dropping what comes faster (answered with an empty patch, as if the client had not
  sent it). ``@rate_limit(rate, burst)`` refuses calls over its rate with an ``error`` frame.

Defaults are far above what a person clicking and typing sends.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from djust import _core, config
from djust.auth import CLOSE_POLICY
from djust.exceptions import HANDLER_ERROR, NOT_MOUNTED, SERVER_ERROR, EventError
from djust.handlers import event_handler

if TYPE_CHECKING:
    from djust._core import ClientMessage
    from djust.session import LiveSession

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["CLOSE_POLICY", "debounce", "rate_limit", "throttle"]

# Messages that run the view's code and so count against the connection's bucket.
_COUNTED = frozenset({"event", "params", "navigate"})
# @throttle/@debounce: calls may bunch up on the way (a stalled link delivers two at once).
_PACE_BURST = 3


class TokenBucket:
    """``rate`` tokens per second, holding at most ``burst``; :meth:`take` spends one."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic):
        self.rate = float(rate)
        self.burst = float(burst)
        self.tokens = float(burst)
        self.clock = clock
        self.at = clock()

    def take(self) -> bool:
        """Spend a token if there is one."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Dropped(EventError):
    """A call the server drops quietly (faster than ``@throttle``/``@debounce`` allow): the
    session answers it with an empty patch."""


# --- per connection ---------------------------------------------------------------------------

_addresses: Counter[str] = Counter()
_addresses_lock = threading.Lock()


class ConnectionLimits:
    """One connection's share: its bucket, and the client address slot it holds."""

    def __init__(self) -> None:
        self.bucket: TokenBucket | None = None
        self.address: str | None = None
        self._finalizer: weakref.finalize | None = None

    def admit(self, session: LiveSession, message: ClientMessage) -> list[str] | None:
        """``None`` when ``message`` may run, else the frames refusing it (the session is then
        asked to close)."""
        kind = message["t"]
        ref = message.get("ref")
        ref = ref if isinstance(ref, int) else None
        if session.ended:
            return [_core.frame_error(ref, NOT_MOUNTED, "this session has ended; reload the page")]
        if kind == "mount" and session.connection.socket and self.address is None:
            refused = self._take_address(session)
            if refused is not None:
                return refused
        if kind not in _COUNTED:
            return None
        if self.bucket is None:
            self.bucket = TokenBucket(config.get("events_per_second"), config.get("event_burst"))
        if self.bucket.take():
            return None
        return _end(
            session,
            ref,
            f"this connection sent more than {config.get('events_per_second')} events a "
            f"second; it is closed. Instead of sending on every mouse move, use dj-throttle",
        )

    def _take_address(self, session: LiveSession) -> list[str] | None:
        limit = config.get("max_connections_per_address")
        if limit is None:
            return None
        address = session.connection.address
        if address is None:
            return None
        with _addresses_lock:
            if _addresses[address] >= int(limit):
                refused = True
            else:
                _addresses[address] += 1
                self.address, refused = address, False
                # A host that drops the session without close() still gives the slot back.
                self._finalizer = weakref.finalize(session, _release, address)
        if refused:
            return _end(session, None, f"too many connections from this address (limit {limit})")
        return None

    def release(self) -> None:
        """The connection is gone: give its address slot back."""
        if self._finalizer is not None:
            self._finalizer()
        self._finalizer = None
        self.address = None


def _release(address: str) -> None:
    with _addresses_lock:
        _addresses[address] -= 1
        if _addresses[address] <= 0:
            del _addresses[address]


def connections_from(address: str) -> int:
    """How many mounted sockets ``address`` holds in this process."""
    with _addresses_lock:
        return _addresses[address]


def _end(session: LiveSession, ref: int | None, message: str) -> list[str]:
    session.ended = True
    session.close_code = CLOSE_POLICY
    return [_core.frame_error(ref, SERVER_ERROR, message)]


# --- per handler ------------------------------------------------------------------------------


def _paced(
    func: Callable[..., Any], kind: str, rate: float, burst: float, refuse: Callable[[str], None]
) -> Callable[..., Any]:
    """``func`` marked as an event handler, refusing (``refuse(name)`` raises) calls beyond
    ``rate`` per second with ``burst``, counted per view (or component) instance."""
    key = f"{kind}:{func.__name__}"

    def check(owner: Any) -> None:
        buckets = owner.__dict__.setdefault("_djust_buckets", {})
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = TokenBucket(rate, burst)
        if not bucket.take():
            refuse(func.__name__)

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
            check(self)
            return await func(self, *args, **kwargs)

        wrapped: Callable[..., Any] = run_async
    else:

        @functools.wraps(func)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            check(self)
            return func(self, *args, **kwargs)

        wrapped = run
    return event_handler(wrapped)


def _positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TypeError(
            f"{name} must be a positive number of seconds, got {value!r}. Instead of that, "
            f"write for example @{name.split('(')[0]}(0.5)."
        )
    return float(value)


def _drop(name: str) -> None:
    raise Dropped(HANDLER_ERROR, f"{name}() called faster than it allows; dropped")


def debounce(wait: float = 0.3) -> Callable[[F], F]:
    """An event handler the client calls only once the user paused for ``wait`` seconds (a
    search box). The server holds a client to that pace too: calls closer together than
    ``wait`` (beyond a small burst for network jitter) are dropped."""
    seconds = _positive("debounce(wait)", wait)

    def decorate(func: F) -> F:
        wrapped = _paced(func, "debounce", 1 / seconds, _PACE_BURST, _drop)
        wrapped._djust_debounce = seconds  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def throttle(interval: float = 0.1) -> Callable[[F], F]:
    """An event handler called at most once per ``interval`` seconds (scroll, resize): the
    client sends at that pace, the server drops calls that come faster."""
    seconds = _positive("throttle(interval)", interval)

    def decorate(func: F) -> F:
        wrapped = _paced(func, "throttle", 1 / seconds, _PACE_BURST, _drop)
        wrapped._djust_throttle = seconds  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def rate_limit(rate: float = 10, burst: int | None = None) -> Callable[[F], F]:
    """An event handler callable ``rate`` times a second per connection, ``burst`` (default:
    ``rate``) at once; calls beyond that get an ``error`` frame and do not run."""
    per_second = _positive("rate_limit(rate)", rate)
    size = float(burst) if burst is not None else max(1.0, per_second)

    def refuse(name: str) -> None:
        raise EventError(
            SERVER_ERROR,
            f"{name}() is limited to {rate:g} calls a second; this one was refused. "
            f"Try again in a moment",
        )

    def decorate(func: F) -> F:
        wrapped = _paced(func, "rate_limit", per_second, size, refuse)
        wrapped._djust_rate_limit = (per_second, size)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


# --- telling the client ----------------------------------------------------------------------

# A tag as templates write it; one whose attribute values hold `<` or `>` is left alone.
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_PACED_BINDINGS = ("dj-input", "dj-change", "dj-click", "dj-keydown", "dj-keyup")


_paced_by_class: weakref.WeakKeyDictionary[type, dict[str, tuple[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def paced_handlers(cls: type) -> dict[str, tuple[str, str]]:
    """``cls``'s handlers under ``@debounce``/``@throttle``: name → (attribute, milliseconds)."""
    known = _paced_by_class.get(cls)
    if known is not None:
        return known
    found: dict[str, tuple[str, str]] = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name, None)
        wait = getattr(static, "_djust_debounce", None)
        interval = getattr(static, "_djust_throttle", None)
        if wait:
            found[name] = ("dj-debounce", str(round(wait * 1000)))
        elif interval:
            found[name] = ("dj-throttle", str(round(interval * 1000)))
    _paced_by_class[cls] = found
    return found


def annotate_pacing(owners: list[Any], html: str) -> str:
    """``html`` with ``dj-debounce``/``dj-throttle`` added to each element whose binding names a
    paced handler of ``owners`` (the view and its components) and that sets neither itself: the
    client then paces what the decorator asks without the template repeating it."""
    paced: dict[str, tuple[str, str]] = {}
    for owner in owners:
        paced.update(paced_handlers(type(owner)))
    if not paced:
        return html
    names = "|".join(re.escape(name) for name in paced)
    binding = re.compile(rf'\b(?:{"|".join(_PACED_BINDINGS)})="({names})"')

    def annotate(found: re.Match[str]) -> str:
        tag = found.group(0)
        bound = binding.search(tag)
        if bound is None or "dj-debounce" in tag or "dj-throttle" in tag:
            return tag
        attribute, value = paced[bound.group(1)]
        return f'{tag[: bound.end()]} {attribute}="{value}"{tag[bound.end() :]}'

    return _TAG.sub(annotate, html)
