"""Bytes of the client runtime a page loads, raw and gzipped (level 9, as served)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from djust.templatetags.djust_tags import compact, served_script

STATIC = Path(__file__).resolve().parent.parent / "python" / "djust" / "static" / "djust"
# Reference points: what the original djust documents, and Livewire's bundle.
PEERS = [("original djust (documented)", 29 * 1024), ("Livewire (documented)", 50 * 1024)]
GOAL = 10 * 1024
SECTION = re.compile(r"^  /\* -+ (.+?) \*/$", re.MULTILINE)


def gz(data: str) -> int:
    return len(gzip.compress(data.encode("utf-8"), compresslevel=9))


def sections(source: str) -> list[tuple[str, str]]:
    """client.js cut at its section headers: (name, text)."""
    marks = list(SECTION.finditer(source))
    return [
        (m.group(1), source[m.start() : marks[i + 1].start() if i + 1 < len(marks) else None])
        for i, m in enumerate(marks)
    ]


def main() -> None:
    print("## Client size\n")
    print(
        "What a page loads: `static/djust/*.js` as written, and as `{% djust_scripts %}` "
        "serves it (the committed `*.min.js` copy made by `npm run minify`), raw and "
        "gzipped at level 9. The sections below are compacted only (comment lines and "
        "indentation dropped), to show where the bytes go.\n"
    )
    print("| file | raw bytes | gzipped | served raw | served gzipped |")
    print("| --- | ---: | ---: | ---: | ---: |")
    core = None
    for path in sorted(p for p in STATIC.glob("*.js") if not p.name.endswith(".min.js")):
        source = path.read_text(encoding="utf-8")
        served = served_script(path)
        if path.name == "client.js":
            core = (source, served)
        print(
            f"| `{path.name}` | {len(source.encode()):,} | {gz(source):,} | "
            f"{len(served.encode()):,} | {gz(served):,} |"
        )
    if core is None:
        return
    source, served = core
    print(
        f"\nGoal: the core runtime (`client.js`) at most {GOAL:,} bytes gzipped. As written it "
        f"is {gz(source):,}; as served, {gz(served):,}.\n"
    )
    print(
        "Where the served bytes go, by section of `client.js` (each gzipped alone, so the "
        "parts add up to more than the whole):\n"
    )
    print("| section | served raw | served gzipped |")
    print("| --- | ---: | ---: |")
    for name, text in sections(source):
        part = compact(text)
        print(f"| {name} | {len(part.encode()):,} | {gz(part):,} |")
    print("\n| compared with | gzipped bytes | djust's core as served is |")
    print("| --- | ---: | ---: |")
    for name, size in PEERS:
        print(f"| {name} | ~{size:,} | {gz(served) / size:.2f}× its size |")


if __name__ == "__main__":
    main()
