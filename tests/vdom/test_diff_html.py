"""djust.diff_html and _core.LiveTree from Python: JSON patches in the documented format."""

from __future__ import annotations

import json
import logging

import pytest

import djust
from djust import _core


def diff(old: str, new: str) -> list:
    return json.loads(djust.diff_html(old, new))


def test_text_change_is_one_text_patch():
    patches = diff("<div><h1>Count: 0</h1></div>", "<div><h1>Count: 1</h1></div>")
    assert patches == [["text", [0, 0, 0], "Count: 1"]]


def test_identical_html_needs_no_patch():
    html = "<ul><li>a</li><li>b</li></ul>"
    assert diff(html, html) == []


def test_attribute_set_and_removed():
    patches = diff('<p class="a" id="x">t</p>', '<p class="b">t</p>')
    assert patches == [["rmattr", [0], "id"], ["attr", [0], "class", "b"]]


def test_only_the_dj_root_region_is_diffed():
    old = "<html><body><nav>menu 1</nav><div dj-root><p>a</p></div></body></html>"
    new = "<html><body><nav>menu 2</nav><div dj-root><p>b</p></div></body></html>"
    assert diff(old, new) == [["text", [0, 0], "b"]]


def test_text_is_escaped_in_inserted_html():
    patches = diff("<div></div>", "<div><b>&lt;x&gt; &amp;</b></div>")
    assert patches == [["insert", [0, 0], "<b>&lt;x&gt; &amp;</b>"]]


def rows(keys: list[int]) -> str:
    return "<ul>" + "".join(f'<li data-key="{k}">row {k}</li>' for k in keys) + "</ul>"


def test_keyed_rows_move_instead_of_being_rebuilt():
    assert diff(rows([1, 2, 3]), rows([3, 1, 2])) == [["move", [0, 2], 0]]


def test_keyed_insert_and_remove():
    assert diff(rows([1, 3]), rows([1, 2, 3])) == [
        ["insert", [0, 1], '<li data-key="2">row 2</li>']
    ]
    assert diff(rows([1, 2, 3]), rows([1, 3])) == [["remove", [0, 1], 1]]


def test_duplicate_keys_are_logged_and_the_diff_stays_right(caplog):
    with caplog.at_level(logging.WARNING, logger="djust"):
        patches = diff(rows([1, 2]), rows([2, 2, 1]))
    assert any('the key "2" is on more than one child' in r.getMessage() for r in caplog.records), (
        caplog.text
    )
    assert "Instead of repeating a key" in caplog.text
    assert patches  # by position: still a valid patch list (the Rust properties prove it)


def test_live_tree_diffs_each_render_against_the_previous_one():
    tree = _core.LiveTree('<div dj-root><p data-key="a">1</p><p data-key="b">2</p></div>')
    assert json.loads(
        tree.update('<div dj-root><p data-key="b">2</p><p data-key="a">1</p></div>')
    ) == [["move", [1], 0]]
    assert json.loads(
        tree.update('<div dj-root><p data-key="b">2</p><p data-key="a">one</p></div>')
    ) == [["text", [1, 0], "one"]]
    assert tree.root_inner_html() == '<p data-key="b">2</p><p data-key="a">one</p>'


def test_a_live_tree_refuses_a_page_that_loses_its_root_and_keeps_going():
    tree = _core.LiveTree("<div dj-root><p>1</p></div>")
    with pytest.raises(_core.VdomError, match="Instead of rendering the `dj-root` element"):
        tree.update("<p>2</p>")
    assert json.loads(tree.update("<div dj-root><p>3</p></div>")) == [["text", [0, 0], "3"]]
