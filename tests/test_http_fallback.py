"""The HTTP fallback: frames as POSTs with CSRF, state carried by signed snapshots."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client, override_settings

from djust import LiveView, event_handler, snapshots
from djust.components import LiveComponent
from tests.conftest import TOKEN_RE


class Browser:
    """One visitor: GETs a LiveView page, then POSTs frames to it as the client does."""

    def __init__(self, url: str, csrf_checks: bool = True) -> None:
        self.client = Client(enforce_csrf_checks=csrf_checks)
        self.url = url
        response = self.client.get(url)
        assert response.status_code == 200
        self.html = response.content.decode()
        self.token = TOKEN_RE.search(self.html).group(1)
        self.state: str | None = None
        self.ref = 0

    def post(self, frame: dict, *, url: str | None = None, **extra) -> dict:
        self.ref += 1
        body = {"ref": self.ref, **frame, "token": self.token, "state": self.state, **extra}
        response = self.client.post(
            url or self.url,
            json.dumps(body),
            content_type="application/json",
            headers={"X-CSRFToken": self.client.cookies["csrftoken"].value},
        )
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"] == "application/json"
        reply = json.loads(response.content)
        if "state" in reply:
            self.state = reply["state"]
        return reply

    def event(self, name: str, **params) -> list[dict]:
        return self.post({"t": "event", "name": name, "params": params})["frames"]


def text_of(frames: list[dict]) -> str:
    return json.dumps(frames)


def after_mounted(frames: list[dict]) -> list[dict]:
    """The frames after a leading ``mounted``: the first POST re-renders a page whose GET did
    not run ``handle_params`` (until LiveView's GET does) and so starts the root afresh."""
    return frames[1:] if frames and frames[0]["t"] == "mounted" else frames


def test_the_page_tells_the_client_to_use_http_when_websockets_are_off(client):
    with override_settings(LIVEVIEW_CONFIG={"use_websocket": False}):
        html = client.get("/counter/").content.decode()
    assert 'data-transport="http"' in html
    assert 'data-csrf-cookie="csrftoken" data-csrf-header="X-CSRFTOKEN"' in html
    assert "data-transport" not in client.get("/counter/").content.decode()


def test_the_page_sets_the_csrf_cookie_the_client_reads(client):
    response = client.get("/counter/")
    assert "csrftoken" in response.cookies
    assert "data-csrf-token" not in response.content.decode(), "the page stays cacheable by digest"


@override_settings(CSRF_COOKIE_HTTPONLY=True)
def test_a_csrf_cookie_scripts_cannot_read_puts_the_token_in_the_page(client):
    assert "data-csrf-token=" in client.get("/counter/").content.decode()


def test_events_run_and_state_carries_over_between_posts(db):
    browser = Browser("/counter/")
    frames = browser.event("increment")
    assert frames == [{"t": "patch", "ref": 1, "patches": [["text", [1, 0], "Count: 1"]]}]
    assert browser.state
    assert browser.event("add", amount="5")[0]["patches"] == [["text", [1, 0], "Count: 6"]]
    assert browser.event("increment")[0]["patches"] == [["text", [1, 0], "Count: 7"]]


def test_a_post_without_the_csrf_header_is_refused(db):
    browser = Browser("/counter/")
    response = browser.client.post(
        "/counter/",
        json.dumps({"t": "event", "ref": 1, "name": "increment", "token": browser.token}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_tampered_or_foreign_state_is_refused_and_nothing_changes(db):
    browser = Browser("/counter/")
    browser.event("increment")
    good = browser.state
    browser.state = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    reply = browser.post({"t": "event", "name": "increment"})
    assert reply["frames"][0]["code"] == "invalid_token"
    assert "state" not in reply
    other = Browser("/counter/")
    other.state = good
    reply = other.post({"t": "event", "name": "increment"})
    assert reply["frames"][0]["code"] == "invalid_token"
    assert "another view or visitor" in reply["frames"][0]["message"]
    browser.state = good
    assert browser.event("increment")[0]["patches"] == [["text", [1, 0], "Count: 2"]]


def test_a_token_for_another_view_is_refused(db):
    browser = Browser("/counter/")
    reply = browser.post({"t": "event", "name": "increment"}, url="/clock/")
    assert reply["frames"][0]["code"] == "invalid_token"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_frame"),
        (b"\xff\xfe", "malformed_frame"),
        (b'{"t": "event", "ref": 1}', "invalid_field"),
        (b'{"t": "mount", "token": "x"}', "invalid_token"),
        (b'{"t": "ping", "ref": 1, "pad": "' + b"x" * 1_500_000 + b'"}', "frame_too_large"),
        (b'{"t": "ping", "ref": 1, "pad": "' + b"x" * 3_000_000 + b'"}', "frame_too_large"),
    ],
    ids=["not-json", "not-utf8", "no-name", "bad-token", "over-frame-limit", "over-django-limit"],
)
def test_bad_bodies_get_an_error_frame(db, body, code):
    browser = Browser("/counter/", csrf_checks=False)
    response = browser.client.post("/counter/", body, content_type="application/json")
    reply = json.loads(response.content)
    assert reply["frames"][0]["code"] == code


def test_unknown_handlers_and_bad_params_keep_the_state(db):
    browser = Browser("/counter/")
    browser.event("increment")
    before = browser.state
    assert browser.event("reset")[0]["code"] == "unknown_event"
    assert browser.event("add", amount="lots")[0]["code"] == "invalid_params"
    assert browser.state == before
    assert browser.event("increment")[0]["patches"] == [["text", [1, 0], "Count: 2"]]


def test_a_handler_that_raises_still_sends_its_patch_and_state(db, caplog):
    browser = Browser("/session/state/")
    with caplog.at_level(logging.ERROR, logger="djust"):
        frames = browser.event("explode")
    assert [f["t"] for f in frames] == ["patch", "error"]
    assert frames[1]["code"] == "handler_error"
    assert "99" in text_of(frames)
    assert "99" in text_of(browser.event("bump", by=0))


def test_state_of_many_types_round_trips_and_private_state_comes_from_mount(db):
    browser = Browser("/session/state/")
    browser.event("bump", by=2)
    text = browser.event("bump", by=3)[0]["patches"][0][2]
    # Printed in the current time zone (TIME_ZONE defaults to America/Chicago), as Django does.
    assert text.startswith("5 Jan. 1, 2025, 9:04 p.m. 9.99 {&#x27;a&#x27;}".replace("&#x27;", "'"))
    assert "3, 'x'" in text, "the tuple came back and was bumped twice"
    assert text.endswith(" 19"), "_secret was recomputed by mount"


def test_params_over_http_run_handle_params(db):
    browser = Browser("/session/list/")
    reply = browser.post(
        {"t": "params", "url": "/session/list/?page=4"}, url="/session/list/?page=4"
    )
    frames = after_mounted(reply["frames"])
    assert frames[0]["t"] == "patch" and "page 4 of all" in text_of(frames)


def test_navigate_over_http_is_a_page_load(db):
    browser = Browser("/session/list/")
    reply = browser.post({"t": "navigate", "url": "/session/detail/2/"})
    assert after_mounted(reply["frames"]) == [{"t": "redirect", "to": "/session/detail/2/"}]


def test_commands_come_back_in_the_reply(db):
    browser = Browser("/session/list/")
    kinds = [frame["t"] for frame in after_mounted(browser.event("commands"))]
    assert kinds == ["patch", "push_event", "live_patch", "live_redirect", "redirect"]


def test_a_browser_showing_something_else_gets_the_whole_root_first(db):
    browser = Browser("/clock/")
    frames = browser.post({"t": "ping"})["frames"]
    assert frames[0]["t"] == "mounted" and "mount number" in frames[0]["html"]
    assert frames[1] == {"t": "pong", "ref": 1}


def test_values_a_snapshot_cannot_carry_are_recomputed_or_refused(db, caplog):
    browser = Browser("/session/opaque/")
    with caplog.at_level(logging.WARNING, logger="djust"):
        browser.event("bump")
        assert browser.event("bump")[0]["patches"] == [["text", [0, 0], "2"]]
    assert "OpaqueStateView.handle holds object" in caplog.text
    with override_settings(LIVEVIEW_CONFIG={"strict_serialization": True}):
        frames = browser.event("bump")
    assert frames[-1]["code"] == "server_error"


@override_settings(DEBUG=True, LIVEVIEW_CONFIG={"strict_serialization": True})
def test_strict_serialization_names_the_attribute(db):
    frames = Browser("/session/opaque/").event("bump")
    assert "OpaqueStateView.handle holds object" in frames[-1]["message"]
    assert "Instead of that object" in frames[-1]["message"]


class TestSnapshots:
    def test_values_round_trip_exactly(self):
        import datetime
        import decimal
        import uuid

        from django.utils.safestring import SafeString, mark_safe

        value = {
            "n": None,
            "b": True,
            "i": 2**70,
            "f": 1.5,
            "inf": float("inf"),
            "s": "é",
            "l": [1, [2, (3, 4)]],
            "t": (1, "x"),
            "set": {1, 2},
            "fs": frozenset({"a"}),
            "d": {1: "int key", (1, 2): "tuple key"},
            "tagged": {snapshots.TAG: "looks tagged"},
            "dt": datetime.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc),
            "date": datetime.date(2025, 1, 2),
            "time": datetime.time(1, 2, 3),
            "td": datetime.timedelta(days=1, seconds=2, microseconds=3),
            "dec": decimal.Decimal("1.10"),
            "uuid": uuid.UUID(int=7),
            "safe": mark_safe("<b>"),
        }
        encoded = json.loads(json.dumps(snapshots.encode_value(value)))
        decoded = snapshots.decode_value(encoded)
        assert decoded == value
        assert type(decoded["safe"]) is SafeString and type(decoded["t"]) is tuple
        assert type(decoded["l"][1][1]) is tuple

    @pytest.mark.parametrize("value", [object(), {"x": [object()]}, b"bytes", 1j])
    def test_other_values_are_refused_by_type(self, value):
        with pytest.raises(snapshots.Unserialisable):
            snapshots.encode_value(value)

    def test_deep_nesting_is_refused_not_a_crash(self):
        deep: list = []
        for _ in range(5000):
            deep = [deep]
        with pytest.raises(snapshots.Unserialisable, match="nested too deeply"):
            snapshots.encode_value(deep)


def test_resync_asks_for_the_whole_root(db):
    browser = Browser("/counter/")
    browser.event("increment")
    frames = browser.post({"t": "event", "name": "increment"}, resync=True)["frames"]
    assert frames[0] == {"t": "mounted", "html": "\n<h1>Count: 1</h1>\n\n"}
    assert frames[1]["patches"] == [["text", [1, 0], "Count: 2"]]


class _Tally(LiveComponent):
    template = '<span class="tally">{{ label }}: {{ count }}</span>'

    def mount(self):
        self.count = 0
        self._mounted_by = "mount"

    @event_handler
    def inc(self):
        self.count += 1


class _Board(LiveView):
    template_string = "<div>{{ first }} {% for t in extra %}{{ t }}{% endfor %}</div>"

    def mount(self, request, **kwargs):
        self.first = _Tally(label="first")
        self.extra = []

    @event_handler
    def add(self):
        self.extra = [*self.extra, _Tally(label=f"extra{len(self.extra)}")]


def test_components_round_trip_through_snapshots():
    board = _Board()
    board.mount(None)
    board.first.count = 3
    board.add()
    board.extra[0].count = 7
    board.render_page()  # ids are given out when the page renders
    text = snapshots.snapshot(board, "board", "visitor", "digest")

    fresh = _Board()
    fresh.mount(None)
    remade_first = fresh.first
    assert snapshots.restore(fresh, "board", "visitor", text) == "digest"
    # The component mount() made again is updated in place: what its own mount set stays.
    assert fresh.first is remade_first
    assert fresh.first.count == 3 and fresh.first._mounted_by == "mount"
    # One made by a handler is rebuilt from the snapshot, with the id it had, in its parent.
    (extra,) = fresh.extra
    assert isinstance(extra, _Tally) and extra.count == 7 and extra.label == "extra0"
    assert extra.component_id == "extra.0"
    assert '<span data-component-id="extra.0" class="tally">extra0: 7' in fresh.render_page()
    assert extra.parent is fresh
