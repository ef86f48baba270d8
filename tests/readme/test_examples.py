"""Every example of the README, run as printed, then driven with LiveViewTestClient.

The code comes from README.md itself (see examples.py), so the README cannot drift from what
works. Names an example uses without defining (``LiveView``, ``Product``) are the ones the README
defines or imports around it.
"""

from __future__ import annotations

import re
import sys
import types

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from djust import LiveView, event_handler
from djust.components import AlertComponent
from djust.exceptions import EventError
from djust.mixins.navigation import NavigationMixin
from djust.testing import LiveViewTestClient
from tests.readme import examples
from tests.readme.models import Item, Product
from tests.readme.test_quickstart import quick_example, readme_files

TODOS_HTML = """<form dj-submit="add_todo"><input name="text"><button>Add</button></form>
<ul>{% for todo in todos %}<li{% if todo.done %} class="done"{% endif %}>{{ todo.text }}</li>
{% endfor %}</ul>"""


@pytest.fixture(autouse=True)
def readme_templates(settings, tmp_path):
    """The templates the examples name: the README's own counter.html, and a todos.html."""
    (tmp_path / "counter.html").write_text(readme_files()["myapp/templates/counter.html"])
    (tmp_path / "todos.html").write_text(TODOS_HTML)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]


@pytest.fixture(scope="session")
def readme_tables(django_db_setup, django_db_blocker):
    """Tables for the README's Product and Item models (made for these tests only)."""
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Product)
        editor.create_model(Item)


def routes(name: str, *patterns) -> str:
    """A URLconf module made of ``patterns``; returns its name for ROOT_URLCONF."""
    module = types.ModuleType(f"tests.readme.urls_{name}")
    module.urlpatterns = list(patterns)
    sys.modules[module.__name__] = module
    return module.__name__


class ItemDetailView(LiveView):
    template_string = '<h1 id="detail">{{ kind }} {{ pk }}</h1>'

    def mount(self, request, pk, **kwargs):
        self.pk = pk
        self.kind = request.path.split("/")[1]


def plain_page(request):
    return HttpResponse("not a LiveView")


# --- Quick Example and Getting Started -------------------------------------------------------


def test_quick_example():
    counter_view = examples.module("quick", quick_example()).CounterView
    live = LiveViewTestClient(counter_view)
    assert live.text("h1") == "Count: 0"
    live.click("button:has-text('+')")
    live.click("button:has-text('+')")
    live.click("button:has-text('-')")
    assert live.text("h1") == "Count: 1"
    assert len(live.patches) == 1


def test_getting_started_view_and_template():
    views = examples.module("getting-started", readme_files()["myapp/views.py"])
    live = LiveViewTestClient(views.CounterView)
    assert live.title == "Counter"
    live.click("button:has-text('+')")
    assert live.text("h1") == "Count: 1"
    assert live.patches == [["text", [1, 0], "Count: 1"]]


# --- Creating LiveViews ----------------------------------------------------------------------


def test_class_based_liveview():
    todo_view = examples.module("todo-class").TodoListView
    live = LiveViewTestClient(todo_view)
    live.submit("form", text="milk")
    live.submit("form", text="eggs")
    assert [li.text for li in live.find_all("li")] == ["milk", "eggs"]
    live.event("toggle_todo", index=1)  # a number, as a hook's pushEvent sends it
    assert live.find("li:nth-child(2)").has_class("done")
    assert live.view.todos == [{"text": "milk", "done": False}, {"text": "eggs", "done": True}]


def test_function_based_liveview():
    counter_view = examples.module("counter-function").counter_view
    live = LiveViewTestClient(counter_view)
    assert live.text("h1") == "Count: 0"
    live.click("button:has-text('+')")
    live.click("button:has-text('+')")
    assert live.text("h1") == "Count: 2"
    with pytest.raises(EventError, match="decrement"):
        live.click("button:has-text('-')")


# --- Event handlers --------------------------------------------------------------------------


def test_event_handler_example():
    handler_class = examples.methods("event-handlers", (LiveView,))
    view = type(
        "SearchView",
        (handler_class,),
        {"template_string": '<input dj-input="search"><p>{{ search_query }}</p>'},
    )
    live = LiveViewTestClient(view)
    live.input("input", "lamp")
    assert live.text("p") == "lamp"


def test_the_value_convention_right_and_wrong():
    code = examples.source("value-convention")
    examples.module("value-convention", event_handler=event_handler)  # runs as printed
    split = code.index("# ❌")
    right, wrong = code[:split], code[split:]
    template = {"template_string": '<input dj-input="search"><p>{{ search_query }}</p>'}
    right_view = type(
        "Right",
        (examples.methods("value-right", (LiveView,), right, event_handler=event_handler),),
        template,
    )
    wrong_view = type(
        "Wrong",
        (examples.methods("value-wrong", (LiveView,), wrong, event_handler=event_handler),),
        template,
    )
    right_live, wrong_live = LiveViewTestClient(right_view), LiveViewTestClient(wrong_view)
    right_live.input("input", "lamp")
    wrong_live.input("input", "lamp")
    assert right_live.text("p") == "lamp"
    assert wrong_live.text("p") == "", "query is always its default"


# --- Reusable components ---------------------------------------------------------------------


def test_alert_component_example():
    my_view = examples.module("alert-component", LiveView=LiveView).MyView
    page = type("Page", (my_view,), {"template_string": "<div>{{ alert_success }}</div>"})
    live = LiveViewTestClient(page)
    assert live.view.alert_success.component_id == "alert_success"
    alert = live.find("[data-component-id=alert_success]")
    assert alert.text == "Operation successful!" and alert.has_class("alert-success")
    live.click("[data-component-id=alert_success] button")
    assert live.view.alert_success.visible is False


def test_component_id_management():
    snippet = examples.source("component-id")
    example = examples.methods(
        "component-id",
        (LiveView,),
        "def mount(self, request):\n" + re.sub("(?m)^", "    ", snippet),
        AlertComponent=AlertComponent,
    )
    page = type("Page", (example,), {"template_string": "<div>{{ alert_success }}</div>"})
    live = LiveViewTestClient(page)
    component = live.view.alert_success
    assert component.component_id == "alert_success"  # 1
    live.render()
    live.event("clear_flash")
    assert component.component_id == "alert_success"  # 2
    assert live.find("div > div").get("data-component-id") == "alert_success"  # 3
    live.event("dismiss", target="alert_success")  # 4
    assert component.visible is False


def test_event_routing_example():
    my_view = examples.module(
        "event-routing",
        LiveView=LiveView,
        AlertComponent=AlertComponent,
        event_handler=event_handler,
    ).MyView
    page = type("Page", (my_view,), {"template_string": "<div>{{ alert_warning }}</div>"})
    clicked = LiveViewTestClient(page)
    clicked.click("[data-component-id=alert_warning] button")
    assert clicked.view.alert_warning.visible is False
    assert not clicked.has("[role=alert]")
    # The view's own handler, with the component_id the button carries:
    by_view = LiveViewTestClient(page)
    by_view.event("dismiss", component_id="alert_warning")
    assert by_view.view.alert_warning.visible is False


def test_custom_component_example(capsys):
    button_class = examples.module("custom-component").Button

    class Page(LiveView):
        template_string = "<div>{{ save }}</div>"

        def mount(self, request, **kwargs):
            self.save = button_class(label="Save")

    live = LiveViewTestClient(Page)
    assert live.text("button") == "Save"
    live.click("[data-component-id=save]")
    live.click("[data-component-id=save]")
    assert live.view.save.clicks == 2
    assert capsys.readouterr().out == "Clicked 1 times!\nClicked 2 times!\n"


def test_a_registered_component_renders_from_its_tag():
    examples.module("custom-component")

    class Page(LiveView):
        template_string = (
            '<div>{% load djust_components %}{% component "my-button" label="Go" %}</div>'
        )

    assert LiveViewTestClient(Page).text("button") == "Go"


def test_live_component_example():
    dashboard = examples.module("live-component").Dashboard
    live = LiveViewTestClient(dashboard)
    live.click("button")
    assert live.text("b") == "5"
    live.click("button")
    assert live.text("p") == "stepper reached 10"
    assert live.text("button") == "+0"


# --- Decorators ------------------------------------------------------------------------------


def test_reactive_example():
    my_view = examples.module("reactive").MyView
    page = type("Page", (my_view,), {"template_string": "<p>{{ count }}</p>"})
    live = LiveViewTestClient(page)
    assert live.text("p") == "", "not set yet: missing, as Django renders it"
    live.view.count = 5
    live.render()
    assert live.text("p") == "5"
    live.event("handle_click")
    assert live.view.count == 5


# --- Navigation patterns ---------------------------------------------------------------------


@pytest.fixture
def products(db, readme_tables):
    Product.objects.create(name="Radio", category="electronics")
    Product.objects.create(name="Lamp", category="electronics")
    Product.objects.create(name="Dune", category="books")


def test_navigation_example(products, settings):
    list_view = examples.module("navigation", Product=Product).ProductListView
    settings.ROOT_URLCONF = routes(
        "navigation",
        path("products/", list_view.as_live_view()),
        path("products/<int:pk>/", ItemDetailView.as_live_view()),
    )
    live = LiveViewTestClient("/products/?category=books")
    assert [a.text for a in live.find_all("a[dj-navigate]")] == ["Dune"]
    live.click("a:has-text('Electronics')")
    assert live.url == "/products/?category=electronics"
    assert [a.text for a in live.find_all("a[dj-navigate]")] == ["Radio", "Lamp"]
    live.back()
    assert [a.text for a in live.find_all("a[dj-navigate]")] == ["Dune"]
    live.forward()
    radio = Product.objects.get(name="Radio")
    live.click("a:has-text('Radio')")
    assert live.text("#detail") == f"products {radio.pk}"
    assert live.history == [
        "/products/?category=books",
        "/products/?category=electronics",
        f"/products/{radio.pk}/",
    ]


def test_anti_pattern_example_still_navigates(settings):
    example = examples.methods(
        "anti-pattern", (NavigationMixin, LiveView), event_handler=event_handler
    )
    page = type(
        "Page",
        (example,),
        {
            "template_string": (
                '<button dj-click="go_to_item" dj-value-item_id="{{ 3 }}">View</button>'
            )
        },
    )
    settings.ROOT_URLCONF = routes("anti", path("items/<int:pk>/", ItemDetailView.as_live_view()))
    live = LiveViewTestClient(page)
    live.click("button")
    assert live.url == "/items/3/"
    assert live.text("#detail") == "items 3"


class FakeForm:
    def __init__(self, valid):
        self.valid, self.saved = valid, False

    def is_valid(self):
        return self.valid

    def save(self):
        self.saved = True


@pytest.fixture
def conditional(settings):
    example = examples.methods(
        "conditional-navigation",
        (NavigationMixin, LiveView),
        event_handler=event_handler,
        Item=Item,
    )

    class Wizard(example):
        template_string = "<p>{{ current_step }} {{ show_sensitive }}</p>"
        steps = ["address", "payment", "review"]

        def mount(self, request, **kwargs):
            self.form = FakeForm(valid=request.GET.get("valid") == "1")
            self.current_step = "payment"
            self.payment_valid = False
            self.show_sensitive = False

        def handle_params(self, params, uri):
            self.current_step = params.get("step", self.current_step)

        def get_next_step(self):
            return self.steps[self.steps.index(self.current_step) + 1]

    settings.ROOT_URLCONF = routes(
        "conditional",
        path("wizard/", Wizard.as_live_view()),
        path("success/", plain_page),
        path("access-denied/", plain_page),
        path("items/<int:pk>/", ItemDetailView.as_live_view()),
    )
    return Wizard


def test_conditional_navigation_after_validation(conditional):
    invalid = LiveViewTestClient("/wizard/")
    invalid.event("submit_form")
    assert invalid.redirected_to is None and not invalid.view.form.saved
    valid = LiveViewTestClient("/wizard/?valid=1")
    form = valid.view.form
    valid.event("submit_form")
    assert form.saved and valid.redirected_to == "/success/"


def test_conditional_navigation_on_permissions(conditional, django_user_model, db):
    denied = LiveViewTestClient("/wizard/", user=AnonymousUser())
    denied.event("view_sensitive_data")
    assert denied.redirected_to == "/access-denied/"
    boss = django_user_model(username="boss", is_superuser=True, is_active=True)
    allowed = LiveViewTestClient("/wizard/", user=boss)
    allowed.event("view_sensitive_data")
    assert allowed.redirected_to is None and allowed.text("p") == "payment True"


def test_conditional_navigation_after_an_async_create(
    conditional, django_user_model, readme_tables, db
):
    owner = django_user_model.objects.create_user("ada")
    live = LiveViewTestClient("/wizard/", user=owner)
    live.event("create_and_view_item", name="Kettle")
    item = Item.objects.get(name="Kettle")
    assert item.owner == owner
    assert live.url == f"/items/{item.pk}/" and live.text("#detail") == f"items {item.pk}"


def test_conditional_navigation_in_a_wizard(conditional):
    live = LiveViewTestClient("/wizard/")
    live.event("next_step")
    assert live.url == "/wizard/" and live.text("p") == "payment False"
    live.view.payment_valid = True
    live.event("next_step")
    assert live.url == "/wizard/?step=review"
    assert live.text("p") == "review False"


# --- Server pushes and testing -------------------------------------------------------------


def test_pushes_example():
    editor = examples.module("pushes").EditorView
    live = LiveViewTestClient(editor)
    live.click("button")
    assert live.text(".flash") == "Saved."
    assert live.pushed_events == [("saved", {"at": "12:00"})]


def test_testing_example():
    counter_view = examples.module("quick-for-testing", quick_example()).CounterView
    testing = examples.module("testing", CounterView=counter_view)
    testing.test_counter()


def test_every_example_is_tested():
    tested = {
        "todo-class",
        "counter-function",
        "event-handlers",
        "value-convention",
        "alert-component",
        "component-id",
        "event-routing",
        "custom-component",
        "live-component",
        "reactive",
        "navigation",
        "anti-pattern",
        "conditional-navigation",
        "pushes",
        "testing",
    }
    assert set(examples.examples()) == tested
