"""The diff's promise in a real browser: Chromium builds the old page, client.js applies the
server's patches, and the DOM equals Chromium's own parse of the new page — node for node, with
keyed nodes kept, typed values, toggled boxes, focus and caret surviving what did not change.
The server's own reading of each page (inline SVG and MathML, templates, CR LF line ends
included) is Chromium's too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import djust
from djust import _core
from tests.vdom import corpus

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
CLIENT = HERE.parents[1] / "python" / "djust" / "static" / "djust" / "client.js"
CHECK = (HERE / "patch_check.js").read_text()


def blank_page(page) -> None:
    """A blank page with the real client's internals at ``window.__djustInternals``: its source
    run as the CommonJS module the unit tests load (so it starts nothing), since a page's
    ``window.djust`` holds only the hooks registry."""
    page.set_content("<!DOCTYPE html><html><head><title>patches</title></head><body></body></html>")
    page.add_script_tag(
        content="(function (module) {\n"
        + CLIENT.read_text()
        + "\n;window.__djustInternals = module.exports;\n})({ exports: {} });"
    )
    assert page.evaluate("typeof window.__djustInternals.applyPatches") == "function"
    assert page.evaluate("Object.keys(window.djust || {})") == []


def run_cases(page, pairs: list[tuple[str, str]]) -> dict:
    # With each pair, the server's reading of both pages (the root's HTML, as it writes it).
    cases = [
        {
            "old": old,
            "new": new,
            "patches": json.loads(djust.diff_html(old, new)),
            "read": [_core.LiveTree(html).root_inner_html() for html in (old, new)],
        }
        for old, new in pairs
    ]
    return page.evaluate(CHECK, cases)


def explain(result: dict) -> str:
    lines = [f"{result['failed']} of {result['checked']} pairs failed; the first:"]
    for failure in result["failures"]:
        lines += [
            f"- case {failure['case']}: {failure['problems']}",
            f"  old:     {failure['old']}",
            f"  new:     {failure['new']}",
            f"  patches: {json.dumps(failure['patches'])}",
        ]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_pairs_patch_to_the_browsers_own_parse(page, seed):
    blank_page(page)
    result = run_cases(page, list(corpus.pairs(seed, 200)))
    assert result["failed"] == 0, explain(result)
    assert result["checked"] >= 190, f"only {result['checked']} of 200 pairs could be checked"


def rows(keys: list[int]) -> str:
    items = "".join(
        f'<li data-key="{k}"><input name="f{k}" value="v{k}"> row {k}</li>' for k in keys
    )
    return f"<!DOCTYPE html><html><body><ul dj-root>{items}</ul></body></html>"


@pytest.mark.parametrize("move_before", [True, False], ids=["moveBefore", "insertBefore"])
def test_typing_in_a_row_survives_the_rows_being_reordered(page, move_before):
    blank_page(page)
    if not move_before:
        # Browsers before Chrome 133 move nodes by re-inserting them, which blurs a field.
        page.evaluate("delete Element.prototype.moveBefore")
    page.evaluate(
        "html => document.body.append(new DOMParser()"
        ".parseFromString(html, 'text/html').querySelector('[dj-root]'))",
        rows([1, 2, 3, 4]),
    )
    page.click("input[name=f3]")
    page.keyboard.press("End")
    page.keyboard.type("abc")
    page.keyboard.press("ArrowLeft")
    patches = json.loads(djust.diff_html(rows([1, 2, 3, 4]), rows([4, 3, 2, 1])))
    assert [p[0] for p in patches] == ["move"] * 3
    page.evaluate(
        "patches => __djustInternals.applyPatches(document.querySelector('[dj-root]'), patches)",
        patches,
    )
    state = page.evaluate("""() => {
        const field = document.querySelector('input[name=f3]');
        return {focused: document.activeElement === field, value: field.value,
                caret: [field.selectionStart, field.selectionEnd],
                order: [...document.querySelectorAll('li')].map(li => li.dataset.key)};
    }""")
    assert state == {
        "focused": True,
        "value": "v3abc",
        "caret": [4, 4],
        "order": ["4", "3", "2", "1"],
    }
    page.keyboard.type("d")
    assert page.input_value("input[name=f3]") == "v3abdc"


def test_scroll_position_of_a_moved_element_is_kept(page):
    blank_page(page)
    box = (
        '<div data-key="{k}" style="height:50px;overflow:auto">'
        '<p style="height:500px">{k}</p></div>'
    )

    def page_of(keys: str) -> str:
        boxes = "".join(box.format(k=k) for k in keys)
        return f"<!DOCTYPE html><html><body><div dj-root>{boxes}</div></body></html>"

    page.evaluate(
        "html => document.body.append(new DOMParser()"
        ".parseFromString(html, 'text/html').querySelector('[dj-root]'))",
        page_of("ab"),
    )
    page.evaluate("document.querySelector('[data-key=a]').scrollTop = 120")
    patches = json.loads(djust.diff_html(page_of("ab"), page_of("ba")))
    page.evaluate(
        "patches => __djustInternals.applyPatches(document.querySelector('[dj-root]'), patches)",
        patches,
    )
    assert page.evaluate("document.querySelector('[data-key=a]').scrollTop") == 120
