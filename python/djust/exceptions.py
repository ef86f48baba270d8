"""The errors djust raises, as types users can catch, and the codes of the ``error`` frames."""

from __future__ import annotations

from django.template.exceptions import TemplateSyntaxError as DjangoTemplateSyntaxError

# The codes of the error frames, as the wire names them (runtime/protocol/src/constants.rs is the
# source; tests/test_wire_names.py checks these against it).
FRAME_TOO_LARGE = "frame_too_large"
MALFORMED_FRAME = "malformed_frame"
UNKNOWN_MESSAGE = "unknown_message"
INVALID_FIELD = "invalid_field"
FORBIDDEN_ORIGIN = "forbidden_origin"
ALREADY_MOUNTED = "already_mounted"
NOT_MOUNTED = "not_mounted"
INVALID_TOKEN = "invalid_token"
UNKNOWN_EVENT = "unknown_event"
INVALID_PARAMS = "invalid_params"
UNKNOWN_TARGET = "unknown_target"
INVALID_URL = "invalid_url"
INVALID_TRANSPORT = "invalid_transport"
HANDLER_ERROR = "handler_error"
TEMPLATE_ERROR = "template_error"
SERVER_ERROR = "server_error"

ERROR_CODES = (
    FRAME_TOO_LARGE,
    MALFORMED_FRAME,
    UNKNOWN_MESSAGE,
    INVALID_FIELD,
    FORBIDDEN_ORIGIN,
    ALREADY_MOUNTED,
    NOT_MOUNTED,
    INVALID_TOKEN,
    UNKNOWN_EVENT,
    INVALID_PARAMS,
    UNKNOWN_TARGET,
    INVALID_URL,
    INVALID_TRANSPORT,
    HANDLER_ERROR,
    TEMPLATE_ERROR,
    SERVER_ERROR,
)


class _TemplatePosition(Exception):
    """Where in which template an error is: shared by both template error types."""

    def __init__(
        self,
        message: str,
        *,
        template_name: str | None,
        line: int | None,
        column: int | None,
        source_line: str,
    ) -> None:
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


class TemplateValueError(TemplateRenderError, ValueError):
    """A render that failed where Django raises ``ValueError`` (a ``{% for a, b in ... %}``
    item of the wrong length), so ``except ValueError`` catches it as it catches Django's."""


class TemplateTypeError(TemplateRenderError, TypeError):
    """A render that failed where Django raises ``TypeError`` (a ``{% for %}`` over a value
    that is not iterable), so ``except TypeError`` catches it as it catches Django's."""


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
