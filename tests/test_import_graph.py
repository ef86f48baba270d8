"""The djust package's import graph: every module imports on its own, and none is in a cycle.

The cycle check reads the source (``ast``): every ``import`` of a djust module counts, at module
level or inside a function, except type-only imports under ``if TYPE_CHECKING:``. A function-level
import of a djust module is refused outright (Django's ``AppConfig.ready`` excepted, where
Django wants checks registered), so no cycle can hide behind one.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "python" / "djust"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str) -> list[tuple[str, bool, int]]:
    """(djust module imported, whether inside a function, line) for each runtime import."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool, int]] = []

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join(anchor + ([base] if base else []))
        # `from djust import config` imports the module djust.config.
        return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other, in_function)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in targets(child):
                    if target == "djust" or target.startswith("djust."):
                        found.append((target, in_function, child.lineno))
            inner = in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            visit(child, inner)

    visit(tree, False)
    return found


def test_the_graph_is_read_from_every_module():
    assert {"djust", "djust.session", "djust.live_view", "djust.websocket"} <= set(MODULES)
    assert ("djust.live_view", False) in {(t, f) for t, f, _ in imports_of("djust.function_views")}
    # `from djust import config` is the module; a type-only import is no runtime edge.
    assert "djust.config" in {t for t, _f, _l in imports_of("djust.session")}
    assert "djust.live_view" not in {t for t, _f, _l in imports_of("djust.lifecycle")}


def test_no_djust_module_is_imported_inside_a_function():
    late = [
        f"{name}:{line} imports {target}"
        for name in MODULES
        for target, in_function, line in imports_of(name)
        if in_function and not (name == "djust.apps" and target == "djust.checks")
    ]
    assert late == [], "import at module level instead:\n" + "\n".join(late)


def test_there_is_no_import_cycle():
    graph = {
        name: sorted({t for t, _f, _l in imports_of(name) if t in MODULES and t != name})
        for name in MODULES
    }
    # A submodule's own package is imported first by Python, but a package importing its
    # submodules (to offer them at its top level) is not a cycle: edges to a module's parent
    # packages are left out.
    for name, targets in graph.items():
        graph[name] = [t for t in targets if not name.startswith(t + ".")]
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for target in graph[name]:
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state:
                cycle = walk(target)
                if cycle:
                    return cycle
        stack.pop()
        state[name] = 2
        return None

    for name in graph:
        if name not in state:
            cycle = walk(name)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_each_module_imports_alone_in_a_fresh_interpreter_without_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    failures = []
    names = sorted(MODULES)
    # Two at a time: one interpreter per core.
    for start in range(0, len(names), 2):
        running = [
            (
                name,
                subprocess.Popen(
                    [sys.executable, "-c", f"import {name}"],
                    env=env,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
            for name in names[start : start + 2]
        ]
        for name, process in running:
            _out, err = process.communicate(timeout=120)
            if process.returncode != 0:
                failures.append(f"import {name}:\n{err}")
    assert failures == [], "\n".join(failures)
