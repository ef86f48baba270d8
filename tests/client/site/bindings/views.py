"""One page per client binding, each small enough to read at a glance; the browser tests in
tests/client/ drive them.

"""

from __future__ import annotations

import time
from typing import Any

from djust import LiveView, event_handler
from djust.decorators import debounce
from djust.mixins.navigation import NavigationMixin


class CounterView(LiveView):
    """dj-click, and the counter the HTTP fallback test runs."""

    template_string = """
    <h1 id="count">Count: {{ count }}</h1>
    <button id="inc" dj-click="increment">+</button>
    <button id="dec" dj-click="decrement">-</button>
    <button id="add" dj-click="add" dj-value-amount="5" data-note="from data">+5</button>
    {% if count >= 5 %}
      <button id="late" dj-click="add" data-amount="10">+10 (added later)</button>
    {% endif %}
    <p id="note">{{ note }}</p>
    """

    def mount(self, request, **kwargs):
        self.count = 0
        self.note = ""

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    def decrement(self):
        self.count -= 1

    @event_handler
    def add(self, amount: int, note: str = ""):
        self.count += amount
        self.note = note


class FieldsView(LiveView):
    """dj-input and dj-change send `value`; a form-level dj-change sends the whole form."""

    template_string = """
    <input id="name" name="name" dj-input="typed">
    <p id="typed">typed: {{ typed_value }}</p>
    <select id="colour" name="colour" dj-change="picked">
      <option value="red">red</option><option value="green">green</option>
    </select>
    <input id="agree" type="checkbox" dj-change="agreed">
    <p id="choices">colour: {{ colour }}, agreed: {{ agree }}</p>
    <form id="prefs" dj-change="prefs">
      <input name="city" id="city">
      <select name="tags" id="tags" multiple>
        <option value="a">a</option><option value="b">b</option><option value="c">c</option>
      </select>
    </form>
    <p id="prefs-seen">{{ prefs_seen }}</p>
    """

    def mount(self, request, **kwargs):
        self.typed_value = ""
        self.colour = "red"
        self.agree = False
        self.prefs_seen = ""

    @event_handler
    def typed(self, value: str = ""):
        self.typed_value = value

    @event_handler
    def picked(self, value: str):
        self.colour = value

    @event_handler
    def agreed(self, value: bool):
        self.agree = value

    @event_handler
    def prefs(self, **fields):
        self.prefs_seen = repr(sorted(fields.items()))


class RateView(LiveView):
    """dj-debounce (milliseconds and "blur") and dj-throttle: the server counts what arrives."""

    template_string = """
    <input id="search" dj-input="search" dj-debounce="300">
    <input id="lazy" dj-input="lazy" dj-debounce="blur">
    <button id="spam" dj-click="tick" dj-throttle="400">tick</button>
    <p id="seen">search {{ searches }}× "{{ query }}"; lazy {{ lazies }}× "{{ lazy_value }}";
      ticks {{ ticks }}</p>
    """

    def mount(self, request, **kwargs):
        self.searches = self.lazies = self.ticks = 0
        self.query = self.lazy_value = ""

    @event_handler
    def search(self, value: str = ""):
        self.searches += 1
        self.query = value

    @event_handler
    def lazy(self, value: str = ""):
        self.lazies += 1
        self.lazy_value = value

    @event_handler
    def tick(self):
        self.ticks += 1


class FormView(LiveView):
    """dj-submit sends the form's fields (files left out); the reconnect test types here."""

    template_string = """
    <form id="signup" dj-submit="save" data-source="page">
      <input id="email" name="email" type="email">
      <textarea id="bio" name="bio"></textarea>
      <input id="news" name="news" type="checkbox" value="yes">
      <select id="langs" name="langs" multiple>
        <option value="py">py</option><option value="rs">rs</option><option value="js">js</option>
      </select>
      <input id="avatar" name="avatar" type="file">
      <button id="save" type="submit" name="action" value="save">Save</button>
    </form>
    <input id="draft" name="draft" dj-input="drafted">
    <div id="terms" style="height: 60px; overflow: auto">
      {% for n in lines %}<p>term {{ n }}</p>{% endfor %}
    </div>
    <p id="saved">{{ saved }}</p>
    <p id="drafted">draft: {{ draft }}</p>
    """

    def mount(self, request, **kwargs):
        self.saved = ""
        self.draft = ""
        self.lines = list(range(30))

    @event_handler
    def save(self, **fields):
        self.saved = repr(sorted(fields.items()))

    @event_handler
    def drafted(self, value: str = ""):
        self.draft = value


class KeysView(LiveView):
    """dj-keydown/dj-keyup with a dj-key filter, and window-level keys."""

    template_string = """
    <input id="box" dj-keydown="entered" dj-key="Enter">
    <input id="up" dj-keyup="released">
    <div dj-window-keydown="escaped" dj-key="escape"></div>
    <div dj-window-keyup="window_up" dj-key="q"></div>
    <p id="log">{{ log }}</p>
    """

    def mount(self, request, **kwargs):
        self.log = ""

    def _note(self, text: str) -> None:
        self.log = (self.log + " " + text).strip()

    @event_handler
    def entered(self, key: str, value: str = ""):
        self._note(f"enter:{value}")

    @event_handler
    def released(self, key: str, value: str = ""):
        self._note(f"up:{key}")

    @event_handler
    def escaped(self, key: str):
        self._note(f"window:{key}")

    @event_handler
    def window_up(self, key: str):
        self._note(f"wup:{key}")


class FocusView(LiveView):
    """dj-focus and dj-blur."""

    template_string = """
    <input id="watched" dj-focus="focused" dj-blur="blurred" data-field="watched">
    <input id="other">
    <p id="focus-log">{{ log }}</p>
    """

    def mount(self, request, **kwargs):
        self.log = ""

    @event_handler
    def focused(self, field: str, value: str = ""):
        self.log += f"focus:{field} "

    @event_handler
    def blurred(self, field: str, value: str = ""):
        self.log += f"blur:{field}={value} "


class LoadingView(LiveView):
    """dj-loading modifiers while a slow handler runs, scoped to the sender or named events."""

    template_string = """
    <button id="slow" dj-click="slow" dj-loading.disable dj-loading.class="busy">
      Slow <span id="inner-spinner" dj-loading.show style="display:none">…</span></button>
    <button id="quick" dj-click="quick">Quick</button>
    <p id="spinner" dj-loading="slow" dj-loading.show="inline" style="display:none">working</p>
    <p id="content" dj-loading="slow" dj-loading.hide>content</p>
    <p id="done">{{ done }}</p>
    """

    def mount(self, request, **kwargs):
        self.done = 0

    @event_handler
    def slow(self):
        time.sleep(0.6)
        self.done += 1

    @event_handler
    def quick(self):
        time.sleep(0.6)
        self.done += 1


class NavView(NavigationMixin, LiveView):
    """dj-patch, dj-navigate, back/forward, and the server's live_patch/live_redirect/redirect."""

    template_string = """
    <p id="page">page {{ page }} ({{ params_calls }} handle_params)</p>
    <a id="next" dj-patch="?page={{ next_page }}" href="?page={{ next_page }}">next</a>
    <a id="replace" dj-patch="?page=99" dj-replace>page 99, replacing this entry</a>
    <a id="other" dj-navigate="/bindings/nav/other/?from={{ page }}">other view</a>
    <button id="server-patch" dj-click="jump">server live_patch to 10</button>
    <button id="server-redirect" dj-click="leave">server live_redirect</button>
    <button id="server-full" dj-click="full">server redirect</button>
    """

    def mount(self, request, **kwargs):
        self.page = 1
        self.next_page = 2
        self.params_calls = 0

    def handle_params(self, params, uri):
        self.params_calls += 1
        self.page = int(params.get("page", 1))
        self.next_page = self.page + 1

    @event_handler
    def jump(self):
        self.live_patch(params={"page": 10})

    @event_handler
    def leave(self):
        self.live_redirect("/bindings/nav/other/?from=server")

    @event_handler
    def full(self):
        self.redirect("/bindings/plain/")


class OtherView(LiveView):
    """Where dj-navigate goes."""

    template_string = """
    <h1 id="other-title">other view, from {{ source }}</h1>
    <a id="back-to-nav" dj-navigate="/bindings/nav/?page=3">back to nav, page 3</a>
    """

    def mount(self, request, **kwargs):
        self.source = request.GET.get("from", "")


class HooksView(LiveView):
    """dj-hook lifecycles, pushEvent from a hook, and push_event from the server."""

    template_name = "bindings/hooks.html"

    def mount(self, request, **kwargs):
        self.shown = True
        self.count = 0
        self.pinged = ""

    @event_handler
    def toggle(self):
        self.shown = not self.shown

    @event_handler
    def bump(self):
        self.count += 1
        self.push_event("bumped", {"count": self.count})

    @event_handler
    def from_hook(self, text: str):
        self.pinged = text


class ErrorsView(LiveView):
    """A handler that raises and an unknown handler: error frames, and the page stays live."""

    template_string = """
    <button id="explode" dj-click="explode">explode</button>
    <button id="missing" dj-click="no_such_handler">missing</button>
    <button id="bad-param" dj-click="add" data-amount="lots">bad param</button>
    <button id="ok" dj-click="add" data-amount="1">ok</button>
    <p id="total">{{ total }}</p>
    """

    def mount(self, request, **kwargs):
        self.total = 0

    @event_handler
    def explode(self):
        raise RuntimeError("boom")

    @event_handler
    def add(self, amount: int):
        self.total += amount


class ComponentsView(LiveView):
    """dj-target and data-component-id route an event to a component."""

    template_string = """
    <div data-component-id="left"><button id="left-inc" dj-click="inc">left +</button></div>
    <div><button id="right-inc" dj-click="inc" dj-target="right">right +</button></div>
    <button id="view-inc" dj-click="inc">view +</button>
    <p id="counts">left {{ left }}, right {{ right }}, view {{ view_count }}</p>
    """

    def mount(self, request, **kwargs):
        self.left = self.right = self.view_count = 0

    def handle_event(self, name: str, params: dict[str, Any], target: str | None = None) -> Any:
        # A stand-in for components: the target names the counter to change.
        if name != "inc":
            return super().handle_event(name, params)
        if target is None:
            self.view_count += 1
        elif target in ("left", "right"):
            setattr(self, target, getattr(self, target) + 1)
        else:
            from djust.exceptions import EventError

            raise EventError("unknown_target", f"no component {target!r}")


class FocusKeepView(LiveView):
    """Patches elsewhere on the page while the user types keep focus and caret."""

    template_string = """
    <input id="field" name="field" dj-input="typed">
    <p id="mirror">{{ text|upper }}</p>
    <p id="length">{{ text|length }} characters</p>
    """

    def mount(self, request, **kwargs):
        self.text = ""

    @event_handler
    def typed(self, value: str = ""):
        self.text = value


def plain_page(request):
    """A page that is not a LiveView: dj-navigate here is a full page load."""
    from django.http import HttpResponse

    return HttpResponse("<!DOCTYPE html><title>plain</title><h1 id='plain'>plain page</h1>")


class DecoratedView(LiveView):
    """@debounce on the handler (the template says nothing) and dj-disable-with on a submit."""

    login_required = False
    template_string = """
    <input id="search" dj-input="search">
    <form id="f" dj-submit="save"><button id="save" type="submit" dj-disable-with="Saving">
      Save</button></form>
    <p id="seen">search {{ searches }}× "{{ query }}"; saved {{ saved }}</p>
    """

    def mount(self, request, **kwargs):
        self.searches = self.saved = 0
        self.query = ""

    @debounce(0.3)
    def search(self, value: str = ""):
        self.searches += 1
        self.query = value

    @event_handler
    def save(self, **form):
        time.sleep(0.6)
        self.saved += 1
