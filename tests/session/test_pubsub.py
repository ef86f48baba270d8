"""The contract, part 6: what reaches a session unasked — broadcasts to the topics it subscribed
to, its timers, its background tasks' results — on every host that can push (the HTTP fallback
cannot: there, a task started by a handler answers in the same reply)."""

from __future__ import annotations

import time

import pytest

from tests.session.frames import event

# How long a test waits to be sure that nothing more arrives.
QUIET = 0.4


def texts(frames: list[dict]) -> str:
    """Everything the patches carried, as one string to search."""
    import json

    return json.dumps([f for f in frames if f.get("t") == "patch"])


def until(conn, frames: list[dict], needle: str, timeout: float = 10) -> list[dict]:
    """``frames`` and whatever the server pushes next, until a patch carries ``needle``."""
    deadline = time.monotonic() + timeout
    while needle not in texts(frames) and time.monotonic() < deadline:
        frames = frames + conn.wait_pushed(1, timeout=deadline - time.monotonic())
    assert needle in texts(frames), frames
    return frames


def mounted(host, url: str = "/contract/room/"):
    conn = host.connect(host.get(url))
    conn.mount()
    return conn


def test_a_broadcast_reaches_every_subscriber_of_its_topic_and_no_one_else(host):
    host.needs("server_push")
    first, second = mounted(host), mounted(host)
    elsewhere = mounted(host, "/contract/room/?topic=elsewhere")
    host.broadcast("room", "said", {"text": "hello all"})
    for conn in (first, second):
        frames = until(conn, [], "hello all")
        patch = [f for f in frames if f["t"] == "patch"][0]
        assert patch["ref"] is None
    assert "hello all" not in texts(elsewhere.wait_pushed(1, timeout=QUIET))
    # Events go on as before.
    assert first.send(event(1, "leave"))[0]["ref"] == 1


def test_a_handler_broadcasts_to_its_own_topic_and_every_subscriber_sees_it(host):
    host.needs("server_push")
    speaker, listener = mounted(host), mounted(host)
    answered = speaker.send(event(1, "say", text="from a handler"))
    assert answered[0]["t"] == "patch" and answered[0]["ref"] == 1
    until(speaker, answered, "from a handler")
    until(listener, [], "from a handler")


def test_unsubscribed_sessions_hear_nothing_more(host):
    host.needs("server_push")
    conn = mounted(host)
    conn.send(event(1, "leave"))
    host.broadcast("room", "said", {"text": "anyone?"})
    assert "anyone?" not in texts(conn.wait_pushed(1, timeout=QUIET))


def test_push_sends_the_same_push_event_frame_to_every_subscriber(host):
    host.needs("server_push")
    first, second = mounted(host), mounted(host)
    host.broadcast("room", "presence", {"online": 2}, push=True)
    for conn in (first, second):
        frames = conn.wait_pushed(1)
        assert frames == [{"t": "push_event", "event": "presence", "payload": {"online": 2}}]


def test_a_payload_that_is_not_json_is_refused_at_the_call_and_the_session_goes_on(host):
    conn = mounted(host)
    frames = conn.send(event(1, "say_unsendable"))
    errors = [f for f in frames if f["t"] == "error"]
    assert errors and errors[0]["code"] == "handler_error", frames
    assert "cannot be sent as JSON" in errors[0]["message"] or "TypeError" in errors[0]["message"]
    assert conn.send(event(2, "leave"))[0]["ref"] == 2


def test_send_after_fires_once_and_cancel_stops_it(host):
    host.needs("server_push")
    conn = mounted(host)
    frames = until(conn, conn.send(event(1, "later", ms=30, text="first")), "note first")
    assert [f["ref"] for f in frames if f["t"] == "patch"] == [1, None]
    assert "note first" not in texts(conn.wait_pushed(1, timeout=QUIET))
    conn.send(event(2, "later", ms=200, text="second"))
    conn.send(event(3, "cancel_later"))
    assert "note second" not in texts(conn.wait_pushed(1, timeout=QUIET))


def test_schedule_interval_ticks_until_cancelled(host):
    host.needs("server_push")
    conn = mounted(host)
    until(conn, conn.send(event(1, "every", ms=20)), "ticks: 3")
    conn.send(event(2, "stop"))
    conn.wait_pushed(10, timeout=0.1)  # a tick already on its way
    assert conn.wait_pushed(1, timeout=QUIET) == []


def test_a_background_task_answers_in_handle_async_result(host):
    conn = mounted(host)
    frames = conn.send(event(1, "start_report", delay=0.05))
    if host.supports("server_push"):
        assert "report: working" in texts(frames)
        frames = until(conn, frames, "report done: 42")
    else:
        # Nothing could answer later: the task ran inline and its result is in this reply.
        assert "report done: 42" in texts(frames), frames


def test_a_task_that_raises_reaches_handle_async_result_with_its_error(host):
    conn = mounted(host)
    frames = conn.send(event(1, "start_report", fail=True))
    if host.supports("server_push"):
        frames = until(conn, frames, "report failed")
    assert "the report broke" in texts(frames), frames


def test_an_async_def_task_runs_on_the_loop_and_answers(host):
    conn = mounted(host)
    frames = conn.send(event(1, "start_total"))
    if host.supports("server_push"):
        frames = until(conn, frames, "fetch_total done: 7")
    assert "fetch_total done: 7" in texts(frames)


def test_a_cancelled_task_never_answers(host):
    host.needs("server_push")
    conn = mounted(host)
    conn.send(event(1, "start_report", delay=0.3))
    assert "report: cancelled" in texts(conn.send(event(2, "cancel_report")))
    assert "done" not in texts(conn.wait_pushed(1, timeout=0.3 + QUIET))


def test_a_background_handler_patches_the_page_when_it_finishes(host):
    conn = mounted(host)
    frames = conn.send(event(1, "crunch", n=5))
    if host.supports("server_push"):
        frames = until(conn, frames, "crunched 5")
    assert "crunched 5" in texts(frames)


def test_a_live_component_subscribes_in_its_mount_and_handles_its_messages(host):
    host.needs("server_push")
    conn = mounted(host, "/contract/news/")
    host.broadcast("headlines", "news", {"text": "extra extra"})
    frames = until(conn, [], "extra extra")
    # Only the component subscribed: the view's handle_info was not called.
    assert "heard it too" not in texts(frames)


def test_what_a_view_started_ends_when_live_redirect_replaces_it(host):
    host.needs("server_push")
    host.needs("in_place_navigation")
    conn = mounted(host)
    until(conn, conn.send(event(1, "every", ms=20)), "ticks: 1")
    conn.follow("/contract/counter/")
    conn.wait_pushed(10, timeout=0.1)
    host.broadcast("room", "said", {"text": "gone?"})
    assert conn.wait_pushed(1, timeout=QUIET) == []


@pytest.mark.parametrize("topic", ["", "x" * 513])
def test_a_topic_that_names_nothing_is_refused_at_the_call(topic):
    import djust

    with pytest.raises(ValueError, match="topic"):
        djust.broadcast(topic, "said", {})


# --- bad input -------------------------------------------------------------------------------


def test_a_broadcast_to_a_topic_nobody_follows_is_no_error(host):
    host.needs("server_push")
    conn = mounted(host)
    host.broadcast("nobody-listens-here", "said", {"text": "void"})
    assert conn.wait_pushed(1, timeout=QUIET) == []


def test_a_broadcast_from_a_thread_with_no_event_loop_arrives(host):
    host.needs("server_push")
    conn = mounted(host)
    host.broadcast("room", "said", {"text": "from a thread"}, thread=True)
    until(conn, [], "from a thread")


def test_a_subscriber_whose_handle_info_raises_recovers_and_the_others_get_the_message(host):
    host.needs("server_push")
    first, second = mounted(host), mounted(host)
    host.broadcast("room", "boom")
    for conn in (first, second):
        frames = conn.wait_pushed(2)
        errors = [f for f in frames if f["t"] == "error"]
        assert errors and errors[0]["code"] == "handler_error", frames
        assert "handle_info('boom')" in errors[0]["message"]
    host.broadcast("room", "said", {"text": "still here"})
    for conn in (first, second):
        until(conn, [], "still here")


def test_a_flood_of_broadcasts_to_a_slow_subscriber_is_bounded_and_counted(host):
    host.needs("server_push")
    conn = mounted(host)
    conn.send(event(1, "leave"))
    slow = mounted(host, "/contract/room/?topic=flood")
    before = host.server_state()
    # 10,000 messages at once, each taking the subscriber 5 ms: it cannot keep up.
    host.broadcast("flood", "slow", {"seconds": 0.005}, times=10_000)
    after = host.server_state()
    # Its mailbox is bounded: what did not fit was dropped and counted, not queued. (Under
    # Channels the channel layer bounds it, 100 messages a channel, and drops without a count.)
    if host.name != "channels":
        assert after["dropped"] - before["dropped"] > 8_000, (before, after)
    if "rss_kib" in after:
        assert after["rss_kib"] - before["rss_kib"] < 20_000, (before, after)
    # The slow session goes on answering once it has worked through what it took.
    deadline = time.monotonic() + 30
    while slow.wait_pushed(1000, timeout=0.5):
        assert time.monotonic() < deadline
    assert slow.send(event(1, "leave"))[0]["ref"] == 1


def test_a_timer_of_zero_fires_at_once_and_one_of_a_year_waits(host):
    host.needs("server_push")
    conn = mounted(host)
    until(conn, conn.send(event(1, "later", ms=0, text="now")), "note now")
    conn.send(event(2, "later_in_a_year"))
    assert conn.wait_pushed(1, timeout=QUIET) == []


def test_a_task_that_never_returns_is_cancelled_when_its_session_closes(host):
    host.needs("server_push")
    conn = mounted(host)
    seen = host.server_state()["forever"].count("cancelled")
    conn.send(event(1, "start_forever"))
    conn.close()
    deadline = time.monotonic() + 10
    while host.server_state()["forever"].count("cancelled") == seen:
        assert time.monotonic() < deadline, "the task outlived its session"
        time.sleep(0.05)
