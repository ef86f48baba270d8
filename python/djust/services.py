"""What a connected view starts that outlives one call: subscriptions, timers, background tasks.

A session keeps one :class:`SessionServices` for its connection. A view (or one of its live
components) asks it for a subscription, a timer or a task; the services record who asked (the
*owner*: the view, or a component by its id) and ask the connection's :class:`ServiceHost` —
the part that differs per host — to do the work:

- ``djust serve``: ``_core.SessionLink``, the session's actor (topics in Rust's broker, timers
  on the actor's own clock, results as messages to the actor);
- Channels: the consumer (:mod:`djust.websocket`; channel-layer groups, the event loop's timers);
- the test client and the contract suite: :class:`LocalHost` (an inbox drained by the caller).

Everything a view started ends when the connection closes, and everything the previous view
started ends when ``live_redirect`` replaces it (:meth:`SessionServices.release`).
"""

from __future__ import annotations

import heapq
import json
import logging
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from djust import pubsub, tasks

logger = logging.getLogger("djust")

# Owners: each view a connection mounts gets a generation ("3"); it owns what it started as "3",
# and its component "cart" owns what it started as "3:cart". Replacing the view (live_redirect)
# ends everything of the old generation and nothing of the new.

# Live components whose constructor asked for services before they were placed in a view
# (see SessionServices.adopt): while it is empty, sessions skip looking for them.
PENDING: weakref.WeakSet[Any] = weakref.WeakSet()

# Timers one session may have at once: far beyond any real page, low enough that a handler
# scheduling in a loop fails loudly instead of filling the server's memory.
MAX_TIMERS = 1_000


class ServiceHost(Protocol):
    """What a host does for a session's services (each method returns at once)."""

    def subscribe(self, topic: str) -> None: ...

    def unsubscribe(self, topic: str) -> None: ...

    def start_timer(
        self, after_ms: int, repeat: bool, event: str, payload: str, target: str | None
    ) -> int: ...

    def cancel_timer(self, timer_id: int) -> None: ...

    def deliver_async_result(self, name: str, result: Any, error: BaseException | None) -> bool:
        """Hand a task's result to the session, in order with its frames; ``False`` when the
        session is gone."""
        ...


class Timer:
    """A timer started by ``send_after`` or ``schedule_interval``; ``cancel()`` stops it."""

    def __init__(self, services: SessionServices, timer_id: int, owner: str) -> None:
        self._services = services
        self.id = timer_id
        self.owner = owner

    @property
    def active(self) -> bool:
        """Whether it may still fire (not cancelled, and not a one-shot that already fired)."""
        return self.id in self._services.timers

    def cancel(self) -> None:
        """Stop the timer; cancelling twice, or after it fired, does nothing."""
        self._services.cancel_timer(self.id)

    def __repr__(self) -> str:
        return f"<Timer {self.id} {'active' if self.active else 'done'}>"


@dataclass
class SessionServices:
    """The subscriptions, timers and tasks of one connection, by owner."""

    host: ServiceHost | None
    # topic -> owners subscribed to it (the host holds one subscription per topic).
    topics: dict[str, set[str]] = field(default_factory=dict)
    # timer id -> (owner, repeats)
    timers: dict[int, tuple[str, bool]] = field(default_factory=dict)
    # task name -> (owner, the running task)
    running: dict[str, tuple[str, tasks.Task]] = field(default_factory=dict)
    # Results of tasks run inline (no host to deliver them later), for the session to deliver
    # at the end of the current call.
    inline_results: list[tuple[str, Any, BaseException | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- subscriptions ----------------------------------------------------------------------

    generation: int = 0
    # task name -> owner, until its result is delivered
    task_owners: dict[str, str] = field(default_factory=dict)

    def next_generation(self) -> str:
        """The owner name of the next view mounted on this connection."""
        self.generation += 1
        return str(self.generation)

    def subscribe(self, topic: str, owner: str) -> None:
        pubsub.check_topic(topic)
        owners = self.topics.setdefault(topic, set())
        if not owners and self.host is not None:
            self.host.subscribe(topic)
        owners.add(owner)

    def unsubscribe(self, topic: str, owner: str) -> None:
        owners = self.topics.get(topic)
        if not owners or owner not in owners:
            return
        owners.discard(owner)
        if not owners:
            del self.topics[topic]
            if self.host is not None:
                self.host.unsubscribe(topic)

    def subscribers(self, topic: str) -> set[str]:
        """The owners in this session listening to ``topic``."""
        return set(self.topics.get(topic, ()))

    # --- timers -----------------------------------------------------------------------------

    def start_timer(
        self, after_ms: Any, repeat: bool, event: str, payload: Any, owner: str
    ) -> Timer:
        what = "schedule_interval" if repeat else "send_after"
        if isinstance(after_ms, bool) or not isinstance(after_ms, (int, float)):
            raise TypeError(f"{what}() takes milliseconds as a number, got {after_ms!r}")
        if after_ms < 0 or (repeat and after_ms < 1):
            raise ValueError(
                f"{what}({after_ms!r}, ...): the delay must be "
                + ("1 ms or more" if repeat else "0 ms or more")
            )
        if not isinstance(event, str) or not event:
            raise ValueError(f"{what}() needs an event name, got {event!r}")
        if len(self.timers) >= MAX_TIMERS:
            raise RuntimeError(
                f"{what}(): this session already has {MAX_TIMERS} timers; cancel the ones it "
                f"no longer needs (the handle's cancel())"
            )
        text = pubsub.payload_json(what, event, payload)
        if self.host is None:
            # Nothing can fire it later (the HTTP fallback answers and forgets): say so once.
            logger.debug("djust: %s(%r) has no connection to fire on; ignored", what, event)
            return Timer(self, 0, owner)
        timer_id = self.host.start_timer(int(after_ms), repeat, event, text, owner)
        self.timers[timer_id] = (owner, repeat)
        return Timer(self, timer_id, owner)

    def cancel_timer(self, timer_id: int) -> None:
        if self.timers.pop(timer_id, None) is not None and self.host is not None:
            self.host.cancel_timer(timer_id)

    def timer_fired(self, timer_id: int | None) -> None:
        """A one-shot timer fired: it is no longer active."""
        if timer_id is not None:
            entry = self.timers.get(timer_id)
            if entry is not None and not entry[1]:
                del self.timers[timer_id]

    # --- tasks ------------------------------------------------------------------------------

    def start_task(
        self,
        name: str,
        callback: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        owner: str,
    ) -> None:
        """Run ``callback(*args, **kwargs)`` off the event path; its result reaches the
        session's ``handle_async_result(name, result, error)``. A task of the same name still
        running is cancelled first (its result never arrives)."""
        self.cancel_task(name)
        self.task_owners[name] = owner
        if self.host is None:
            # No connection to deliver a result to later: run it now, deliver it at the end of
            # this call (the HTTP fallback's reply carries it).
            result, error = tasks.run_inline(callback, args, kwargs)
            self.inline_results.append((name, result, error))
            return
        host = self.host

        def done(task: tasks.Task, result: Any, error: BaseException | None) -> None:
            with self.lock:
                current = self.running.get(name)
                if current is None or current[1] is not task:
                    return  # cancelled, or replaced by a newer task of that name
                del self.running[name]
            host.deliver_async_result(name, result, error)

        with self.lock:
            self.running[name] = (owner, tasks.start(callback, args, kwargs, done))

    def cancel_task(self, name: str) -> bool:
        """Cancel the running task ``name``; whether there was one."""
        with self.lock:
            entry = self.running.pop(name, None)
        if entry is None:
            return False
        entry[1].cancel()
        return True

    def take_inline_results(self) -> list[tuple[str, Any, BaseException | None]]:
        results, self.inline_results = self.inline_results, []
        return results

    def adopt(self, generation: str, components: list[Any]) -> None:
        """Start what ``components`` of the view of ``generation`` asked for before they were
        placed in it (a live component's ``mount()`` runs in its constructor)."""
        for component in components:
            calls = component.__dict__.pop("_djust_pending", None)
            PENDING.discard(component)
            if not calls or component.component_id is None:
                continue
            owner = f"{generation}:{component.component_id}"
            for name, args in calls:
                if name == "cancel_task":
                    self.cancel_task(*args)
                else:
                    getattr(self, name)(*args, owner=owner)

    # --- ending -----------------------------------------------------------------------------

    def release(self, generation: str | None = None) -> None:
        """End what the view of ``generation`` and its components started (everything when
        ``None``): the view was replaced, or the connection closed."""

        def owned(owner: str) -> bool:
            return generation is None or owner.partition(":")[0] == generation

        for topic, subscribed in list(self.topics.items()):
            for owner in [owner for owner in subscribed if owned(owner)]:
                self.unsubscribe(topic, owner)
        for timer_id, (owner, _repeat) in list(self.timers.items()):
            if owned(owner):
                self.cancel_timer(timer_id)
        with self.lock:
            names = [name for name, (owner, _task) in self.running.items() if owned(owner)]
        for name in names:
            self.cancel_task(name)
        for name, owner in list(self.task_owners.items()):
            if owned(owner):
                del self.task_owners[name]
        self.inline_results.clear()


@dataclass(order=True)
class _Due:
    at: float
    seq: int
    timer_id: int = field(compare=False)
    event: str = field(compare=False)
    payload: str = field(compare=False)
    target: str | None = field(compare=False)
    period: float | None = field(compare=False)


class LocalHost:
    """A host in the caller's hands (the test client, the contract suite's bare session):
    published messages and task results wait in an inbox, and timers run on a clock the caller
    moves (:meth:`advance`); :meth:`take` hands over what is due, in order. The inbox holds
    :data:`INBOX` broadcasts at most, as a server's mailbox would: more are dropped and
    counted (``pubsub.stats()['dropped']``)."""

    INBOX = 1_000

    def __init__(self) -> None:
        self.inbox: list[tuple[str, tuple[Any, ...]]] = []
        self.now = 0.0
        self._due: list[_Due] = []
        self._ids = 0
        self._lock = threading.Lock()
        self._tasks_done = threading.Condition(self._lock)
        self.closed = False

    # --- ServiceHost ------------------------------------------------------------------------

    def subscribe(self, topic: str) -> None:
        pubsub.local_hub.subscribe(topic, self)

    def unsubscribe(self, topic: str) -> None:
        pubsub.local_hub.unsubscribe(topic, self)

    def start_timer(
        self, after_ms: int, repeat: bool, event: str, payload: str, target: str | None
    ) -> int:
        self._ids += 1
        period = after_ms / 1000 if repeat else None
        heapq.heappush(
            self._due,
            _Due(self.now + after_ms / 1000, self._ids, self._ids, event, payload, target, period),
        )
        return self._ids

    def cancel_timer(self, timer_id: int) -> None:
        self._due = [due for due in self._due if due.timer_id != timer_id]
        heapq.heapify(self._due)

    def deliver_async_result(self, name: str, result: Any, error: BaseException | None) -> bool:
        with self._tasks_done:
            if self.closed:
                return False
            self.inbox.append(("async_result", (name, result, error)))
            self._tasks_done.notify_all()
        return True

    # --- what the local hub calls -------------------------------------------------------------

    def published(self, topic: str, event: str, payload: str) -> None:
        self._queue("published", (topic, event, payload))

    def pushed(self, frame: str) -> None:
        self._queue("frame", (frame,))

    def _queue(self, kind: str, args: tuple[Any, ...]) -> None:
        with self._lock:
            if self.closed:
                return
            if len(self.inbox) >= self.INBOX:
                pubsub.local_hub.dropped += 1
                return
            self.inbox.append((kind, args))

    # --- what the caller does ---------------------------------------------------------------

    def advance(self, ms: float) -> None:
        """Move the clock on by ``ms``: every timer due by then joins the inbox, in order."""
        until = self.now + ms / 1000
        while self._due and self._due[0].at <= until:
            due = heapq.heappop(self._due)
            self.now = due.at
            self.inbox.append(("timer", (due.event, due.payload, due.target, due.timer_id)))
            if due.period is not None:
                self._ids += 1
                heapq.heappush(
                    self._due,
                    _Due(
                        due.at + due.period,
                        self._ids,
                        due.timer_id,
                        due.event,
                        due.payload,
                        due.target,
                        due.period,
                    ),
                )
        self.now = until

    def wait_for_results(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` task results are in the inbox; whether they came in time."""
        with self._tasks_done:
            return self._tasks_done.wait_for(
                lambda: sum(kind == "async_result" for kind, _ in self.inbox) >= count, timeout
            )

    def take(self) -> list[tuple[str, tuple[Any, ...]]]:
        """Everything waiting, oldest first; the inbox is then empty."""
        with self._lock:
            taken, self.inbox = self.inbox, []
        return taken

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self.inbox.clear()
        self._due.clear()
        pubsub.local_hub.forget(self)


def payload_dict(text: str) -> dict[str, Any]:
    """A payload as ``handle_info`` receives it (it crossed the wire as JSON text)."""
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


class UsesServices:
    """Subscriptions, timers and background tasks for a ``LiveView`` and a ``LiveComponent``.

    Outside a connection (the first GET renders the page before any socket exists) each call
    is skipped: the socket's mount runs ``mount()`` again and starts them for real.
    """

    def _services(self) -> tuple[Any, str]:
        """This object's session services (``None`` outside a connection) and its owner
        name in them."""
        raise NotImplementedError

    def subscribe(self, topic: str) -> None:
        """Receive what is broadcast to ``topic`` in ``handle_info(event, payload)`` until
        ``unsubscribe(topic)`` or the end of the connection."""
        services, owner = self._services()
        if services is None:
            pubsub.check_topic(topic)
            return
        services.subscribe(topic, owner)

    def unsubscribe(self, topic: str) -> None:
        """Stop receiving what is broadcast to ``topic``."""
        services, owner = self._services()
        if services is not None:
            services.unsubscribe(topic, owner)

    def send_after(self, ms: float, event: str, payload: dict[str, Any] | None = None) -> Timer:
        """Call ``handle_info(event, payload)`` once, ``ms`` milliseconds from now; the
        returned handle's ``cancel()`` stops it."""
        return self._timer(ms, False, event, payload)

    def schedule_interval(
        self, ms: float, event: str, payload: dict[str, Any] | None = None
    ) -> Timer:
        """Call ``handle_info(event, payload)`` every ``ms`` milliseconds until the handle's
        ``cancel()`` or the end of the connection."""
        return self._timer(ms, True, event, payload)

    def _timer(self, ms: float, repeat: bool, event: str, payload: Any) -> Timer:
        services, owner = self._services()
        if services is None:
            return Timer(SessionServices(None), 0, owner)
        return services.start_timer(ms, repeat, event, payload, owner)

    def start_async(
        self, callback: Callable[..., Any], *args: Any, name: str | None = None, **kwargs: Any
    ) -> None:
        """Run ``callback(*args, **kwargs)`` off the event path (``async def`` on the asyncio
        loop, anything else on a task thread); its result reaches
        ``handle_async_result(name, result, error)`` (``name`` defaults to the callback's),
        and the page is patched. Starting a task whose name is running cancels that one."""
        if not callable(callback):
            raise TypeError(f"start_async() takes a function, got {type(callback).__name__}")
        services, owner = self._services()
        if services is None:
            return
        task_name = name or getattr(callback, "__name__", "task")
        services.start_task(task_name, callback, args, kwargs, owner)

    def cancel_async(self, name: str) -> bool:
        """Cancel the running task ``name`` (its result never arrives); whether one ran."""
        services, _owner = self._services()
        return services.cancel_task(name) if services is not None else False
