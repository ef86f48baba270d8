"""The test site's views: LiveViews whose handlers count, sleep, raise or grow, and plain HTTP
views that report what reached Django (headers, cookies, bodies, the process)."""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import time
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from djust import LiveView, event_handler
from djust.session import LiveSession

# --- what the process saw -------------------------------------------------------------------

_lock = threading.Lock()
_finished = 0
_stream_closed: set[str] = set()


def count_finished(**_kwargs: Any) -> None:
    """``request_finished``: fires when the server calls the WSGI response's ``close()``."""
    global _finished
    with _lock:
        _finished += 1


def finished(request: HttpRequest) -> JsonResponse:
    with _lock:
        return JsonResponse({"finished": _finished})


def stats(request: HttpRequest) -> JsonResponse:
    """Live Python sessions and views of this process (after a collection), and its pid."""
    gc.collect()
    objects = gc.get_objects()
    sessions = sum(1 for o in objects if isinstance(o, LiveSession))
    views = sum(1 for o in objects if isinstance(o, SiteView))
    return JsonResponse({"sessions": sessions, "views": views, "pid": os.getpid()})


def pid(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(os.getpid()), content_type="text/plain")


# --- plain HTTP ------------------------------------------------------------------------------


def echo(request: HttpRequest) -> JsonResponse:
    """The request's headers (as Django's META) and cookies."""
    headers = {k: v for k, v in request.META.items() if k.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if key in request.META:
            headers[key] = request.META[key]
    return JsonResponse(
        {
            "method": request.method,
            "path": request.path,
            "query": request.META.get("QUERY_STRING", ""),
            "headers": headers,
            "cookies": dict(request.COOKIES),
        }
    )


@csrf_exempt
def form(request: HttpRequest) -> JsonResponse:
    """Reads the form data (Django refuses it with 400 above DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return JsonResponse({"fields": len(request.POST), "bytes": len(request.body)})


@csrf_exempt
def upload(request: HttpRequest) -> JsonResponse:
    """What arrived of a multipart upload: each file's name, size and SHA-256, the fields."""
    files = {
        name: {
            "name": f.name,
            "size": f.size,
            "sha256": hashlib.sha256(f.read()).hexdigest(),
            "content_type": f.content_type,
        }
        for name, f in request.FILES.items()
    }
    return JsonResponse({"files": files, "fields": dict(request.POST.items())})


@csrf_exempt
def body(request: HttpRequest) -> JsonResponse:
    """The raw body's size and SHA-256 (a body that is not form data)."""
    data = request.body
    return JsonResponse({"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})


def stream(request: HttpRequest) -> StreamingHttpResponse:
    """``first`` at once, then ``pause`` seconds later ``last``."""
    pause = float(request.GET.get("pause", "2"))

    def chunks():
        yield b"first\n"
        time.sleep(pause)
        yield b"last\n"

    return StreamingHttpResponse(chunks(), content_type="text/plain")


def endless(request: HttpRequest) -> StreamingHttpResponse:
    """A chunk every 0.1 s for a minute; records in ``_stream_closed`` that it was closed."""
    name = request.GET.get("name", "")

    def chunks():
        try:
            for i in range(600):
                yield f"chunk {i}\n".encode()
                time.sleep(0.1)
        finally:
            with _lock:
                _stream_closed.add(name)

    return StreamingHttpResponse(chunks(), content_type="text/plain")


def stream_closed(request: HttpRequest) -> JsonResponse:
    with _lock:
        return JsonResponse({"closed": request.GET.get("name", "") in _stream_closed})


def sleep(request: HttpRequest) -> HttpResponse:
    """Answers after ``s`` seconds."""
    seconds = float(request.GET.get("s", "1"))
    time.sleep(seconds)
    return HttpResponse(f"slept {seconds}", content_type="text/plain")


def gate(request: HttpRequest) -> HttpResponse:
    """Holds its Python thread until the file named by ``path`` exists (at most 20 s)."""
    path = Path(request.GET["path"])
    deadline = time.monotonic() + 20
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return HttpResponse("released", content_type="text/plain")


# --- LiveViews -------------------------------------------------------------------------------


class SiteView(LiveView):
    """A counter whose handlers also sleep, raise, or render large text."""

    template_string = """
    <div>
        <p id="count">Count: {{ count }}</p>
        <p id="naps">Naps: {{ naps }}</p>
        <pre id="blob">{{ blob }}</pre>
    </div>
    """

    def mount(self, request, **kwargs):
        self.count = 0
        self.naps = 0
        self.blob = ""

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    def nap(self, seconds: float = 1.0):
        time.sleep(seconds)
        self.naps += 1

    @event_handler
    def boom(self):
        self.count += 1
        raise RuntimeError("boom")

    @event_handler
    def shout(self, size: int = 65536):
        """A large frame for little work: a ``push_event`` of ``size`` bytes."""
        self.naps += 0
        self.push_event("shout", {"data": "x" * size})

    @event_handler
    def grow(self, size: int = 32768):
        # Text that differs every time, so every answer is a large patch.
        self.count += 1
        self.blob = (hashlib.sha256(str(self.count).encode()).hexdigest() * (size // 64 + 1))[:size]
