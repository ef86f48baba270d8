"""Shared fixtures: a page fetched over HTTP, and a socket to its LiveView."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from djust.websocket import LiveViewConsumer

TOKEN_RE = re.compile(r'dj-view="([^"]+)"')


def run_async(coroutine: Awaitable[None]) -> None:
    """Run ``coroutine`` to completion on a fresh event loop in its own thread.

    Its own thread, because Playwright's sync API (the browser tests, in the same session)
    keeps an event loop running in the main thread.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


@dataclass
class Page:
    """A LiveView page as the browser received it."""

    html: str
    token: str
    cookie: str


class Socket:
    """A test socket to ``LiveViewConsumer`` speaking JSON frames."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.communicator = communicator

    async def send(self, frame: Any) -> None:
        text = frame if isinstance(frame, str) else json.dumps(frame)
        await self.communicator.send_to(text_data=text)

    async def receive(self) -> dict[str, Any]:
        return json.loads(await self.communicator.receive_from(timeout=5))

    async def ask(self, frame: Any) -> dict[str, Any]:
        await self.send(frame)
        return await self.receive()

    async def mount(self, page: Page, **extra: Any) -> dict[str, Any]:
        return await self.ask({"t": "mount", "token": page.token, **extra})

    async def nothing_more(self) -> bool:
        return await self.communicator.receive_nothing(timeout=0.2)


@pytest.fixture
def fetch_page(client) -> Callable[[str], Page]:
    """GET a LiveView URL with Django's test client; returns its HTML, token and cookie."""

    def fetch(url: str) -> Page:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        html = response.content.decode()
        match = TOKEN_RE.search(html)
        assert match, "the page carries no dj-view token"
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
        return Page(html=html, token=match.group(1), cookie=cookie)

    return fetch


@pytest.fixture
def live_socket() -> Callable[..., None]:
    """Run ``scenario(socket)`` against a connected LiveViewConsumer, then disconnect."""

    def run(
        scenario: Callable[[Socket], Awaitable[None]], cookie: str = "", origin: str | None = None
    ) -> None:
        async def main() -> None:
            headers = [(b"host", b"testserver")]
            if cookie:
                headers.append((b"cookie", cookie.encode()))
            if origin:
                headers.append((b"origin", origin.encode()))
            communicator = WebsocketCommunicator(
                LiveViewConsumer.as_asgi(), "/ws/live/", headers=headers
            )
            connected, _ = await communicator.connect()
            assert connected, "the consumer refused the connection"
            try:
                await scenario(Socket(communicator))
            finally:
                await communicator.disconnect()

        run_async(main())

    return run


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.livesupport import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (own cookies); fails the test on console errors, page errors and
    failed requests."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg):
        # Failed loads are judged below by URL: a missing /favicon.ico is not the page's fault.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(msg.text)

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda err: problems.append(str(err)))
    yield page
    context.close()
    assert not problems, f"the browser reported errors: {problems}"
