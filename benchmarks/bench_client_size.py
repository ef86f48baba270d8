"""Bytes of the client runtime a page loads, raw and gzipped (level 9, as served)."""

from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "python" / "djust" / "static" / "djust"
# Reference points: what the original djust documents, and Livewire's bundle.
PEERS = [("original djust (documented)", 29 * 1024), ("Livewire (documented)", 50 * 1024)]


def main() -> None:
    print("## Client size\n")
    print("What a page loads: `static/djust/*.js`, raw and gzipped at level 9.\n")
    print("| file | raw bytes | gzipped bytes |")
    print("| --- | ---: | ---: |")
    core_gz = None
    for path in sorted(STATIC.glob("*.js")):
        raw = path.read_bytes()
        gz = len(gzip.compress(raw, compresslevel=9))
        if path.name == "client.js":
            core_gz = gz
        print(f"| `{path.name}` | {len(raw):,} | {gz:,} |")
    if core_gz:
        print("\n| compared with | gzipped bytes | djust's core is |")
        print("| --- | ---: | ---: |")
        for name, size in PEERS:
            print(f"| {name} | ~{size:,} | {core_gz / size:.2f}× its size |")


if __name__ == "__main__":
    main()
