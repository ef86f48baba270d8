"""HTTP on ``djust serve``: what reaches Django (headers, cookies, bodies, uploads), what comes
back (streams, ``close()``), limits (Django's and the server's), static files that must not
leak, and a full Python pool shedding load."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import threading
import time
import urllib.parse
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.serve.conftest import ServeProcess

SITE_DIR = Path(__file__).resolve().parent / "site"
# The test site's SECRET_KEY: a response that contains it leaked the settings file.
SECRET_MARK = b"djust-serve-tests"
DJANGO_FORM_LIMIT = 64 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE
SERVER_BODY_LIMIT = 1024 * 1024  # LIVEVIEW_CONFIG['max_body_bytes']


def raw_request(server: ServeProcess, request: bytes, timeout: float = 10) -> tuple[int, bytes]:
    """Send ``request`` as is (no client-side path normalisation); the status and the raw
    response (headers and body), read until the server closes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, data


def get_raw(server: ServeProcess, target: str) -> tuple[int, bytes]:
    request = (
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n"
    ).encode()
    return raw_request(server, request)


def connection(server: ServeProcess, timeout: float = 10) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)


# --- what reaches Django --------------------------------------------------------------------


def test_request_headers_and_cookies_arrive_intact(server):
    conn = connection(server)
    conn.putrequest("GET", "/echo/?q=a%20b&x=%C3%A9&empty=", skip_accept_encoding=True)
    conn.putheader("X-Custom", 'some value; with=signs, and "quotes"')
    conn.putheader("X-Repeated", "one")
    conn.putheader("X-Repeated", "two")
    conn.putheader("X-Latin", "caf\xe9".encode("latin-1"))
    conn.putheader("Cookie", 'plain=1; with_equals=a=b=c; quoted="x y"')
    conn.putheader("Cookie", "second=2")
    conn.putheader("Authorization", "Bearer abc.def")
    conn.endheaders()
    answer = conn.getresponse()
    assert answer.status == 200
    seen = json.loads(answer.read())
    conn.close()
    headers = seen["headers"]
    assert seen["query"] == "q=a%20b&x=%C3%A9&empty="
    assert headers["HTTP_X_CUSTOM"] == 'some value; with=signs, and "quotes"'
    assert headers["HTTP_X_REPEATED"] in ("one,two", "one, two")
    assert headers["HTTP_X_LATIN"] == "caf\xe9"  # WSGI: the bytes as latin-1
    assert headers["HTTP_AUTHORIZATION"] == "Bearer abc.def"
    assert seen["cookies"] == {
        "plain": "1",
        "with_equals": "a=b=c",
        "quoted": "x y",
        "second": "2",
    }, headers.get("HTTP_COOKIE")


def test_a_post_body_and_its_headers_arrive_intact(server):
    body = os.urandom(50_000)
    conn = connection(server)
    conn.request("POST", "/body/", body=body, headers={"Content-Type": "application/octet-stream"})
    answer = conn.getresponse()
    assert answer.status == 200
    seen = json.loads(answer.read())
    conn.close()
    assert seen == {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def test_a_chunked_request_body_arrives_intact(server):
    body = os.urandom(30_000)
    conn = connection(server)
    conn.request(
        "POST",
        "/body/",
        body=iter([body[:10_000], body[10_000:25_000], body[25_000:]]),
        headers={"Content-Type": "application/octet-stream"},
        encode_chunked=True,
    )
    answer = conn.getresponse()
    seen = json.loads(answer.read())
    conn.close()
    assert answer.status == 200
    assert seen == {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def test_a_multipart_upload_arrives_intact(server):
    # Larger than Django's form limit: files do not count against it.
    files = {"first": os.urandom(300_000), "second": b"plain text\r\n--not-a-boundary\r\n"}
    boundary = "----djust-serve-test-boundary"
    parts = []
    for name, data in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n'
        "caf\u00e9 \u2713\r\n".encode()
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    conn = connection(server)
    conn.request(
        "POST",
        "/upload/",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    answer = conn.getresponse()
    text = answer.read()
    conn.close()
    assert answer.status == 200, text[:500]
    seen = json.loads(text)
    for name, data in files.items():
        assert seen["files"][name] == {
            "name": f"{name}.bin",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "content_type": "application/octet-stream",
        }
    assert seen["fields"] == {"note": "caf\u00e9 \u2713"}


# --- bodies over the limits -----------------------------------------------------------------


def test_form_data_over_djangos_limit_gets_djangos_400_and_the_server_goes_on(server):
    body = urllib.parse.urlencode({"field": "x" * (DJANGO_FORM_LIMIT + 1000)}).encode()
    conn = connection(server)
    conn.request(
        "POST", "/form/", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    answer = conn.getresponse()
    answer.read()
    conn.close()
    assert answer.status == 400
    assert server.get("/pid/") == (200, str(server.pid).encode())


def test_a_body_over_the_servers_limit_gets_413_before_django_sees_it(server):
    """LIVEVIEW_CONFIG['max_body_bytes'] (1 MiB in the test site) caps request bodies; a
    larger one is refused with 413 by the server (Django would answer 400)."""
    before = server.get_json("/finished/")["finished"]
    size = 2 * SERVER_BODY_LIMIT
    head = (
        f"POST /body/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {size}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head)
        try:
            sock.sendall(b"x" * size)
        except OSError:
            pass  # the server answered and closed before taking it all: fine
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else data[:100]
    assert status == 413, data[:300]
    # Django never ran for it (only this test's own /finished/ request finished since).
    assert server.get_json("/finished/")["finished"] == before + 1
    assert server.get("/pid/") == (200, str(server.pid).encode())


# --- responses ------------------------------------------------------------------------------


class Dechunker:
    """Reads an HTTP/1.1 response from a socket incrementally: headers, then the body's
    chunks (chunked transfer coding), decompressed when gzip."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.headers: dict[str, str] = {}
        self.status = 0
        self.inflate = None

    def _more(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buffer += data

    def read_head(self) -> None:
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        if self.headers.get("content-encoding") == "gzip":
            self.inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def next_chunk(self) -> bytes | None:
        """The next chunk's (decoded) bytes; None at the end of the body."""
        assert self.headers.get("transfer-encoding") == "chunked", self.headers
        while b"\r\n" not in self.buffer:
            self._more()
        size_line, self.buffer = self.buffer.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        while len(self.buffer) < size + 2:
            self._more()
        data, self.buffer = self.buffer[:size], self.buffer[size + 2 :]
        if size == 0:
            return None
        return self.inflate.decompress(data) if self.inflate else data


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_streaming_response_streams(server, encoding):
    """The first chunk arrives while the view is still producing the last (2 s later), with
    the encoding a browser asks for too."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(
            (
                f"GET /stream/?pause=2 HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Accept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        reader = Dechunker(sock)
        reader.read_head()
        assert reader.status == 200
        received = b""
        first_at = None
        while True:
            chunk = reader.next_chunk()
            if chunk is None:
                break
            received += chunk
            if first_at is None and b"first" in received:
                first_at = time.monotonic() - started
        total = time.monotonic() - started
    assert received == b"first\nlast\n", received
    assert total >= 2
    assert first_at is not None and first_at < 1.0, (
        f"the first chunk arrived after {first_at:.2f} s, with the last one "
        f"({reader.headers.get('content-encoding', 'identity')})"
    )


def test_close_is_called_on_every_response(server):
    """Django's request_finished fires (the WSGI response's close()) for plain and streaming
    responses, errors included."""

    def finished() -> int:
        return server.get_json("/finished/")["finished"]

    start = finished()
    assert server.get("/pid/")[0] == 200
    assert server.get("/no-such-page/")[0] == 404
    assert server.get("/stream/?pause=0")[0] == 200
    # Each /finished/ request finishes too: 3 requests above, and the first /finished/.
    deadline = time.monotonic() + 5
    while finished() < start + 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert finished() >= start + 4


def test_a_stream_the_client_drops_is_closed(server):
    name = f"drop-{os.getpid()}-{time.monotonic_ns()}"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET /endless/?name={name} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        reader = Dechunker(sock)
        reader.read_head()
        assert reader.next_chunk() == b"chunk 0\n"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.get_json(f"/stream-closed/?name={name}")["closed"]:
            break
        time.sleep(0.1)
    assert server.get_json(f"/stream-closed/?name={name}")["closed"], (
        "the generator of a stream whose client left was not closed within 10 s"
    )


# --- static files ---------------------------------------------------------------------------


def test_static_files_are_served(server):
    status, body = server.get("/static/hello.txt")
    assert (status, body) == (200, b"hello from the static route\n")


@pytest.mark.parametrize(
    "target",
    [
        "/static/../settings.py",
        "/static/../../serve/site/settings.py",
        "/static/%2e%2e/settings.py",
        "/static/%2E%2E/settings.py",
        "/static/..%2fsettings.py",
        "/static/..%2Fsettings.py",
        "/static/%2e%2e%2fsettings.py",
        "/static/.%2e/settings.py",
        "/static/%252e%252e/settings.py",
        "/static/%252e%252e%252fsettings.py",
        "/static/..%252fsettings.py",
        "/static/..\\settings.py",
        "/static/..%5csettings.py",
        "/static/hello.txt/../../settings.py",
        f"/static/{SITE_DIR}/settings.py",
        "/static/%2fetc%2fpasswd",
        "/static/..%00/settings.py",
        "/static/%c0%ae%c0%ae/settings.py",
        "/static/./../settings.py",
    ],
)
def test_path_traversal_on_the_static_route_finds_nothing(server, target):
    status, data = get_raw(server, target)
    assert status == 404, data[:300]
    assert SECRET_MARK not in data
    assert b"root:" not in data


def test_a_symlink_out_of_the_static_folder_is_not_followed(server):
    link = SITE_DIR / "static" / f"escape-{os.getpid()}.py"
    link.symlink_to(SITE_DIR / "settings.py")
    try:
        status, data = get_raw(server, f"/static/{link.name}")
    finally:
        link.unlink()
    assert status == 404, data[:300]
    assert SECRET_MARK not in data


# --- a full pool ----------------------------------------------------------------------------


def test_a_full_python_pool_sheds_with_503_and_retry_after(start_server, tmp_path):
    """--threads 1: one request holds the only Python thread; of many more at once, those past
    the bounded queue are answered 503 with Retry-After at once; the rest are served after."""
    server = start_server(args=["--threads", "1"])
    gate = tmp_path / "open"
    held = threading.Thread(target=server.get, args=(f"/gate/?path={gate}", 30))
    held.start()
    time.sleep(0.5)  # the only thread is taken
    # (status, Retry-After, when it was answered, how long it took)
    results: list[tuple[int, str | None, float, float]] = []
    lock = threading.Lock()
    started = time.monotonic()

    def one(_: int) -> None:
        conn = connection(server, timeout=40)
        sent = time.monotonic()
        try:
            conn.request("GET", "/pid/")
            answer = conn.getresponse()
            answer.read()
            now = time.monotonic()
            item = (answer.status, answer.getheader("Retry-After"), now - started, now - sent)
        except OSError as err:
            now = time.monotonic()
            item = (0, repr(err), now - started, now - sent)
        finally:
            conn.close()
        with lock:
            results.append(item)

    pool = ThreadPoolExecutor(max_workers=400)
    try:
        futures = [pool.submit(one, i) for i in range(400)]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with lock:
                if sum(1 for r in results if r[0] == 503) >= 100:
                    break
            time.sleep(0.1)
        # Static files need no Python: served while the pool is full.
        assert server.get("/static/hello.txt")[0] == 200
        released_at = time.monotonic() - started
        gate.touch()
        for future in futures:
            future.result(timeout=40)
    finally:
        gate.touch()
        pool.shutdown(wait=True)
        held.join(timeout=30)
    shed = [r for r in results if r[0] == 503]
    served = [r for r in results if r[0] == 200]
    others = [r for r in results if r[0] not in (200, 503)]
    assert not others, others[:5]
    assert shed, "no request was shed"
    assert all(r[1] is not None and r[1].isdigit() for r in shed), shed[:5]
    assert any(r[2] < released_at for r in shed), "no 503 while the pool was held"
    assert max(r[3] for r in shed) < 2, "a request waited before it was shed"
    assert served and all(r[2] >= released_at for r in served), "served while the pool was held"
    assert server.get("/pid/")[0] == 200
