"""The README's examples, read from README.md and run as printed.

Each example is a fenced block tagged ```` ```python example="name" ````. ``module(name)`` runs
one in a module of its own (its templates are found in tests/readme/templates/); ``methods``
puts a block of handler methods into a class, as the README means them.
"""

from __future__ import annotations

import re
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE_RE = re.compile(r'^```python example="([^"]+)"\n(.*?)^```', re.S | re.M)


def examples() -> dict[str, str]:
    """Every tagged example in README.md, by name."""
    found = EXAMPLE_RE.findall(README.read_text())
    names = [name for name, _ in found]
    assert len(names) == len(set(names)), f"example names repeat: {names}"
    return dict(found)


def source(name: str) -> str:
    return examples()[name]


def module(name: str, code: str | None = None, **names: Any) -> types.ModuleType:
    """Run example ``name`` (or ``code``) as the module ``tests.readme.example_<name>``, with
    ``names`` already defined in it (what the README's surrounding text provides)."""
    qualified = "tests.readme.example_" + name.replace("-", "_")
    mod = types.ModuleType(qualified)
    mod.__file__ = str(Path(__file__).with_name(f"example_{name}.py"))
    mod.__dict__.update(names)
    sys.modules[qualified] = mod
    exec(compile(code if code is not None else source(name), mod.__file__, "exec"), mod.__dict__)
    return mod


def methods(name: str, bases: tuple[type, ...], code: str | None = None, **names: Any) -> type:
    """A class with ``bases`` whose body is example ``name`` (or ``code``), a block of methods."""
    body = textwrap.indent(code if code is not None else source(name), "    ")
    class_source = "class Example(" + ", ".join(b.__name__ for b in bases) + "):\n" + body
    mod = module(name, class_source, **{b.__name__: b for b in bases}, **names)
    return mod.Example
