"""Parse + diff time from Python, and patch bytes, for the VDOM's standard cases.

Each case is a pair of whole pages as a LiveView renders them (doctype, head with the inline
client, a ``dj-root`` region). Measured, interleaved, median of many runs:

- ``diff_html(old, new)``: parse both pages, diff;
- ``LiveTree.update(new)``: the session's path, which keeps the previous tree and parses only
  the new page;
- the original djust 1.2.6's ``diff_html`` (its Rust extension, loaded from the PyPI wheel),
  the straightforward parse-both-and-diff this replaces, when pip can fetch it.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from djust import _core

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "target" / "bench-cache"
CLIENT = (ROOT / "python" / "djust" / "static" / "djust" / "client.js").read_text()
ORIGINAL = "djust==1.2.6"


def page(content: str) -> str:
    """A whole page as djust renders one: head with the inline client, the root's content."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Bench</title>\n'
        f"<script data-djust-client>{CLIENT}</script>\n</head>\n<body>\n"
        f'<div dj-view="token" dj-root>{content}</div>\n</body>\n</html>\n'
    )


# An icon inlined as icon libraries ship them (Heroicons' "trash", outline).
ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 24" '
    'stroke-width="1.5" stroke="currentColor" class="icon" aria-hidden="true">'
    '<path stroke-linecap="round" stroke-linejoin="round" d="m14.74 9-.346 9m-4.788 0L9.26 '
    "9m9.968-3.21c.342.052.682.107 1.022.166m-1.022-.165L18.16 19.673a2.25 2.25 0 0 1-2.244 "
    "2.077H8.084a2.25 2.25 0 0 1-2.244-2.077L4.772 5.79m14.456 0a48.108 48.108 0 0 0-3.478-"
    ".397m-12 .562c.34-.059.68-.114 1.022-.165m0 0a48.11 48.11 0 0 1 3.478-.397m7.5 0v-.916c0"
    "-1.18-.91-2.164-2.09-2.201a51.964 51.964 0 0 0-3.32 0c-1.18.037-2.09 1.022-2.09 2.201v.916"
    'm7.5 0a48.667 48.667 0 0 0-7.5 0"/></svg>'
)


def row(i: int, name: str | None = None, icon: str = "") -> str:
    return (
        f'\n<tr data-key="{i}"><td>{i}</td><td class="name">{name or f"Item {i}"}</td>'
        f"<td>{i * 7 % 100}.{i % 10}0 &euro;</td>"
        f'<td><button dj-click="remove" data-id="{i}">{icon}Remove</button></td></tr>'
    )


def table(rows: list[str]) -> str:
    return (
        '<h1>Inventory</h1><table class="items"><thead><tr><th>#</th><th>Name</th>'
        f"<th>Price</th><th></th></tr></thead><tbody>{''.join(rows)}\n</tbody></table>"
    )


def cards(count: int, changed: set[int]) -> str:
    """About ten nodes per card; the cards in ``changed`` have new text."""
    out = []
    for i in range(count):
        note = "updated just now" if i in changed else f"{i % 60} minutes ago"
        out.append(
            f'\n<article class="card" id="c{i}"><h3>Card {i}</h3><p class="meta">'
            f'<span>{note}</span> · <a href="/c/{i}/">open</a></p>'
            f"<p>Body text for card {i}.</p></article>"
        )
    return "<main>" + "".join(out) + "\n</main>"


def cases() -> list[tuple[str, str, str, int]]:
    """(name, old page, new page, bytes of the content that changed)."""
    hundred = [row(i) for i in range(100)]
    changed = list(hundred)
    changed[50] = row(50, "Item 50 (sold)")
    with_icons = [row(i, icon=ICON) for i in range(100)]
    changed_with_icons = list(with_icons)
    changed_with_icons[50] = row(50, "Item 50 (sold)", icon=ICON)
    thousand = [row(i) for i in range(1000)]
    inserted = thousand[:500] + [row(5000)] + thousand[500:]
    five_hundred = 500  # cards of about ten nodes: a 5,000-node page
    one_percent = set(range(0, five_hundred, 10))
    return [
        (
            "one changed cell, 100-row table",
            page(table(hundred)),
            page(table(changed)),
            len("Item 50 (sold)"),
        ),
        (
            "the same, an inline SVG icon in every row",
            page(table(with_icons)),
            page(table(changed_with_icons)),
            len("Item 50 (sold)"),
        ),
        (
            "one keyed insert mid 1,000 rows",
            page(table(thousand)),
            page(table(inserted)),
            len(row(5000)),
        ),
        (
            "1,000 keyed rows reversed",
            page(table(thousand)),
            page(table(thousand[::-1])),
            math.ceil(math.log2(math.factorial(1000)) / 8),
        ),
        (
            "5,000-node page, 1% of text changed",
            page(cards(five_hundred, set())),
            page(cards(five_hundred, one_percent)),
            len("updated just now") * len(one_percent),
        ),
    ]


def original_djust() -> ModuleType | None:
    """The original djust's Rust extension, from its PyPI wheel (None when pip cannot get it)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    wheels = sorted(CACHE.glob("djust-1.2.6-*.whl"))
    if not wheels:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                ORIGINAL,
                "-d",
                str(CACHE),
            ],
            capture_output=True,
            timeout=300,
        )
        wheels = sorted(CACHE.glob("djust-1.2.6-*.whl"))
    if not wheels:
        return None
    unpacked = CACHE / "djust-1.2.6"
    if not unpacked.exists():
        with zipfile.ZipFile(wheels[0]) as wheel:
            members = [m for m in wheel.namelist() if m.startswith("djust/_rust")]
            wheel.extractall(unpacked, members)
    library = next(unpacked.glob("djust/_rust*.so"), None)
    if library is None:
        return None
    # Loaded as a module of its own: the rest of that package is not imported.
    spec = importlib.util.spec_from_file_location("djust._rust", library)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(function: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    return run


def timed_update(old: str, new: str) -> Callable[[], float]:
    """Times ``LiveTree.update(new)`` on a tree holding ``old`` (reset untimed each run)."""
    tree = _core.LiveTree(old)

    def run() -> float:
        tree.update(old)
        start = time.perf_counter()
        tree.update(new)
        return time.perf_counter() - start

    return run


def median_ms(runs: list[Callable[[], float]], repeat: int) -> list[float]:
    """The median time of each run, in ms, the runs interleaved."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for slot, run in zip(times, runs, strict=True):
            slot.append(run())
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    original = original_djust()
    print("## VDOM: parse + diff\n")
    print(
        "Whole pages as a LiveView renders them (doctype, head with the inline client, a "
        "`dj-root` region), timed from Python: `diff_html(old, new)` parses both pages and "
        "diffs; `LiveTree.update(new)` is the session's path, which keeps the previous tree. "
        "The original djust 1.2.6 (its Rust extension from the PyPI wheel) is the "
        "straightforward parse-both-and-diff this replaces. Medians of interleaved runs. "
        "In the second case every row's button holds an inline SVG icon as icon libraries "
        "ship them (Heroicons' trash, 0.6 KB): SVG is read by the same direct parser, and "
        "the 99 unchanged rows, icons included, are taken from the previous tree.\n"
    )
    header = "| case | page | djust `diff_html` | djust `LiveTree.update` |"
    rule = "| --- | ---: | ---: | ---: |"
    if original is not None:
        header += (
            " original djust `diff_html` | speed-up: `diff_html` vs original "
            "| speed-up: `update` vs original |"
        )
        rule += " ---: | ---: | ---: |"
    print(header)
    print(rule)
    sizes = []
    for name, old, new, least in cases():
        repeat = 60 if len(old) < 50_000 else 20
        runs = [timed(lambda old=old, new=new: _core.diff_html(old, new)), timed_update(old, new)]
        if original is not None:
            runs.append(timed(lambda old=old, new=new: original.diff_html(old, new)))
        timings = median_ms(runs, repeat)
        line = f"| {name} | {len(old) / 1024:,.0f} KB | {timings[0]:.3f} ms | {timings[1]:.3f} ms |"
        if original is not None:
            line += (
                f" {timings[2]:.3f} ms | {timings[2] / timings[0]:.1f}× "
                f"| {timings[2] / timings[1]:.1f}× |"
            )
        print(line)
        patches = json.loads(_core.diff_html(old, new))
        ours = json.dumps(patches, separators=(",", ":")).encode()
        theirs = original.diff_html(old, new).encode() if original is not None else None
        sizes.append((name, patches, ours, theirs, least))

    print("\n### Patch bytes\n")
    print(
        "The patch list as JSON (what the frame carries), gzipped as permessage-deflate "
        "would roughly send it, against the least that could describe the change: the "
        "changed content's bytes (new text, the inserted row's HTML) or, for a reversal, "
        "log2(1000!) bits.\n"
    )
    header = "| case | patches | bytes | gzipped | least | bytes / least |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
    if original is not None:
        header += " original: patches | original: bytes |"
        rule += " ---: | ---: |"
    print(header)
    print(rule)
    for name, patches, ours, theirs, least in sizes:
        line = (
            f"| {name} | {len(patches):,} | {len(ours):,} | {len(gzip.compress(ours)):,} | "
            f"{least:,} | {len(ours) / least:.1f} |"
        )
        if theirs is not None:
            line += f" {len(json.loads(theirs)):,} | {len(theirs):,} |"
        print(line)
    if original is None:
        print(f"\n(pip could not fetch {ORIGINAL}: the original djust is not compared.)")


if __name__ == "__main__":
    main()
