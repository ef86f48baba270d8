"""The security suite's hosts: the contract suite's, minus ``djust serve`` (see ``SOCKET_HOSTS``).

The actor host runs in another process on a database of its own, where these tests' users do
not exist; the rules checked here live in the Python session, which that host drives too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from djust.config import config
from tests.session.adapters import (
    RECEIVE_TIMEOUT,
    ActorHost,
    ChannelsConn,
    ChannelsHost,
    Conn,
    Host,
    HttpHost,
    Page,
    Refused,
    SessionHost,
    Visitor,
    recording_consumer,
)
from tests.session.conftest import actor_servers  # noqa: F401 (the actor host's fixture)


class AuthChannelsConn(ChannelsConn):
    """A socket through Channels' ``AuthMiddlewareStack``, as the README's ``asgi.py`` routes it:
    the scope knows the session and the user."""

    def __init__(self, host: ChannelsHost, page: Page, visitor: Visitor, origin: str) -> None:
        Conn.__init__(self, page)
        self.loop = host.loop
        self.closed_with = None
        self.channel_names = []
        headers = [(b"host", b"testserver"), (b"origin", origin.encode())]
        if visitor.cookie_header:
            headers.append((b"cookie", visitor.cookie_header.encode()))

        async def open_socket() -> tuple[Any, bool, Any]:
            from channels.auth import AuthMiddlewareStack
            from channels.testing import WebsocketCommunicator

            communicator = WebsocketCommunicator(
                AuthMiddlewareStack(recording_consumer(self.channel_names).as_asgi()),
                "/ws/live/",
                headers=headers,
            )
            communicator.scope["client"] = ("192.0.2.1", 50000)  # a browser's address
            connected, detail = await communicator.connect(timeout=RECEIVE_TIMEOUT)
            return communicator, connected, detail

        self.communicator, connected, detail = self.loop.run(open_socket())
        if not connected:
            raise Refused(detail, "the consumer closed the WebSocket handshake")


class AuthChannelsHost(ChannelsHost):
    def _connect(self, page: Page, visitor: Visitor, origin: str) -> Conn:
        return AuthChannelsConn(self, page, visitor, origin)


HOSTS = {"session": SessionHost, "channels": AuthChannelsHost, "http": HttpHost}
SOCKET_HOSTS = ("session", "channels")


@pytest.fixture(params=list(HOSTS))
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    serving = HOSTS[request.param]()
    try:
        yield serving
    finally:
        serving.close()


@pytest.fixture(params=SOCKET_HOSTS)
def socket_host(request: pytest.FixtureRequest) -> Iterator[Host]:
    serving = HOSTS[request.param]()
    try:
        yield serving
    finally:
        serving.close()


@pytest.fixture(autouse=True)
def reset_config() -> Iterator[None]:
    yield
    config.reset()


@pytest.fixture
def actor_host(actor_servers) -> Iterator[Host]:  # noqa: F811
    """``djust serve`` in its own process, on the contract suite's server (default limits)."""
    serving = ActorHost(actor_servers)
    try:
        yield serving
    finally:
        serving.close()
