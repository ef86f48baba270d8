"""Views for the pub/sub, timer and task contract tests (tests/session/test_pubsub.py)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

import djust
from djust import LiveView, event_handler, pubsub
from djust.components.base import LiveComponent
from djust.tasks import background

ROOM = """<ul id="said">{% for m in messages %}<li>{{ m }}</li>{% endfor %}</ul>
<p id="ticks">ticks: {{ ticks }}</p><p id="report">report: {{ report }}</p>"""


def make_report(delay: float, fail: bool) -> int:
    time.sleep(delay)
    if fail:
        raise ValueError("the report broke")
    return 42


async def fetch_total(delay: float) -> int:
    await asyncio.sleep(delay)
    return 7


# What happened to never-ending tasks: "cancelled" once their session closed.
FOREVER: list[str] = []


async def wait_forever() -> None:
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        FOREVER.append("cancelled")
        raise


class RoomView(LiveView):
    """Subscribes to ``?topic=`` (default ``room``); shows what it hears, its ticks and its
    report."""

    template_string = ROOM

    def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        self.topic = request.GET.get("topic", "room")
        self.messages: list[str] = []
        self.ticks = 0
        self.report = "none"
        self.subscribe(self.topic)

    def handle_info(self, event: str, payload: dict[str, Any]) -> None:
        if event == "said":
            self.messages.append(payload["text"])
        elif event == "tick":
            self.ticks += 1
        elif event == "note":
            self.messages.append(f"note {payload['text']}")
        elif event == "boom":
            raise RuntimeError("boom")
        elif event == "slow":
            time.sleep(payload.get("seconds", 0.05))
            self.messages.append("slow done")

    def handle_async_result(self, name: str, result: Any, error: BaseException | None) -> None:
        if name == "crunch" and error is None:
            return  # @background: the handler set the report itself
        self.report = f"{name} failed: {error}" if error else f"{name} done: {result}"

    @event_handler
    def say(self, text: str = "") -> None:
        djust.broadcast(self.topic, "said", {"text": text})

    @event_handler
    def say_unsendable(self) -> None:
        djust.broadcast(self.topic, "said", {"when": object()})

    @event_handler
    def leave(self) -> None:
        self.unsubscribe(self.topic)

    @event_handler
    def later(self, ms: int = 20, text: str = "later") -> None:
        self._later = self.send_after(ms, "note", {"text": text})

    @event_handler
    def cancel_later(self) -> None:
        self._later.cancel()

    @event_handler
    def every(self, ms: int = 20) -> None:
        self._every = self.schedule_interval(ms, "tick")

    @event_handler
    def stop(self) -> None:
        self._every.cancel()

    @event_handler
    def start_report(self, delay: float = 0.0, fail: bool = False) -> None:
        self.report = "working"
        self.start_async(make_report, delay, fail, name="report")

    @event_handler
    def start_total(self) -> None:
        self.report = "working"
        self.start_async(fetch_total, 0.01)

    @event_handler
    def cancel_report(self) -> None:
        self.cancel_async("report")
        self.report = "cancelled"

    @event_handler
    def start_forever(self) -> None:
        self.report = "waiting forever"
        self.start_async(wait_forever, name="forever")

    @event_handler
    def later_in_a_year(self) -> None:
        self._year = self.send_after(365 * 24 * 3600 * 1000, "note", {"text": "a year on"})

    @event_handler
    @background
    def crunch(self, n: int = 3) -> None:
        time.sleep(0.02)
        self.report = f"crunched {n}"


class Headline(LiveComponent):
    """A component that subscribes itself (in its constructor's mount())."""

    template = '<b id="headline">{{ text }}</b>'

    def mount(self) -> None:
        self.text = "no news"
        self.subscribe("headlines")

    def handle_info(self, event: str, payload: dict[str, Any]) -> None:
        self.text = payload["text"]


class NewsView(LiveView):
    template_string = '<p id="view">{{ seen }}</p>{{ headline }}'

    def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        self.seen = "view heard nothing"
        self.headline = Headline()

    def handle_info(self, event: str, payload: dict[str, Any]) -> None:
        self.seen = "the view heard it too"


@csrf_exempt
def publish(request: HttpRequest) -> JsonResponse:
    """POST ``{"topic", "event", "payload", "push", "times", "thread"}``: ``times`` broadcasts
    from a plain Django view (or from a thread of its own, with no event loop)."""
    body = json.loads(request.body)
    send = djust.push if body.get("push") else djust.broadcast

    def publish_all() -> None:
        for _ in range(int(body.get("times", 1))):
            send(body["topic"], body["event"], body.get("payload"))

    if body.get("thread"):
        worker = threading.Thread(target=publish_all)
        worker.start()
        worker.join()
    else:
        publish_all()
    return JsonResponse({"sent": True})


def pubsub_state(request: HttpRequest) -> JsonResponse:
    """The server process's pub/sub counters, resident memory, and never-ending tasks' fate."""
    with open("/proc/self/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return JsonResponse({**pubsub.stats(), "rss_kib": rss, "forever": FOREVER})


# The gate of GateView, an asyncio.Event on djust's loop (djust.tasks.event_loop()).
GATE: dict[str, asyncio.Event] = {}


class GateView(LiveView):
    """``async def`` handlers: one waits at a gate another session's plain handler opens."""

    template_string = "<p id='state'>{{ state }}</p>"

    async def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        await asyncio.sleep(0)
        self.state = "idle"
        self.subscribe("gate")

    @event_handler
    async def wait_gate(self) -> None:
        gate = GATE.setdefault("gate", asyncio.Event())
        await asyncio.wait_for(gate.wait(), 20)
        GATE.pop("gate", None)
        self.state = "opened"

    @event_handler
    def open_gate(self) -> None:
        from djust.tasks import event_loop

        event_loop().call_soon_threadsafe(lambda: GATE.setdefault("gate", asyncio.Event()).set())
        self.state = "opener done"

    @event_handler
    async def pause(self, ms: int = 10) -> None:
        await asyncio.sleep(ms / 1000)
        self.state = f"paused {ms}"

    @event_handler
    async def fail_later(self) -> None:
        await asyncio.sleep(0)
        raise RuntimeError("boom")

    async def handle_info(self, event: str, payload: dict[str, Any]) -> None:
        await asyncio.sleep(0)
        self.state = f"info {event}"
