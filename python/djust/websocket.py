"""``LiveViewConsumer``: djust over Django Channels (route ``ws/live/`` to it in ``asgi.py``).

The consumer is a thin host for :class:`~djust.session.LiveSession`: it builds the connection's
:class:`~djust.connection.Connection` from the scope, hands the session each text frame from a
worker thread (one at a time, so a view sees its events in order), and sends back what the
session answers. Messages the server starts reach the session through the channel layer: a
``{"type": "djust.info", "event": ..., "payload": {...}}`` sent to the consumer's channel calls
the view's ``handle_info``.

Importing this module reads no settings and touches no models, so ``asgi.py`` may import it
before setting ``DJANGO_SETTINGS_MODULE``.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from djust import _core
from djust.connection import Connection, with_fresh_db_connections
from djust.exceptions import MALFORMED_FRAME
from djust.session import LiveSession

# Close codes in the 4000-4999 range are free for applications.
CLOSE_FORBIDDEN_ORIGIN = 4403


class LiveViewConsumer(AsyncWebsocketConsumer):
    """One browser socket serving one LiveView, frame by frame and in order."""

    async def connect(self) -> None:
        connection = await sync_to_async(Connection.from_scope)(
            self.scope, guard=with_fresh_db_connections
        )
        if not connection.origin_allowed:
            await self.close(code=CLOSE_FORBIDDEN_ORIGIN)
            return
        self.session = LiveSession(connection)
        self._handle_frame = sync_to_async(self.session.handle_frame)
        self._handle_info = sync_to_async(self.session.handle_info)
        await self.accept()

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.send(
                text_data=_core.frame_error(
                    None,
                    MALFORMED_FRAME,
                    "binary frames are not accepted here; send JSON text frames",
                )
            )
            return
        await self._send_all(await self._handle_frame(text_data))

    async def djust_info(self, message: dict[str, Any]) -> None:
        """A channel-layer message for the view's ``handle_info``."""
        await self._send_all(
            await self._handle_info(message["event"], message.get("payload") or {})
        )

    async def _send_all(self, frames: list[str]) -> None:
        for frame in frames:
            await self.send(text_data=frame)
