"""LiveViews that tests/views drives with LiveViewTestClient (routed by tests/views/urls.py)."""

from __future__ import annotations

import datetime
import decimal
import enum
from typing import Literal, Optional

from djust import Component, LiveComponent, LiveView, event_handler, reactive, register_component
from djust.components import AlertComponent
from djust.mixins.navigation import NavigationMixin


class CounterView(LiveView):
    template_name = "views/counter.html"

    def mount(self, request, **kwargs):
        self.count = int(request.GET.get("start", 0))
        self._secret = "never rendered"

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler()
    def add(self, amount: int):
        self.count += amount

    @event_handler
    def explode(self):
        self.count = 99
        raise RuntimeError("boom")

    def reset(self):
        """Not marked: the wire cannot call it."""
        self.count = 0


class ItemView(LiveView):
    template_string = '<p id="item">item {{ pk }} in {{ section }}</p>'

    def mount(self, request, pk, section="main"):
        self.pk = pk
        self.section = section


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


class Size(enum.IntEnum):
    SMALL = 1
    LARGE = 2


class TypesView(LiveView):
    """Records what each handler received, to check the coercion of every annotation."""

    template_string = "<pre>{{ seen }}</pre>"

    def mount(self, request, **kwargs):
        self.seen = {}

    @event_handler
    def scalars(self, n: int, ratio: float, flag: bool, label: str):
        self.seen = {"n": n, "ratio": ratio, "flag": flag, "label": label}

    @event_handler
    def containers(
        self,
        ids: list[int],
        tags: list = None,
        opts: dict[str, int] = None,  # noqa: RUF013
        pair: tuple[int, str] = (0, ""),
    ):
        self.seen = {"ids": ids, "tags": tags, "opts": opts, "pair": pair}

    @event_handler
    def optionals(
        self,
        a: Optional[int] = None,  # noqa: UP045 (the typing spelling is what it tests)
        b: int | None = 5,
        c: str = None,  # noqa: RUF013
    ):
        self.seen = {"a": a, "b": b, "c": c}

    @event_handler
    def rich(
        self,
        when: datetime.date,
        price: decimal.Decimal,
        colour: Colour,
        size: Size,
        mode: Literal["grid", "list"] = "grid",
    ):
        self.seen = {"when": when, "price": price, "colour": colour, "size": size, "mode": mode}

    @event_handler
    def untyped(self, anything, other="x", **kwargs):
        self.seen = {"anything": anything, "other": other, "kwargs": kwargs}

    @event_handler
    def search(self, value: str = "", **kwargs):
        self.seen = {"value": value}

    @event_handler
    async def slow_double(self, n: int):
        import asyncio

        await asyncio.sleep(0)
        self.seen = {"doubled": n * 2}


class InfoView(LiveView):
    template_string = "<ul>{% for m in messages %}<li>{{ m }}</li>{% endfor %}</ul>"

    def mount(self, request, **kwargs):
        self.messages = []

    def handle_info(self, event, payload):
        self.messages.append(f"{event}:{payload['text']}")


class ParamsView(NavigationMixin, LiveView):
    """A filtered list whose filter lives in the URL."""

    template_string = """
    <nav>
      <a id="books" dj-patch="?category=books">Books</a>
      <a id="music" dj-patch="?category=music&page=2">Music</a>
      <a id="detail" dj-navigate="/views/items/3/">Item 3</a>
      <a id="plain" dj-navigate="/views/plain/">Not live</a>
    </nav>
    <p id="filter">{{ category }} page {{ page }} tags {{ tags|join:"," }}</p>
    <button id="next" dj-click="next_page">next</button>
    <button id="go" dj-click="go" data-to="/views/items/9/">go</button>
    <button id="away" dj-click="away">away</button>
    """

    def mount(self, request, **kwargs):
        self.calls = 0

    def handle_params(self, params, uri):
        self.calls += 1
        self.uri = uri
        self.category = params.get("category", "all")
        self.page = int(params.get("page", 1))
        tags = params.get("tag", [])
        self.tags = tags if isinstance(tags, list) else [tags]

    @event_handler
    def next_page(self):
        self.live_patch(params={"category": self.category, "page": self.page + 1})

    @event_handler
    def go(self, to: str):
        self.live_redirect(to)

    @event_handler
    def away(self):
        self.redirect("https://example.com/bye")


class PushView(LiveView):
    template_string = '<div>{% if flash.info %}<p id="flash">{{ flash.info }}</p>{% endif %}</div>'

    @event_handler
    def save(self):
        self.push_event("saved", {"id": 1})
        self.put_flash("info", "Saved!")
        self.push_event("highlight", {"selector": "#row-1"})

    @event_handler
    def bad_payload(self):
        self.push_event("oops", {"when": object()})


@register_component("test-badge")
class Badge(Component):
    template = '<span class="badge">{{ label }}</span>'


class Counter(LiveComponent):
    """A stateful child: its own count and handlers, and it tells its parent at 3."""

    template = """
    <div class="counter">
      <span class="value">{{ label }}: {{ count }}</span>
      <button class="inc" dj-click="inc">+</button>
      <button class="reset" dj-click="reset_all">reset all</button>
    </div>
    """

    def mount(self):
        self.count = 0
        self.label = "counter"

    @event_handler
    def inc(self, by: int = 1):
        self.count += by
        if self.count == 3:
            self.send_parent("reached_three", label=self.label)


class Panel(Component):
    template = '<section class="panel"><h2>{{ title }}</h2>{{ inner }}</section>'


class ComponentsView(LiveView):
    template_string = """
    <div>
      {{ alert }}
      {{ first }}
      {{ second }}
      {% for c in extra %}{{ c }}{% endfor %}
      {{ panel }}
      <button id="outside" dj-click="inc" dj-target="second">second +</button>
      <p id="log">{{ log|join:";" }}</p>
    </div>
    """

    def mount(self, request, **kwargs):
        self.alert = AlertComponent(message="Welcome", type="success", dismissible=True)
        self.first = Counter(label="first")
        self.second = Counter(label="second")
        self.extra = [Counter(label="x0"), Counter(label="x1")]
        self.panel = Panel(title="Panel", inner=AlertComponent(message="inner"))
        self.log = []

    def handle_info(self, event, payload):
        self.log.append(f"{event} from {payload['component_id']} ({payload['label']})")

    @event_handler
    def reset_all(self, component_id: str = None):  # noqa: RUF013
        self.log.append(f"reset requested by {component_id}")
        for counter in (self.first, self.second, *self.extra):
            counter.update(count=0)

    @event_handler
    def rename(self, label: str):
        self.first.update(label=label)


class ReactiveView(LiveView):
    template_string = "<p>{{ total }} {{ doubled }}</p>"

    def mount(self, request, **kwargs):
        self._total = 1

    @reactive
    def total(self):
        return self._total

    @total.setter
    def total(self, value):
        self._total = value

    @reactive
    def doubled(self):
        return self._total * 2

    @event_handler
    def set_total(self, value: int):
        self.total = value


class RedirectingView(LiveView):
    template_string = "<p>never shown</p>"

    def mount(self, request, **kwargs):
        self.redirect("/views/counter/")


class TodoView(LiveView):
    """Keyed rows: add, toggle, delete, reverse."""

    template_name = "views/todo.html"

    def mount(self, request, **kwargs):
        self.todos = []
        self._next = 1

    @event_handler
    def add(self, text: str = "", **kwargs):
        if text.strip():
            self.todos.append({"id": self._next, "text": text.strip(), "done": False})
            self._next += 1

    @event_handler
    def toggle(self, id: int):
        for todo in self.todos:
            if todo["id"] == id:
                todo["done"] = not todo["done"]

    @event_handler
    def reverse(self):
        self.todos.reverse()


class BadgeView(LiveView):
    template_string = (
        '<p id="badge">{% load djust_components %}{% component "test-badge" label="new" %}</p>'
    )
