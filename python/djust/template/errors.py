"""Errors of the Rust engine as the exceptions Django code and Django's debug page expect."""

from __future__ import annotations

from typing import Any

from djust import _core
from djust.exceptions import (
    TemplateRenderError,
    TemplateSyntaxError,
    TemplateTypeError,
    TemplateValueError,
)

# How many lines around the error Django's debug page shows (as Django's own errors).
CONTEXT_LINES = 10


def template_debug(source: str, name: str, message: str, start: int, end: int) -> dict[str, Any]:
    """The ``template_debug`` dict Django's technical 500 page reads, as
    ``django.template.base.Template.get_exception_info`` builds it."""
    line = 0
    upto = 0
    source_lines = []
    before = during = after = ""
    breaks = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"] + [len(source) + 1]
    for num, next_break in enumerate(breaks):
        if start >= upto and end <= next_break:
            line = num
            before = source[upto:start]
            during = source[start:end]
            after = source[end:next_break]
        source_lines.append((num, source[upto:next_break]))
        upto = next_break
    total = len(source_lines)
    top = max(1, line - CONTEXT_LINES)
    bottom = min(total, line + 1 + CONTEXT_LINES)
    return {
        "message": message,
        "source_lines": source_lines[top:bottom],
        "before": before,
        "during": during,
        "after": after,
        "top": top,
        "bottom": bottom,
        "total": total,
        "line": line,
        "name": name,
        "start": start,
        "end": end,
    }


def convert(err: _core.TemplateError, origins: dict[str, str] | None = None) -> Exception:
    """The exception to raise for a failed template: Django's ``VariableDoesNotExist``, djust's
    ``TemplateSyntaxError`` (a subclass of Django's) or ``TemplateRenderError``, carrying the
    template name, line, column, source line and ``template_debug``."""
    if err.kind == "variable_does_not_exist":
        from django.template import VariableDoesNotExist

        return VariableDoesNotExist(str(err))
    cls: type[TemplateSyntaxError | TemplateRenderError]
    if err.kind == "syntax":
        cls = TemplateSyntaxError
    elif err.python_exception == "ValueError":
        cls = TemplateValueError
    elif err.python_exception == "TypeError":
        cls = TemplateTypeError
    else:
        cls = TemplateRenderError
    exc = cls(
        str(err),
        template_name=err.template_name,
        line=err.line,
        column=err.column,
        source_line=err.source_line,
    )
    if err.template_source is not None and err.start is not None and err.end is not None:
        name = (origins or {}).get(err.template_name or "", err.template_name or "<unknown source>")
        debug = template_debug(err.template_source, name, str(err), err.start, err.end)
        setattr(exc, "template_debug", debug)  # noqa: B010 - Django's debug page reads it
    return exc


def unsupported(reason: str) -> _core.TemplateError:
    """The error that tells the Rust engine a template can only be rendered by Django."""
    err = _core.TemplateError(reason)
    err.kind = "unsupported"
    return err
