"""Python's wire names against runtime/protocol/src/constants.rs, the protocol's one definition:
the error codes the server sends, and the attributes Python writes into pages."""

from __future__ import annotations

import re
from pathlib import Path

from djust import exceptions
from djust.components import markup

ROOT = Path(__file__).resolve().parents[1]
CONSTANTS = (ROOT / "runtime" / "protocol" / "src" / "constants.rs").read_text(encoding="utf-8")
STRINGS = dict(re.findall(r'pub const (\w+): &str = "([^"]*)";', CONSTANTS))


def group(name: str) -> list[str]:
    match = re.search(rf"pub const {name}: \[&str; \d+\] = \[([^\]]*)\]", CONSTANTS)
    assert match, f"constants.rs has no {name}"
    return [item.strip() for item in match.group(1).split(",") if item.strip()]


def test_every_error_code_is_the_protocols_under_the_same_name():
    rust = {name: STRINGS[name] for name in group("ERROR_CODES")}
    python = {name: getattr(exceptions, name) for name in rust if hasattr(exceptions, name)}
    assert python == rust
    assert sorted(exceptions.ERROR_CODES) == sorted(rust.values())


def test_python_names_error_codes_only_through_the_constants():
    literal = re.compile(r"(EventError|frame_error)\(\s*(None,\s*|ref[^,]*,\s*)?\"")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "python" / "djust").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []


def test_attributes_python_writes_are_the_protocols():
    assert markup.ID_ATTRIBUTE == STRINGS["DATA_COMPONENT_ID"]
    page = (ROOT / "python" / "djust" / "page.py").read_text(encoding="utf-8")
    assert f'{STRINGS["DJ_VIEW"]}="{{TOKEN_PLACEHOLDER}}" {STRINGS["DJ_ROOT"]}>' in page
