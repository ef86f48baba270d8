"""The contract, part 4: what the view sends besides answers: handle_info (server-started
updates), push_event, and events for components."""

from __future__ import annotations

from tests.session.frames import assert_patch, event, kinds


def test_handle_info_sends_a_patch_with_no_ref_then_the_commands(host):
    host.needs("direct_info")
    conn = host.connect(host.get("/contract/info/"))
    conn.mount()
    frames = conn.info("news", {"text": "hello"})
    assert kinds(frames) == ["patch", "push_event"], frames
    assert_patch(frames[:1], None, "hello")
    assert frames[1] == {"t": "push_event", "event": "news_shown", "payload": {"text": "hello"}}
    # Events go on as before.
    assert_patch(conn.send(event(1, "ping_me")), 1, "pinged")


def test_push_events_follow_the_patch_of_their_event_in_the_order_queued(host):
    conn = host.connect(host.get("/contract/counter/"))
    conn.mount()
    frames = conn.send(event(1, "shout"))
    assert kinds(frames) == ["patch", "push_event", "push_event"], frames
    assert_patch(frames[:1], 1, "Count: 1")
    assert frames[1:] == [
        {"t": "push_event", "event": "counted", "payload": {"count": 1}},
        {"t": "push_event", "event": "again", "payload": {"n": 2}},
    ]


def test_an_event_with_a_target_reaches_the_components_handler(host):
    conn = host.connect(host.get("/contract/board/"))
    conn.mount()
    assert_patch(conn.send(event(1, "inc", target="tally", by=2)), 1, "first: 2")
    assert_patch(conn.send(event(2, "inc", target="tally")), 2, "first: 3")


def test_a_component_without_the_handler_passes_the_event_to_its_view(host):
    conn = host.connect(host.get("/contract/board/"))
    conn.mount()
    assert_patch(conn.send(event(1, "remove", target="tally")), 1, "removed tally")
