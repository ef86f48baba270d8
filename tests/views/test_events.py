"""Events: only @event_handler methods run; parameters are coerced to their annotations; a bad
event is refused with an error naming the handler and parameter, and the state is kept."""

from __future__ import annotations

import datetime
import decimal

import pytest

from djust.exceptions import EventError
from djust.testing import LiveViewTestClient
from tests.views import live


@pytest.fixture
def types():
    return LiveViewTestClient(live.TypesView)


def test_click_sends_the_elements_data_params():
    counter = LiveViewTestClient(live.CounterView)
    counter.click("#add5")
    assert counter.text("#count") == "Count: 5"


@pytest.mark.parametrize(
    "name",
    [
        "reset",
        "mount",
        "__init__",
        "get_context_data",
        "_queue",
        "handle_params",
        "render_page",
        "nope",
        "count",
    ],
)
def test_only_marked_methods_are_callable(name):
    counter = LiveViewTestClient(live.CounterView)
    counter.click("#inc")
    with pytest.raises(EventError) as info:
        counter.event(name)
    assert info.value.code == "unknown_event"
    assert "@event_handler" in info.value.message
    assert counter.view.count == 1, "nothing ran"


def test_an_empty_handler_name_is_refused():
    counter = LiveViewTestClient(live.CounterView)
    counter.click("#inc")
    # The view refuses it as it refuses any name that is not a handler's ...
    with pytest.raises(EventError) as info:
        counter.view.handle_event("", {})
    assert info.value.code == "unknown_event" and "@event_handler" in info.value.message
    # ... and the wire refuses it before it reaches the view.
    with pytest.raises(EventError) as info:
        counter.event("")
    assert info.value.code == "invalid_field"
    assert counter.view.count == 1, "nothing ran"


def test_unknown_events_suggest_the_nearest_handler():
    counter = LiveViewTestClient(live.CounterView)
    with pytest.raises(EventError, match="Did you mean 'increment'"):
        counter.event("incremnt")


def test_scalars_are_coerced(types):
    types.event("scalars", n="3", ratio="0.5", flag="on", label=7)
    assert types.view.seen == {"n": 3, "ratio": 0.5, "flag": True, "label": "7"}
    types.event("scalars", n=4, ratio=2, flag=False, label="x")
    assert types.view.seen == {"n": 4, "ratio": 2.0, "flag": False, "label": "x"}


def test_containers_are_coerced_item_by_item(types):
    types.event("containers", ids=["1", 2], tags=["a"], opts={"x": "1"}, pair=["4", "four"])
    assert types.view.seen == {"ids": [1, 2], "tags": ["a"], "opts": {"x": 1}, "pair": (4, "four")}


def test_optional_and_none_defaults(types):
    types.event("optionals", a="2", b=None)
    assert types.view.seen == {"a": 2, "b": None, "c": None}
    types.event("optionals", c=None)
    assert types.view.seen == {"a": None, "b": 5, "c": None}
    types.event("optionals", a=None, c="given")
    assert types.view.seen == {"a": None, "b": 5, "c": "given"}


def test_dates_decimals_enums_and_literals(types):
    types.event("rich", when="2024-02-29", price="9.90", colour="green", size="2", mode="list")
    assert types.view.seen == {
        "when": datetime.date(2024, 2, 29),
        "price": decimal.Decimal("9.90"),
        "colour": live.Colour.GREEN,
        "size": live.Size.LARGE,
        "mode": "list",
    }
    types.event("rich", when="2024-01-01", price=3, colour="RED", size=1)
    assert types.view.seen["colour"] is live.Colour.RED
    assert types.view.seen["mode"] == "grid"


def test_unannotated_parameters_take_what_was_sent_and_extras_go_to_kwargs(types):
    types.event("untyped", anything=[1, "x"], item_id="9")
    assert types.view.seen == {"anything": [1, "x"], "other": "x", "kwargs": {"item_id": "9"}}


def test_extra_params_are_dropped_for_handlers_without_kwargs():
    counter = LiveViewTestClient(live.CounterView)
    counter.event("add", amount="2", item_id="9", note="n")
    assert counter.view.count == 2


def test_input_sends_value_to_dj_input_handlers():
    from djust import LiveView, event_handler

    class Search(LiveView):
        template_string = (
            '<input id="q" dj-input="search" data-scope="all"><p>{{ query }}|{{ scope }}</p>'
        )
        query = ""
        scope = ""

        @event_handler
        def search(self, value: str = "", scope: str = "", **kwargs):
            self.query, self.scope = value, scope

    view = LiveViewTestClient(Search)
    view.input("#q", "lamp")
    assert view.text("p") == "lamp|all"


@pytest.mark.parametrize(
    ("handler", "params", "fragments"),
    [
        (
            "scalars",
            {"n": "three", "ratio": 1, "flag": True, "label": ""},
            ["scalars()", "'n'", "expects int", "'three'"],
        ),
        (
            "scalars",
            {"n": 1, "ratio": "x", "flag": True, "label": ""},
            ["'ratio'", "expects float"],
        ),
        (
            "scalars",
            {"n": 1, "ratio": 1, "flag": "maybe", "label": ""},
            ["'flag'", "expects bool", "'maybe'"],
        ),
        (
            "scalars",
            {"n": True, "ratio": 1, "flag": True, "label": ""},
            ["'n'", "expects int", "True"],
        ),
        ("scalars", {"n": 1.5, "ratio": 1, "flag": True, "label": ""}, ["'n'", "1.5"]),
        ("scalars", {"n": 1, "ratio": 1, "flag": True, "label": ["x"]}, ["'label'", "expects str"]),
        (
            "scalars",
            {"ratio": 1, "flag": True, "label": ""},
            ["scalars() needs the parameter 'n'", "data-n"],
        ),
        ("containers", {"ids": "1,2"}, ["'ids'", "list[int]"]),
        ("containers", {"ids": ["1", "b"]}, ["'ids'", "list[int]"]),
        ("containers", {"ids": [], "opts": {"x": "y"}}, ["'opts'", "dict[str, int]"]),
        ("containers", {"ids": [], "pair": [1]}, ["'pair'", "tuple[int, str]"]),
        ("optionals", {"a": "x"}, ["'a'", "Optional[int]"]),
        ("rich", {"when": "yesterday", "price": 1, "colour": "red", "size": 1}, ["'when'", "date"]),
        (
            "rich",
            {"when": "2024-01-01", "price": "NaN", "colour": "red", "size": 1},
            ["'price'", "Decimal"],
        ),
        (
            "rich",
            {"when": "2024-01-01", "price": 1, "colour": "blue", "size": 1},
            ["'colour'", "Colour"],
        ),
        (
            "rich",
            {"when": "2024-01-01", "price": 1, "colour": "red", "size": 1, "mode": "map"},
            ["'mode'", "Literal"],
        ),
        ("slow_double", {"n": "x"}, ["slow_double()", "'n'"]),
    ],
)
def test_bad_params_are_refused_naming_handler_and_parameter(types, handler, params, fragments):
    types.event("scalars", n=1, ratio=1, flag=True, label="before")
    before = dict(types.view.seen)
    with pytest.raises(EventError) as info:
        types.send_event(handler, params)
    assert info.value.code == "invalid_params"
    for fragment in fragments:
        assert fragment in info.value.message
    assert types.view.seen == before, "the state is kept"


def test_huge_values_are_not_echoed_back_whole(types):
    with pytest.raises(EventError) as info:
        types.event("scalars", n="9" * 10_000 + "x", ratio=1, flag=True, label="")
    assert len(info.value.message) < 300


def test_params_must_be_a_mapping():
    counter = LiveViewTestClient(live.CounterView)
    with pytest.raises(EventError) as info:
        counter.view.handle_event("add", ["amount", 1])
    assert info.value.code == "invalid_params"


def test_async_handlers_run_to_completion(types):
    types.event("slow_double", n="21")
    assert types.view.seen == {"doubled": 42}
    assert "doubled" in types.html


def test_a_failing_handler_renders_its_changes_then_raises():
    counter = LiveViewTestClient(live.CounterView)
    with pytest.raises(RuntimeError, match="boom"):
        counter.event("explode")
    assert counter.text("#count") == "Count: 99"
    assert counter.patches == [["text", [1, 0], "Count: 99"]]
    counter.click("#inc")
    assert counter.text("#count") == "Count: 100"
