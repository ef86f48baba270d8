"""A form on every host: live validation, the draft, and hostile input in every field."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tests.security.test_auth import errors, kinds

pytestmark = pytest.mark.django_db(transaction=True)

NOTES = "/security/notes/"
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def elements_in(frames) -> set[str]:
    """The element names the frames' HTML would create in the browser (attribute values are
    text, whatever they hold)."""
    parser = _Tags()
    for frame in frames:
        for item in json.loads(json.dumps(frame.get("patches") or [])) + [frame.get("html")]:
            for part in item if isinstance(item, list) else [item]:
                if isinstance(part, str):
                    parser.feed(part)
    return parser.tags


def send(host, conn, name, ref, **params):
    return host.without_resync(
        conn.send({"t": "event", "ref": ref, "name": name, "params": params})
    )


def test_live_validation_shows_only_touched_fields_on_every_host(host):
    conn = host.connect(host.get(NOTES))
    conn.mount()
    text = json.dumps(send(host, conn, "validate", 1, title="x" * 30, body=""))
    assert "at most 20 characters" in text
    assert "This field is required" not in text, "body was never touched"
    text = json.dumps(send(host, conn, "submit", 2, title="ok", body=""))
    assert "This field is required" in text, "a submit shows every error"


def test_hostile_input_in_every_field_is_rendered_escaped(host):
    conn = host.connect(host.get(NOTES))
    conn.mount()
    frames = send(host, conn, "validate", 1, title=XSS, body=XSS)
    assert kinds(frames) == ["patch"], frames
    assert not elements_in(frames) & {"script", "img"}
    assert "&lt;script&gt;alert(1)" in json.dumps(frames), "the textarea shows it as text"
    frames = send(host, conn, "submit", 2, title=XSS[:20], body=XSS)
    assert errors(frames) == []
    assert not elements_in(frames) & {"script", "img"}
