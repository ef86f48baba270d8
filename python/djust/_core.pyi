"""djust's Rust extension module. Private: use the ``djust`` package's public API instead."""

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict, final

__all__ = [
    "DateLocale",
    "Host",
    "Libraries",
    "LiveTree",
    "ProtocolError",
    "RenderOptions",
    "Server",
    "SessionLink",
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
    "pubsub_configure",
    "pubsub_publish",
    "pubsub_push",
    "pubsub_stats",
]

class TemplateError(Exception):
    """A template that failed: ``kind`` is ``syntax``, ``render``, ``variable_does_not_exist``
    or ``unsupported`` (valid Django the engine does not run; hand the template to Django).
    ``start``/``end`` index ``template_source`` (the template where it happened)."""

    kind: str
    template_name: str | None
    line: int | None
    column: int | None
    source_line: str
    template_source: str | None
    start: int | None
    end: int | None
    # The builtin exception Django raises for this render error ("ValueError"), if known.
    python_exception: str | None

class ProtocolError(ValueError):
    """A frame from the browser that is not a valid djust message; ``code`` names the problem
    and ``ref`` is the message's ``ref`` when the frame had a readable one."""

    code: str
    ref: int | None

class VdomError(ValueError):
    """HTML that cannot serve as a LiveView page."""

@final
class Libraries:
    """The tags and filters of an engine: builtins, and the libraries ``{% load %}`` accepts."""

    def __new__(cls, default: bool = True) -> Libraries: ...
    def add_library(self, name: str) -> None: ...
    def add_django_tag(self, library: str | None, tag: str, django_name: str) -> None: ...
    def add_foreign_tag(self, library: str | None, tag: str) -> None: ...
    def add_simple_tag(
        self,
        library: str | None,
        tag: str,
        params: Sequence[str],
        defaults: int,
        varargs: bool,
        varkw: bool,
        kwonly: Sequence[str],
        kwonly_defaults: Sequence[str],
        takes_context: bool,
    ) -> None: ...
    def add_django_filter(self, library: str | None, filter: str, django_name: str) -> None: ...
    def add_host_filter(
        self, library: str | None, filter: str, required: int, accepted: int
    ) -> None: ...

@final
class RenderOptions:
    """The engine's options and the settings' number format, for every render of an engine.
    The active language's number format comes from the host's ``number_format()``."""

    def __new__(
        cls,
        autoescape: bool = True,
        string_if_invalid: str = "",
        use_thousand_separator: bool = False,
        unlocalized: tuple[str, str, Sequence[int]] | None = None,
    ) -> RenderOptions: ...

@final
class DateLocale:
    """One language's date names and formats, for the engine's ``date``/``time`` filters."""

    def __new__(
        cls,
        *,
        months: Sequence[str],
        months_3: Sequence[str],
        months_3_title: Sequence[str],
        months_ap: Sequence[str],
        months_alt: Sequence[str],
        weekdays: Sequence[str],
        weekdays_abbr: Sequence[str],
        am: str,
        pm: str,
        am_upper: str,
        pm_upper: str,
        midnight: str,
        noon: str,
        comma: str,
        formats: Mapping[str, str | None],
        unlocalized: Mapping[str, str | None],
    ) -> DateLocale: ...

@final
class Host:
    """The Python side of an engine; ``callbacks`` answers what only Django can do."""

    def __new__(cls, callbacks: Any, cache_templates: bool = False) -> Host: ...
    def clear_cache(self) -> None:
        """Forgets the templates loaded so far."""

@final
class Template:
    """A template compiled by the Rust engine."""

    def __new__(
        cls,
        source: str,
        name: str = "<string>",
        origin: str | None = None,
        libraries: Libraries | None = None,
    ) -> Template: ...
    @property
    def name(self) -> str: ...
    @property
    def origin(self) -> str | None: ...
    def render(
        self,
        context: Mapping[str, Any],
        host: Host | None = None,
        options: RenderOptions | None = None,
        request: Any = None,
    ) -> str: ...

def diff_html(old: str, new: str) -> str:
    """The patches (a JSON list) that turn the ``dj-root`` region of ``old`` into ``new``'s."""
@final
class LiveTree:
    """A page's ``dj-root`` tree as the browser last received it."""

    def __new__(cls, html: str) -> LiveTree: ...
    def update(self, html: str) -> str:
        """Diff the tree against ``html``'s, keep the new tree, return the patches as JSON."""
    def patch_frame(self, ref: int | None, html: str) -> str:
        """As ``update``, returning the ``patch`` frame answering ``ref`` (``None`` for an
        update the server started)."""
    def root_inner_html(self) -> str: ...

# The client messages parse_client_message returns. Types for type checkers only: the module
# builds plain dicts (stubtest-allowlist.txt names them).

class MountMessage(TypedDict):
    """``{"t": "mount"}``: join the view the signed token names."""

    t: Literal["mount"]
    token: str
    url: str | None
    reconnect: bool

class EventMessage(TypedDict):
    """``{"t": "event"}``: run the handler ``name`` (of component ``target``)."""

    t: Literal["event"]
    ref: int
    name: str
    params: dict[str, Any]
    target: str | None

class PingMessage(TypedDict):
    """``{"t": "ping"}``: a keep-alive, answered with ``pong``."""

    t: Literal["ping"]
    ref: int

class ParamsMessage(TypedDict):
    """``{"t": "params"}``: the URL changed within the view; run ``handle_params``."""

    t: Literal["params"]
    ref: int
    url: str

class NavigateMessage(TypedDict):
    """``{"t": "navigate"}``: mount the LiveView at ``url`` in place of this one."""

    t: Literal["navigate"]
    ref: int
    url: str

ClientMessage = MountMessage | EventMessage | PingMessage | ParamsMessage | NavigateMessage

def parse_client_message(text: str, max_bytes: int) -> ClientMessage:
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
@final
class Server:
    """The HTTP and WebSocket server of ``djust serve``, running on threads of its own."""

    def __new__(
        cls,
        bind: str,
        app: Any,
        open_socket: Any,
        *,
        python_threads: int = 8,
        python_queue: int = 256,
        workers: int = 0,
        websocket_path: str = ...,
        static_url: str | None = None,
        static_dirs: Sequence[str] = ...,
        in_memory_static: Sequence[tuple[str, bytes, str]] = ...,
        max_body_bytes: int = ...,
        max_frame_bytes: int = ...,
        heartbeat: float = 15.0,
        timeout: float = 45.0,
        reuse_port: bool = False,
        shutdown_timeout: float = 5.0,
        multiprocess: bool = False,
    ) -> Server: ...
    @property
    def address(self) -> str:
        """The ``host:port`` the server listens on."""
    @property
    def sessions(self) -> int:
        """How many sockets are connected."""
    def wait(self, timeout: float | None = None) -> bool:
        """Waits until the server stops, at most ``timeout`` seconds; whether it has."""
    def stop(self, graceful: bool = True) -> None:
        """Stops the server, gracefully or at once."""

@final
class SessionLink:
    """A connected session's handle on its actor (``djust serve``): subscriptions, timers, task
    results. Built by the server; :mod:`djust.services` calls it."""

    def subscribe(self, topic: str) -> None: ...
    def unsubscribe(self, topic: str) -> None: ...
    def topics(self) -> list[str]: ...
    def start_timer(
        self, after_ms: int, repeat: bool, event: str, payload: str, owner: str
    ) -> int: ...
    def cancel_timer(self, id: int) -> None: ...
    def deliver_async_result(self, name: str, result: Any, error: Any) -> bool: ...
    def release(self) -> None: ...
    @property
    def connected(self) -> bool: ...

def pubsub_publish(topic: str, event: str, payload: str) -> int:
    """Publish ``event`` with ``payload`` (JSON text) to ``topic``; local sessions reached."""

def pubsub_push(topic: str, frame: str) -> int:
    """Send a ready ``push_event`` frame to ``topic``'s subscribers; local sessions reached."""

def pubsub_configure(url: str | None, prefix: str = "djust") -> None:
    """Link this process's broker to Redis at ``url`` (``None``: this process only)."""

def pubsub_stats() -> dict[str, Any]:
    """The broker's counters and Redis link state."""
