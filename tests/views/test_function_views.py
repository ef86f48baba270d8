"""@live_view: a LiveView written as a function returning locals()."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import path

from djust import live_view
from djust.exceptions import EventError
from djust.testing import LiveViewTestClient


@live_view(template_string="<p>{{ count }} {{ label }}</p><button dj-click='increment'>+</button>")
def counter_view(request, label="clicks"):
    count = 0

    def increment():
        nonlocal count
        count += 1

    def add(amount: int):
        nonlocal count
        count += amount

    return locals()


urlpatterns = [path("fn/<slug:label>/", counter_view)]


def test_state_follows_nonlocal_changes():
    view = LiveViewTestClient(counter_view)
    assert view.text("p") == "0 clicks"
    view.click("button")
    view.click("button")
    assert view.text("p") == "2 clicks"
    view.event("add", amount="5")
    assert view.text("p") == "7 clicks"


def test_handlers_are_the_returned_functions_only():
    view = LiveViewTestClient(counter_view)
    for name in ("request", "count", "nope", "mount"):
        with pytest.raises(EventError):
            view.event(name)
    with pytest.raises(EventError, match="'amount' expects int"):
        view.event("add", amount="x")


@pytest.mark.urls(__name__)
def test_the_function_is_a_url_view_with_kwargs():
    response = counter_view(RequestFactory().get("/fn/taps/"), label="taps")
    assert "<p>0 taps</p>" in response.content.decode()
    assert LiveViewTestClient("/fn/taps/").text("p") == "0 taps"
    assert counter_view.view_class.__name__ == "counter_view"


def test_live_view_needs_a_template_and_a_dict():
    with pytest.raises(TypeError, match="needs a template"):
        live_view(lambda request: {})

    @live_view(template_string="<p></p>")
    def broken(request):
        return 3

    with pytest.raises(TypeError, match="return locals"):
        LiveViewTestClient(broken)
