"""The snapshot package is usable without Sphinx: a benchmark pipeline imports it, loads and
checks a snapshot, and runs the CLI, and neither Sphinx nor docutils is ever imported."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import sphinxcontrib_cab.snapshot

REPO = Path(__file__).resolve().parents[2]

PROGRAM = """
import importlib, json, sys
from pathlib import Path
from sphinxcontrib_cab.snapshot import SourcePaths, check, load_snapshot
from sphinxcontrib_cab.snapshot.cli import main

for name in sys.argv[2:]:
    importlib.import_module(name)
snapshot = load_snapshot(SourcePaths.under(Path(sys.argv[1])))
problems = check(Path(sys.argv[1]))
status = main(["check", sys.argv[1]])
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in ("sphinx", "docutils")
)
print(json.dumps({"cells": len(snapshot.cells), "problems": len(problems), "status": status,
                  "loaded": loaded}))
"""


def test_the_snapshot_package_and_its_cli_never_import_sphinx_or_docutils() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(
            sphinxcontrib_cab.snapshot.__path__, "sphinxcontrib_cab.snapshot."
        )
    ]
    assert "sphinxcontrib_cab.snapshot.cli" in modules and len(modules) > 10
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(REPO / "data"), "sphinxcontrib_cab", *modules],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    report = json.loads(result.stdout.splitlines()[-1])
    assert report == {"cells": 1155, "problems": 0, "status": 0, "loaded": []}


def test_the_check_catches_what_a_pipeline_must_not_publish(tmp_path: Path) -> None:
    """A pipeline's gate: the same problems as the Sphinx build, as plain data."""
    from sphinxcontrib_cab.snapshot import Subtype, check

    root = tmp_path / "snap"
    subprocess.run(["cp", "-r", str(REPO / "tests" / "snapshots" / "mini"), str(root)], check=True)
    meta = root / "site/src/data/meta.json"
    document = json.loads(meta.read_text())
    document["row_count"] += 1
    meta.write_text(json.dumps(document))
    problems = check(root, display_base=root)
    assert [p.subtype for p in problems] == [Subtype.row_count]
    assert problems[0].location.startswith("site/src/data/meta.json:")
