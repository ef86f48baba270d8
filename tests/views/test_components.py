"""Components: ids from attribute names, stable across renders and mounts; events routed by
data-component-id and dj-target; parent and child talking to each other; the built-in alert."""

from __future__ import annotations

import pytest

from djust import Component, LiveComponent, LiveView, event_handler, register_component
from djust.components import AlertComponent, get_component
from djust.exceptions import EventError
from djust.testing import LiveViewTestClient
from tests.views import live


@pytest.fixture
def page():
    return LiveViewTestClient("/views/components/")


def test_component_ids_are_attribute_names(page):
    view = page.view
    assert view.alert.component_id == "alert"
    assert view.first.component_id == "first"
    assert [c.component_id for c in view.extra] == ["extra.0", "extra.1"]
    assert view.panel.inner.component_id == "panel.inner"
    assert page.find("[data-component-id=first]").has_class("counter")
    assert page.find("[data-component-id='extra.1'] .value").text == "x1: 0"


def test_ids_are_set_on_assignment_before_any_render():
    class V(LiveView):
        template_string = "<div>{{ a }}</div>"

        def mount(self, request, **kwargs):
            self.a = AlertComponent(message="m")
            assert self.a.component_id == "a"

    LiveViewTestClient(V)


def test_ids_are_stable_across_renders_and_remounts(page):
    before = page.html
    page.event("inc", target="first")
    page.event("inc", target="first")
    assert page.view.first.component_id == "first"
    again = LiveViewTestClient("/views/components/")
    assert again.html == before, "a reconnect (a new mount) renders the same ids"


def test_events_inside_a_component_go_to_it(page):
    page.click("[data-component-id=second] button.inc")
    page.click("[data-component-id=second] button.inc")
    assert page.text("[data-component-id=second] .value") == "second: 2"
    assert page.text("[data-component-id=first] .value") == "first: 0"
    assert page.view.second.count == 2
    # One text patch: only the second counter changed.
    assert len(page.patches) == 1 and page.patches[0][0] == "text"


def test_dj_target_routes_an_event_from_outside_the_component(page):
    page.click("#outside")
    assert page.view.second.count == 1


def test_components_in_lists_receive_their_own_events(page):
    page.click("[data-component-id='extra.1'] button.inc")
    assert [c.count for c in page.view.extra] == [0, 1]


def test_an_event_the_component_lacks_goes_to_the_view_with_component_id(page):
    page.click("[data-component-id=first] button.inc")
    page.click("[data-component-id=extra.0] button.reset")
    assert page.view.log == ["reset requested by extra.0"]
    assert page.view.first.count == 0


def test_the_parent_updates_a_child(page):
    page.event("rename", label="renamed")
    assert page.text("[data-component-id=first] .value") == "renamed: 0"


def test_a_child_notifies_its_parent(page):
    for _ in range(3):
        page.click("[data-component-id=first] .inc")
    assert page.text("#log") == "reached_three from first (first)"


def test_unknown_targets_and_handlers_are_refused(page):
    with pytest.raises(EventError) as info:
        page.event("inc", target="third")
    assert info.value.code == "unknown_target"
    assert "'first'" in info.value.message and "'extra.0'" in info.value.message
    with pytest.raises(EventError) as info:
        page.event("fly", target="first")
    assert info.value.code == "unknown_event"
    assert "neither component 'first' (Counter) nor ComponentsView" in info.value.message
    with pytest.raises(EventError) as info:
        page.event("inc", target="first", by="lots")
    assert info.value.code == "invalid_params"
    assert "first.inc()" in info.value.message
    assert page.view.first.count == 0


def test_alert_renders_and_dismisses(page):
    alert = page.find("[data-component-id=alert]")
    assert alert.get("role") == "alert"
    assert alert.has_class("alert") and alert.has_class("alert-success")
    assert alert.text == "Welcome"
    page.click("[data-component-id=alert] button")
    assert not page.has("[role=alert][data-component-id=alert]")
    assert page.view.alert.visible is False
    page.view.alert.show("Back")
    page.render()
    assert page.text("[data-component-id=alert]") == "Back"


def test_alert_css_frameworks(settings):
    settings.LIVEVIEW_CONFIG = {"css_framework": "tailwind"}
    assert "rounded" in AlertComponent(message="m", type="error").css_class
    settings.LIVEVIEW_CONFIG = {"css_framework": None}
    alert = AlertComponent(message="m", type="error", dismissible=True)
    assert alert.css_class == "djust-alert djust-alert-danger"
    assert "\u00d7" in alert.render()


def test_alert_refuses_an_unknown_type():
    with pytest.raises(ValueError, match="Instead of 'loud'"):
        AlertComponent(message="m", type="loud")


def test_registered_components_render_from_the_component_tag():
    assert get_component("test-badge") is live.Badge
    assert LiveViewTestClient(live.BadgeView).find("#badge span.badge").text == "new"


def test_the_component_tag_renders_through_djangos_engine():
    from django.template import Context, Template

    html = Template('{% load djust_components %}{% component "test-badge" label="new" %}').render(
        Context({})
    )
    assert html == '<span class="badge">new</span>'


def test_register_component_checks_its_tag():
    with pytest.raises(ValueError, match="lower-case"):
        register_component("My Button")
    with pytest.raises(ValueError, match="already registered"):
        register_component("test-badge")(type("Other", (Component,), {"template": "<i></i>"}))
    with pytest.raises(LookupError, match="no component is registered as 'nope'"):
        get_component("nope")


def test_a_component_with_several_roots_is_wrapped_without_layout():
    class Pair(Component):
        template = "<b>{{ a }}</b><i>{{ b }}</i>"

    class V(LiveView):
        template_string = "<div>{{ pair }}</div>"

        def mount(self, request, **kwargs):
            self.pair = Pair(a=1, b=2)

    view = LiveViewTestClient(V)
    wrapper = view.find("[data-component-id=pair]")
    assert wrapper.tag == "div" and wrapper.get("style") == "display:contents"
    assert [e.tag for e in wrapper.elements] == ["b", "i"]


def test_component_html_is_escaped_and_ids_are_escaped():
    card = AlertComponent(message="<script>x</script>")
    card.attach(None, 'a"b')
    html = card.render()
    assert "<script>x" not in html and "&lt;script&gt;" in html
    assert 'data-component-id="a&quot;b"' in html


def test_components_can_use_template_files_and_need_a_template():
    class NoTemplate(Component):
        pass

    with pytest.raises(TypeError, match="has no template"):
        NoTemplate().render()


def test_send_parent_needs_a_parent():
    class Lonely(LiveComponent):
        template = "<p></p>"

    with pytest.raises(RuntimeError, match="no parent"):
        Lonely().send_parent("hello")


def test_readme_style_component_with_its_own_handler():
    class Toggle(Component):
        template = '<button dj-click="flip">{{ on }}</button>'

        def __init__(self):
            super().__init__()
            self.on = False

        @event_handler
        def flip(self):
            self.on = not self.on

    class V(LiveView):
        template_string = "<div>{{ toggle }}</div>"

        def mount(self, request, **kwargs):
            self.toggle = Toggle()

    view = LiveViewTestClient(V)
    view.click("button")
    assert view.text("button") == "True"
    assert view.find("button").get("data-component-id") == "toggle"
