"""The client's weight as pages load it: the core within 10 KB gzipped, served from a minified
copy that is current (``npm run minify`` made it from today's source, with the pinned terser)."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from djust.templatetags.djust_tags import CLIENT_JS, client_source, minified_header, served_script

NODE = shutil.which("node")
REPO = Path(__file__).resolve().parents[1]
TERSER = REPO / "node_modules" / "terser"
BUDGET = 10 * 1024
SCRIPTS = sorted(p for p in CLIENT_JS.parent.glob("*.js") if not p.name.endswith(".min.js"))


def test_the_core_as_pages_load_it_is_within_budget():
    served = client_source().encode("utf-8")
    size = len(gzip.compress(served, compresslevel=9))
    assert size <= BUDGET, f"client.js as served is {size:,} bytes gzipped, over {BUDGET:,}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_each_minified_copy_is_of_the_current_source(script):
    copy = script.with_name(script.stem + ".min.js")
    assert copy.exists(), f"{copy.name} is missing: run `npm run minify`"
    header = copy.read_text(encoding="utf-8").partition("\n")[0]
    assert header == minified_header(script.read_text(encoding="utf-8")), (
        f"{copy.name} is stale: run `npm run minify` after editing {script.name}"
    )
    assert served_script(script) == copy.read_text(encoding="utf-8").partition("\n")[2]


@pytest.mark.skipif(NODE is None or not TERSER.exists(), reason="node or terser not installed")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_committed_copy_is_what_the_pinned_minifier_makes(script):
    program = (
        "import { minified } from './tools/minify_client.mjs';"
        "import { readFileSync } from 'node:fs';"
        f"process.stdout.write(await minified(readFileSync({str(script)!r}, 'utf8')));"
    )
    made = subprocess.run(
        [NODE, "--input-type=module", "-e", program],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert made == script.with_name(script.stem + ".min.js").read_text(encoding="utf-8")


def test_a_stale_copy_is_not_served(tmp_path):
    source = tmp_path / "x.js"
    source.write_text("// comment\nconst a = 1;\n")
    (tmp_path / "x.min.js").write_text(minified_header("something else") + "\nWRONG\n")
    assert served_script(source) == "const a = 1;\n"
    (tmp_path / "x.min.js").write_text(minified_header(source.read_text()) + "\nconst a=1;\n")
    assert served_script(source) == "const a=1;\n"
