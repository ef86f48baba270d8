"""The bench's own views, beside the demo's."""

import time

from demo_app.views import CounterView
from django.http import HttpRequest, HttpResponse
from django.template import engines

from djust import event_handler

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
