"""``LiveViewConsumer``: djust over Django Channels (route ``ws/live/`` to it in ``asgi.py``).

Importing this module reads no settings and touches no models, so ``asgi.py`` may import it
before setting ``DJANGO_SETTINGS_MODULE``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from djust.socket_request import origin_allowed, request_from_scope

# Close codes in the 4000-4999 range are free for applications.
CLOSE_FORBIDDEN_ORIGIN = 4403


class LiveViewConsumer(AsyncWebsocketConsumer):
    """One browser socket serving one LiveView, frame by frame and in order."""

    async def connect(self) -> None:
        if not await database_sync_to_async(origin_allowed)(self.scope):
            await self.close(code=CLOSE_FORBIDDEN_ORIGIN)
            return
        from djust.session import LiveSession
        from djust.tokens import visitor_for_scope

        self.session = LiveSession(
            make_request=lambda path, query: request_from_scope(self.scope, path, query),
            visitor=visitor_for_scope(self.scope),
        )
        self._handle = database_sync_to_async(self.session.handle_frame)
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None,
                      **kwargs: Any) -> None:
        if text_data is None:
            from djust import _core

            await self.send(text_data=_core.frame_error(
                None, "malformed_frame",
                "binary frames are not accepted here; send JSON text frames",
            ))
            return
        for frame in await self._handle(text_data):
            await self.send(text_data=frame)
