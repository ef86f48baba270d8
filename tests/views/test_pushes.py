"""push_event to the page's hooks, and flash messages."""

from __future__ import annotations

import pytest

from djust.testing import LiveViewTestClient
from tests.views import live


def test_push_event_is_queued_after_the_patches_in_order():
    view = LiveViewTestClient(live.PushView)
    view.event("save")
    assert view.pushed_events == [("saved", {"id": 1}), ("highlight", {"selector": "#row-1"})]
    assert view.text("#flash") == "Saved!"


def test_push_event_commands_are_wire_frames():
    view = live.PushView()
    view.save()
    assert view.drain_commands() == [
        {"t": "push_event", "event": "saved", "payload": {"id": 1}},
        {"t": "push_event", "event": "highlight", "payload": {"selector": "#row-1"}},
    ]


def test_push_event_refuses_what_json_cannot_carry():
    view = LiveViewTestClient(live.PushView)
    with pytest.raises(TypeError, match="cannot be sent as JSON"):
        view.event("bad_payload")
    assert view.pushed_events == []


def test_flash_is_in_the_context_until_cleared():
    view = LiveViewTestClient(live.PushView)
    view.event("save")
    assert view.flash == {"info": "Saved!"}
    view.event("clear_flash", kind="info")
    assert view.flash == {}
    assert not view.has("#flash")
    view.view.put_flash("info", "again")
    view.view.put_flash("error", "bad")
    view.event("clear_flash")
    assert view.flash == {}
