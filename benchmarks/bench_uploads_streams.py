"""Uploads and streams: a 50 MB file uploaded over a real socket, and a 10,000-item stream's memory.

Upload: the features test site (tests/features/site) under uvicorn + Channels; a client in this
process GETs the upload page, opens the socket with the page's cookie, mounts, declares a 50 MB
``.bin`` file and sends it as binary chunks of 64 KB, one at a time, each waiting for its
``upload_ack`` (as the browser's uploads.js does). The same through ``LiveSession.handle_binary``
in-process shows what the socket adds.

Stream memory: a view streaming 10,000 items in ``mount``, rendered by a session; Python heap
(``tracemalloc``) at its peak while rendering, and retained afterwards next to the same view
streaming 10 items (what a view keeps once its items are rendered).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import struct
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "features" / "site"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402

from tests.livesupport import ServerProcess  # noqa: E402

SIZE = 50 * 1024 * 1024
CHUNK = 64 * 1024
REF = "bench0000000001"


def chunk_frame(offset: int, data: bytes) -> bytes:
    header = json.dumps({"entry": REF, "offset": offset}).encode()
    return struct.pack(">H", len(header)) + header + data


async def upload_over_socket(url: str) -> float:
    path = f"/upload/?chunk={CHUNK}&max={SIZE}"
    with urllib.request.urlopen(url + path) as response:
        html = response.read().decode()
        cookies = "; ".join(
            c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []
        )
    token = re.search(r'dj-view="([^"]+)"', html).group(1)
    ws_url = url.replace("http://", "ws://") + "/ws/live/"
    data = os.urandom(CHUNK)
    async with websockets.connect(
        ws_url, additional_headers={"Cookie": cookies, "Origin": url}, max_size=None
    ) as ws:
        await ws.send(json.dumps({"t": "mount", "token": token, "url": path}))
        await _until(ws, "mounted")
        entry = {"ref": REF, "name": "big.bin", "type": "", "size": SIZE}
        await ws.send(json.dumps({"t": "upload", "ref": 1, "name": "avatar", "entries": [entry]}))
        await _until(ws, "upload_ack")
        start = time.perf_counter()
        for offset in range(0, SIZE, CHUNK):
            await ws.send(chunk_frame(offset, data))
            ack = await _until(ws, "upload_ack")
            assert "error" not in ack["entries"][REF], ack
        return time.perf_counter() - start


async def _until(ws, kind: str) -> dict:
    while True:
        frame = json.loads(await ws.recv())
        if frame["t"] == kind:
            return frame
        assert frame["t"] != "error", frame


def upload_in_process() -> float:
    from djust import LiveView
    from djust.config import config
    from tests.streams.support import Socket

    class Big(LiveView):
        template_string = (
            '<div dj-view="{{ dj_view_id }}" dj-root>{% for e in uploads.f.entries %}'
            "{{ e.progress }}{% endfor %}</div>"
        )

        def mount(self, request, **kwargs):
            self.allow_upload("f", accept=[".bin"], max_file_size=SIZE, chunk_size=CHUNK)

    config.set("upload_max_session_bytes", SIZE)
    live = Socket(Big)
    live.session.accepts_binary = True
    entry = {"ref": REF, "name": "big.bin", "type": "", "size": SIZE}
    live.send({"t": "upload", "name": "f", "entries": [entry]})
    data = os.urandom(CHUNK)
    start = time.perf_counter()
    for offset in range(0, SIZE, CHUNK):
        live.session.handle_binary(chunk_frame(offset, data))
    elapsed = time.perf_counter() - start
    live.session.close()
    config.reset("upload_max_session_bytes")
    return elapsed


def stream_memory(items: int) -> tuple[int, int]:
    from djust import LiveView
    from tests.streams.support import Socket

    class Feed(LiveView):
        template_string = (
            '<div dj-view="{{ dj_view_id }}" dj-root><ul dj-stream="rows">'
            '{% for dom_id, row in streams.rows %}<li id="{{ dom_id }}">{{ row.text }}</li>'
            "{% endfor %}</ul></div>"
        )

        def mount(self, request, **kwargs):
            self.stream("rows", [{"id": i, "text": f"row number {i}"} for i in range(items)])

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    live = Socket(Feed)
    live.page = live.mounted = None  # what the browser received is not the server's
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert live.view is not None
    return peak - before, retained - before


def main() -> None:
    server = ServerProcess(
        "channels",
        ROOT / "tests" / "features" / "site",
        asgi="features_site.asgi:application",
        env={"DJANGO_DEBUG": "0", "PYTHONPATH": str(ROOT / "tests" / "features" / "site")},
        ready_path="/js/",
        log_name="bench-uploads",
    )
    server.start()
    try:
        socket_seconds = min(asyncio.run(upload_over_socket(server.url)) for _ in range(3))
    finally:
        server.close()
    local_seconds = min(upload_in_process() for _ in range(3))
    mb = SIZE / (1024 * 1024)
    print("## Uploads and streams\n")
    print(
        "A 50 MB file in 64 KB binary chunks, each waiting for its ack (best of 3), and the "
        "Python heap of a view streaming items in `mount` (see the script's docstring).\n"
    )
    print("| upload of 50 MB | seconds | MB/s |")
    print("| --- | ---: | ---: |")
    print(
        f"| over a socket (uvicorn + Channels) | {socket_seconds:.2f} | {mb / socket_seconds:.1f} |"
    )
    print(
        f"| `LiveSession.handle_binary`, in-process | {local_seconds:.2f} "
        f"| {mb / local_seconds:.1f} |"
    )
    print("\n| stream in `mount` | heap peak while rendering | heap kept by the view after |")
    print("| --- | ---: | ---: |")
    for items in (10, 10_000):
        peak, kept = stream_memory(items)
        print(f"| {items:,} items | {peak / 1024:,.0f} KB | {kept / 1024:,.0f} KB |")


if __name__ == "__main__":
    main()
