"""The life of a LiveView: mount with URL kwargs, handle_params, context, handle_info, and the
first HTTP response."""

from __future__ import annotations

import pytest

from djust import LiveView, event_handler
from djust.testing import LiveViewTestClient
from tests.views import live


def test_mount_gets_the_request_and_url_kwargs():
    item = LiveViewTestClient("/views/items/7/")
    assert item.text("#item") == "item 7 in main"
    other = LiveViewTestClient("/views/items/8/extra/")
    assert other.text("#item") == "item 8 in extra"
    direct = LiveViewTestClient(live.ItemView, pk=9, section="side")
    assert direct.text("#item") == "item 9 in side"


def test_template_name_and_query_reach_mount():
    counter = LiveViewTestClient("/views/counter/?start=41")
    assert counter.text("#count") == "Count: 41"
    assert counter.title == "Counter 41"
    counter.click("#inc")
    assert counter.text("#count") == "Count: 42"
    assert counter.patches == [["text", [1, 0], "Count: 42"]]


def test_public_attributes_are_context_and_private_ones_are_not():
    counter = LiveViewTestClient(live.CounterView)
    context = counter.view.get_context_data()
    assert context["count"] == 0
    assert "_secret" not in context
    assert "request" not in context
    assert "never rendered" not in counter.page_html


def test_get_context_data_can_be_overridden():
    class Greeting(LiveView):
        template_string = "<p>{{ greeting }}, {{ name }}</p>"

        def mount(self, request, **kwargs):
            self.name = "Ada"

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["greeting"] = "Hello"
            return context

    assert LiveViewTestClient(Greeting).text("p") == "Hello, Ada"


def test_class_attributes_are_defaults_in_the_context():
    class Defaults(LiveView):
        template_string = "<p>{{ title }} {{ count }}</p>"
        title = "Tally"
        count = 3

    view = LiveViewTestClient(Defaults)
    assert view.text("p") == "Tally 3"


def test_handle_params_runs_after_every_mount_with_params_and_uri():
    page = LiveViewTestClient("/views/params/?category=books&tag=a&tag=b")
    assert page.view.calls == 1
    assert page.view.uri == "/views/params/?category=books&tag=a&tag=b"
    assert page.text("#filter") == "books page 1 tags a,b"


def test_handle_info_receives_messages_and_the_page_follows():
    view = LiveViewTestClient(live.InfoView)
    view.info("chat", {"text": "hi"})
    view.info("chat", {"text": "there"})
    assert [li.text for li in view.find_all("li")] == ["chat:hi", "chat:there"]


def test_default_handle_info_does_nothing():
    counter = LiveViewTestClient(live.CounterView)
    assert counter.info("tick") == []


def test_reactive_properties_are_context_and_setters_work():
    view = LiveViewTestClient(live.ReactiveView)
    assert view.text("p") == "1 2"
    view.event("set_total", value="5")
    assert view.text("p") == "5 10"


def test_a_view_without_a_template_says_how_to_give_it_one():
    class Empty(LiveView):
        pass

    with pytest.raises(TypeError, match="set template_name"):
        LiveViewTestClient(Empty)


def test_as_live_view_rejects_unknown_initkwargs():
    with pytest.raises(TypeError, match="not an attribute"):
        live.CounterView.as_live_view(colour="red")


def test_as_live_view_initkwargs_set_class_attributes(client, settings):
    class Titled(LiveView):
        template_string = "<h1>{{ title }}</h1>"
        title = "default"

    view = Titled.as_live_view(title="given")
    from django.test import RequestFactory

    response = view(RequestFactory().get("/"))
    assert "<h1>given</h1>" in response.content.decode()


# --- the first HTTP response ---------------------------------------------------------------


def test_get_renders_the_whole_page_server_side(client):
    response = client.get("/views/counter/?start=2")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="count">Count: 2</h1>' in html
    assert "data-djust-client" in html
    assert response["Cache-Control"] == "no-store"
    assert 'dj-view="' in html and "djust-view-token-pending" not in html


def test_get_runs_handle_params(client):
    html = client.get("/views/params/?category=music&page=3").content.decode()
    assert "music page 3" in html


def test_only_get_and_head_are_served(client):
    assert client.head("/views/counter/").status_code == 200
    assert client.put("/views/counter/").status_code == 405
    assert client.delete("/views/counter/").status_code == 405


def test_a_redirect_during_mount_is_an_http_redirect(client):
    response = client.get("/views/redirecting/")
    assert response.status_code == 302
    assert response["Location"] == "/views/counter/"


def test_a_redirect_during_mount_in_the_test_client():
    view = LiveViewTestClient("/views/redirecting/")
    assert view.redirected_to == "/views/counter/"
    with pytest.raises(AssertionError, match="redirected"):
        view.event("anything")


def test_a_page_storing_nothing_creates_no_session(client):
    # No `db` fixture: any query would fail the test.
    response = client.get("/views/counter/")
    assert "sessionid" not in response.cookies
    assert "djust_vid" in response.cookies


class Marked(LiveView):
    template_string = "<p>{{ n }}</p>"
    n = 0

    @event_handler
    def bump(self):
        self.n += 1


def test_views_made_in_tests_can_be_driven_without_urls():
    view = LiveViewTestClient(Marked)
    view.event("bump")
    assert view.text("p") == "1"
    assert view.url == "/"


def test_a_live_patch_during_mount_redirects_the_first_request(client, settings):
    from djust.mixins.navigation import NavigationMixin

    class Defaulting(NavigationMixin, LiveView):
        """Puts a default filter in the URL."""

        template_string = "<p>{{ sort }}</p>"

        def mount(self, request, **kwargs):
            self.push_event("ignored-over-http", {})

        def handle_params(self, params, uri):
            self.sort = params.get("sort")
            if self.sort is None:
                self.live_patch(params={"sort": "name"})

    view = Defaulting.as_live_view()
    from django.test import RequestFactory

    response = view(RequestFactory().get("/list/"))
    assert response.status_code == 302 and response["Location"] == "/list/?sort=name"
    response = view(RequestFactory().get("/list/?sort=price"))
    assert response.status_code == 200 and "<p>price</p>" in response.content.decode()
    live = LiveViewTestClient(Defaulting, "/list/")
    assert live.url == "/list/?sort=name" and live.text("p") == "name"
    assert live.pushed_events == [("ignored-over-http", {})]


def test_a_root_marked_in_upper_case_is_the_root():
    class Shouting(LiveView):
        template_string = (
            "<!DOCTYPE html><html><body><nav>menu</nav>"
            '<main DJ-ROOT dj-view="{{ dj_view_id }}"><p id="n">{{ n }}</p>'
            '<button id="up" dj-click="up">+</button></main></body></html>'
        )

        def mount(self, request):
            self.n = 0

        @event_handler
        def up(self):
            self.n += 1

    client = LiveViewTestClient(Shouting)
    assert client.page_html.count("dj-root") + client.page_html.count("DJ-ROOT") == 1
    client.click("#up")
    assert client.text("#n") == "1"
    assert client.patches == [["text", [0, 0], "1"]]
