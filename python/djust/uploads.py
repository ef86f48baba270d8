"""Uploads: files sent in chunks over the view's connection, checked by the server as they come.

A view allows an upload in ``mount`` and consumes the finished files in a handler::

    def mount(self, request):
        self.allow_upload("avatar", accept=[".png", ".jpg"], max_entries=1, max_file_size=2_000_000)

    @event_handler
    def save(self):
        self.consume_uploaded_entries("avatar", lambda file, entry: store(file))

    <input type="file" dj-upload="avatar" accept="{{ uploads.avatar.accept }}">
    <div dj-drop-target="avatar">drop here</div>
    {% for entry in uploads.avatar.entries %}
      {{ entry.client_name }} {{ entry.progress }}% {{ entry.errors|join:", " }}
      <img dj-upload-preview="{{ entry.ref }}">
      <button dj-upload-cancel="{{ entry.ref }}">cancel</button>
    {% endfor %}

The browser script ``static/djust/uploads.js`` (loaded by ``{% djust_scripts %}`` only on pages
whose view allows an upload) sends, for a chosen or dropped file:

1. ``{"t": "upload", "ref", "name", "entries": [{"ref", "name", "type", "size"}], "resume"}``:
   the server checks name, count, declared size and extension; each entry is accepted or has
   errors. The answer is the render's ``patch`` and an ``upload_ack`` frame
   ``{"t": "upload_ack", "name", "entries": {ref: {"offset", "chunk_size", "binary"} or
   {"error"}}}``. ``resume`` (after a reconnect) finds entries already started by this visitor:
   their ``offset`` says where to go on.
2. the chunks, one at a time, each answered with ``patch`` (progress) and ``upload_ack``:
   a binary frame ``[u16 big-endian n][n bytes of JSON {"entry": ref, "offset": int}][data]``
   where the host takes binary frames (:meth:`LiveSession.handle_binary`), else the JSON frame
   ``{"t": "upload_chunk", "entry", "offset", "data": base64}`` (the HTTP fallback's POSTs).
   A chunk whose offset is not the bytes received so far is not written: its ack gives the
   offset to send from. The first chunk is checked against the extension's magic bytes.
3. ``{"t": "upload_cancel", "name", "entry"}``: the entry and its file go; later chunks for it
   get ``{"error": "cancelled"}``.

Whatever the client says, the server enforces: ``max_file_size`` (before any byte past it is
kept), ``max_entries``, the extension and the file's first bytes, and
``LIVEVIEW_CONFIG['upload_max_session_bytes']`` per connection. A violation is an error on
that entry; the session goes on. Temporary files are removed when consumed, cancelled, or when
the connection ends (after ``upload_resume_seconds``, the time a reconnect has to resume).
"""

from __future__ import annotations

import atexit
import base64
import binascii
import itertools
import json
import os
import re
import secrets
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files import File

from djust import config
from djust.exceptions import (
    FRAME_TOO_LARGE,
    INVALID_FIELD,
    MALFORMED_FRAME,
    NOT_MOUNTED,
    UNKNOWN_MESSAGE,
    EventError,
)
from djust.lifecycle import render
from djust.routes import view_key

if TYPE_CHECKING:
    from djust.session import LiveSession

UPLOAD = "upload"
UPLOAD_CHUNK = "upload_chunk"
UPLOAD_CANCEL = "upload_cancel"
UPLOAD_ACK = "upload_ack"
FRAME_TYPES = frozenset({UPLOAD, UPLOAD_CHUNK, UPLOAD_CANCEL})
_UPLOAD_TYPE = re.compile(r'"t"\s*:\s*"upload')

# The first bytes of the file types whose extension says what they must start with.
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",),
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".webp": (b"RIFF",),
}
_MAGIC_LENGTH = 12


@dataclass
class UploadConfig:
    """What ``allow_upload`` allowed for one upload name."""

    name: str
    accept: tuple[str, ...]
    max_entries: int
    max_file_size: int
    chunk_size: int
    entries: list[UploadEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class UploadEntry:
    """One file: what the client declared, what arrived, and what went wrong."""

    ref: str
    upload: str
    client_name: str
    client_type: str
    client_size: int
    owner: str = ""
    view: str = ""
    received: int = 0
    errors: list[str] = field(default_factory=list)
    path: Path | None = None
    cancelled: bool = False
    # The session (see _holder) whose view holds the entry, and when that session ended.
    holder: int = 0
    orphaned_at: float | None = None

    @property
    def progress(self) -> int:
        """Percent received (0-100)."""
        if self.client_size <= 0:
            return 100 if self.done else 0
        return min(100, self.received * 100 // self.client_size)

    @property
    def done(self) -> bool:
        return not self.errors and not self.cancelled and self.received == self.client_size

    @property
    def valid(self) -> bool:
        return not self.errors and not self.cancelled

    def discard(self) -> None:
        """Remove the temporary file, if any."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


# Entries by (owner, ref) across connections, so that a reconnect (a new session) resumes them
# and the HTTP fallback's POSTs (a session each) see them.
_registry: dict[tuple[str, str], UploadEntry] = {}
_lock = threading.Lock()
_holders = itertools.count(1)


def sweep(now: float | None = None) -> None:
    """Remove the entries (and files) whose connection ended longer ago than a reconnect may
    take. Runs on every upload frame and connection end; a host with timers may call it too."""
    now = time.monotonic() if now is None else now
    grace = float(config.get("upload_resume_seconds"))
    with _lock:
        for key, entry in list(_registry.items()):
            if entry.orphaned_at is not None and now - entry.orphaned_at >= grace:
                entry.discard()
                del _registry[key]


@atexit.register
def _discard_all() -> None:
    """The process ends: no temporary file outlives it."""
    with _lock:
        for entry in _registry.values():
            entry.discard()
        _registry.clear()


# --- what the view calls ---------------------------------------------------------------------


def allow_upload(
    view: Any,
    name: str,
    accept: Iterable[str],
    max_entries: int = 1,
    max_file_size: int = 8 * 1024 * 1024,
    chunk_size: int = 64 * 1024,
) -> None:
    """See :meth:`LiveView.allow_upload`."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"an upload's name is an identifier like 'avatar', got {name!r}.")
    extensions = tuple(_extension(a) for a in ([accept] if isinstance(accept, str) else accept))
    if not extensions:
        raise ValueError(
            "allow_upload(accept=...) needs the extensions it takes, like ['.png', '.jpg']."
        )
    for label, value in (("max_entries", max_entries), ("max_file_size", max_file_size)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"allow_upload({label}=...) is a positive int, got {value!r}.")
    limit = int(config.get("max_frame_bytes"))
    if not isinstance(chunk_size, int) or not 1024 <= chunk_size <= limit // 2:
        raise ValueError(
            f"allow_upload(chunk_size=...) is between 1024 and {limit // 2} bytes (half of "
            f"LIVEVIEW_CONFIG['max_frame_bytes']), got {chunk_size!r}."
        )
    view.__dict__.setdefault("_uploads", {})[name] = UploadConfig(
        name, extensions, max_entries, max_file_size, chunk_size
    )


def _extension(accept: str) -> str:
    text = str(accept).strip().lower()
    if not text.startswith(".") or len(text) < 2 or "/" in text:
        raise ValueError(
            f"allow_upload(accept=...) takes file extensions like '.png', got {accept!r}."
        )
    return text


def configs(view: Any) -> dict[str, UploadConfig]:
    found: dict[str, UploadConfig] = view.__dict__.get("_uploads", {})
    return found


def _config(view: Any, name: Any) -> UploadConfig:
    found = configs(view).get(name) if isinstance(name, str) else None
    if found is None:
        raise EventError(
            INVALID_FIELD,
            f"{type(view).__name__} allows no upload named {name!r}. Instead, call "
            f"self.allow_upload({name!r}, accept=[...]) in mount().",
        )
    return found


def consume_uploaded_entries(
    view: Any, name: str, fn: Callable[[File, UploadEntry], Any]
) -> list[Any]:
    """See :meth:`LiveView.consume_uploaded_entries`."""
    upload = _config(view, name)
    results = []
    for entry in [e for e in upload.entries if e.done]:
        try:
            assert entry.path is not None
            with entry.path.open("rb") as handle:
                results.append(fn(File(handle, name=entry.client_name), entry))
        finally:
            _forget(upload, entry)
    return results


def cancel_upload(view: Any, name: str, ref: str) -> None:
    """See :meth:`LiveView.cancel_upload`."""
    upload = _config(view, name)
    for entry in list(upload.entries):
        if entry.ref == ref:
            entry.cancelled = True
            _forget(upload, entry)


def _forget(upload: UploadConfig, entry: UploadEntry) -> None:
    entry.discard()
    if entry in upload.entries:
        upload.entries.remove(entry)
    with _lock:
        if _registry.get((entry.owner, entry.ref)) is entry:
            del _registry[(entry.owner, entry.ref)]


class UploadView:
    """``{{ uploads.name }}`` in a template."""

    def __init__(self, upload: UploadConfig) -> None:
        self.name = upload.name
        self.entries = list(upload.entries)
        self.errors = list(upload.errors)
        self.accept = ",".join(upload.accept)
        self.max_entries = upload.max_entries
        self.max_file_size = upload.max_file_size


def context(view: Any) -> dict[str, UploadView]:
    """``uploads`` in the template context."""
    return {name: UploadView(upload) for name, upload in configs(view).items()}


# --- what the session calls -------------------------------------------------------------------


def upload_frame(text: str) -> dict[str, Any] | None:
    """The frame if ``text`` is one of this module's (``upload``, ``upload_chunk``,
    ``upload_cancel``), else ``None`` (the session's other messages)."""
    if _UPLOAD_TYPE.search(text) is None:
        return None
    if len(text) > int(config.get("max_frame_bytes")):
        raise EventError(FRAME_TOO_LARGE, "an upload frame over max_frame_bytes; send less")
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    if isinstance(frame, dict) and frame.get("t") in FRAME_TYPES:
        return frame
    return None


def handle_frame(session: LiveSession, frame: dict[str, Any]) -> list[str]:
    """The frames answering an ``upload``, ``upload_chunk`` or ``upload_cancel`` frame."""
    kind = frame.get("t")
    if kind == UPLOAD:
        return _register(session, frame)
    if kind == UPLOAD_CHUNK:
        try:
            data = base64.b64decode(str(frame.get("data", "")), validate=True)
        except (binascii.Error, ValueError):
            raise EventError(INVALID_FIELD, "upload_chunk data is not base64") from None
        return _chunk(session, frame.get("entry"), frame.get("offset"), data)
    if kind == UPLOAD_CANCEL:
        view = _view(session)
        upload = _config(view, frame.get("name"))
        cancel_upload(view, upload.name, str(frame.get("entry")))
        return session._outcome_frames(None, render(view, call="upload_cancel"))
    raise EventError(UNKNOWN_MESSAGE, f"this server does not handle {kind!r} messages")


def handle_binary(session: LiveSession, data: bytes) -> list[str]:
    """The frames answering a binary upload chunk: ``[u16 n][n bytes JSON header][data]``."""
    if len(data) > int(config.get("max_frame_bytes")):
        raise EventError(FRAME_TOO_LARGE, "an upload chunk over max_frame_bytes")
    if len(data) < 2:
        raise EventError(MALFORMED_FRAME, "a binary frame starts with its header's length")
    (length,) = struct.unpack(">H", data[:2])
    try:
        header = json.loads(data[2 : 2 + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise EventError(MALFORMED_FRAME, "the binary frame's header is not JSON") from None
    if not isinstance(header, dict):
        raise EventError(MALFORMED_FRAME, "the binary frame's header is not a JSON object")
    return _chunk(session, header.get("entry"), header.get("offset"), data[2 + length :])


def release(session: LiveSession) -> None:
    """The connection ended: its unfinished entries wait ``upload_resume_seconds`` for a
    reconnect, then go with their files."""
    now = time.monotonic()
    view = session.view
    for upload in configs(view).values() if view is not None else ():
        for entry in upload.entries:
            # A reconnect may already have taken the entry over: it is that session's now.
            if entry.holder == _holder(session):
                entry.orphaned_at = now
    sweep(now)


def reattach(session: LiveSession, refs: Iterable[str] = ()) -> None:
    """Give a freshly mounted view (a reconnect, an HTTP-fallback POST) the entries this
    visitor started on it before and whose connection ended — and those named in ``refs`` (a
    ``resume``), even while the old connection is not yet known to be gone."""
    view = session.view
    if view is None or not configs(view):
        return
    sweep()
    owner, key, wanted = _owner(session), view_key(type(view)), set(refs)
    with _lock:
        found = [
            e
            for (o, r), e in _registry.items()
            if o == owner and e.view == key and (e.orphaned_at is not None or r in wanted)
        ]
    for entry in found:
        upload = configs(view).get(entry.upload)
        if upload is not None and entry not in upload.entries:
            entry.orphaned_at = None
            entry.holder = _holder(session)
            upload.entries.append(entry)


def _holder(session: LiveSession) -> int:
    """A number for ``session``, never reused in this process (unlike ``id()``)."""
    number: int = session.__dict__.setdefault("_upload_holder", next(_holders))
    return number


def _owner(session: LiveSession) -> str:
    binding = session.connection.visitor.binding()
    return binding or f"connection:{_holder(session)}"


def _view(session: LiveSession) -> Any:
    view = session.view
    if view is None:
        raise EventError(NOT_MOUNTED, "send a mount frame before anything else")
    return view


def _ack(name: str, entries: dict[str, dict[str, Any]]) -> str:
    return json.dumps({"t": UPLOAD_ACK, "name": name, "entries": entries}, separators=(",", ":"))


def _register(session: LiveSession, frame: dict[str, Any]) -> list[str]:
    view = _view(session)
    upload = _config(view, frame.get("name"))
    declared = frame.get("entries")
    if not isinstance(declared, list) or not all(isinstance(d, dict) for d in declared):
        raise EventError(INVALID_FIELD, "an upload frame's entries are a list of objects")
    reattach(session, [str(d.get("ref")) for d in declared] if frame.get("resume") else ())
    owner, key = _owner(session), view_key(type(view))
    binary = bool(getattr(session, "accepts_binary", False))
    answers: dict[str, dict[str, Any]] = {}
    upload.errors = []
    for item in declared:
        ref = item.get("ref")
        if not isinstance(ref, str) or not 8 <= len(ref) <= 64 or not ref.isalnum():
            raise EventError(INVALID_FIELD, "an upload entry's ref is 8-64 letters and digits")
        known = next((e for e in upload.entries if e.ref == ref), None)
        if known is not None:
            # Declared again (a reconnect): go on where it stopped.
            answers[ref] = _answer(upload, known, binary)
            continue
        entry = UploadEntry(
            ref=ref,
            upload=upload.name,
            client_name=str(item.get("name") or "")[:255],
            client_type=str(item.get("type") or "")[:100],
            client_size=item.get("size") if isinstance(item.get("size"), int) else -1,
            owner=owner,
            view=key,
            holder=_holder(session),
        )
        entry.errors = _declared_errors(upload, entry)
        upload.entries.append(entry)
        if entry.valid:
            with _lock:
                _registry[(owner, ref)] = entry
        answers[ref] = _answer(upload, entry, binary)
    frames = session._outcome_frames(frame.get("ref"), render(view, call="upload"))
    return [*frames, _ack(upload.name, answers)]


def _declared_errors(upload: UploadConfig, entry: UploadEntry) -> list[str]:
    errors = []
    live = [e for e in upload.entries if e.valid]
    if len(live) >= upload.max_entries:
        errors.append(f"too many files: at most {upload.max_entries}")
    if entry.client_size < 0:
        errors.append("the file's size was not given")
    elif entry.client_size > upload.max_file_size:
        errors.append(f"too large: at most {upload.max_file_size} bytes")
    if os.path.splitext(entry.client_name.lower())[1] not in upload.accept:
        errors.append(f"not an accepted type: {', '.join(upload.accept)}")
    return errors


def _answer(upload: UploadConfig, entry: UploadEntry, binary: bool) -> dict[str, Any]:
    if not entry.valid:
        return {"error": "; ".join(entry.errors) or "cancelled"}
    return {"offset": entry.received, "chunk_size": upload.chunk_size, "binary": binary}


def _find(session: LiveSession, ref: Any) -> tuple[UploadConfig, UploadEntry] | None:
    view = _view(session)
    for upload in configs(view).values():
        for entry in upload.entries:
            if entry.ref == ref:
                return upload, entry
    return None


def _session_bytes(session: LiveSession) -> int:
    """Bytes this connection has had written, consumed or not."""
    written: int = session.__dict__.get("_upload_bytes", 0)
    return written


def _chunk(session: LiveSession, ref: Any, offset: Any, data: bytes) -> list[str]:
    view = _view(session)
    found = _find(session, ref)
    if found is None:
        reattach(session)
        found = _find(session, ref)
    if found is None:
        # Cancelled, consumed, or never declared: nothing is written.
        return [_ack("", {str(ref): {"error": "cancelled"}})]
    upload, entry = found
    if not entry.valid:
        return [_ack(upload.name, {entry.ref: _answer(upload, entry, False)})]
    if offset != entry.received:
        return [_ack(upload.name, {entry.ref: _answer(upload, entry, _binary(session))})]
    progress = entry.progress
    error = _chunk_error(session, upload, entry, data)
    if error is not None:
        entry.errors.append(error)
        entry.discard()
        with _lock:
            _registry.pop((entry.owner, entry.ref), None)
    else:
        if entry.path is None:
            handle, name = tempfile.mkstemp(prefix="djust-upload-")
            os.close(handle)
            entry.path = Path(name)
        with entry.path.open("ab") as out:
            out.write(data)
        entry.received += len(data)
        session.__dict__["_upload_bytes"] = _session_bytes(session) + len(data)
    ack = _ack(upload.name, {entry.ref: _answer(upload, entry, _binary(session))})
    if entry.progress == progress and entry.valid:
        return [ack]  # the page would show the same: no render until the next percent
    return [*session._outcome_frames(None, render(view, call="upload_chunk")), ack]


def _binary(session: LiveSession) -> bool:
    return bool(getattr(session, "accepts_binary", False))


def _chunk_error(
    session: LiveSession, upload: UploadConfig, entry: UploadEntry, data: bytes
) -> str | None:
    total = entry.received + len(data)
    if total > upload.max_file_size:
        return f"too large: at most {upload.max_file_size} bytes"
    if total > entry.client_size:
        return "more bytes than the file's declared size"
    if _session_bytes(session) + len(data) > int(config.get("upload_max_session_bytes")):
        return "this connection has uploaded as much as it may"
    if entry.received == 0:
        signatures = MAGIC.get(os.path.splitext(entry.client_name.lower())[1])
        head = data[:_MAGIC_LENGTH]
        if signatures and not any(head.startswith(s) for s in signatures):
            return "the file's contents do not match its extension"
    return None


def new_ref() -> str:
    """A fresh entry ref (the client makes its own the same way)."""
    return secrets.token_hex(8)
