"""Pub/sub, timers and tasks through ``LiveViewTestClient`` (the in-process host)."""

from __future__ import annotations

import gc

import pytest

import djust
from djust import pubsub
from djust.testing import LiveViewTestClient
from tests.testapp.pubsub_views import NewsView, RoomView


def test_a_broadcast_reaches_every_client_subscribed_to_the_topic():
    first, second = LiveViewTestClient(RoomView), LiveViewTestClient(RoomView)
    first.send_event("say", {"text": "hi there"})
    assert "hi there" in first.html
    second.deliver_messages()
    assert "hi there" in second.html


def test_timers_fire_as_the_clock_moves_and_stop_when_cancelled():
    client = LiveViewTestClient(RoomView)
    client.send_event("later", {"ms": 100, "text": "soon"})
    client.advance_time(99)
    assert "note soon" not in client.html
    client.advance_time(1)
    assert "note soon" in client.html
    client.send_event("every", {"ms": 10})
    client.advance_time(35)
    assert "ticks: 3" in client.html
    client.send_event("stop")
    client.advance_time(100)
    assert "ticks: 3" in client.html


def test_tasks_deliver_their_result_and_errors_reach_the_view():
    client = LiveViewTestClient(RoomView)
    client.send_event("start_report", {"delay": 0.01})
    assert "report: working" in client.html
    client.wait_for_tasks()
    assert "report done: 42" in client.html
    client.send_event("start_report", {"fail": True})
    client.wait_for_tasks()
    assert "the report broke" in client.html


def test_a_component_hears_its_topic():
    client = LiveViewTestClient(NewsView)
    djust.broadcast("headlines", "news", {"text": "stop the press"})
    client.deliver_messages()
    assert "stop the press" in client.html
    assert "heard nothing" in client.html


def test_a_closed_client_leaves_no_subscription_behind():
    client = LiveViewTestClient(RoomView, "/?topic=lonely")
    assert pubsub.local_hub.subscribers("lonely")
    client._live.close()
    client._host.close()
    del client
    gc.collect()
    assert not pubsub.local_hub.subscribers("lonely")


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"when": object()}, "cannot be sent as JSON"),
        ({"x": float("nan")}, "cannot be sent as JSON"),
        (["not", "a", "dict"], "must be a dict"),
    ],
)
def test_a_payload_that_cannot_be_sent_is_refused_naming_why(payload, message):
    with pytest.raises(TypeError, match=message):
        djust.broadcast("room", "said", payload)


def test_timer_arguments_are_checked_at_the_call():
    client = LiveViewTestClient(RoomView)
    with pytest.raises(ValueError, match="1 ms or more"):
        client.view.schedule_interval(0, "tick")
    with pytest.raises(TypeError, match="milliseconds"):
        client.view.send_after("soon", "tick")
    with pytest.raises(TypeError, match="JSON"):
        client.view.send_after(10, "tick", {"x": object()})
