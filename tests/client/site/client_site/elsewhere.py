"""A page whose client opens its socket where the server serves none (``DJUST_CLIENT_SOCKET_PATH``).

The socket's path is one setting (``LIVEVIEW_CONFIG['websocket_path']``) that both the page's
client and the server read: ``djust serve`` serves it wherever it points. So the page is
rewritten on its way out instead, and the server keeps its socket at ``/ws/live/``: the same
situation on every host, a socket that cannot be opened (a proxy that does not pass it, say).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from djust import config


class PointSocketElsewhere:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.served = f'data-ws-path="{config.get("websocket_path")}"'.encode()
        self.elsewhere = f'data-ws-path="{os.environ["DJUST_CLIENT_SOCKET_PATH"]}"'.encode()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            response.content = response.content.replace(self.served, self.elsewhere)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
