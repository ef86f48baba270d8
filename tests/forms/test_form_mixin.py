"""FormMixin: Django forms and model forms, validated live, submitted, saved, redirected."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Group

from djust import LiveView
from djust.exceptions import EventError
from djust.forms import FormMixin
from djust.testing import LiveViewTestClient

FORM_PAGE = """
<form dj-change="validate" dj-submit="submit">
  {% if form.non_field_errors %}<div id="nfe">{{ form.non_field_errors }}</div>{% endif %}
  {{ form }}
  <button type="submit">Send</button>
</form>
<p id="flash">{{ flash.success }}</p>
"""


class SignupForm(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=5)
    agree = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") == "admin" and data.get("email", "").endswith("@evil.test"):
            raise forms.ValidationError("Nice try.")
        return data


class SignupView(FormMixin, LiveView):
    login_required = False
    form_class = SignupForm
    success_message = "Welcome!"
    template_string = FORM_PAGE

    def form_valid(self, form):
        self.signed_up = form.cleaned_data["email"]
        super().form_valid(form)


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name"]

    def validate_unique(self):
        """Leave uniqueness to the database, as a race between two users would."""


class GroupView(FormMixin, LiveView):
    login_required = False
    form_class = GroupForm
    success_url = "/security/public/"
    success_message = "Group created"
    template_string = FORM_PAGE


def errors_of(page, field):
    element = page.page.find(f"#id_{field}_error")
    return element.text if element is not None else ""


def test_an_untouched_form_shows_no_errors():
    page = LiveViewTestClient(SignupView)
    assert 'name="email"' in page.html and "errorlist" not in page.html


def test_a_field_shows_its_errors_once_changed_and_no_other_field_does():
    page = LiveViewTestClient(SignupView)
    page.change("#id_email", "not-an-email")
    assert "valid email" in errors_of(page, "email")
    assert errors_of(page, "name") == "", "name was never touched: no 'required' error yet"
    assert page.find("#id_email").get("value") == "not-an-email", "what was typed stays"
    page.change("#id_name", "much too long")
    assert "at most 5" in errors_of(page, "name")
    page.change("#id_email", "ada@example.test")
    assert errors_of(page, "email") == "", "fixed: the error goes away"
    assert "at most 5" in errors_of(page, "name")


def test_submit_shows_every_error_with_djangos_rendering():
    page = LiveViewTestClient(SignupView)
    page.submit("form")
    assert "required" in errors_of(page, "email") and "required" in errors_of(page, "name")
    assert page.find("#id_email").get("aria-invalid") == "true"


def test_non_field_errors_show_after_submit():
    page = LiveViewTestClient(SignupView)
    page.submit("form", email="root@evil.test", name="admin")
    assert page.text("#nfe") == "Nice try."


def test_a_valid_submit_calls_form_valid_flashes_and_starts_over():
    page = LiveViewTestClient(SignupView)
    page.submit("form", email="ada@example.test", name="Ada", agree="on")
    assert page.view.signed_up == "ada@example.test"
    assert page.text("#flash") == "Welcome!"
    assert page.find("#id_email").get("value") is None, "a fresh, unbound form"


def test_xss_in_a_field_is_rendered_escaped():
    page = LiveViewTestClient(SignupView)
    page.change("#id_name", '"><script>alert(1)</script>')
    assert not page.has("script"), "the payload stays inside the value attribute"
    assert page.find("#id_name").get("value") == '"><script>alert(1)</script>'
    assert "&quot;&gt;&lt;script&gt;" in page.view.render_page(), "escaped as Django escapes"


@pytest.mark.django_db
def test_a_model_form_saves_and_live_redirects_with_the_flash():
    page = LiveViewTestClient(GroupView, "/forms/group/")
    page.submit("form", name="editors")
    assert Group.objects.filter(name="editors").exists()
    assert page.url == "/security/public/"
    assert page.flash == {"success": "Group created"}


@pytest.mark.django_db
def test_an_integrity_error_shows_on_the_form_not_as_a_dead_page():
    Group.objects.create(name="editors")
    page = LiveViewTestClient(GroupView, "/forms/group/")
    page.submit("form", name="editors")
    assert "conflicts with existing data" in page.text("#nfe")
    assert Group.objects.filter(name="editors").count() == 1
    assert page.find("#id_name").get("value") == "editors", "what was typed stays"
    page.submit("form", name="writers")
    assert page.url == "/security/public/", "the session went on"


def test_params_that_are_not_fields_are_ignored_and_bad_types_refused():
    page = LiveViewTestClient(SignupView)
    page.event("validate", email="a@b.test", is_staff="1", form_data="x")
    assert set(page.view.form_data) == {"email"}
    with pytest.raises(EventError):
        page.event("validate", **{"email": {"nested": "dict"}})


def test_a_view_without_form_class_says_what_to_do():
    class Broken(FormMixin, LiveView):
        login_required = False
        template_string = "{{ form }}"

    with pytest.raises(TypeError, match="form_class = MyForm"):
        LiveViewTestClient(Broken)


def test_dj_disable_with_disables_the_button_while_the_submit_is_in_flight():
    from djust.forms import annotate_disable_with

    class Sending(SignupView):
        template_string = FORM_PAGE.replace(
            '<button type="submit">', '<button type="submit" dj-disable-with="Sending…">'
        )

    page = LiveViewTestClient(Sending)
    button = page.find("button")
    assert button.get("dj-disable-with") == "Sending…"
    assert button.get("dj-loading.disable") == ""
    assert annotate_disable_with("<input dj-disable-with/>") == (
        "<input dj-disable-with dj-loading.disable/>"
    )
    kept = '<b dj-disable-with="x" dj-loading.disable>'
    assert annotate_disable_with(kept) == kept
    assert annotate_disable_with("<p>dj-disable-with</p>") == "<p>dj-disable-with</p>"
