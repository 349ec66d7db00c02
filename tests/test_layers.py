"""The package's layers, as ARCHITECTURE.md draws them, checked on every import statement
(including lazy ones and those only for type checking): imports go downward only, and no
directive reaches into another directive's module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sphinxcontrib_cab"

SHARED = {
    "config",
    "warnings_",
    "store",
    "render",
    "directive_base",
    "tables",
    "html",
    "latex",
    "unbroken",
    "notice",
    "assets",
    "files",
    "domain",
    "options",
    "design",
    "filters",
}
"""The thin Sphinx layer every feature builds on."""
FEATURES = {"directives", "roles", "taskpages"}
"""Directives, roles and generated pages: each owns its writers."""


def _layer(parts: tuple[str, ...]) -> int:
    if not parts:
        return 3  # the package's setup()
    head = parts[0]
    if head == "snapshot":
        return 0
    if head in SHARED:
        return 1
    if head in FEATURES:
        return 2
    assert head == "__main__", f"{head} is in no layer: add it to SHARED or FEATURES"
    return 3


def _imports() -> list[tuple[tuple[str, ...], tuple[str, ...], int]]:
    """(importing module, imported module, line) for every import inside the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        module = parts[:-1] if parts[-1] == "__init__" else parts
        package = module if parts[-1] == "__init__" else module[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                target = (*base, *(node.module.split(".") if node.module else ()))
                for alias in node.names:
                    child = (*target, alias.name)
                    exists = PACKAGE.joinpath(*child).with_suffix(".py").exists() or (
                        PACKAGE.joinpath(*child, "__init__.py").exists()
                    )
                    found.append((module, child if exists else target, node.lineno))
            elif isinstance(node, ast.ImportFrom | ast.Import):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                )
                for name in names:
                    if name.split(".")[0] == "sphinxcontrib_cab":
                        found.append((module, tuple(name.split(".")[1:]), node.lineno))
    return found


def test_imports_go_downward_only() -> None:
    upward = [
        f"{'.'.join(a) or '__init__'}:{line} imports {'.'.join(b) or 'the package'}"
        for a, b, line in _imports()
        if _layer(b) > _layer(a)
    ]
    assert upward == []


def test_the_snapshot_package_imports_nothing_from_the_sphinx_layer() -> None:
    outside = [
        f"{'.'.join(a)}:{line} imports {'.'.join(b)}"
        for a, b, line in _imports()
        if a[:1] == ("snapshot",) and b[:1] != ("snapshot",)
    ]
    assert outside == []


def test_features_do_not_import_each_other() -> None:
    """A directive may use its own package; shared code lives in the layer below."""
    across = [
        f"{'.'.join(a)}:{line} imports {'.'.join(b)}"
        for a, b, line in _imports()
        if _layer(a) == _layer(b) == 2
        and a[: 2 if a[0] == "directives" else 1] != b[: 2 if b[0] == "directives" else 1]
        and a != ("directives",)
    ]
    assert across == []


def test_registering_the_extension_imports_no_validator() -> None:
    """A rebuild that reads nothing parses nothing: setting cab up must not import pydantic or
    PyYAML (the data layer imports them when a snapshot is first parsed)."""
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from sphinx.application import Sphinx\n"
        "import sphinxcontrib_cab\n"
        "from sphinxcontrib_cab import assets, config, domain, html, latex, store, tables\n"
        "from sphinxcontrib_cab import directives, roles, taskpages\n"
        "from sphinxcontrib_cab.directives import downloads, history, ledger, provenance\n"
        "from sphinxcontrib_cab.directives import diff, receipt, reference, task\n"
        "from sphinxcontrib_cab.directives import exploits, leaderboard\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
