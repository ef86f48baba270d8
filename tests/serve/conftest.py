"""Fixtures for the server's own tests: a real ``djust serve`` process on a free loopback port,
started and stopped by the fixtures, and clients that speak to it the way browsers (and
misbehaving clients) do: pages fetched with their cookies, sockets through ``websockets``, and
raw sockets where a test must control every byte."""

from __future__ import annotations

import asyncio
import base64
import http.cookiejar
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parents[2]
SITE = "tests.serve.site"
SETTINGS = f"{SITE}.settings"
TOKEN_RE = re.compile(r'dj-view="([^"]+)"')
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_kib(pid: int) -> int:
    """The process's resident memory (``VmRSS``), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for pid {pid}")


def socket_fds(pid: int) -> int:
    """How many sockets the process holds open."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count


class ServeProcess:
    """One ``djust serve`` command run as a child process; its output is collected."""

    def __init__(
        self,
        settings: str = SETTINGS,
        args: Sequence[str] = (),
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.settings = settings
        self.command = [
            sys.executable, "-m", "djust.serve", "serve", "--settings", settings,
            "--bind", f"127.0.0.1:{self.port}", *args,
        ]  # fmt: skip
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._readers = [
            threading.Thread(target=self._collect, args=(self.process.stdout, self.stdout)),
            threading.Thread(target=self._collect, args=(self.process.stderr, self.stderr)),
        ]
        for reader in self._readers:
            reader.daemon = True
            reader.start()

    @staticmethod
    def _collect(stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/live/"

    def log(self) -> str:
        return "stdout:\n" + "\n".join(self.stdout) + "\nstderr:\n" + "\n".join(self.stderr)

    def wait_ready(self, announcements: int = 1, timeout: float = 30) -> ServeProcess:
        """Until ``announcements`` processes said where they serve and the port answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                time.sleep(0.2)  # let the readers take the last lines
                raise AssertionError(
                    f"djust serve exited with {self.process.returncode}\n{self.log()}"
                )
            ready = sum(1 for line in self.stdout if line.startswith("djust serve: http://"))
            if ready >= announcements:
                try:
                    with urllib.request.urlopen(self.base + "/pid/", timeout=5) as answer:
                        answer.read()
                    return self
                except (OSError, urllib.error.URLError):
                    pass
            time.sleep(0.05)
        raise AssertionError(f"djust serve did not start within {timeout} s\n{self.log()}")

    def wait_exit(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    # --- HTTP, the simple way -------------------------------------------------------------

    def get(self, path: str, timeout: float = 10) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def get_json(self, path: str) -> Any:
        status, data = self.get(path)
        assert status == 200, (status, data[:500])
        return json.loads(data)

    def page(self, path: str = "/live/") -> Page:
        """GET a LiveView page as a browser would: its token and the cookies it set."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(self.base + path, timeout=10) as answer:
            html = answer.read().decode()
        match = TOKEN_RE.search(html)
        assert match, f"no dj-view token in {path}:\n{html[:500]}"
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        return Page(html=html, token=match.group(1), cookie=cookie, origin=self.base)


@dataclass
class Page:
    """A LiveView page as the browser got it."""

    html: str
    token: str
    cookie: str
    origin: str


@pytest.fixture(scope="module")
def server() -> Iterator[ServeProcess]:
    """The test site served with the default options (one per test module)."""
    serve = ServeProcess().wait_ready()
    yield serve
    serve.stop()


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServeProcess]]:
    """Start a server of the test's own (other settings or options); stopped afterwards."""
    started: list[ServeProcess] = []

    def start(*args: Any, ready: int | None = 1, **kwargs: Any) -> ServeProcess:
        serve = ServeProcess(*args, **kwargs)
        started.append(serve)
        if ready:
            serve.wait_ready(ready)
        return serve

    yield start
    for serve in started:
        serve.stop()


# --- running coroutines ---------------------------------------------------------------------


def run(coroutine: Awaitable[T], timeout: float = 50) -> T:
    """Run ``coroutine`` on a fresh event loop in a thread of its own (the browser tests keep a
    loop in the main thread), at most ``timeout`` seconds."""

    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, timeout)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, bounded()).result()


# --- sockets through websockets -------------------------------------------------------------


def open_socket(server: ServeProcess, page: Page, **options: Any) -> Any:
    """``websockets`` connect to the server's socket with the page's cookies and origin."""
    options.setdefault("ping_interval", None)
    options.setdefault("close_timeout", 2)
    options.setdefault("open_timeout", 20)
    options.setdefault("compression", None)
    return connect(
        server.ws_url,
        origin=page.origin,
        additional_headers={"Cookie": page.cookie},
        **options,
    )


async def receive(ws: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def ask(ws: ClientConnection, frame: Any, timeout: float = 10) -> dict[str, Any]:
    await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
    return await receive(ws, timeout)


async def mount(ws: ClientConnection, page: Page) -> dict[str, Any]:
    answer = await ask(ws, {"t": "mount", "token": page.token})
    assert answer["t"] == "mounted", answer
    return answer


def event(ref: int, name: str, **params: Any) -> dict[str, Any]:
    return {"t": "event", "ref": ref, "name": name, "params": params, "target": None}


async def closed_with(ws: ClientConnection, timeout: float = 10) -> int | None:
    """Read (and drop) frames until the server closes the socket; its close code."""
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"the socket was not closed within {timeout} s")
            await asyncio.wait_for(ws.recv(), left)
    except ConnectionClosed:
        return ws.close_code
    except asyncio.TimeoutError:
        raise AssertionError(f"the socket was not closed within {timeout} s") from None


# --- raw sockets ----------------------------------------------------------------------------

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class Closed(Exception):
    """The server ended the TCP connection."""


class RawSocket:
    """A WebSocket client written by hand: every byte it sends is the test's choice, and it
    reads only when the test asks it to."""

    def __init__(
        self,
        server: ServeProcess,
        page: Page | None,
        rcvbuf: int | None = None,
        origin: bool = True,
    ) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", server.port))
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /ws/live/ HTTP/1.1",
            f"Host: 127.0.0.1:{server.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if page is not None:
            lines.append(f"Cookie: {page.cookie}")
            if origin:
                lines.append(f"Origin: {page.origin}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            data = self.sock.recv(4096)
            if not data:
                raise Closed("the server closed the connection during the handshake")
            self.buffer += data
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        assert b" 101 " in status, head.decode(errors="replace")

    # sending

    @staticmethod
    def frame(opcode: int, payload: bytes, fin: bool = True, length: int | None = None) -> bytes:
        """A masked client frame; ``length`` overrides the announced payload length."""
        n = len(payload) if length is None else length
        head = bytes([(0x80 if fin else 0) | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return head + mask + body

    def send(self, opcode: int, payload: bytes, fin: bool = True) -> None:
        self.sock.sendall(self.frame(opcode, payload, fin))

    def send_text(self, text: str | dict[str, Any]) -> None:
        data = text if isinstance(text, str) else json.dumps(text)
        self.send(OP_TEXT, data.encode())

    # receiving

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            data = self.sock.recv(65536)
            if not data:
                raise Closed("the server closed the connection")
            self.buffer += data
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv_frame(self, timeout: float = 10) -> tuple[int, bytes]:
        """The next frame (opcode, payload); raises ``Closed`` at the end of the stream."""
        self.sock.settimeout(timeout)
        first, second = self._read(2)
        opcode = first & 0x0F
        n = second & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self._read(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", self._read(8))
        assert not second & 0x80, "a server frame must not be masked"
        return opcode, self._read(n)

    def recv_json(self, timeout: float = 10) -> dict[str, Any]:
        """The next text frame, as JSON (pings are answered on the way)."""
        while True:
            opcode, payload = self.recv_frame(timeout)
            if opcode == OP_TEXT:
                return json.loads(payload)
            if opcode == OP_PING:
                self.send(OP_PONG, payload)
                continue
            if opcode == OP_CLOSE:
                raise AssertionError(f"closed instead of a text frame: {close_code(payload)}")

    def close_code(self, timeout: float = 10) -> int | None:
        """Read frames until a close frame: its code (None when the stream ends without one)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no close within {timeout} s")
            try:
                opcode, payload = self.recv_frame(left)
            except Closed:
                return None
            except TimeoutError:
                raise AssertionError(f"the socket was not closed within {timeout} s") from None
            if opcode == OP_CLOSE:
                return close_code(payload)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def close_code(payload: bytes) -> int | None:
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
