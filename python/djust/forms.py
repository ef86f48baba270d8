"""``FormMixin``: a Django form (or model form) in a LiveView, validated as the user types.

::

    class ContactView(FormMixin, LiveView):
        form_class = ContactForm           # a forms.Form or a forms.ModelForm
        success_url = "/thanks/"           # live_redirect there after a valid submit (optional)
        success_message = "Thank you!"     # flash("success", ...) after it (optional)
        template_string = '''
          <form dj-change="validate" dj-submit="submit">
            {{ form }}
            <button type="submit">Send</button>
          </form>'''

The template renders the form with Django's own rendering (``{{ form }}``, ``{{ form.email }}``,
``{{ form.email.errors }}``, ``{{ form.non_field_errors }}``, the project's form templates).
``validate`` (``dj-change`` on the form) keeps what the user entered and shows the errors of the
fields the user has changed — never of a field not yet touched. ``submit`` (``dj-submit``) shows
every error, or calls :meth:`FormMixin.form_valid`: a model form is saved in a transaction (an
``IntegrityError`` becomes an error on the form, not a dead page), then the flash and the
redirect. Override ``form_valid(form)`` to do something else, ``get_form_kwargs()`` to pass an
``instance`` or anything the form's constructor takes.

What the user typed is public state (``form_data``, ``form_touched``, ``form_submitted``), so it
survives the HTTP fallback's round trips and, with :class:`DraftModeMixin`, reloads.

``dj-disable-with="Sending…"`` on the submit button disables it while the submit is in flight
(:func:`annotate_disable_with` gives it ``dj-loading.disable``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils.datastructures import MultiValueDict

from djust.exceptions import INVALID_PARAMS, EventError
from djust.handlers import event_handler
from djust.mixins.navigation import NavigationMixin


def _as_strings(value: Any) -> str | list[str]:
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(item) for item in value]
    if isinstance(value, (dict, list, tuple)):
        raise EventError(
            INVALID_PARAMS,
            f"a form field was sent {type(value).__name__}; a field's value is a string, or "
            f"a list of strings for a multiple choice",
        )
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    return str(value)


class FormMixin(NavigationMixin):
    """Live validation and submission of ``form_class`` (see the module's docs)."""

    form_class: ClassVar[type[forms.BaseForm] | None] = None
    success_url: ClassVar[str | None] = None
    success_message: ClassVar[str | None] = None
    # The error shown when saving a model form breaks a database constraint.
    integrity_error_message: ClassVar[str] = (
        "This could not be saved: it conflicts with existing data."
    )
    prefix: ClassVar[str | None] = None

    form_data: dict[str, Any] | None = None
    form_touched: list[str] = []
    form_submitted: bool = False

    # --- the form ---------------------------------------------------------------------------

    def get_initial(self) -> dict[str, Any]:
        """Initial values for the unbound form."""
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``form_class`` besides ``data`` (``instance=`` for a model
        form editing an object)."""
        return {"initial": self.get_initial(), "prefix": self.prefix}

    def get_form_class(self) -> type[forms.BaseForm]:
        if self.form_class is None:
            raise TypeError(
                f"{type(self).__name__} has no form_class. Instead of leaving it out, set "
                f"form_class = MyForm on the class, or override get_form_class()."
            )
        return self.form_class

    def get_form(self) -> forms.BaseForm:
        """The form as the page shows it: unbound until the user changed something, then bound
        to what they entered, with errors only for the fields they changed (all after a
        submit)."""
        cached = self.__dict__.get("_form")
        if cached is not None:
            return cached
        cls = self.get_form_class()
        if self.form_data is None:
            form = cls(**self.get_form_kwargs())
        else:
            form = cls(data=self._multi(self.form_data), **self.get_form_kwargs())
            if not self.form_submitted:
                errors = form.errors
                for name in list(errors):
                    if name == NON_FIELD_ERRORS or name not in self.form_touched:
                        del errors[name]
        self.__dict__["_form"] = form
        return form

    def _multi(self, data: Mapping[str, Any]) -> MultiValueDict[str, Any]:
        return MultiValueDict(
            {k: (list(v) if isinstance(v, (list, tuple)) else [v]) for k, v in data.items()}
        )

    def _entered(self, form: forms.BaseForm, params: Mapping[str, Any]) -> dict[str, Any]:
        """What the browser sent for ``form``'s fields (other params — ``data-*`` — dropped)."""
        names = {form[name].html_name for name in form.fields}
        return {k: _as_strings(v) for k, v in params.items() if k in names}

    def _shown(self, form: forms.BaseForm) -> dict[str, Any]:
        """The values the page showed before this event, by field ``html_name``."""
        if self.form_data is not None:
            return dict(self.form_data)
        return {form[name].html_name: _as_strings(form[name].value()) for name in form.fields}

    # --- handlers ---------------------------------------------------------------------------

    @event_handler
    def validate(self, **params: Any) -> None:
        """``dj-change`` on the form: keep what was entered; the fields whose value changed are
        now touched, and show their errors."""
        unbound = self.get_form_class()(**self.get_form_kwargs())
        before = self._shown(unbound)
        entered = self._entered(unbound, params)
        target = params.get("_target")
        touched = set(self.form_touched)
        for name in unbound.fields:
            html_name = unbound[name].html_name
            if entered.get(html_name, "") != before.get(html_name, "") or target == html_name:
                touched.add(name)
        self.form_data = entered
        self.form_touched = sorted(touched)
        self.__dict__.pop("_form", None)

    @event_handler
    def submit(self, **params: Any) -> None:
        """``dj-submit``: every error, or :meth:`form_valid`."""
        unbound = self.get_form_class()(**self.get_form_kwargs())
        self.form_data = self._entered(unbound, params)
        self.form_submitted = True
        self.__dict__.pop("_form", None)
        form = self.get_form()
        if form.is_valid():
            self.form_valid(form)
        else:
            self.form_invalid(form)

    # --- outcomes ---------------------------------------------------------------------------

    def form_valid(self, form: forms.BaseForm) -> None:
        """Save a model form (in a transaction; a broken constraint becomes a form error), then
        flash ``success_message`` and ``live_redirect`` to ``success_url``; without one the form
        starts over empty."""
        if isinstance(form, forms.BaseModelForm):
            try:
                with transaction.atomic():
                    form.save()
            except IntegrityError:
                form.add_error(None, self.integrity_error_message)
                return self.form_invalid(form)
        if self.success_message:
            self.put_flash("success", self.success_message)  # type: ignore[attr-defined]
        if self.success_url:
            self.live_redirect(self.success_url)
        else:
            self.reset_form()

    def form_invalid(self, form: forms.BaseForm) -> None:
        """The submitted form has errors: they show on the page (nothing else to do)."""

    def reset_form(self) -> None:
        """Back to the unbound form, nothing touched."""
        self.form_data = None
        self.form_touched = []
        self.form_submitted = False
        self.__dict__.pop("_form", None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("form", self.get_form())
        return context


_DISABLE_WITH_TAG = re.compile(
    r"<[a-zA-Z][^<>]*\sdj-disable-with(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?[^<>]*>"
)


def annotate_disable_with(html: str) -> str:
    """``html`` with ``dj-loading.disable`` added to every element carrying ``dj-disable-with``,
    so the client disables a submit button while its form's submit is in flight (no double
    submit). The client does not swap the button's text yet (see the report on issue 13)."""
    if "dj-disable-with" not in html:
        return html

    def disable(found: re.Match[str]) -> str:
        tag = found.group(0)
        if "dj-loading.disable" in tag:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f"{tag[:end]} dj-loading.disable{tag[end:]}"

    return _DISABLE_WITH_TAG.sub(disable, html)
