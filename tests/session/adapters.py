"""The hosts a ``LiveSession`` runs under, behind one small interface, so that each contract test
(``tests/session/test_*.py``) is written once and runs against every host.

The interface::

    visitor = host.visitor()                        # a browser: its own cookie jar
    page = host.get(url, visitor=None)              # GET the page (Django's test Client; real
                                                    #   HTTP for a server in another process):
                                                    #   page.html, page.token, page.visitor
    conn = host.connect(page, visitor=None, origin=SAME_ORIGIN)

    conn.mount(reconnect=False, url=None, token=None) -> frames
    conn.send(frame: dict) -> frames       # every server frame that one client frame produced,
                                           # in order, parsed from JSON
    conn.send_many(frames) -> frames       # sent back to back before any reply is read
    conn.send_raw(text: str) -> frames     # a frame no client would send (not JSON, ...)
    conn.info(event, payload) -> frames    # a server-started update (the view's handle_info)
    conn.wait_pushed(count, timeout) -> frames  # frames the server sends unasked (broadcasts,
                                           # timers, task results): up to `count`, or what
                                           # came within `timeout` seconds
    host.broadcast(topic, event, payload, push=False)  # djust.broadcast / djust.push, called
                                           # in the server's process
    conn.follow(url) -> frames             # what the client does to go to another view in place
                                           # (after live_redirect, or a dj-navigate link)
    conn.close()

    host.supports(capability) -> bool
    host.needs(capability)                 # skips the test with the host's stated reason

A host that refuses a connection outright (a foreign ``Origin``) raises :class:`Refused` from
``connect`` or from the first call that reaches the server.

Capabilities (see :data:`CAPABILITIES`) are what a host cannot do *by its nature*; a host lacking
one states why, and a test that needs it is skipped with that reason, never silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import html as html_lib
import http.cookies
import itertools
import json
import re
import threading
import urllib.request
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.test import Client, RequestFactory

SAME_ORIGIN = "http://testserver"
TOKEN_RE = re.compile(r'dj-view="([^"]+)"')
TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

Frame = dict[str, Any]
RECEIVE_TIMEOUT = 10

CAPABILITIES = {
    "mount_frames": "takes `mount` frames (a socket's first message)",
    "reconnect": "has a connection to lose and reopen with `reconnect: true`",
    "server_push": "can send frames nobody asked for (pub/sub, timers, task results)",
    "direct_info": "lets a test call one chosen session's handle_info from outside",
    "in_place_navigation": "mounts another view over the same connection (`navigate`)",
    "posted_frames": "receives each frame as its own HTTP POST",
    "reads_oversize_frames": "reads a frame over the limit whole, then answers frame_too_large",
}


class Refused(Exception):
    """The host refused the connection itself: a WebSocket close code, or an HTTP status."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(f"refused with {status}: {detail[:300]}")
        self.status = status


class Visitor:
    """One browser: a cookie jar (Django's test Client, with CSRF checks as a browser meets
    them)."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={morsel.value}" for name, morsel in self.client.cookies.items())

    @property
    def csrf_token(self) -> str:
        morsel = self.client.cookies.get("csrftoken")
        return morsel.value if morsel is not None else ""


@dataclass
class Page:
    """A LiveView page as the browser received it."""

    url: str
    html: str
    token: str
    visitor: Visitor


def parse_frames(texts: Iterable[str]) -> list[Frame]:
    frames = []
    for text in texts:
        assert isinstance(text, str), f"a frame must be JSON text, got {type(text).__name__}"
        frame = json.loads(text)
        assert isinstance(frame, dict) and isinstance(frame.get("t"), str), text
        frames.append(frame)
    return frames


def root_inner_html(page_html: str) -> str:
    """The inner HTML of a served page's root, as a ``mounted`` frame would carry it."""
    from djust import _core

    return _core.LiveTree(page_html).root_inner_html()


def fetch_page(url: str, visitor: Visitor) -> Page:
    """GET a LiveView page as ``visitor``; its HTML and token."""
    response = visitor.client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    html = response.content.decode()
    match = TOKEN_RE.search(html)
    assert match, f"{url} carries no dj-view token"
    return Page(url=url, html=html, token=match.group(1), visitor=visitor)


class Host:
    """One way of serving a LiveSession to a browser."""

    name: ClassVar[str]
    # capability -> why this host cannot have it.
    lacks: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self._default_visitor: Visitor | None = None
        self._connections: list[Conn] = []

    # --- capabilities ----------------------------------------------------------------------

    def supports(self, capability: str) -> bool:
        assert capability in CAPABILITIES, capability
        return capability not in self.lacks

    def needs(self, capability: str) -> None:
        if not self.supports(capability):
            pytest.skip(f"{self.name} host: {self.lacks[capability]}")

    # --- pages ------------------------------------------------------------------------------

    def visitor(self) -> Visitor:
        return Visitor()

    def get(self, url: str, visitor: Visitor | None = None) -> Page:
        if visitor is None:
            if self._default_visitor is None:
                self._default_visitor = self.visitor()
            visitor = self._default_visitor
        return fetch_page(url, visitor)

    # --- connections ------------------------------------------------------------------------

    def connect(
        self, page: Page, visitor: Visitor | None = None, origin: str = SAME_ORIGIN
    ) -> Conn:
        conn = self._connect(page, visitor or page.visitor, origin)
        self._connections.append(conn)
        return conn

    def _connect(self, page: Page, visitor: Visitor, origin: str) -> Conn:
        raise NotImplementedError

    def limit_frames(self, size: int) -> None:
        """Refuse frames longer than ``size`` bytes (``max_frame_bytes``) for this test; the
        ``frame_limit`` fixture puts the limit back afterwards."""
        from djust.config import config

        config.set("max_frame_bytes", size)

    def without_resync(self, frames: list[Frame]) -> list[Frame]:
        """``frames`` without a leading ``mounted`` the host may send when it finds the browser
        showing something else than its render (only the HTTP fallback does, per POST)."""
        return frames

    def close(self) -> None:
        for conn in self._connections:
            conn.close()
        self._connections.clear()


class Conn:
    """One connection of one page to its host."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._refs = itertools.count(10_000)

    def next_ref(self) -> int:
        return next(self._refs)

    def mount(
        self, reconnect: bool = False, url: str | None = None, token: str | None = None
    ) -> list[Frame]:
        frame: Frame = {"t": "mount", "token": token or self.page.token}
        if reconnect:
            frame["reconnect"] = True
        if url is not None:
            frame["url"] = url
        return self.send(frame)

    def send(self, frame: Frame) -> list[Frame]:
        return self.send_many([frame])

    def send_many(self, frames: list[Frame]) -> list[Frame]:
        return self._exchange([json.dumps(frame) for frame in frames])

    def send_raw(self, text: str) -> list[Frame]:
        return self._exchange([text])

    def follow(self, url: str) -> list[Frame]:
        return self.send({"t": "navigate", "ref": self.next_ref(), "url": url})

    def info(self, event: str, payload: dict[str, Any]) -> list[Frame]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _exchange(self, texts: list[str]) -> list[Frame]:
        raise NotImplementedError


# --- the bare session: no host at all ----------------------------------------------------------


def visitor_request(visitor: Visitor, url: str) -> Any:
    """A GET of ``url`` as ``visitor``'s browser sends it, through the middleware a page GET
    runs (session from the session cookie, ``request.user``)."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    factory = RequestFactory()
    factory.cookies = visitor.client.cookies
    request = factory.get(url, headers={"host": "testserver", "origin": SAME_ORIGIN})
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    return request


def run_maybe_in_thread(work: Callable[[], None], thread: bool) -> None:
    if not thread:
        work()
        return
    worker = threading.Thread(target=work)
    worker.start()
    worker.join()


def origin_verdict(origin: str) -> bool:
    """What a socket host decides about a handshake's ``Origin`` (djust's own rule)."""
    from djust.socket_request import origin_allowed

    return origin_allowed({"headers": [(b"host", b"testserver"), (b"origin", origin.encode())]})


class SessionConn(Conn):
    def __init__(self, page: Page, visitor: Visitor, origin: str) -> None:
        super().__init__(page)
        from djust.connection import Connection
        from djust.services import LocalHost
        from djust.session import LiveSession

        request = visitor_request(visitor, page.url)
        self.services = LocalHost()
        connection = Connection.from_request(
            request, origin_allowed=origin_verdict(origin), services=self.services
        )
        self.session = LiveSession(connection)

    def _exchange(self, texts: list[str]) -> list[Frame]:
        frames: list[Frame] = []
        for text in texts:
            frames.extend(parse_frames(self.session.handle_frame(text)))
        return frames

    def info(self, event: str, payload: dict[str, Any]) -> list[Frame]:
        return parse_frames(self.session.handle_info(event, payload))

    def wait_pushed(self, count: int, timeout: float = RECEIVE_TIMEOUT) -> list[Frame]:
        """What the session's inbox holds, delivered; the session's clock moves on in steps of
        5 ms (timers) while real time passes for tasks, until ``count`` frames or ``timeout``."""
        import time

        frames: list[Frame] = []
        deadline = time.monotonic() + timeout
        while True:
            for kind, args in self.services.take():
                if kind == "published":
                    texts = self.session.handle_published(*args)
                elif kind == "timer":
                    texts = self.session.handle_timer(*args)
                elif kind == "async_result":
                    texts = self.session.handle_async_result(*args)
                else:
                    texts = list(args)
                frames.extend(parse_frames(texts))
            if len(frames) >= count or time.monotonic() > deadline:
                return frames
            self.services.advance(5)
            time.sleep(0.005)

    def close(self) -> None:
        self.session.close()
        self.services.close()


class SessionHost(Host):
    """``LiveSession(Connection.from_request(request))`` called directly: the session with no
    transport in between (``djust.services.LocalHost`` holds what the server sends unasked
    until the test takes it)."""

    def broadcast(
        self,
        topic: str,
        event: str,
        payload: dict[str, Any] | None = None,
        push: bool = False,
        times: int = 1,
        thread: bool = False,
    ) -> None:
        import djust

        def publish_all() -> None:
            for _ in range(times):
                (djust.push if push else djust.broadcast)(topic, event, payload)

        run_maybe_in_thread(publish_all, thread)

    def server_state(self) -> dict[str, Any]:
        """The serving process's pub/sub counters and never-ending tasks' fate."""
        from djust import pubsub
        from tests.testapp.pubsub_views import FOREVER

        return {**pubsub.stats(), "forever": list(FOREVER)}

    name = "session"
    lacks = {
        "posted_frames": "frames reach a socket session as messages, not POSTs; "
        "invalid_transport is only the HTTP fallback's answer to a POSTed mount",
    }

    def _connect(self, page: Page, visitor: Visitor, origin: str) -> Conn:
        return SessionConn(page, visitor, origin)


# --- Channels ----------------------------------------------------------------------------------


def recording_consumer(record: list[str]) -> Any:
    """``LiveViewConsumer`` that appends its channel name to ``record``, so the test can reach
    it through the channel layer (``djust.info`` messages)."""
    from djust.websocket import LiveViewConsumer

    class RecordingConsumer(LiveViewConsumer):
        async def websocket_connect(self, message: dict[str, Any]) -> None:
            record.append(self.channel_name)
            await super().websocket_connect(message)

    return RecordingConsumer


class EventLoopThread:
    """An event loop in its own thread (Playwright's sync API may hold the main thread's)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="contract-channels", daemon=True
        )
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


# A ping with a ref no test uses marks the end of a frame's answers: a connection answers its
# frames one at a time and in order, so everything before its pong answers what was sent before.
SENTINEL_REFS = itertools.count(2_000_000_000)


class ChannelsConn(Conn):
    def __init__(self, host: ChannelsHost, page: Page, visitor: Visitor, origin: str) -> None:
        super().__init__(page)
        self.loop = host.loop
        self.closed_with: int | None = None
        self.channel_names: list[str] = []
        headers = [(b"host", b"testserver"), (b"origin", origin.encode())]
        if visitor.cookie_header:
            headers.append((b"cookie", visitor.cookie_header.encode()))

        async def open_socket() -> tuple[Any, bool, Any]:
            from channels.testing import WebsocketCommunicator

            communicator = WebsocketCommunicator(
                recording_consumer(self.channel_names).as_asgi(),
                "/ws/live/",
                headers=headers,
            )
            connected, detail = await communicator.connect(timeout=RECEIVE_TIMEOUT)
            return communicator, connected, detail

        self.communicator, connected, detail = self.loop.run(open_socket())
        if not connected:
            raise Refused(detail, "the consumer closed the WebSocket handshake")

    async def _receive(self, timeout: float = RECEIVE_TIMEOUT) -> Frame | None:
        """The next frame, or ``None`` when the consumer closed the socket."""
        message = await self.communicator.receive_output(timeout)
        if message["type"] == "websocket.close":
            self.closed_with = message.get("code", 1000)
            return None
        assert message["type"] == "websocket.send", message
        assert message.get("text") is not None, f"a binary frame: {message!r}"
        return parse_frames([message["text"]])[0]

    async def _until_sentinel(self, frames: list[Frame]) -> list[Frame]:
        sentinel = next(SENTINEL_REFS)
        await self.communicator.send_to(text_data=json.dumps({"t": "ping", "ref": sentinel}))
        while True:
            frame = await self._receive()
            if frame is None or frame == {"t": "pong", "ref": sentinel}:
                return frames
            frames.append(frame)

    def _exchange(self, texts: list[str]) -> list[Frame]:
        if self.closed_with is not None:
            raise Refused(self.closed_with, "the consumer closed the socket")

        async def exchange() -> list[Frame]:
            for text in texts:
                await self.communicator.send_to(text_data=text)
            return await self._until_sentinel([])

        return self.loop.run(exchange())

    def info(self, event: str, payload: dict[str, Any]) -> list[Frame]:
        assert self.channel_names, "the consumer never told its channel name"

        async def push() -> list[Frame]:
            from channels.layers import get_channel_layer

            layer = get_channel_layer()
            await layer.send(
                self.channel_names[0], {"type": "djust.info", "event": event, "payload": payload}
            )
            # The layer's messages and the socket's are two queues: wait until this message is
            # being answered before the sentinel goes out behind it.
            first = await self._receive(timeout=5)
            return await self._until_sentinel([first] if first is not None else [])

        return self.loop.run(push())

    def wait_pushed(self, count: int, timeout: float = RECEIVE_TIMEOUT) -> list[Frame]:
        async def gather() -> list[Frame]:
            frames: list[Frame] = []
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while len(frames) < count:
                left = deadline - loop.time()
                if left <= 0:
                    break
                # receive_output's own timeout would cancel the consumer: look first.
                if await self.communicator.receive_nothing(timeout=min(0.05, left)):
                    continue
                frame = await self._receive()
                if frame is None:
                    break
                frames.append(frame)
            return frames

        return self.loop.run(gather(), timeout=timeout + 5)

    def close(self) -> None:
        if self.communicator is None:
            return
        communicator, self.communicator = self.communicator, None
        try:
            self.loop.run(communicator.disconnect(), timeout=10)
        except Exception:  # noqa: BLE001 - a consumer that crashed has failed its test already
            pass


class ChannelsHost(Host):
    """``LiveViewConsumer`` under Channels' test communicator, with the page's cookies and a
    same-origin ``Origin``, as a browser opens it."""

    name = "channels"
    lacks = SessionHost.lacks

    def __init__(self) -> None:
        super().__init__()
        self.loop = EventLoopThread()

    def _connect(self, page: Page, visitor: Visitor, origin: str) -> Conn:
        return ChannelsConn(self, page, visitor, origin)

    def broadcast(
        self,
        topic: str,
        event: str,
        payload: dict[str, Any] | None = None,
        push: bool = False,
        times: int = 1,
        thread: bool = False,
    ) -> None:
        import djust

        if thread:
            # From a thread with no event loop, as a management command or a signal would.
            SessionHost.broadcast(self, topic, event, payload, push, times, thread=True)  # type: ignore[arg-type]
            return

        async def publish_all() -> None:
            for _ in range(times):
                await (djust.apush if push else djust.abroadcast)(topic, event, payload)

        # On the consumers' loop, as async code of the server would (the in-memory layer's
        # queues belong to that loop).
        self.loop.run(publish_all())

    server_state = SessionHost.server_state

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.loop.stop()


# --- the HTTP fallback -------------------------------------------------------------------------


class HttpConn(Conn):
    """The browser client's HTTP transport (``static/djust/client.js``, ``postNow``): each frame
    is a POST of ``{token, state, ...frame}`` to the URL the address bar shows, with the CSRF
    header; the reply's ``state`` goes with the next POST. There is no mount message: the client
    is live at once (the adapter's ``mount`` answers ``{"t": "mounted"}`` without a request) and
    every POST carries the token."""

    def __init__(self, page: Page, visitor: Visitor, origin: str) -> None:
        super().__init__(page)
        self.visitor = visitor
        self.origin = origin
        self.url = page.url
        self.token = page.token
        self.state: str | None = None

    def mount(
        self, reconnect: bool = False, url: str | None = None, token: str | None = None
    ) -> list[Frame]:
        assert not reconnect, "the HTTP fallback never reconnects: call host.needs('reconnect')"
        if token is not None:
            # A page load with that token: nothing carried over.
            self.token, self.state = token, None
        if url is not None:
            self.url = url
        return [{"t": "mounted"}]

    def send_many(self, frames: list[Frame]) -> list[Frame]:
        answers: list[Frame] = []
        for frame in frames:
            shown = self.url
            if frame.get("t") == "params" and isinstance(frame.get("url"), str):
                # dj-patch: the client pushes the URL to history, then POSTs to it.
                self.url = frame["url"]
            body = {"token": self.token, **({"state": self.state} if self.state else {}), **frame}
            replies = self._post(json.dumps(body))
            if any(f.get("t") == "error" and f.get("code") == "invalid_url" for f in replies):
                # The view does not serve that URL: the client puts the address bar back.
                self.url = shown
            answers.extend(replies)
        return answers

    def send_raw(self, text: str) -> list[Frame]:
        return self._post(text)

    def follow(self, url: str) -> list[Frame]:
        """Without a socket, going to another view is a page load: GET it, and start over with
        its token; the frame returned says what the browser then shows."""
        page = fetch_page(url, self.visitor)
        self.page, self.url, self.token, self.state = page, url, page.token, None
        found = TITLE_RE.search(page.html)
        title = html_lib.unescape(found.group(1)).strip() if found else None
        return [
            {
                "t": "mounted",
                "html": root_inner_html(page.html),
                "title": title,
                "token": page.token,
            }
        ]

    def info(self, event: str, payload: dict[str, Any]) -> list[Frame]:
        raise AssertionError(
            "the HTTP fallback has no server push: call host.needs('server_push') first"
        )

    def _post(self, body: str) -> list[Frame]:
        response = self.visitor.client.post(
            self.url,
            body,
            content_type="application/json",
            headers={"X-CSRFToken": self.visitor.csrf_token, "Origin": self.origin},
        )
        if response.status_code != 200:
            raise Refused(response.status_code, response.content.decode(errors="replace"))
        assert response["Content-Type"] == "application/json", response["Content-Type"]
        reply = json.loads(response.content)
        if reply.get("state"):
            self.state = reply["state"]
        frames = reply["frames"]
        assert isinstance(frames, list), reply
        for frame in frames:
            if frame.get("t") == "live_patch":
                self.url = frame["to"]
            if frame.get("t") == "mounted" and frame.get("token"):
                self.token = frame["token"]
        return frames


class HttpHost(Host):
    """The HTTP fallback: frames POSTed to the page's own URL."""

    name = "http"
    lacks = {
        "mount_frames": "the HTTP fallback takes no mount frames: every POST mounts the view "
        "afresh from the token it carries",
        "reconnect": "the HTTP fallback has no connection to lose, so it never reconnects",
        "server_push": "the HTTP fallback has no server push: a server-started update "
        "(handle_info) has no request to answer",
        "direct_info": "the HTTP fallback has no server push: a server-started update "
        "(handle_info) has no request to answer",
        "in_place_navigation": "the HTTP fallback answers navigate with redirect: without a "
        "socket, going to another view is a page load",
    }

    def _connect(self, page: Page, visitor: Visitor, origin: str) -> Conn:
        return HttpConn(page, visitor, origin)

    def without_resync(self, frames: list[Frame]) -> list[Frame]:
        if frames and frames[0].get("t") == "mounted" and "html" in frames[0]:
            return frames[1:]
        return frames


# --- djust serve: the actix server, a SessionActor per socket -----------------------------------


class RemoteVisitor(Visitor):
    """A browser of a server in another process: its cookies, sent with every request and with
    the socket's handshake as a browser sends them."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    @property
    def csrf_token(self) -> str:
        return self.cookies.get("csrftoken", "")

    def remember(self, set_cookies: Iterable[str]) -> None:
        for header in set_cookies:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header.strip())
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class ActorConn(Conn):
    """A real WebSocket to ``djust serve`` (``websockets``' synchronous client)."""

    def __init__(self, host: ActorHost, page: Page, visitor: RemoteVisitor, origin: str) -> None:
        from websockets.exceptions import InvalidStatus
        from websockets.sync.client import connect
        from websockets.typing import Origin

        super().__init__(page)
        self.closed_with: int | None = None
        self._stack = contextlib.ExitStack()
        headers = {"Cookie": visitor.cookie_header} if visitor.cookie_header else {}
        try:
            self.socket = self._stack.enter_context(
                connect(
                    host.server.url.replace("http://", "ws://") + host.websocket_path,
                    origin=Origin(host.server.url if origin == SAME_ORIGIN else origin),
                    additional_headers=headers,
                    open_timeout=RECEIVE_TIMEOUT,
                    close_timeout=2,
                    max_size=None,
                )
            )
        except InvalidStatus as refused:
            status = refused.response.status_code
            raise Refused(status, "the server refused the handshake") from None

    def _receive(self) -> Frame | None:
        """The next frame, or ``None`` when the server closed the socket."""
        from websockets.exceptions import ConnectionClosed

        try:
            message = self.socket.recv(timeout=RECEIVE_TIMEOUT)
        except ConnectionClosed as closed:
            self.closed_with = closed.rcvd.code if closed.rcvd is not None else 1006
            return None
        assert isinstance(message, str), f"a binary frame: {message!r}"
        return parse_frames([message])[0]

    def _exchange(self, texts: list[str]) -> list[Frame]:
        from websockets.exceptions import ConnectionClosed

        if self.closed_with is None:
            sentinel = next(SENTINEL_REFS)
            try:
                for text in [*texts, json.dumps({"t": "ping", "ref": sentinel})]:
                    self.socket.send(text)
            except ConnectionClosed:
                pass
            frames: list[Frame] = []
            while (frame := self._receive()) is not None:
                if frame == {"t": "pong", "ref": sentinel}:
                    return frames
                frames.append(frame)
        raise Refused(self.closed_with or 1006, "the server closed the socket")

    def info(self, event: str, payload: dict[str, Any]) -> list[Frame]:
        raise AssertionError(
            "djust serve runs in another process: call host.needs('direct_info') first"
        )

    def wait_pushed(self, count: int, timeout: float = RECEIVE_TIMEOUT) -> list[Frame]:
        import time

        from websockets.exceptions import ConnectionClosed

        frames: list[Frame] = []
        deadline = time.monotonic() + timeout
        while len(frames) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                message = self.socket.recv(timeout=left)
            except TimeoutError:
                break
            except ConnectionClosed as closed:
                self.closed_with = closed.rcvd.code if closed.rcvd is not None else 1006
                break
            frames.extend(parse_frames([message]))
        return frames

    def close(self) -> None:
        self._stack.close()


class ActorHost(Host):
    """``djust serve`` (``djust._core.Server``: actix, a ``SessionActor`` per socket driving the
    connection's ``LiveSession``) in a process of its own, spoken to as a browser does: pages over
    HTTP with the visitor's cookies, frames over a real WebSocket with a same-origin ``Origin``.

    ``servers(max_frame_bytes)`` answers a running server (``.url``) with that frame limit (the
    server reads ``LIVEVIEW_CONFIG`` once, at start)."""

    name = "actor"
    lacks = {
        **SessionHost.lacks,
        "direct_info": "djust serve runs in a process of its own: a test reaches its sessions "
        "through what they subscribed to (host.broadcast), not by calling one's handle_info",
        "reads_oversize_frames": "djust serve refuses a frame over the limit on its header and "
        "closes the socket with 1009, buffering nothing past the limit",
    }

    def __init__(self, servers: Callable[[int | None], Any]) -> None:
        super().__init__()
        self._servers = servers
        self.server = servers(None)
        self.websocket_path = "/ws/live/"

    def limit_frames(self, size: int) -> None:
        assert self._default_visitor is None and not self._connections, (
            "set the frame limit before the test's first page"
        )
        self.server = self._servers(size)

    def visitor(self) -> Visitor:
        return RemoteVisitor()

    def get(self, url: str, visitor: Visitor | None = None) -> Page:
        if visitor is None:
            if self._default_visitor is None:
                self._default_visitor = self.visitor()
            visitor = self._default_visitor
        assert isinstance(visitor, RemoteVisitor), visitor
        request = urllib.request.Request(self.server.url + url)
        if visitor.cookie_header:
            request.add_header("Cookie", visitor.cookie_header)
        with urllib.request.urlopen(request, timeout=RECEIVE_TIMEOUT) as response:
            assert response.status == 200, (url, response.status)
            visitor.remember(response.headers.get_all("Set-Cookie") or [])
            html = response.read().decode()
        match = TOKEN_RE.search(html)
        assert match, f"{url} carries no dj-view token"
        return Page(url=url, html=html, token=match.group(1), visitor=visitor)

    def _connect(self, page: Page, visitor: Visitor, origin: str) -> Conn:
        assert isinstance(visitor, RemoteVisitor), visitor
        return ActorConn(self, page, visitor, origin)

    def broadcast(
        self,
        topic: str,
        event: str,
        payload: dict[str, Any] | None = None,
        push: bool = False,
        times: int = 1,
        thread: bool = False,
    ) -> None:
        """``djust.broadcast`` inside the server's process: a plain Django view calls it."""
        body = json.dumps(
            {
                "topic": topic,
                "event": event,
                "payload": payload,
                "push": push,
                "times": times,
                "thread": thread,
            }
        )
        request = urllib.request.Request(
            self.server.url + "/contract/publish/",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200, response.status

    def server_state(self) -> dict[str, Any]:
        with urllib.request.urlopen(
            self.server.url + "/contract/pubsub-state/", timeout=RECEIVE_TIMEOUT
        ) as response:
            return json.loads(response.read())


HOSTS: dict[str, type[Host]] = {
    "session": SessionHost,
    "channels": ChannelsHost,
    "http": HttpHost,
    "actor": ActorHost,
}
