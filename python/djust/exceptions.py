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
    """An event the view cannot run: unknown handler or bad parameters.

    ``code`` is the error frame's code (``unknown_event``, ``invalid_params``).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TokenError(Exception):
    """A view token that is forged, expired, or belongs to another visitor."""
