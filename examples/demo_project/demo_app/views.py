"""The demo's LiveViews: a counter, a todo list, a product search, a small shop, components, a
chat room and a dashboard (the last two update without a click: pub/sub, timers, a task).

`/counter/` and `/todo/` keep a fixed markup (ids, classes, event names) that tools outside the
test suite rely on; change it only together with them.
"""

import itertools
import random
import threading
import time
import uuid
from collections import deque
from typing import Any

from django.db.models import Avg, Count, Max, Min
from django.http import Http404
from django.utils import timezone

import djust
from demo_app.models import Product
from djust import Component, LiveComponent, LiveView, event_handler, reactive
from djust.components import AlertComponent
from djust.mixins.navigation import NavigationMixin

PAGES = [
    {"url": "/counter/", "title": "Counter", "about": "a page template with dj-root"},
    {
        "url": "/counter/inline/",
        "title": "Inline counter",
        "about": "the same view written with template_string",
    },
    {"url": "/todo/", "title": "Todo list", "about": "keyed rows: add, toggle, delete, reorder"},
    {"url": "/search/", "title": "Product search", "about": "debounced search over SQLite"},
    {"url": "/shop/", "title": "Shop", "about": "dj-patch filters and dj-navigate detail pages"},
    {
        "url": "/components/",
        "title": "Components",
        "about": "an alert, stateful counters and their parent",
    },
    {"url": "/chat/", "title": "Chat", "about": "pub/sub: every open tab, and who is typing"},
    {
        "url": "/dashboard/",
        "title": "Dashboard",
        "about": "a ticking clock, visitors online and a report built in the background",
    },
]


class IndexView(LiveView):
    """The demo's front page: links to each example."""

    template_name = "demo_app/index.html"

    def mount(self, request, **kwargs):
        self.pages = PAGES


class CounterView(LiveView):
    """The README's counter, with a page template."""

    template_name = "demo_app/counter.html"

    def mount(self, request, **kwargs):
        self.count = 0

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    def decrement(self):
        self.count -= 1


class InlineCounterView(CounterView):
    """The same counter as the README's Quick Example writes it: a template_string, which
    djust wraps in a minimal page of its own."""

    template_string = """
    <div>
        <h1 id="count">Count: {{ count }}</h1>
        <button id="inc" dj-click="increment">+</button>
        <button id="dec" dj-click="decrement">-</button>
    </div>
    """


class TodoView(LiveView):
    """A todo list whose rows are keyed by id, so reordering moves them instead of rewriting."""

    template_name = "demo_app/todo.html"

    def mount(self, request, **kwargs):
        self.todos = []
        self.added = 0  # keys the text field: a new one (empty) after each add
        # Public, not `_next_id`: the HTTP fallback carries public state between requests.
        self.next_id = 1

    @reactive
    def done_count(self):
        return sum(1 for todo in self.todos if todo["done"])

    @event_handler
    def add(self, text: str = "", **kwargs):
        text = text.strip()
        if text:
            self.todos.append({"id": self.next_id, "text": text, "done": False})
            self.next_id += 1
            self.added += 1

    @event_handler
    def toggle(self, id: int):
        for todo in self.todos:
            if todo["id"] == id:
                todo["done"] = not todo["done"]

    @event_handler
    def delete(self, id: int):
        self.todos = [todo for todo in self.todos if todo["id"] != id]

    @event_handler
    def reverse(self):
        self.todos.reverse()


class SearchView(LiveView):
    """Search as you type; the page waits until typing pauses (dj-debounce) before asking."""

    template_name = "demo_app/search.html"

    def mount(self, request, **kwargs):
        self.query = ""
        self.searches = 0
        self.results = []

    @event_handler
    def search(self, value: str = "", **kwargs):
        self.query = value
        self.searches += 1
        term = value.strip()
        self.results = list(Product.objects.filter(name__icontains=term)[:20]) if term else []


class ShopListView(NavigationMixin, LiveView):
    """Products by category and order: the filter lives in the URL (dj-patch, live_patch)."""

    template_name = "demo_app/shop_list.html"
    orders = {"name": "name", "price": "price", "-price": "-price"}

    def mount(self, request, **kwargs):
        self.categories = sorted(set(Product.objects.values_list("category", flat=True)))

    def handle_params(self, params, uri):
        category = params.get("category", "all")
        self.category = category if category in self.categories else "all"
        sort = params.get("sort", "name")
        self.sort = sort if sort in self.orders else "name"
        products = Product.objects.order_by(self.orders[self.sort], "name")
        if self.category != "all":
            products = products.filter(category=self.category)
        self.products = list(products)

    @event_handler
    def cheapest_first(self):
        self.live_patch(params={"category": self.category, "sort": "price"})


class ShopDetailView(NavigationMixin, LiveView):
    """One product; reached with dj-navigate, so the socket stays open."""

    template_name = "demo_app/shop_detail.html"

    def mount(self, request, pk, **kwargs):
        try:
            self.product = Product.objects.get(pk=pk)
        except Product.DoesNotExist:
            raise Http404("no such product") from None
        self.in_cart = 0

    @event_handler
    def add_to_cart(self):
        self.in_cart += 1
        self.put_flash("info", f"{self.product.name} × {self.in_cart} in your cart.")


class Counter(LiveComponent):
    """A counter with its own state and handlers; tells its parent whenever it changes."""

    template_name = "demo_app/counter_component.html"

    def mount(self):
        self.count = 0
        self.label = "Counter"

    @event_handler
    def inc(self):
        self.count += 1
        self.send_parent("changed", count=self.count)

    @event_handler
    def dec(self):
        self.count -= 1
        self.send_parent("changed", count=self.count)


class Badge(Component):
    """A stateless component: renders its attributes."""

    template = '<span class="badge">{{ text }}</span>'


class ComponentsView(LiveView):
    """An alert, two counters and a parent that keeps their total."""

    template_name = "demo_app/components.html"

    def mount(self, request, **kwargs):
        self.notice = AlertComponent(
            message="Components keep their own state.", type="info", dismissible=True
        )
        self.apples = Counter(label="Apples")
        self.pears = Counter(label="Pears")
        self.badge = Badge(text="live")
        self.total = 0
        self.last_change = "nothing yet"

    def handle_info(self, event, payload):
        if event == "changed":
            self.total = self.apples.count + self.pears.count
            self.last_change = f"{payload['component_id']} is now {payload['count']}"

    @event_handler
    def reset(self):
        for counter in (self.apples, self.pears):
            counter.update(count=0)
        self.total = 0
        self.last_change = "reset"
        self.notice.show("Counters reset.")


# --- chat: pub/sub between every open tab ------------------------------------------------------

CHAT_TOPIC = "demo:chat"
CHAT_KEEP = 50
# How long "… is typing" stays up after the last keystroke heard from someone. The field sends
# at most one keystroke a second (dj-throttle), so a steady typist never flickers off.
TYPING_MS = 3000


class ChatRoom:
    """The room's last messages, so that a tab opened later starts with them. They live in this
    process's memory: the demo runs one process (across processes they would be rows)."""

    def __init__(self, keep: int = CHAT_KEEP) -> None:
        self._messages: deque[dict[str, Any]] = deque(maxlen=keep)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, author: str, name: str, text: str) -> dict[str, Any]:
        with self._lock:
            message = {
                "id": next(self._ids),
                "author": author,
                "name": name,
                "text": text,
                "at": timezone.localtime().strftime("%H:%M"),
            }
            self._messages.append(message)
        return message

    def recent(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._messages)


CHAT = ChatRoom()


class ChatView(LiveView):
    """One chat room: what anyone says appears in every open tab, and the others see who is
    typing. Each tab sends to the topic and hears its own message back like everyone else."""

    template_name = "demo_app/chat.html"

    def mount(self, request, **kwargs):
        self.me = uuid.uuid4().hex[:12]  # this tab, as the others know it
        self.name = f"Guest {random.randint(100, 999)}"
        self.messages = CHAT.recent()
        self.sent = 0  # keys the message field: a new, empty one after each message
        self.typing = ""  # "Ann is typing…"
        self._typists: dict[str, tuple[str, float]] = {}  # tab -> (name, last keystroke)
        self._last_said = ""
        self.subscribe(CHAT_TOPIC)

    def handle_info(self, event, payload):
        if event == "said":
            # A tab that opened between the message's add() and its broadcast has it already.
            if all(message["id"] != payload["id"] for message in self.messages):
                self.messages = [*self.messages, payload][-CHAT_KEEP:]
            self._typists.pop(payload["author"], None)
        elif event == "typing" and payload["author"] != self.me:
            self._typists[payload["author"]] = (payload["name"], time.monotonic())
            self.send_after(TYPING_MS + 50, "typing_expired")
        self._update_typing()  # "typing_expired" only needs this

    def _update_typing(self) -> None:
        horizon = time.monotonic() - TYPING_MS / 1000
        self._typists = {tab: seen for tab, seen in self._typists.items() if seen[1] > horizon}
        names = sorted(name for name, _at in self._typists.values())
        if not names:
            self.typing = ""
        elif len(names) == 1:
            self.typing = f"{names[0]} is typing…"
        else:
            self.typing = f"{', '.join(names[:-1])} and {names[-1]} are typing…"

    @event_handler
    def rename(self, value: str = "", **kwargs):
        self.name = value.strip()[:30] or self.name

    @event_handler
    def typed(self, value: str = "", **kwargs):
        # The field's last throttled keystroke can arrive after its message was sent.
        if value.strip() and value.strip()[:500] != self._last_said:
            djust.broadcast(CHAT_TOPIC, "typing", {"author": self.me, "name": self.name})

    @event_handler
    def say(self, text: str = "", name: str = "", **kwargs):
        self.name = name.strip()[:30] or self.name
        text = text.strip()[:500]
        if text:
            self._last_said = text
            djust.broadcast(CHAT_TOPIC, "said", CHAT.add(self.me, self.name, text))
            self.sent += 1


# --- dashboard: a timer, presence over pub/sub, a background task --------------------------------

# Visitors online, without an unmount hook: every connected dashboard says "here" on the
# presence topic when it mounts and then on every PRESENCE_EVERY_TICKS-th tick of its clock,
# and counts the tabs it heard within PRESENCE_WINDOW_MS, itself included. A closed tab's timer
# ends with its connection, so it falls silent and leaves every count within the window. A
# newcomer learns of the others at once because each answers a "here" from a tab it did not
# know yet. Only messages travel, so the count also holds across processes with the Redis
# backend.
PRESENCE_TOPIC = "demo:dashboard:presence"
PRESENCE_EVERY_TICKS = 2  # of the clock's one-second timer
PRESENCE_WINDOW_MS = 5000
# The report's steps take this long each: the demo's catalogue is too small to take any time.
REPORT_STEP_SECONDS = 0.4


def clock() -> str:
    return timezone.localtime().strftime("%H:%M:%S")


def build_report(progress_topic: str, run: str) -> dict[str, Any]:
    """The catalogue's figures by category, a step per category; after each step it tells
    ``progress_topic`` how far it got. Runs on a task thread (``start_async``)."""
    categories = list(
        Product.objects.order_by("category").values_list("category", flat=True).distinct()
    )
    rows = []
    for done, category in enumerate(categories, start=1):
        time.sleep(REPORT_STEP_SECONDS)
        figures = Product.objects.filter(category=category).aggregate(
            products=Count("id"), average=Avg("price"), low=Min("price"), high=Max("price")
        )
        rows.append(
            {
                "category": category,
                "products": figures["products"],
                "average": f"{figures['average']:.2f}",
                "range": f"{figures['low']:.2f}–{figures['high']:.2f}",
            }
        )
        djust.broadcast(
            progress_topic,
            "progress",
            {"run": run, "percent": 100 * done // len(categories), "step": category},
        )
    return {"rows": rows, "products": sum(row["products"] for row in rows), "at": clock()}


class DashboardView(LiveView):
    """Three things that change with no click: the server's clock (a timer), the visitors on
    this page (pub/sub), and a report built in the background with its progress."""

    template_name = "demo_app/dashboard.html"

    def mount(self, request, **kwargs):
        self.me = uuid.uuid4().hex[:12]  # this tab, as the others know it
        self.now = clock()
        self.today = timezone.localdate().strftime("%A %d %B %Y")
        self.visitors = 1
        self._heard: dict[str, float] = {}  # other tab -> when it last said "here"
        self.report_status = "idle"  # running, done, cancelled, failed
        self.progress = 0
        self.step = ""
        self.report: dict[str, Any] | None = None
        self.report_error = ""
        self._run = ""  # the report being built: progress of an older run is ignored
        self._ticks = 0
        self.subscribe(PRESENCE_TOPIC)
        self.subscribe(self._progress_topic())
        clock_timer = self.schedule_interval(1000, "tick")
        # The first GET renders with no connection (and no timers): only a connected tab counts.
        if clock_timer.active:
            self._say_here()

    def _progress_topic(self) -> str:
        return f"demo:dashboard:report:{self.me}"

    def _say_here(self) -> None:
        djust.broadcast(PRESENCE_TOPIC, "here", {"tab": self.me})

    def _count_visitors(self) -> None:
        horizon = time.monotonic() - PRESENCE_WINDOW_MS / 1000
        self._heard = {tab: at for tab, at in self._heard.items() if at > horizon}
        self.visitors = 1 + len(self._heard)

    def handle_info(self, event, payload):
        if event == "tick":
            self.now = clock()
            self._ticks += 1
            if self._ticks % PRESENCE_EVERY_TICKS == 0:
                self._say_here()
                self._count_visitors()
        elif event == "here" and payload["tab"] != self.me:
            newcomer = payload["tab"] not in self._heard
            self._heard[payload["tab"]] = time.monotonic()
            if newcomer:
                self._say_here()
            self._count_visitors()
        elif event == "progress" and payload["run"] == self._run:
            self.progress = payload["percent"]
            self.step = payload["step"]

    def handle_async_result(self, name, result, error):
        if name != "report":
            return super().handle_async_result(name, result, error)
        self._run = ""
        if error is not None:
            self.report_status = "failed"
            self.report_error = str(error)
        else:
            self.report_status = "done"
            self.progress = 100
            self.report = result

    @event_handler
    def generate_report(self):
        self._run = uuid.uuid4().hex
        self.report_status = "running"
        self.progress = 0
        self.step = ""
        self.report = None
        self.start_async(build_report, self._progress_topic(), self._run, name="report")

    @event_handler
    def cancel_report(self):
        self.cancel_async("report")
        self._run = ""
        self.report_status = "cancelled"
