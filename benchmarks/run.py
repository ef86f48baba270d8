"""``make bench``: run every ``benchmarks/bench_*.py`` and write BENCHMARKS.md.

Each benchmark is a script of its own, run in a fresh process against the release build; it
prints one Markdown section (a ``## heading`` and its tables) on stdout. Figures are medians of
repeated, interleaved runs and are reported as ratios against the peers measured in the same
run: the machine is small and noisy, so absolute timings only mean something side by side.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


MARK = "<!-- {} -->"


def existing_sections() -> dict[str, str]:
    """The sections of the current BENCHMARKS.md, by the script that wrote them."""
    path = ROOT / "BENCHMARKS.md"
    if not path.exists():
        return {}
    sections: dict[str, str] = {}
    name = None
    for line in path.read_text().splitlines(keepends=True):
        if line.startswith("<!-- bench_") and line.rstrip().endswith("-->"):
            name = line.strip()[5:-4].strip()
            sections[name] = ""
        elif name is not None:
            sections[name] += line
    return {key: value.strip() for key, value in sections.items()}


def main(selected: list[str]) -> int:
    scripts = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    if selected:
        scripts = [s for s in scripts if any(name in s.stem for name in selected)]
    # A partial run (make bench ONLY=...) keeps the other scripts' sections as they were.
    sections = existing_sections() if selected else {}
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True
        )
        if result.returncode != 0:
            print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
            return result.returncode
        sections[script.stem] = result.stdout.strip()
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` on {datetime.date.today().isoformat()} at commit "
        f"`{commit()}`, on {machine()}. Release build. Each section says what it measures "
        "and how; timings are medians, compared as ratios within the same run.\n"
    )
    body = "\n\n".join(f"{MARK.format(name)}\n{sections[name]}" for name in sorted(sections))
    (ROOT / "BENCHMARKS.md").write_text(header + "\n" + body + "\n")
    print("wrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
