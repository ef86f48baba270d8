"""@cache, @client_state and DraftModeMixin: each with the behaviour the README promises."""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches

from djust import LiveView
from djust.components import LiveComponent
from djust.decorators import cache, client_state
from djust.testing import LiveViewTestClient
from tests.session.adapters import SessionHost

NOTES = "/security/notes/"

RUNS = []


class SearchView(LiveView):
    login_required = False
    template_string = "<p id='r'>{{ results|join:',' }}</p><p id='p'>{{ page }}</p>"

    def mount(self, request, **kwargs):
        self.results = []
        self.page = 0

    @cache(ttl=60, key_params=["query"])
    def search(self, query: str = "", page: int = 0):
        RUNS.append(query)
        self.results = [query.upper(), query[::-1]]
        self.page = page


@pytest.fixture(autouse=True)
def clean_cache():
    caches["default"].clear()
    RUNS.clear()


def test_cache_runs_once_per_key_and_restores_what_it_set():
    page = LiveViewTestClient(SearchView)
    page.event("search", query="abc", page=1)
    page.event("search", query="xyz")
    assert page.text("#r") == "XYZ,zyx"
    page.event("search", query="abc", page=5)
    assert page.text("#r") == "ABC,cba"
    assert page.text("#p") == "1", "page is not in key_params: the cached effect wins"
    assert RUNS == ["abc", "xyz"]
    other = LiveViewTestClient(SearchView)
    other.event("search", query="abc")
    assert other.text("#r") == "ABC,cba" and RUNS == ["abc", "xyz"], "shared across sessions"


def test_cache_keys_hold_the_user(django_user_model, db):
    ada = django_user_model.objects.create_user("ada")
    LiveViewTestClient(SearchView).event("search", query="abc")
    LiveViewTestClient(SearchView, user=ada).event("search", query="abc")
    assert RUNS == ["abc", "abc"], "an anonymous result is not a logged-in user's"


def test_cache_expires(monkeypatch):
    page = LiveViewTestClient(SearchView)
    page.event("search", query="abc")
    caches["default"].clear()
    page.event("search", query="abc")
    assert RUNS == ["abc", "abc"]


def test_cache_checks_its_arguments():
    with pytest.raises(TypeError, match="positive"):
        cache(ttl=0)
    with pytest.raises(TypeError, match=r"key_params=\['query'\]"):
        cache(key_params="query")


class Filter(LiveComponent):
    template = "<b id='f'>{{ date_range }}</b>"

    def mount(self, **kwargs):
        self.date_range = "week"

    @client_state(["date_range"])
    def pick(self, value: str = ""):
        self.date_range = value


class Chart(LiveComponent):
    template = "<i id='{{ component_id }}'>{{ date_range }}</i>"

    def mount(self, **kwargs):
        self.date_range = "week"


class DashboardView(LiveView):
    login_required = False
    template_string = (
        "<div>{{ filter.render }}{{ sales.render }}{{ visits.render }}"
        "<p id='v'>{{ date_range }}</p></div>"
    )

    def mount(self, request, **kwargs):
        self.date_range = "week"
        self.filter = Filter()
        self.sales = Chart()
        self.visits = Chart()


def test_client_state_reaches_every_component_and_the_hooks():
    page = LiveViewTestClient(DashboardView)
    page.event("pick", target="filter", value="month")
    assert page.view.sales.date_range == "month" and page.view.visits.date_range == "month"
    assert page.view.date_range == "month"
    assert ("client_state", {"date_range": "month"}) in page.pushed_events


@pytest.mark.django_db(transaction=True)
def test_a_draft_survives_a_reload_and_a_reconnect_and_goes_after_a_submit():
    host = SessionHost()
    try:
        visitor = host.visitor()
        first = host.get(NOTES, visitor)
        assert 'value="' not in first.html.split('name="title"')[1].split(">")[0]
        conn = host.connect(first)
        conn.mount()
        typed = {"title": "Shopping list", "body": ""}
        conn.send({"t": "event", "ref": 1, "name": "validate", "params": typed})
        reloaded = host.get(NOTES, visitor)
        assert 'value="Shopping list"' in reloaded.html, "the reload shows the draft"
        reconnected = host.connect(reloaded)
        assert 'value="Shopping list"' in reconnected.mount(reconnect=True)[0]["html"]
        done = {"title": "Shopping list", "body": "eggs"}
        frames = reconnected.send({"t": "event", "ref": 2, "name": "submit", "params": done})
        assert "Saved" in json.dumps(frames) and "errorlist" not in json.dumps(frames)
        assert 'value="Shopping list"' not in host.get(NOTES, visitor).html, "draft discarded"
        stranger = host.get(NOTES, host.visitor())
        assert 'value="Shopping list"' not in stranger.html
    finally:
        host.close()
