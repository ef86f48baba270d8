"""Binding event params to handler signatures (djust.params)."""

from __future__ import annotations

import pytest

from djust.exceptions import EventError
from djust.params import bind


def handler(
    count: int,
    ratio: float = 1.0,
    flag: bool = False,
    label: str = "",
    maybe: int | None = None,
    tags: list | None = None,
):  # noqa: UP007
    pass


def test_strings_from_the_dom_become_the_annotated_types():
    kwargs = bind(
        handler,
        "handler",
        {"count": "3", "ratio": "0.5", "flag": "true", "label": 7, "maybe": "4", "tags": ["a"]},
    )
    assert kwargs == {
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "label": "7",
        "maybe": 4,
        "tags": ["a"],
    }


def test_json_values_pass_through_and_none_fits_optional():
    kwargs = bind(handler, "handler", {"count": 3, "flag": False, "maybe": None})
    assert kwargs == {"count": 3, "flag": False, "maybe": None}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"count": "three"}, "parameter 'count' expects int, got 'three'"),
        ({"count": True}, "parameter 'count' expects int, got True"),
        ({"count": 1.5}, "parameter 'count' expects int, got 1.5"),
        ({"count": 1, "flag": "maybe"}, "parameter 'flag' expects bool, got 'maybe'"),
        ({"count": 1, "tags": "a,b"}, "parameter 'tags' expects"),
        ({}, "needs the parameter 'count'"),
    ],
)
def test_bad_params_name_handler_and_parameter(params, fragment):
    with pytest.raises(EventError) as info:
        bind(handler, "handler", params)
    assert info.value.code == "invalid_params"
    assert fragment in info.value.message
    assert info.value.message.startswith("handler()")


def test_extra_keys_go_to_kwargs_or_are_dropped():
    def with_kwargs(a: int, **kwargs):
        pass

    def without(a: int):
        pass

    assert bind(with_kwargs, "h", {"a": "1", "item_id": "9"}) == {"a": 1, "item_id": "9"}
    assert bind(without, "h", {"a": "1", "item_id": "9"}) == {"a": 1}
