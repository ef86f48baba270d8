"""The errors djust raises, as types users can catch."""

from __future__ import annotations

from django.template.exceptions import TemplateSyntaxError as DjangoTemplateSyntaxError


class _TemplatePosition(Exception):
    """Where in which template an error is: shared by both template error types."""

    def __init__(self, message: str, *, template_name: str | None, line: int | None,
                 column: int | None, source_line: str) -> None:
        super().__init__(message)
        self.template_name = template_name
        self.line = line
        self.column = column
        self.source_line = source_line


class TemplateSyntaxError(_TemplatePosition, DjangoTemplateSyntaxError):
    """A template that djust's engine cannot parse, with where the problem is.

    A subclass of Django's own ``TemplateSyntaxError``, so code and debug pages that handle
    Django's template errors handle these too.
    """


class TemplateRenderError(_TemplatePosition):
    """A template that parsed but failed while rendering (for example a tag that raised)."""


class EventError(Exception):
    """An event the view refuses to run; the session answers it with an error frame.

    ``code`` is the error frame's code: ``unknown_event`` (no ``@event_handler`` by that name),
    ``invalid_params`` (a parameter missing or of the wrong type) or ``unknown_target`` (no
    component with the id the event was sent to). The view's state is untouched.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TokenError(Exception):
    """A view token that is forged, expired, or belongs to another visitor."""


class NavigationError(ValueError):
    """A ``live_patch``/``live_redirect``/``redirect`` target djust will not send to a browser."""
