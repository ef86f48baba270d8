"""What pages load: the client compacted by ``{% djust_scripts %}``, still valid and complete."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from djust.templatetags.djust_tags import CLIENT_JS, client_source, compact

NODE = shutil.which("node")


def test_compact_drops_comment_lines_and_indentation_only():
    source = (
        "/*\n * a block\n */\n"
        "  // a line comment\n"
        '    const url = "ws://" + host; // kept: not a whole line\n'
        "  /* inline */ call();\n"
        "  /** doc\n   * more */ after();\n"
        "\n"
        "  const re = /a\\/\\/b/;\n"
    )
    assert compact(source) == (
        'const url = "ws://" + host; // kept: not a whole line\n'
        "call();\n"
        "after();\n"
        "const re = /a\\/\\/b/;\n"
    )


@pytest.mark.parametrize(
    "source", ["const s = `\n// not a comment\n`;\n", "const s = 'a\\\n// b';\n"]
)
def test_compact_refuses_what_it_cannot_strip_safely(source):
    with pytest.raises(RuntimeError, match="cannot strip it safely|cannot strip safely"):
        compact(source)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_served_client_is_valid_and_exports_what_the_source_does(tmp_path):
    served = tmp_path / "served.js"
    served.write_text(client_source())
    source = tmp_path / "source.js"
    source.write_text(CLIENT_JS.read_text())
    script = (
        "const keys = (p) => Object.keys(require(p)).sort();"
        f"console.log(JSON.stringify([keys({str(source)!r}), keys({str(served)!r})]))"
    )
    result = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True)
    from_source, from_served = json.loads(result.stdout)
    assert from_source == from_served
    assert {"applyPatches", "hooks", "View", "MSG"} <= set(from_served)
    assert len(client_source()) < len(CLIENT_JS.read_text()) * 0.8
