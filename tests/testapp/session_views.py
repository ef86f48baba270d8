"""LiveViews for the session and HTTP-fallback tests: they implement the view contract's
handle_params, commands and component targets themselves, as any LiveView may."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.http import HttpResponse

from djust import LiveView, event_handler
from djust.mixins.navigation import NavigationMixin


class ContractView(LiveView):
    """The contract methods the session calls, written out."""

    def handle_params(self, params: dict[str, Any], uri: str) -> None:
        pass

    def queue(self, command: dict[str, Any]) -> None:
        self.__dict__.setdefault("_commands", []).append(command)

    def drain_commands(self) -> list[dict[str, Any]]:
        commands = self.__dict__.pop("_commands", [])
        return commands


class ListView(ContractView):
    template_string = "<p>page {{ page }} of {{ kind }}; {{ calls }} calls; {{ target }}</p>"

    def mount(self, request, **kwargs):
        self.calls = 0
        self.target = ""
        if request.GET.get("greet"):
            self.queue({"t": "push_event", "event": "hello", "payload": {"from": "mount"}})

    def handle_params(self, params, uri):
        self.calls += 1
        self.page = int(params.get("page", 1))
        self.kind = params.get("kind", "all")
        self.uri = uri

    def handle_event(self, name, params, target=None):
        self.target = target or ""
        return super().handle_event(name, params)

    @event_handler
    def commands(self):
        self.page += 100
        payload = {"at": datetime.date(2025, 1, 2), "n": decimal.Decimal("1.5")}
        self.queue({"t": "push_event", "event": "saved", "payload": payload})
        self.queue({"t": "live_patch", "to": "/session/list/?page=7", "replace": True})
        self.queue({"t": "live_redirect", "to": "/session/detail/3/", "replace": False})
        self.queue({"t": "redirect", "to": "/login/"})

    @event_handler
    def bad_payload(self):
        self.queue({"t": "push_event", "event": "x", "payload": {"obj": object()}})

    @event_handler
    def touch(self):
        self.page += 1


class DetailView(ContractView):
    template_name = "testapp/detail.html"

    def mount(self, request, pk: int, **kwargs):
        self.pk = pk
        self.clicks = 0

    @event_handler
    def click(self):
        self.clicks += 1


class BrokenMountView(ContractView):
    template_string = "<p>never</p>"

    def mount(self, request, **kwargs):
        raise RuntimeError("mount failed")


class StateView(ContractView):
    """State of many types, for the HTTP fallback's snapshots."""

    template_string = (
        "<p>{{ count }} {{ when }} {{ price }} {{ tags }} {{ pair }} {{ secret_len }}</p>"
    )

    def mount(self, request, **kwargs):
        self.count = 0
        self.when = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
        self.price = decimal.Decimal("9.99")
        self.tags = {"a"}
        self.pair = (1, "x")
        self._secret = "recomputed by mount"
        self.secret_len = len(self._secret)

    @event_handler
    def bump(self, by: int = 1):
        self.count += by
        self.pair = (self.pair[0] + 1, self.pair[1])

    @event_handler
    def explode(self):
        self.count = 99
        raise RuntimeError("boom")


class OpaqueStateView(ContractView):
    """Holds an object a snapshot cannot carry."""

    template_string = "<p>{{ count }}</p>"

    def mount(self, request, **kwargs):
        self.count = 0
        self.handle = object()

    @event_handler
    def bump(self):
        self.count += 1


def plain(request):
    return HttpResponse("plain")


class FlashSourceView(NavigationMixin, LiveView):
    """Sets a flash, then live-redirects: the flash must show on the next view."""

    template_string = "<p>{{ flash.info }}</p>"

    @event_handler
    def save(self):
        self.put_flash("info", "Saved & done")
        self.live_redirect("/session/flashed/")


class FlashedView(LiveView):
    template_string = "<p>flash: {{ flash.info|default:'none' }}</p>"
