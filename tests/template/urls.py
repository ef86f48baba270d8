"""URLs of the template tests: a page rendered by an ordinary Django view, and a LiveView."""

from django.shortcuts import render
from django.urls import path

from djust import LiveView


def page(request, slug):
    """An ordinary Django view, rendered by whichever backend TEMPLATES configures."""
    context = {"title": f"Page <{slug}>", "slug": slug, "items": ["one", "two <2>"]}
    return render(request, "corpus/form_page.html", context)


class CounterView(LiveView):
    template_name = "corpus/live_counter.html"

    def mount(self, request, **kwargs):
        self.count = 3
        self.label = "Clicks <&>"


urlpatterns = [
    path("page/<slug:slug>/", page, name="corpus-page"),
    path("counter/", CounterView.as_live_view(), name="corpus-counter"),
]
