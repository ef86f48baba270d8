"""Fixture views for the host-independent contract suite (``tests/session/``), served under
``/contract/``. Each one exercises one part of the view contract the way an application would:
public djust APIs only (``@event_handler``, ``push_event``, ``redirect``, ``NavigationMixin``,
``LiveComponent``, ``handle_params``, ``handle_info``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from djust import LiveView, event_handler
from djust.components import LiveComponent
from djust.mixins.navigation import NavigationMixin


class CounterView(LiveView):
    """increment / add(amount: int), a handler that raises after changing state, and handlers
    that queue commands."""

    template_string = "<p>Count: {{ count }}</p>{% if note %}<p>{{ note }}</p>{% endif %}"

    def mount(self, request, **kwargs):
        self.count = int(request.GET.get("start", 0))
        self.note = ""

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    def add(self, amount: int, note: str = ""):
        self.count += amount
        self.note = note

    @event_handler
    def explode(self):
        self.count = 99
        raise RuntimeError("boom")

    @event_handler
    def shout(self):
        self.count += 1
        self.push_event("counted", {"count": self.count})
        self.push_event("again", {"n": 2})

    @event_handler
    def leave(self):
        self.count += 1
        self.redirect("/contract/plain/")

    @event_handler
    def _sneaky(self):
        """Marked, but private: a name starting with ``_`` is never callable from the wire."""
        self.count = -1

    def reset(self):
        """Not an event handler: must not be callable from the wire."""
        self.count = 0


class MountCountView(LiveView):
    """Renders differently on every mount, as a page showing the time would."""

    template_string = "<p>mount number {{ n }}</p>"
    mounts = 0

    def mount(self, request, **kwargs):
        MountCountView.mounts += 1
        self.n = MountCountView.mounts


class FragileView(LiveView):
    """A template that fails at render for some state (``items`` not iterable), and a context
    that fails outside both handler and template (``poisoned``)."""

    template_string = "<p>{% for item in items %}{{ item }} {% endfor %}</p>"

    def mount(self, request, **kwargs):
        self.items = ["a"]
        self.poisoned = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.poisoned:
            raise RuntimeError("the context cannot be built")
        return super().get_context_data(**kwargs)

    @event_handler
    def break_template(self):
        self.items = 5

    @event_handler
    def poison(self):
        self.poisoned = True

    @event_handler
    def repair(self):
        self.items = ["a", "b"]
        self.poisoned = False


class PagedView(LiveView):
    """handle_params: what ``dj-patch`` links and ``params`` frames drive."""

    template_string = "<p>page {{ page }} of {{ kind }}</p><p>{{ clicks }} clicks</p>"

    def mount(self, request, **kwargs):
        self.clicks = 0

    def handle_params(self, params, uri):
        self.page = int(params.get("page", 1))
        self.kind = params.get("kind", "all")

    @event_handler
    def click(self):
        self.clicks += 1


PAGE_TEMPLATE = (
    "{% load djust_tags %}<!DOCTYPE html><html><head><title>Item {{ pk }} &amp; more</title>"
    '{% djust_scripts %}</head><body dj-view="{{ dj_view_id }}"><div dj-root>'
    "<h1>item {{ pk }}</h1><p>{{ clicks }} clicks</p></div></body></html>"
)


class DetailView(LiveView):
    """A whole page with a title: the target of navigations."""

    template_string = PAGE_TEMPLATE

    def mount(self, request, pk: int, **kwargs):
        self.pk = pk
        self.clicks = 0

    @event_handler
    def click(self):
        self.clicks += 1


class NavView(NavigationMixin, LiveView):
    """live_patch to its own URL, live_redirect with a flash to another view."""

    template_string = "<p>tab {{ tab }}</p>"

    def handle_params(self, params, uri):
        self.tab = params.get("tab", "home")

    @event_handler
    def go_tab(self, tab: str):
        self.live_patch(params={"tab": tab})

    @event_handler
    def save(self):
        self.put_flash("info", "Saved & done")
        self.live_redirect("/contract/flashed/")


class FlashedView(LiveView):
    template_string = "<p>flash: {{ flash.info|default:'none' }}</p>"


class InfoView(LiveView):
    """handle_info changes what it renders and queues a command."""

    template_string = "<p>{{ message }}</p>"

    def mount(self, request, **kwargs):
        self.message = "waiting"

    def handle_info(self, event, payload):
        if event == "news":
            self.message = payload["text"]
            self.push_event("news_shown", {"text": payload["text"]})

    @event_handler
    def ping_me(self):
        self.message = "pinged"


class Tally(LiveComponent):
    template = "<span>{{ label }}: {{ count }}</span>"

    def mount(self):
        self.count = 0

    @event_handler
    def inc(self, by: int = 1):
        self.count += by


class BoardView(LiveView):
    """A LiveComponent on an attribute (id ``tally``); ``remove`` is the view's, not the
    component's, so an event for it sent to the component reaches the view."""

    template_string = "<div>{{ tally }}</div><p>{{ removed }}</p>"

    def mount(self, request, **kwargs):
        self.tally = Tally(label="first")
        self.removed = "nothing removed"

    @event_handler
    def remove(self, component_id: str):
        self.removed = f"removed {component_id}"


def plain(request):
    return HttpResponse("<p>a plain Django page</p>")
