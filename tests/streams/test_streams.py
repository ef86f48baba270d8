"""Streams: items rendered once, sent in a ``stream`` frame, then forgotten by the server."""

from __future__ import annotations

import gc
import json
import re
import time
import tracemalloc

import pytest
from django.test import RequestFactory

from djust import LiveView, event_handler
from djust.streams import detach
from djust.testing import LiveViewTestClient
from tests.streams.support import Socket, of_type

pytestmark = pytest.mark.django_db


class Chat(LiveView):
    template_string = """{% load djust_tags %}{% djust_scripts %}
<div dj-view="{{ dj_view_id }}" dj-root>
<h1 id="n">{{ sent }} sent</h1>
<ul id="messages" dj-stream="messages" dj-viewport-bottom="older">
  {% for dom_id, m in streams.messages %}<li id="{{ dom_id }}">{{ m.text }}</li>{% endfor %}
</ul>
<p id="after">after</p>
</div>"""

    initial = 3

    def mount(self, request, **kwargs):
        self.sent = 0
        self.stream(
            "messages", [{"id": i, "text": f"m{i}"} for i in range(self.initial)], limit=-50
        )

    @event_handler
    def say(self, text: str, at: int = -1):
        self.sent += 1
        self.stream_insert("messages", {"id": 1000 + self.sent, "text": text}, at=at)

    def handle_info(self, event, payload):
        self.stream_insert("messages", payload)

    @event_handler
    def burst(self, count: int):
        self.stream("messages", [{"id": 5000 + i, "text": f"b{i}"} for i in range(count)])

    @event_handler
    def forget(self, id: int):
        self.stream_delete("messages", {"id": id})

    @event_handler
    def clear(self):
        self.stream("messages", [{"id": 9, "text": "fresh"}], reset=True)


def test_the_first_page_carries_the_items_and_the_session_tree_does_not():
    live = Socket(Chat)
    assert '<li id="messages-0">m0</li>' in live.page.html
    assert '<li id="messages-2">m2</li>' in live.page.html
    # The tree the server diffs against keeps the container empty.
    assert 'dj-viewport-bottom="older"></ul>' in live.session.root_html
    assert "messages-0" not in live.session.root_html
    mounted, streamed = live.mounted
    assert mounted["t"] == "mounted" and mounted.get("html") is None  # same page as the GET
    assert streamed == {
        "t": "stream",
        "streams": [
            {
                "name": "messages",
                "html": '<li id="messages-0">m0</li><li id="messages-1">m1</li>'
                '<li id="messages-2">m2</li>',
                "at": {"messages-0": -1, "messages-1": -1, "messages-2": -1},
                "deletes": [],
                "reset": False,
                "limit": -50,
            }
        ],
    }


def test_an_insert_sends_only_the_new_item_after_the_patch():
    live = Socket(Chat)
    frames = live.event("say", text="hello <b>", at=0)
    assert [f["t"] for f in frames] == ["patch", "stream"]
    assert frames[0]["patches"] == [["text", [1, 0], "1 sent"]]
    (update,) = frames[1]["streams"]
    assert update["html"] == '<li id="messages-1001">hello &lt;b&gt;</li>'
    assert update["at"] == {"messages-1001": 0}
    # Nothing else changed: no frame, and the stream's container never gets patches.
    assert [f["t"] for f in live.event("say", text="again")] == ["patch", "stream"]
    assert all(
        p[1][:1] != [3] for f in of_type(live.event("forget", id=1), "patch") for p in f["patches"]
    )


def test_delete_and_reset_travel_as_such():
    live = Socket(Chat)
    (update,) = of_type(live.event("forget", id=1), "stream")[0]["streams"]
    assert update["deletes"] == ["messages-1"] and update["html"] == ""
    (update,) = of_type(live.event("clear"), "stream")[0]["streams"]
    assert update["reset"] is True
    assert update["html"] == '<li id="messages-9">fresh</li>'


def test_the_view_holds_no_item_once_rendered():
    live = Socket(Chat)
    live.event("burst", count=500)
    stream = live.view.__dict__["_streams"]["messages"]
    assert stream.items == [] and stream.at == [] and stream.deletes == []
    assert "b499" not in live.session.root_html


class BigChat(Chat):
    initial = 10_000


class SmallChat(Chat):
    initial = 10


def _retained(cls) -> tuple[int, Socket]:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        live = Socket(cls)
        # What the browser received (the page, the frames) is not the server's to keep.
        live.page = live.mounted = None
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, live
    finally:
        tracemalloc.stop()


def test_memory_per_view_after_render_does_not_grow_with_the_stream():
    small, _keep_small = _retained(SmallChat)
    big, keep_big = _retained(BigChat)
    # 10,000 items of ~150 bytes each would be well over 1 MB if any copy were kept.
    assert big - small < 64 * 1024, (small, big)
    assert keep_big.view.__dict__["_streams"]["messages"].items == []


def test_a_thousand_inserts_a_second_each_answered_with_its_own_item():
    # A busy topic (pub/sub) inserting into the stream as fast as it can.
    live = Socket(Chat)
    start = time.perf_counter()
    for i in range(1000):
        frames = [json.loads(f) for f in live.session.handle_info("msg", {"id": i, "text": "t"})]
        assert [f["t"] for f in frames] == ["patch", "stream"]
        assert frames[1]["streams"][0]["html"] == f'<li id="messages-{i}">t</li>'
    elapsed = time.perf_counter() - start
    # The cost of one insert does not grow with the items already sent (a busy 2-core box).
    assert elapsed < 20, elapsed
    assert live.view.__dict__["_streams"]["messages"].items == []
    assert len(live.session.root_html) < 1000


def test_one_render_of_a_thousand_items_is_one_frame():
    live = Socket(Chat)
    frames = live.event("burst", count=1000)
    (stream,) = of_type(frames, "stream")
    assert stream["streams"][0]["html"].count("<li ") == 1000


def test_detach_finds_the_container_among_lookalikes():
    view = Chat()
    view.stream("messages", [{"id": 1, "text": "x"}])
    html = (
        '<div dj-root><ul title="a > b" dj-stream="messages"><li id="messages-1">'
        "<ul><li>nested</li></ul><script>if (a<ul) {}</script><!-- </ul> --></li></ul>"
        '<ul dj-stream="other"><li>kept</li></ul></div>'
    )
    kept, (command,) = detach(view, html)
    assert kept == (
        '<div dj-root><ul title="a > b" dj-stream="messages"></ul>'
        '<ul dj-stream="other"><li>kept</li></ul></div>'
    )
    assert command["streams"][0]["html"].endswith("<!-- </ul> --></li>")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda v: v.stream("bad name", []), "identifier"),
        (lambda v: v.stream("messages", [], limit=0), "never 0"),
        (lambda v: v.stream("messages", [], at=-2), "at="),
        (lambda v: v.stream("messages", [{"text": "no id"}]), "dom_id="),
        (lambda v: v.stream("messages", [{"id": 1}], dom_id=lambda i: "a b"), "without spaces"),
        (lambda v: v.stream_insert("nope", {"id": 1}), "self.stream"),
    ],
)
def test_mistakes_say_what_to_do_instead(call, message):
    with pytest.raises((ValueError, KeyError), match=message):
        call(Chat())


def test_over_the_http_fallback_the_stream_frame_follows_the_patch():
    factory = RequestFactory()
    view = Chat.as_live_view()
    page = view(factory.get("/page/"))
    token = re.search(r'dj-view="([^"]+)"', page.content.decode()).group(1)
    body = {"t": "event", "ref": 1, "name": "say", "params": {"text": "hi"}, "target": None}
    post = factory.post(
        "/page/",
        data=json.dumps({**body, "token": token, "state": None}),
        content_type="application/json",
    )
    post.COOKIES = {name: morsel.value for name, morsel in page.cookies.items()}
    reply = json.loads(view(post).content)
    assert [f["t"] for f in reply["frames"]] == ["patch", "stream"], reply
    assert reply["frames"][1]["streams"][0]["html"] == '<li id="messages-1001">hi</li>'
    # The next POST starts from the snapshot: the mount's items are not sent again.
    post = factory.post(
        "/page/",
        data=json.dumps({**body, "ref": 2, "token": token, "state": reply["state"]}),
        content_type="application/json",
    )
    post.COOKIES = {name: morsel.value for name, morsel in page.cookies.items()}
    reply = json.loads(view(post).content)
    assert [f["t"] for f in reply["frames"]] == ["patch", "stream"], reply
    assert reply["frames"][1]["streams"][0]["at"] == {"messages-1002": -1}


def test_the_test_client_records_stream_updates():
    live = LiveViewTestClient(Chat)
    live.event("say", text="hi")
    assert live.stream_updates[-1]["html"] == '<li id="messages-1001">hi</li>'
