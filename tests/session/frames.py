"""Building client frames and reading server frames, for the contract tests."""

from __future__ import annotations

import json
from typing import Any

Frame = dict[str, Any]


def event(ref: int, name: str, target: str | None = None, **params: Any) -> Frame:
    """An ``event`` frame as the client sends it."""
    return {"t": "event", "ref": ref, "name": name, "params": params, "target": target}


def kinds(frames: list[Frame]) -> list[str]:
    return [frame["t"] for frame in frames]


def text(frames: list[Frame] | Frame) -> str:
    """The frames as JSON: what a substring of their HTML is looked for in."""
    return json.dumps(frames)


def is_helpful(message: Any) -> bool:
    """A message a developer can act on: a sentence, not a bare code or exception name."""
    return (
        isinstance(message, str) and len(message.split()) >= 3 and any(c.isalpha() for c in message)
    )


def assert_error(frames: list[Frame], code: str, ref: int | None) -> Frame:
    """``frames`` is exactly one ``error`` frame with ``code`` and ``ref``; returns it."""
    assert kinds(frames) == ["error"], frames
    (error,) = frames
    assert error["code"] == code, error
    assert error.get("ref") == ref, f"the error should answer ref {ref!r}: {error}"
    assert is_helpful(error.get("message")), f"not a helpful message: {error.get('message')!r}"
    return error


def assert_patch(frames: list[Frame], ref: int | None, *shown: str) -> Frame:
    """``frames`` is exactly one ``patch`` answering ``ref`` whose patches put each of
    ``shown`` on the page."""
    assert kinds(frames) == ["patch"], frames
    (patch,) = frames
    assert patch.get("ref") == ref, patch
    assert isinstance(patch["patches"], list), patch
    for piece in shown:
        assert piece in text(patch["patches"]), (piece, patch)
    return patch
