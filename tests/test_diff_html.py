"""djust.diff_html from Python: a JSON list of patches in the documented format."""

from __future__ import annotations

import json

import djust


def test_text_change_is_one_text_patch():
    patches = json.loads(djust.diff_html("<div><h1>Count: 0</h1></div>",
                                         "<div><h1>Count: 1</h1></div>"))
    assert patches == [["text", [0, 0, 0], "Count: 1"]]


def test_identical_html_needs_no_patch():
    html = "<ul><li>a</li><li>b</li></ul>"
    assert json.loads(djust.diff_html(html, html)) == []


def test_attribute_set_and_removed():
    patches = json.loads(djust.diff_html('<p class="a" id="x">t</p>', '<p class="b">t</p>'))
    assert sorted(patches) == sorted([["attr", [0], "class", "b"], ["rmattr", [0], "id"]])


def test_only_the_dj_root_region_is_diffed():
    old = '<html><body><nav>menu 1</nav><div dj-root><p>a</p></div></body></html>'
    new = '<html><body><nav>menu 2</nav><div dj-root><p>b</p></div></body></html>'
    assert json.loads(djust.diff_html(old, new)) == [["text", [0, 0], "b"]]


def test_text_is_escaped_in_html_patches():
    patches = json.loads(djust.diff_html("<div></div>", "<div><b>&lt;x&gt; &amp;</b></div>"))
    assert patches == [["html", [0], "<b>&lt;x&gt; &amp;</b>"]]
