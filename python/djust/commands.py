"""What a view sends besides patches: ``push_event``, ``live_patch``, ``live_redirect`` and
``redirect``, queued by the view while it runs and sent after that run's patches.

A command is a small dict (``{"t": "push_event", "event": ..., "payload": ...}``); the view
queues them (``LiveView.push_event`` and friends) and the session turns them into frames with
:func:`command_frames`, in the order they were queued.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from djust import _core

PUSH_EVENT = "push_event"
LIVE_PATCH = "live_patch"
LIVE_REDIRECT = "live_redirect"
REDIRECT = "redirect"
# New items of the view's streams (djust.streams), after the patch of the render that cut them.
STREAM = "stream"

# Commands that move the browser to another URL: at the first GET they become an HTTP redirect.
NAVIGATIONS = frozenset({LIVE_PATCH, LIVE_REDIRECT, REDIRECT})


def queue(owner: Any, command: dict[str, Any]) -> None:
    """Queue ``command`` on the view ``owner``."""
    owner.__dict__.setdefault("_commands", []).append(command)


def drain(owner: Any) -> list[dict[str, Any]]:
    """The commands queued on ``owner`` since the last call, in order; the queue is emptied."""
    commands: list[dict[str, Any]] = owner.__dict__.get("_commands", [])
    owner.__dict__["_commands"] = []
    return commands


def payload_json(event: str, payload: Any) -> str:
    """A ``push_event`` payload as JSON text; raises ``TypeError`` naming what cannot be sent."""
    try:
        return json.dumps(payload or {}, cls=DjangoJSONEncoder)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"push_event({event!r}) payload cannot be sent as JSON ({err}). Instead, "
            f"push strings, numbers, booleans, lists and dicts."
        ) from None


def command_frames(commands: Iterable[dict[str, Any]], owner: str = "the view") -> list[str]:
    """The frames for ``commands`` (see :func:`drain`), in order."""
    frames = []
    for command in commands:
        kind = command.get("t")
        if kind == PUSH_EVENT:
            event = str(command.get("event"))
            payload = payload_json(event, command.get("payload"))
            frames.append(_core.frame_push_event(event, payload))
        elif kind == LIVE_PATCH:
            frames.append(_core.frame_live_patch(command["to"], bool(command.get("replace"))))
        elif kind == LIVE_REDIRECT:
            frames.append(_core.frame_live_redirect(command["to"], bool(command.get("replace"))))
        elif kind == REDIRECT:
            frames.append(_core.frame_redirect(command["to"]))
        elif kind == STREAM:
            frames.append(json.dumps(command, separators=(",", ":")))
        else:
            raise TypeError(f"{owner} queued an unknown command {command!r}")
    return frames
