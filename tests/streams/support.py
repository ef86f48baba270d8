"""A LiveView driven in-process over a real LiveSession (socket) or the HTTP fallback, with
the raw frames it answers: what the streams and uploads tests need to look at."""

from __future__ import annotations

import json
from typing import Any

from django.test import RequestFactory

from djust.connection import Connection
from djust.lifecycle import mount_view
from djust.page import first_render
from djust.routes import Route
from djust.session import LiveSession


class Socket:
    """``cls`` loaded as a browser does (the first GET), then mounted over a new session."""

    def __init__(self, cls: type, path: str = "/page/") -> None:
        factory = RequestFactory()
        self.route = Route(cls, {}, {})
        request = factory.get(path)
        self.page = first_render(mount_view(cls, request, {}), request)
        self.session = LiveSession(
            Connection(
                visitor=self.page.visitor,
                make_request=lambda p, q: factory.get(p + ("?" + q if q else "")),
                resolve=lambda p: self.route,
            )
        )
        self._ref = 0
        self.mounted = self.send({"t": "mount", "token": self.page.token, "url": path})

    def send(self, frame: dict[str, Any]) -> list[dict[str, Any]]:
        if frame["t"] != "mount":
            self._ref += 1
            frame = {"ref": self._ref, **frame}
        return [json.loads(f) for f in self.session.handle_frame(json.dumps(frame))]

    def event(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self.send({"t": "event", "name": name, "params": params, "target": None})

    @property
    def view(self) -> Any:
        return self.session.view


def of_type(frames: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [f for f in frames if f["t"] == kind]
