"""The bench's own views, beside the demo's."""

import json
import time

from demo_app.views import CounterView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.views.decorators.csrf import csrf_exempt

import djust
from djust import LiveView, event_handler, pubsub

SMALL = engines["django"].from_string(
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{{ title }}</title></head>'
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}"
    "</ul></body></html>\n"
)


def small_page(request: HttpRequest) -> HttpResponse:
    """A small page rendered by Django's own template engine (about 300 bytes)."""
    return HttpResponse(
        SMALL.render({"title": "Small page", "items": [f"item {i}" for i in range(10)]}, request)
    )


class SlowCounterView(CounterView):
    """The demo's counter with one more handler, which holds its session for 500 ms."""

    @event_handler
    def nap(self):
        time.sleep(0.5)
        self.count += 1


class FanoutView(LiveView):
    """A subscriber of ``?topic=`` (bench_pubsub.py): each message re-renders its count and the
    message's text, so every broadcast costs one ``handle_info`` and one diff per session."""

    template_string = '<div><h1 id="heard">Heard: {{ heard }}</h1><p id="last">{{ last }}</p></div>'

    def mount(self, request, **kwargs):
        self.heard = 0
        self.last = "nothing yet"
        self.subscribe(request.GET.get("topic", "bench"))

    def handle_info(self, event, payload):
        self.heard += 1
        self.last = payload.get("text", "")


@csrf_exempt
def publish(request: HttpRequest) -> JsonResponse:
    """POST ``{"topic", "event", "payload", "push"}``: one ``djust.broadcast`` (or, with
    ``push``, one ``djust.push``) from a plain Django view, as an application would."""
    body = json.loads(request.body)
    send = djust.push if body.get("push") else djust.broadcast
    send(body["topic"], body["event"], body.get("payload"))
    return JsonResponse({"sent": True})


def pubsub_stats(request: HttpRequest) -> JsonResponse:
    """This process's pub/sub counters (messages dropped by a full mailbox, Redis failures)."""
    return JsonResponse(pubsub.stats())
