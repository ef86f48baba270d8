"""djust's Rust extension module. Private: use the ``djust`` package's public API instead."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, final

__all__ = [
    "LiveTree",
    "ProtocolError",
    "Template",
    "TemplateError",
    "VdomError",
    "diff_html",
    "frame_error",
    "frame_live_patch",
    "frame_live_redirect",
    "frame_mounted",
    "frame_patch",
    "frame_pong",
    "frame_push_event",
    "frame_redirect",
    "parse_client_message",
]

class TemplateError(Exception):
    """A template that failed: ``kind`` is ``syntax``, ``render``, ``variable_does_not_exist``
    or ``unsupported`` (valid Django that the engine does not run natively)."""

    kind: str
    template_name: str | None
    line: int | None
    column: int | None
    source_line: str

class ProtocolError(ValueError):
    """A frame from the browser that is not a valid djust message; ``code`` names the problem."""

    code: str

class VdomError(ValueError):
    """HTML that cannot serve as a LiveView page."""

@final
class Template:
    """A template compiled by the Rust engine."""

    def __new__(
        cls,
        source: str,
        name: str = "<string>",
        libraries: Mapping[str, Sequence[str]] | None = None,
    ) -> Template: ...
    @property
    def name(self) -> str: ...
    def render(
        self,
        context: Mapping[str, Any],
        call_tag: Callable[[str, str, tuple[Any, ...], dict[str, Any]], Any] | None = None,
    ) -> str: ...

def diff_html(old: str, new: str) -> str:
    """The patches (a JSON list) that turn the ``dj-root`` region of ``old`` into ``new``'s."""

@final
class LiveTree:
    """A page's ``dj-root`` tree as the browser last received it."""

    def __new__(cls, html: str) -> LiveTree: ...
    def update(self, html: str) -> str:
        """Diff the tree against ``html``'s, keep the new tree, return the patches as JSON."""
    def root_inner_html(self) -> str: ...

def parse_client_message(text: str, max_bytes: int) -> dict[str, Any]:
    """A browser frame, validated, as a dict with key ``t``; raises ProtocolError."""

def frame_mounted(
    html: str | None = None, title: str | None = None, token: str | None = None
) -> str: ...
def frame_patch(ref: int | None, patches: str) -> str: ...
def frame_error(ref: int | None, code: str, message: str) -> str: ...
def frame_pong(ref: int) -> str: ...
def frame_push_event(event: str, payload: str) -> str:
    """``push_event`` frame; ``payload`` is a JSON object as text. Raises ProtocolError."""
def frame_live_patch(to: str, replace: bool = False) -> str: ...
def frame_live_redirect(to: str, replace: bool = False) -> str: ...
def frame_redirect(to: str) -> str: ...
