"""planner.models imports nothing that imports it back: no cycle hidden in a function body."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_PACKAGES = ("planner", "accounts", "portability", "readers", "api", "yearloop")


def source_of(name: str) -> Path | None:
    """The file of a project-local module or package, None for anything else."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def module_imports(name: str) -> set[str]:
    """The project-local modules a module imports at module level (not inside functions)."""
    path = source_of(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            # `from . import x` and `from planner import x` may name modules.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for candidate in names:
            if candidate.split(".")[0] in LOCAL_PACKAGES and source_of(candidate):
                found.add(candidate)
    return found


def reachable_from(name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        for imported in module_imports(current) - seen:
            seen.add(imported)
            todo.append(imported)
    return seen


def test_it_finds_what_planner_models_imports():
    assert "planner.markdown" in module_imports("planner.models")


def test_planner_models_imports_no_module_that_imports_it_back():
    reached = reachable_from("planner.models") - {"planner.models"}

    importing_back = sorted(name for name in reached if "planner.models" in module_imports(name))

    assert importing_back == []


def test_planner_models_imports_no_forms_or_views():
    reached = reachable_from("planner.models")

    assert not any(name.split(".")[1:2] in (["forms"], ["views"]) for name in reached)


def test_planner_models_hides_no_import_in_a_function():
    # An import inside a function is how a cycle hides from the test above.
    tree = ast.parse(source_of("planner.models").read_text())
    at_module_level = set(tree.body)

    hidden = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and node not in at_module_level
    ]

    assert hidden == []
