"""Marking a component's rendered HTML with ``data-component-id``, so events find it.

The browser routes an event to the component whose ``data-component-id`` element encloses the
element that fired it. A template with one root element gets the attribute on that element (a
``<button>`` stays a ``<button>``); anything else is wrapped in a ``<div>`` with
``display: contents``, which does not change the layout.
"""

from __future__ import annotations

import functools
from html import escape
from html.parser import HTMLParser

ID_ATTRIBUTE = "data-component-id"

# Elements that never have an end tag.
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


class _TopLevel(HTMLParser):
    """Counts what sits at the top level of a fragment and where its first element starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.roots = 0
        self.other = False
        self.first: tuple[int, int] | None = None
        self.first_has_id = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.roots += 1
            if self.first is None:
                self.first = self.getpos()
                self.first_has_id = any(name == ID_ATTRIBUTE for name, _ in attrs)
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.roots += 1
            if self.first is None:
                self.first = self.getpos()
                self.first_has_id = any(name == ID_ATTRIBUTE for name, _ in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self.depth > 0:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == 0 and data.strip():
            self.other = True

    def handle_comment(self, data: str) -> None:
        if self.depth == 0:
            self.other = True


def _offset(html: str, line: int, column: int) -> int:
    """The string index of a (1-based line, 0-based column) position."""
    index = 0
    for _ in range(line - 1):
        index = html.index("\n", index) + 1
    return index + column


@functools.lru_cache(maxsize=1024)
def mark_root(html: str, component_id: str) -> str:
    """``html`` with ``data-component-id="component_id"`` on its single root element."""
    scan = _TopLevel()
    scan.feed(html)
    scan.close()
    attribute = f'{ID_ATTRIBUTE}="{escape(component_id)}"'
    if scan.roots == 1 and not scan.other and scan.first is not None:
        if scan.first_has_id:
            return html
        start = _offset(html, *scan.first)
        name_end = start + 1
        while name_end < len(html) and not (html[name_end].isspace() or html[name_end] in "/>"):
            name_end += 1
        return f"{html[:name_end]} {attribute}{html[name_end:]}"
    return f'<div {attribute} style="display:contents">{html}</div>'
