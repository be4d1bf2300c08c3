"""The import rules of DESIGN §3, checked on the source text of every project module.

* A name starting with one underscore is private to its file: no other file imports it.
* No two project files import each other, directly or around a longer circle (imports inside
  functions count: they only hide a circle until the function runs).
* A module app reaches a sibling through its services and selectors, never through its views,
  forms or renderers.

Tests and migrations are not walked. The checks read the files with ``ast``; nothing is imported.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {".venv", "node_modules", "migrations", "tests", "static", "var"}
# Each is a module of its own for the presentation rule; the other top-level packages are shared.
MODULE_APPS = (
    "changes.deviations",
    "claims",
    "changes",
    "ppap",
    "audits",
    "metrics",
    "notifications",
    "special_status",
)
PRESENTATION_PART = re.compile(r"(^|_)(views|forms|renderers)($|_)")


@dataclass(frozen=True)
class Import:
    """One imported module (and name from it, for ``from module import name``) at one line."""

    importer: str
    line: int
    module: str  # absolute dotted name as written, after resolving dots
    name: str | None = None

    @property
    def where(self) -> str:
        return f"{module_files()[self.importer].relative_to(ROOT)}:{self.line}"

    @property
    def text(self) -> str:
        return f"from {self.module} import {self.name}" if self.name else f"import {self.module}"


def _is_skipped(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    if any(part.startswith(".") or part in SKIPPED_DIRECTORIES for part in parts[:-1]):
        return True
    return path.name == "conftest.py" or path.name.startswith("test_")


@cache
def module_files() -> dict[str, Path]:
    """Every project module by dotted name (a package by its ``__init__.py``)."""
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        if _is_skipped(path):
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _package_of(module: str) -> str:
    is_package = module_files()[module].name == "__init__.py"
    return module if is_package else module.rpartition(".")[0]


def _absolute(importer: str, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    base = _package_of(importer).split(".")
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    tree = ast.parse(module_files()[module].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node.level, node.module)
            found += [Import(module, node.lineno, source, alias.name) for alias in node.names]
    return tuple(sorted(found, key=lambda item: item.line))


def target_of(imported: Import) -> str | None:
    """The project module an import runs: the submodule for ``from package import submodule``."""
    modules = module_files()
    if imported.name and imported.name != "*":
        submodule = f"{imported.module}.{imported.name}"
        if submodule in modules:
            return submodule
    parts = imported.module.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports() -> list[str]:
    found = []
    for module in module_files():
        for imported in imports_of(module):
            if imported.module == "__future__":
                continue
            names = imported.module.split(".") + ([imported.name] if imported.name else [])
            if any(_is_private(name) for name in names):
                found.append(f"{imported.where}: {imported.text}")
        found += _private_attributes_used(module)
    return found


def _imported_modules(module: str) -> dict[str, str]:
    """Local name → project module, for ``from package import module [as name]`` and
    ``import package.module as name``."""
    tree = ast.parse(module_files()[module].read_text(encoding="utf-8"))
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = target_of(Import(module, node.lineno, alias.name))
                if alias.asname and target == alias.name:
                    bound[alias.asname] = target
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _absolute(module, node.level, node.module)
        for alias in node.names:
            target = target_of(Import(module, node.lineno, source, alias.name))
            if target == f"{source}.{alias.name}":
                bound[alias.asname or alias.name] = target
    return bound


def _private_attributes_used(module: str) -> list[str]:
    """``services._helper`` after ``from . import services``: the same reach past the name."""
    bound = _imported_modules(module)
    if not bound:
        return []
    tree = ast.parse(module_files()[module].read_text(encoding="utf-8"))
    path = module_files()[module].relative_to(ROOT)
    return [
        f"{path}:{node.lineno}: {node.value.id}.{node.attr} ({bound[node.value.id]})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in bound
        and _is_private(node.attr)
    ]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in module_files()}
    for module in module_files():
        for imported in imports_of(module):
            target = target_of(imported)
            if target is not None and target != module:
                graph[module].add(target)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is deep enough to exhaust recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def _shortest_cycle(graph: dict[str, set[str]], members: list[str]) -> list[str]:
    """The shortest way from the first member back to itself, inside its component."""
    inside = set(members)
    start = members[0]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node] & inside):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    raise AssertionError(f"no cycle through {start}")


def _line_of(importer: str, target: str) -> str:
    for imported in imports_of(importer):
        if target_of(imported) == target:
            return f"{imported.where} ({imported.text})"
    return importer


def import_cycles() -> list[str]:
    graph = import_graph()
    reports = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = _shortest_cycle(graph, component)
        steps = "\n".join(
            f"    {importer} -> {target}  [{_line_of(importer, target)}]"
            for importer, target in pairwise(cycle)
        )
        reports.append(f"{' -> '.join(cycle)}  ({len(component)} files in this circle)\n{steps}")
    return reports


def module_app_of(module: str) -> str | None:
    for app in MODULE_APPS:
        if module == app or module.startswith(f"{app}."):
            return app
    return None


def presentation_imports() -> list[str]:
    found = []
    for module in module_files():
        importer_app = module_app_of(module)
        if importer_app is None:
            continue
        for imported in imports_of(module):
            target = target_of(imported)
            target_app = module_app_of(target) if target else None
            if target_app is None or target_app == importer_app:
                continue
            inner = target[len(target_app) :].split(".")
            if any(PRESENTATION_PART.search(part) for part in inner if part):
                found.append(f"{imported.where}: {imported.text} ({importer_app} -> {target})")
    return found


def _failure(title: str, found: list[str]) -> str:
    return f"{len(found)} {title}:\n" + "\n".join(found)


def test_the_walk_sees_the_project_and_skips_tests_and_migrations():
    modules = module_files()
    assert {"claims.services", "core.outbox", "changes.deviations.services"} <= set(modules)
    assert not [name for name in modules if ".tests." in name or ".migrations." in name]
    assert target_of(Import("claims.reminders", 1, "claims", "notifications")) == (
        "claims.notifications"
    )


def test_no_file_imports_another_files_private_name():
    found = private_imports()
    assert not found, _failure("imports of a private name", found)


def test_no_import_cycles():
    found = import_cycles()
    assert not found, _failure("import circles", found)


def test_module_apps_do_not_import_each_others_views_forms_or_renderers():
    found = presentation_imports()
    assert not found, _failure("imports of another module's views, forms or renderers", found)


def test_the_checks_see_a_circle_and_a_private_name():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    circles = [component for component in _strongly_connected(graph) if len(component) > 1]
    assert circles == [["a", "b", "c"]]
    assert _shortest_cycle(graph, circles[0]) == ["a", "b", "c", "a"]
    assert [_is_private(name) for name in ("_locked", "__all__", "__version__", "gettext")] == [
        True,
        False,
        False,
        False,
    ]
