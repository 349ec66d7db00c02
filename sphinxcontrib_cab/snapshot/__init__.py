"""CodingAgentBench snapshots without Sphinx: the data contract, loading, checks, aggregation,
digest and the command line. Nothing in this package imports Sphinx or docutils, so a benchmark
pipeline can validate and aggregate a snapshot with it alone::

    from pathlib import Path
    from sphinxcontrib_cab.snapshot import SourcePaths, check, load_snapshot

    snapshot = load_snapshot(SourcePaths.under(Path("data")))
    problems = check(Path("data"))        # the pinned snapshot and the older ones it lists

Names are imported on first use, so importing the package (or its small modules, such as
:mod:`.model`) does not import pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .load import clear_cache, load_snapshot, load_snapshot_cached
    from .model import (
        AXES,
        Cell,
        CellKey,
        Digest,
        Estimate,
        FileDigest,
        RunTable,
        RunView,
        Snapshot,
    )
    from .older import LoadedSnapshots, check, load_all
    from .paths import SourcePaths
    from .problems import Problem, Subtype

_EXPORTS = {
    "AXES": "model",
    "Cell": "model",
    "CellKey": "model",
    "Digest": "model",
    "Estimate": "model",
    "FileDigest": "model",
    "RunTable": "model",
    "RunView": "model",
    "Snapshot": "model",
    "SourcePaths": "paths",
    "Problem": "problems",
    "Subtype": "problems",
    "LoadedSnapshots": "older",
    "check": "older",
    "load_all": "older",
    "clear_cache": "load",
    "load_snapshot": "load",
    "load_snapshot_cached": "load",
}

__all__ = [
    "AXES",
    "Cell",
    "CellKey",
    "Digest",
    "Estimate",
    "FileDigest",
    "LoadedSnapshots",
    "Problem",
    "RunTable",
    "RunView",
    "Snapshot",
    "SourcePaths",
    "Subtype",
    "check",
    "clear_cache",
    "load_all",
    "load_snapshot",
    "load_snapshot_cached",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
