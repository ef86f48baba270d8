"""Uploads: chunks over the session (binary frames, or base64 in JSON), server-side checks,
progress in the template, consume with temporary-file cleanup, resume after a reconnect."""

from __future__ import annotations

import base64
import json
import re
import struct

import pytest
from django.test import RequestFactory

from djust import LiveView, event_handler, uploads
from djust.config import config
from tests.streams.support import Socket, of_type

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # 10,248 bytes
REF = "a1b2c3d4e5f60708"


class Avatar(LiveView):
    template_string = """{% load djust_tags %}{% djust_scripts %}
<div dj-view="{{ dj_view_id }}" dj-root>
<input type="file" dj-upload="avatar" accept="{{ uploads.avatar.accept }}">
<ul>{% for e in uploads.avatar.entries %}<li id="e-{{ e.ref }}">{{ e.client_name }} \
{{ e.progress }}%{% for err in e.errors %} [{{ err }}]{% endfor %}</li>{% endfor %}</ul>
<p id="saved">{{ saved|join:"," }}</p>
</div>"""

    def mount(self, request, **kwargs):
        self.saved = []
        self.allow_upload(
            "avatar", accept=[".png", ".txt"], max_entries=2, max_file_size=20_000, chunk_size=4096
        )

    @event_handler
    def save(self):
        def keep(file, entry):
            self._paths.append(entry.path)
            return f"{file.name}:{len(file.read())}"

        self._paths = []
        self.saved = self.consume_uploaded_entries("avatar", keep)


def declare(live, *files, resume=False):
    entries = [{"ref": ref, "name": name, "type": "", "size": size} for ref, name, size in files]
    return live.send({"t": "upload", "name": "avatar", "entries": entries, "resume": resume})


def binary(live, ref, offset, data):
    header = json.dumps({"entry": ref, "offset": offset}).encode()
    frame = struct.pack(">H", len(header)) + header + data
    return [json.loads(f) for f in live.session.handle_binary(frame)]


def acked(frames):
    (ack,) = of_type(frames, "upload_ack")
    return ack["entries"]


def entry_of(live, ref=REF):
    return next(e for e in live.view.__dict__["_uploads"]["avatar"].entries if e.ref == ref)


def send_all(live, ref, data, size=4096, start=0):
    frames = []
    for offset in range(start, len(data), size):
        frames = binary(live, ref, offset, data[offset : offset + size])
        assert (
            acked(frames)[ref]
            == {"offset": min(offset + size, len(data)), "chunk_size": 4096, "binary": True}
            or "error" in acked(frames)[ref]
        )
    return frames


@pytest.fixture
def live():
    socket = Socket(Avatar)
    socket.session.accepts_binary = True
    yield socket
    socket.session.close()


def test_a_file_in_chunks_shows_progress_and_is_consumed_then_removed(live):
    frames = declare(live, (REF, "me.png", len(PNG)))
    assert acked(frames) == {REF: {"offset": 0, "chunk_size": 4096, "binary": True}}
    assert "me.png 0%" in live.session.root_html
    frames = binary(live, REF, 0, PNG[:4096])
    assert acked(frames)[REF]["offset"] == 4096
    assert "me.png 39%" in live.session.root_html
    send_all(live, REF, PNG, start=4096)
    assert "me.png 100%" in live.session.root_html
    path = entry_of(live).path
    assert path.read_bytes() == PNG
    live.event("save")
    assert live.view.saved == [f"me.png:{len(PNG)}"]
    assert not path.exists()
    assert "me.png" not in live.session.root_html.split("<ul>")[1].split("</ul>")[0]


def test_the_json_chunk_frame_does_the_same_as_a_binary_one(live):
    declare(live, (REF, "notes.txt", 10))
    frames = live.send(
        {
            "t": "upload_chunk",
            "entry": REF,
            "offset": 0,
            "data": base64.b64encode(b"0123456789").decode(),
        }
    )
    assert acked(frames)[REF]["offset"] == 10
    assert entry_of(live).done


def test_a_file_larger_than_allowed_is_refused_before_its_bytes_are_kept(live):
    frames = declare(live, (REF, "big.png", 20_001))
    assert acked(frames) == {REF: {"error": "too large: at most 20000 bytes"}}
    assert "[too large: at most 20000 bytes]" in live.session.root_html
    frames = binary(live, REF, 0, PNG[:4096])
    assert acked(frames)[REF] == {"error": "too large: at most 20000 bytes"}
    assert entry_of(live).path is None


def test_a_client_lying_about_the_size_is_stopped_at_the_declared_size(live):
    declare(live, (REF, "me.png", 5000))
    binary(live, REF, 0, PNG[:4096])
    path = entry_of(live).path
    frames = binary(live, REF, 4096, PNG[4096:8192])
    assert "declared size" in acked(frames)[REF]["error"]
    assert not path.exists()


def test_a_wrong_type_renamed_to_an_allowed_extension_is_refused(live):
    declare(live, (REF, "photo.png", 100))
    frames = binary(live, REF, 0, b"MZ\x90\x00" + b"\x00" * 96)  # a Windows executable
    assert "do not match its extension" in acked(frames)[REF]["error"]
    assert entry_of(live).path is None
    assert "[the file's contents do not match its extension]" in live.session.root_html


def test_an_extension_not_accepted_is_an_error_on_that_entry(live):
    frames = declare(live, (REF, "run.exe", 10), ("b" * 16, "ok.txt", 3))
    answers = acked(frames)
    assert "not an accepted type" in answers[REF]["error"]
    assert answers["b" * 16]["offset"] == 0


def test_more_entries_than_allowed(live):
    frames = declare(live, ("1" * 16, "a.txt", 1), ("2" * 16, "b.txt", 1), ("3" * 16, "c.txt", 1))
    answers = acked(frames)
    assert "offset" in answers["1" * 16] and "offset" in answers["2" * 16]
    assert answers["3" * 16] == {"error": "too many files: at most 2"}


def test_chunks_out_of_order_are_not_written_and_the_ack_says_where_to_go_on(live):
    declare(live, (REF, "me.png", len(PNG)))
    binary(live, REF, 0, PNG[:4096])
    frames = binary(live, REF, 8192, PNG[8192:])
    assert acked(frames)[REF]["offset"] == 4096
    assert entry_of(live).received == 4096
    send_all(live, REF, PNG, start=4096)
    assert entry_of(live).path.read_bytes() == PNG


def test_a_chunk_for_an_entry_that_does_not_exist_writes_nothing(live):
    frames = binary(live, "f" * 16, 0, b"abc")
    assert acked(frames) == {"f" * 16: {"error": "cancelled"}}


def test_a_chunk_after_cancel(live):
    declare(live, (REF, "me.png", len(PNG)))
    binary(live, REF, 0, PNG[:4096])
    path = entry_of(live).path
    live.send({"t": "upload_cancel", "name": "avatar", "entry": REF})
    assert not path.exists()
    frames = binary(live, REF, 4096, PNG[4096:8192])
    assert acked(frames) == {REF: {"error": "cancelled"}}


def test_garbage_binary_frames_are_errors_and_the_session_goes_on(live):
    for frame in (b"", b"\x00", b"\x00\x05nope!", b"\x00\x02[]"):
        (error,) = [json.loads(f) for f in live.session.handle_binary(frame)]
        assert error["t"] == "error" and error["code"] == "malformed_frame"
    assert of_type(live.event("save"), "patch")


def test_an_upload_that_never_finishes_is_removed_when_the_session_ends(live):
    declare(live, (REF, "me.png", len(PNG)))
    binary(live, REF, 0, PNG[:4096])
    path = entry_of(live).path
    config.set("upload_resume_seconds", 0)
    try:
        live.session.close()
    finally:
        config.reset("upload_resume_seconds")
    assert not path.exists()


def test_total_bytes_per_connection(live):
    config.set("upload_max_session_bytes", 6000)
    try:
        declare(live, (REF, "me.png", len(PNG)))
        binary(live, REF, 0, PNG[:4096])
        frames = binary(live, REF, 4096, PNG[4096:8192])
    finally:
        config.reset("upload_max_session_bytes")
    assert "as much as it may" in acked(frames)[REF]["error"]


def test_an_upload_resumes_after_a_reconnect():
    first = Socket(Avatar)
    first.session.accepts_binary = True
    declare(first, (REF, "me.png", len(PNG)))
    binary(first, REF, 0, PNG[:4096])
    first.session.close()  # the socket dropped
    # The same visitor's page reconnects: a new session, the view mounted again.
    again = Socket.__new__(Socket)
    again.__dict__.update(first.__dict__)
    again.session = type(first.session)(first.session.connection)
    again.session.accepts_binary = True
    again._ref = 0
    again.send({"t": "mount", "token": first.page.token, "url": "/page/", "reconnect": True})
    frames = declare(again, (REF, "me.png", len(PNG)), resume=True)
    assert acked(frames)[REF]["offset"] == 4096
    assert "me.png 39%" in again.session.root_html
    send_all(again, REF, PNG, start=4096)
    again.event("save")
    assert again.view.saved == [f"me.png:{len(PNG)}"]
    again.session.close()


def test_over_the_http_fallback(settings):
    factory = RequestFactory()
    view = Avatar.as_live_view()
    page = view(factory.get("/page/"))
    html = page.content.decode()
    assert "djustParts" in html  # the uploads script is on this page
    token = re.search(r'dj-view="([^"]+)"', html).group(1)
    cookies = {name: morsel.value for name, morsel in page.cookies.items()}
    state = None

    def post(frame):
        nonlocal state
        request = factory.post(
            "/page/",
            data=json.dumps({"token": token, "state": state, **frame}),
            content_type="application/json",
        )
        request.COOKIES = dict(cookies)
        reply = json.loads(view(request).content)
        state = reply.get("state", state)
        return reply["frames"]

    frames = post(
        {
            "t": "upload",
            "ref": 1,
            "name": "avatar",
            "entries": [{"ref": REF, "name": "n.txt", "type": "text/plain", "size": 6}],
        }
    )
    assert acked(frames) == {REF: {"offset": 0, "chunk_size": 4096, "binary": False}}
    data = base64.b64encode(b"abcdef").decode()
    frames = post({"t": "upload_chunk", "entry": REF, "offset": 0, "data": data})
    assert acked(frames)[REF]["offset"] == 6
    frames = post({"t": "event", "ref": 2, "name": "save", "params": {}, "target": None})
    assert any("n.txt:6" in json.dumps(f) for f in frames), frames
    assert uploads._registry == {} or all(k[1] != REF for k in uploads._registry)


def test_pages_without_uploads_do_not_load_the_uploads_script():
    from tests.streams.test_streams import Chat

    html = Socket(Chat).page.html
    assert "data-djust-client" in html
    assert "djustParts.push" not in html


def test_a_resume_takes_over_before_the_old_connection_is_known_to_be_gone():
    first = Socket(Avatar)
    first.session.accepts_binary = True
    declare(first, (REF, "me.png", len(PNG)))
    binary(first, REF, 0, PNG[:4096])
    # The page reconnects while the server still holds the old socket (no close seen yet).
    again = Socket.__new__(Socket)
    again.__dict__.update(first.__dict__)
    again.session = type(first.session)(first.session.connection)
    again.session.accepts_binary = True
    again._ref = 0
    again.send({"t": "mount", "token": first.page.token, "url": "/page/", "reconnect": True})
    assert acked(declare(again, (REF, "me.png", len(PNG)), resume=True))[REF]["offset"] == 4096
    config.set("upload_resume_seconds", 0)
    try:
        first.session.close()  # the old socket's end, noticed late, takes nothing with it
    finally:
        config.reset("upload_resume_seconds")
    send_all(again, REF, PNG, start=4096)
    assert entry_of(again).path.read_bytes() == PNG
    again.session.close()
