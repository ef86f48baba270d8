"""Rate limits: a connection's token bucket, connections per address, and the per-handler
@rate_limit, @throttle and @debounce, enforced by the server whatever the client does."""

from __future__ import annotations

import pytest

from djust import limits
from djust.config import config
from djust.limits import TokenBucket
from tests.security.test_auth import errors, kinds
from tests.session.adapters import Refused

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/security/limited/"


def events(name, n, start=1, **params):
    return [{"t": "event", "ref": start + i, "name": name, "params": params} for i in range(n)]


def counts(conn, host):
    """What the view says ran: count, shouts, scrolls, searches (via a fresh increment)."""
    frames = host.without_resync(conn.send(events("increment", 1, start=9_999)[0]))
    assert kinds(frames) == ["patch"], frames
    return frames


def test_the_token_bucket_refills_at_its_rate_up_to_its_burst():
    now = [0.0]
    bucket = TokenBucket(rate=2, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.5
    assert [bucket.take(), bucket.take()] == [True, False]
    now[0] += 100
    assert sum(bucket.take() for _ in range(10)) == 3, "never more than the burst"


def test_the_defaults_let_a_quick_user_through(socket_host):
    conn = socket_host.connect(socket_host.get(URL))
    conn.mount()
    frames = conn.send_many(events("increment", 150))
    assert kinds(frames) == ["patch"] * 150


def test_a_flooding_connection_is_refused_then_closed_and_others_go_on(socket_host):
    config.set("events_per_second", 5)
    config.set("event_burst", 10)
    flood = socket_host.connect(socket_host.get(URL))
    calm = socket_host.connect(socket_host.get(URL, socket_host.visitor()))
    flood.mount()
    calm.mount()
    frames = flood.send_many(events("increment", 30))
    assert kinds(frames)[:10] == ["patch"] * 10
    assert frames[10]["t"] == "error" and frames[10]["code"] == "server_error"
    assert frames[10]["ref"] == 11 and "events a second" in frames[10]["message"]
    session = getattr(flood, "session", None)
    if session is not None:
        assert session.close_code == limits.CLOSE_POLICY
        assert errors(flood.send(events("increment", 1)[0])) == ["not_mounted"]
    else:
        assert flood.closed_with == limits.CLOSE_POLICY
    assert kinds(calm.send(events("increment", 1)[0])) == ["patch"]


def test_pings_do_not_count(socket_host):
    config.set("event_burst", 2)
    config.set("events_per_second", 0.001)
    conn = socket_host.connect(socket_host.get(URL))
    conn.mount()
    pings = conn.send_many([{"t": "ping", "ref": i} for i in range(1, 50)])
    assert kinds(pings) == ["pong"] * 49
    assert kinds(conn.send_many(events("increment", 2))) == ["patch", "patch"]


def test_connections_per_address(socket_host):
    config.set("max_connections_per_address", 3)
    page = socket_host.get(URL)
    conns = [socket_host.connect(page) for _ in range(4)]
    answers = [conn.mount() for conn in conns]
    assert [kinds(a) for a in answers[:3]] == [["mounted"]] * 3
    assert errors(answers[3]) == ["server_error"]
    assert "too many connections" in answers[3][0]["message"]
    conns[0].close()
    assert kinds(socket_host.connect(page).mount()) == ["mounted"], "a freed slot is reusable"


def test_rate_limit_refuses_calls_beyond_its_rate_and_the_session_goes_on(host):
    conn = host.connect(host.get(URL))
    conn.mount()
    frames = []
    for event in events("shout", 5):
        frames.extend(host.without_resync(conn.send(event)))
    if host.name == "http":
        # Every POST is a fresh view: nothing to count per connection (see docs/security.md).
        assert kinds(frames) == ["patch"] * 5
        return
    assert kinds(frames) == ["patch", "patch", "error", "error", "error"]
    assert errors(frames) == ["server_error"] * 3
    assert "limited to 1 calls a second" in frames[2]["message"]
    assert "Count: 1" in str(counts(conn, host)), "the session goes on"


@pytest.mark.parametrize("name", ["scroll", "search"])
def test_throttle_and_debounce_drop_what_comes_faster(socket_host, name):
    conn = socket_host.connect(socket_host.get(URL))
    conn.mount()
    frames = conn.send_many(events(name, 10, value="x"))
    assert kinds(frames) == ["patch"] * 10, "dropped calls are answered, silently"
    assert sum(1 for f in frames if f["patches"]) == 3, "only the burst ran"
    assert [f for f in frames[3:] if f["patches"]] == []


def test_pacing_decorators_mark_the_handler_and_check_their_argument():
    from tests.testapp.security_views import LimitedView

    assert LimitedView.scroll._djust_throttle == 1.0
    assert LimitedView.search._djust_debounce == 1.0
    with pytest.raises(TypeError, match="positive number"):
        limits.throttle(0)
    with pytest.raises(TypeError, match="positive number"):
        limits.debounce("fast")  # type: ignore[arg-type]


def test_paced_handlers_tell_the_client_through_the_page():
    from djust.testing import LiveViewTestClient
    from tests.testapp.security_views import LimitedView

    class SearchBox(LimitedView):
        template_string = (
            '<input id="q" dj-input="search"><div id="s" dj-click="scroll">s</div>'
            '<input id="own" dj-input="search" dj-debounce="blur">'
            '<button id="b" dj-click="increment">+</button>'
        )

    page = LiveViewTestClient(SearchBox)
    assert page.find("#q").get("dj-debounce") == "1000"
    assert page.find("#s").get("dj-throttle") == "1000"
    assert page.find("#own").get("dj-debounce") == "blur", "the template's own choice stays"
    assert page.find("#b").get("dj-debounce") is None


def test_djust_serve_closes_a_flood_and_others_go_on(actor_host):
    """On djust serve a flood meets the actor's bounded mailbox first (events in flight: close
    1008, "too many messages"); a slower one meets the session's bucket, whose refusal the Python
    session answers. Either way the socket ends with 1008 and other sessions go on."""
    flood = actor_host.connect(actor_host.get(URL, actor_host.visitor()))
    calm = actor_host.connect(actor_host.get(URL, actor_host.visitor()))
    flood.mount()
    calm.mount()
    with pytest.raises(Refused) as refused:
        flood.send_many(events("increment", 1000))
    assert refused.value.status == limits.CLOSE_POLICY
    assert kinds(calm.send(events("increment", 1)[0])) == ["patch"]


def test_djust_serve_refuses_a_steady_flood_in_the_session(actor_host):
    """Sent in batches the mailbox takes, the bucket refuses: the error frame comes from the
    session, then the actor closes the socket with the code the session asked for."""
    import json

    from websockets.exceptions import ConnectionClosed

    flood = actor_host.connect(actor_host.get(URL, actor_host.visitor()))
    flood.mount()
    frames = []
    closed_with = None
    try:
        for start in range(1, 400, 10):
            for frame in events("increment", 10, start=start):
                flood.socket.send(json.dumps(frame))
            # Each event is answered by one frame: its patch, or the refusal.
            frames.extend(json.loads(flood.socket.recv(timeout=10)) for _ in range(10))
    except ConnectionClosed as closed:
        closed_with = closed.rcvd.code if closed.rcvd is not None else None
    first = kinds(frames).index("error")
    assert config.get("event_burst") <= first < 2 * config.get("event_burst")
    assert errors(frames[first : first + 1]) == ["server_error"]
    assert closed_with == limits.CLOSE_POLICY
