"""The values the corpus renders: every Python type templates commonly meet."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy


class Thing:
    """A plain object with attributes, a method, and a ``str()`` holding markup."""

    color = "red"

    def __init__(self, name: str) -> None:
        self.name = name

    def label(self) -> str:
        return f"thing {self.name}"

    def __str__(self) -> str:
        return f"<Thing {self.name}>"


class Html:
    """An object that renders itself as HTML (``__html__``)."""

    def __html__(self) -> str:
        return "<em>html</em>"

    def __str__(self) -> str:
        return "<em>str</em>"


UTC = datetime.UTC

VALUES: dict[str, Any] = {
    "none": None,
    "true": True,
    "false": False,
    "zero": 0,
    "one": 1,
    "neg": -7,
    "big": 1234567,
    "float": 3.14159,
    "half": 2.5,
    "round_float": 34.0,
    "tiny": 1e-7,
    "huge": 1e16,
    "inf": float("inf"),
    "empty": "",
    "text": "hello world",
    "html": "<b>Tom & 'Jerry'</b>",
    "safe": mark_safe("<i>ok</i>"),
    "num_str": "42",
    "float_str": "3.50",
    "neg_str": "-0.004",
    "multi": "line one\nline two\r\n\r\nline four",
    "unicode": "Ünïcödé straße ß",
    "spaces": "  a  b  ",
    "words": "The quick brown fox jumps over the lazy dog",
    "url": "https://example.com/a b?x=1&y=é",
    "list": [1, 2, 3],
    "strs": ["a", "<b>", "c"],
    "nested": ["a", ["b", ["c"]], "d"],
    "empty_list": [],
    "tuple": ("x", "y"),
    "dict": {"a": 1, "b": "<2>"},
    "dicts": [{"n": 2, "s": "b"}, {"n": 1, "s": "a"}, {"n": 3, "s": "c"}],
    "decimal": Decimal("1234.5678"),
    "decimal_int": Decimal("10"),
    "date": datetime.date(2024, 2, 29),
    "datetime": datetime.datetime(2024, 2, 29, 13, 5, 9, tzinfo=UTC),
    "time": datetime.time(9, 30),
    "lazy": gettext_lazy("Hello"),
    "thing": Thing("ada"),
    "html_obj": Html(),
}
