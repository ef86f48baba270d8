"""Fixture views for the security suite (``tests/security/``), served under ``/security/``: views
with an auth posture, handlers with permissions and limits, and a form that echoes its input."""

from __future__ import annotations

from django import forms

from djust import LiveView, auth, event_handler
from djust.auth import LoginRequiredMixin, PermissionRequiredMixin
from djust.decorators import debounce, rate_limit, throttle
from djust.mixins.navigation import NavigationMixin
from djust.state import DraftModeMixin

COUNTER = "<p id='count'>Count: {{ count }}</p>"


class PublicView(NavigationMixin, LiveView):
    """Anyone; handlers with their own auth, and a way to navigate to the private view."""

    login_required = False
    template_string = COUNTER + "<p id='echo'>{{ echo }}</p>"

    def mount(self, request, **kwargs):
        self.count = 0
        self.echo = ""

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    @auth.login_required  # the module's: the class body's `login_required` is the posture
    def save(self):
        self.count += 100

    @event_handler
    @auth.permission_required("auth.delete_user")
    def purge(self):
        self.count = -1

    @event_handler
    def say(self, text: str = ""):
        self.echo = text


class PrivateView(LoginRequiredMixin, LiveView):
    template_string = COUNTER

    def mount(self, request, **kwargs):
        self.count = 0

    @event_handler
    def increment(self):
        self.count += 1


class StaffView(PermissionRequiredMixin, LiveView):
    permission_required = "auth.view_user"
    template_string = COUNTER

    def mount(self, request, **kwargs):
        self.count = 0

    @event_handler
    def increment(self):
        self.count += 1


class LimitedView(LiveView):
    """Handlers with server-side pacing: counts how often each one really ran."""

    login_required = False
    template_string = (
        COUNTER + "<p id='runs'>{{ shouts }} {{ scrolls }} {{ searches }} {{ query }}</p>"
    )

    def mount(self, request, **kwargs):
        self.count = 0
        self.shouts = self.scrolls = self.searches = 0
        self.query = ""

    @event_handler
    def increment(self):
        self.count += 1

    @rate_limit(rate=1, burst=2)
    def shout(self):
        self.shouts += 1

    @throttle(1.0)
    def scroll(self):
        self.scrolls += 1

    @debounce(1.0)
    def search(self, value: str = ""):
        self.searches += 1
        self.query = value


class NoteForm(forms.Form):
    title = forms.CharField(max_length=20)
    body = forms.CharField(widget=forms.Textarea)


class NoteView(DraftModeMixin, LiveView):
    """A form whose draft survives reloads; every input echoes what was typed."""

    login_required = False
    form_class = NoteForm
    success_message = "Saved"
    template_string = (
        "<form dj-change='validate' dj-submit='submit'>{{ form }}"
        "<button type='submit'>Save</button></form><p id='flash'>{{ flash.success }}</p>"
    )
