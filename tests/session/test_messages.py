"""The contract, part 1: mount, event, ping, and the order of answers, on every host."""

from __future__ import annotations

from tests.session.frames import assert_patch, event, kinds, text


def test_mount_of_the_page_as_served_sends_no_html(host):
    page = host.get("/contract/counter/")
    conn = host.connect(page)
    frames = conn.mount()
    assert kinds(frames) == ["mounted"]
    assert frames[0].get("html") is None, "the page already shows this render"
    # Nor does the first event start the page over (the HTTP fallback's first POST checks the
    # token's digest against its own render).
    assert_patch(conn.send(event(1, "increment")), 1, "Count: 1")


def test_mount_sends_the_html_when_its_render_differs_from_the_page(host):
    page = host.get("/contract/mounts/")
    conn = host.connect(page)
    frames = conn.mount()
    if not host.supports("mount_frames"):
        # Mounting is implicit: the first POST carries the token and finds the page stale.
        assert frames == [{"t": "mounted"}]
        frames = conn.send({"t": "ping", "ref": 1})
        assert kinds(frames) == ["mounted", "pong"]
    assert frames[0]["t"] == "mounted"
    assert "mount number" in frames[0]["html"]
    assert frames[0]["html"] not in page.html


def test_a_reconnect_always_gets_the_html(host):
    host.needs("reconnect")
    page = host.get("/contract/counter/?start=3")
    conn = host.connect(page)
    frames = conn.mount(reconnect=True)
    assert kinds(frames) == ["mounted"]
    assert "Count: 3" in frames[0]["html"]
    assert_patch(conn.send(event(1, "increment")), 1, "Count: 4")


def test_a_reconnect_at_a_patched_url_mounts_there(host):
    host.needs("reconnect")
    page = host.get("/contract/paged/?page=1")
    conn = host.connect(page)
    frames = conn.mount(reconnect=True, url="/contract/paged/?page=5")
    assert kinds(frames) == ["mounted"]
    assert "page 5 of all" in frames[0]["html"]


def test_an_event_answers_a_patch_with_its_ref_and_coerced_params(host):
    conn = host.connect(host.get("/contract/counter/"))
    conn.mount()
    assert_patch(
        conn.send(event(7, "add", amount="5", note="<b>hi</b>")),
        7,
        "Count: 5",
        "&lt;b&gt;hi&lt;/b&gt;",
    )
    assert_patch(conn.send(event(8, "add", amount=2)), 8, "Count: 7")


def test_ping_answers_pong_with_its_ref(host):
    conn = host.connect(host.get("/contract/counter/"))
    conn.mount()
    assert conn.send({"t": "ping", "ref": 5}) == [{"t": "pong", "ref": 5}]
    assert conn.send({"t": "ping", "ref": 0}) == [{"t": "pong", "ref": 0}]


def test_events_are_answered_strictly_in_order(host):
    conn = host.connect(host.get("/contract/counter/"))
    conn.mount()
    frames = conn.send_many([event(ref, "increment") for ref in range(1, 21)])
    assert kinds(frames) == ["patch"] * 20
    assert [frame["ref"] for frame in frames] == list(range(1, 21))
    for count, frame in enumerate(frames, start=1):
        assert f"Count: {count}" in text(frame["patches"]), frame
