"""Helpers for driving the bindings pages."""

from __future__ import annotations

# Records every WebSocket the page opens (window.__sockets), so tests can drop or inspect the
# connection: the client keeps its internals off window.djust.
RECORD_SOCKETS = """if (!window.__sockets) { window.__sockets = []; const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); } }; }"""


def open_live(page, url: str) -> None:
    """Load a bindings page and wait until its view is connected."""
    page.add_init_script(RECORD_SOCKETS)
    page.goto(url)
    page.wait_for_selector("[dj-connected]", timeout=10_000)


def wait_text(page, selector: str, text: str, timeout: int = 10_000) -> None:
    """Wait until the element's text, whitespace collapsed, is ``text``."""
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel);"
        " return el && el.textContent.replace(/\\s+/g, ' ').trim() === text; }",
        arg=[selector, text],
        timeout=timeout,
    )
