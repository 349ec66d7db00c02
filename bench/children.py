"""What runs inside each fresh child process of the benchmark.

Each measurement runs in its own interpreter so no cache, import or heap state carries over
between repetitions, and the parent reads the child's peak memory from ``os.wait4``. A child
prints one JSON object as the last line of its stdout.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import resource
import sys
import time
from pathlib import Path
from typing import Any

CAB_PACKAGE = "sphinxcontrib_cab"


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def build(src: str, out: str, doctrees: str, builder: str, jobs: int) -> dict[str, Any]:
    """One Sphinx build, exactly as ``sphinx-build -b BUILDER -j JOBS`` would run it.

    Records the documents Sphinx decided to (re-)read, from ``env-before-read-docs``, and the
    pages it wrote, from ``html-page-context``.
    """
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor

    nocolor()
    started = time.perf_counter()
    read: list[str] = []
    status, warning = io.StringIO(), io.StringIO()
    app = Sphinx(
        src,
        src,
        out,
        doctrees,
        builder,
        status=status,
        warning=warning,
        parallel=jobs,
        keep_going=True,
    )

    def note_read(_app: object, _env: object, docnames: list[str]) -> None:
        read.extend(docnames)

    written: list[str] = []

    def note_written(_app: object, pagename: str, *_args: object) -> None:
        written.append(pagename)

    app.connect("env-before-read-docs", note_read, priority=999)
    app.connect("html-page-context", note_written)
    app.build()
    warnings = [line for line in warning.getvalue().splitlines() if line.strip()]
    return {
        "seconds": time.perf_counter() - started,
        "read": sorted(read),
        "written": sorted(written),
        "warnings": len(warnings),
        "first_warnings": warnings[:5],
        "status_code": app.statuscode,
    }


def _quiet_html_app(src: str, out: str, doctrees: str, **options: Any) -> Any:
    """A Sphinx HTML application whose status and warnings go nowhere (the measured builds)."""
    from sphinx.application import Sphinx

    return Sphinx(
        src, src, out, doctrees, "html", status=io.StringIO(), warning=io.StringIO(), **options
    )


ATTRIBUTION_PARTS = ("setup", "data", "directives", "post_transforms", "other_handlers")
"""The buckets of cab's own time in :func:`attribute_build`, in the order the report shows."""


def attribute_build(src: str, out: str, doctrees: str) -> dict[str, Any]:
    """A clean serial HTML build, its time split with plain timers (no profiler) into cab's own
    code, garbage collection and everything else (Sphinx, docutils, the theme and the parsers).

    cab's own code is timed at its entry points, outermost call only:

    * ``setup``: ``setup_extension`` of cab (importing the package and registering everything);
    * ``data``: the ``builder-inited`` handler (imports pydantic and the data layer, loads every
      snapshot);
    * ``directives``: ``run`` of every cab directive and role;
    * ``post_transforms``: ``run`` of every cab post-transform;
    * ``other_handlers``: every other cab event handler.

    Node visitors are not timed: each writes one prepared string and is counted with Sphinx.
    Garbage collection is timed with ``gc.callbacks``, so a collection that runs inside cab's code
    is counted in both; ``gc_inside_cab`` says how much that was.
    """
    import functools
    import gc
    import inspect

    from sphinx.application import Sphinx
    from sphinx.events import EventManager
    from sphinx.util.console import nocolor

    nocolor()
    own = dict.fromkeys(ATTRIBUTION_PARTS, 0.0)
    depth = [0]
    collection = {"seconds": 0.0, "inside_cab": 0.0, "started": 0.0}

    def timed(part: str, function: Any) -> Any:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return function(*args, **kwargs)
            depth[0] += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
                own[part] += time.perf_counter() - started

        return wrapper

    def on_collection(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collection["started"] = time.perf_counter()
            return
        spent = time.perf_counter() - collection["started"]
        collection["seconds"] += spent
        if depth[0]:
            collection["inside_cab"] += spent

    def wrap_entry_points() -> None:
        from docutils.parsers.rst import Directive
        from sphinx.transforms.post_transforms import SphinxPostTransform
        from sphinx.util.docutils import SphinxRole

        for name, module in list(sys.modules.items()):
            if not name.startswith(CAB_PACKAGE):
                continue
            for value in list(vars(module).values()):
                if not inspect.isclass(value) or value.__module__ != name:
                    continue
                if "run" not in value.__dict__:
                    continue
                if issubclass(value, SphinxPostTransform):
                    part = "post_transforms"
                elif issubclass(value, (Directive, SphinxRole)):
                    part = "directives"
                else:
                    continue
                value.run = timed(part, value.__dict__["run"])

    connect = EventManager.connect

    def timed_connect(self: EventManager, name: str, callback: Any, priority: int) -> int:
        if getattr(callback, "__module__", "").startswith(CAB_PACKAGE):
            part = "data" if name == "builder-inited" else "other_handlers"
            callback = timed(part, callback)
        return connect(self, name, callback, priority)

    setup_extension = Sphinx.setup_extension

    def timed_setup_extension(self: Sphinx, extname: str) -> None:
        if not extname.startswith(CAB_PACKAGE) or depth[0]:
            setup_extension(self, extname)
            return
        timed("setup", setup_extension)(self, extname)
        wrap_entry_points()

    EventManager.connect = timed_connect  # type: ignore[method-assign]
    Sphinx.setup_extension = timed_setup_extension  # type: ignore[method-assign]
    gc.callbacks.append(on_collection)
    started = time.perf_counter()
    try:
        app = _quiet_html_app(src, out, doctrees, freshenv=True)
        app.build()
    finally:
        gc.callbacks.remove(on_collection)
        EventManager.connect = connect  # type: ignore[method-assign]
        Sphinx.setup_extension = setup_extension  # type: ignore[method-assign]
    return {
        "seconds": time.perf_counter() - started,
        "cab_own": own,
        "gc": collection["seconds"],
        "gc_inside_cab": collection["inside_cab"],
        "status_code": app.statuscode,
    }


def _source_paths(root: Path) -> Any:
    """The configured defaults of the four sources, under ``root`` (the conf.py defaults)."""
    from sphinxcontrib_cab.config import CONFIG_VALUES
    from sphinxcontrib_cab.snapshot.model import SourcePaths

    defaults = {value.name: value.default for value in CONFIG_VALUES}
    return SourcePaths(
        root=root,
        runs=root / defaults["cab_runs_path"],
        tasks=root / defaults["cab_tasks_path"],
        exploits=root / defaults["cab_exploits_path"],
        meta=root / defaults["cab_meta_path"],
    )


def load_snapshot_at(root: Path) -> Any:
    """The data layer's ``load_snapshot`` on the snapshot at ``root`` (default source paths)."""
    from sphinxcontrib_cab.snapshot.load import load_snapshot

    return load_snapshot(_source_paths(root))


def load(root: str) -> dict[str, Any]:
    """Load, validate and aggregate one snapshot (cab's data layer)."""
    import sphinxcontrib_cab.snapshot.load  # noqa: F401  (imports are not part of the timed work)

    started, cpu = time.perf_counter(), time.process_time()
    snapshot = load_snapshot_at(Path(root))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "rows": snapshot.rows_read,
        "rejected": snapshot.rows_rejected,
        "cells": len(snapshot.cells),
        "problems": len(snapshot.problems),
        "peak_rss_self": _peak_rss_bytes(),
    }


def jsonloop(runs_dir: str) -> dict[str, Any]:
    """The plain alternative: ``json.loads`` on every line of every JSONL file, nothing kept."""
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for path in sorted(Path(runs_dir).glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    json.loads(line)
                    rows += 1
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "rows": rows,
        "peak_rss_self": _peak_rss_bytes(),
    }


def idle() -> dict[str, Any]:
    """The interpreter with cab's data layer imported and nothing loaded: the memory floor."""
    import sphinxcontrib_cab.snapshot.load  # noqa: F401

    return {"seconds": 0.0, "peak_rss_self": _peak_rss_bytes()}


def _hot_spots(profile: cProfile.Profile, limit: int) -> dict[str, list[dict[str, Any]]]:
    stats = pstats.Stats(profile)
    entries = stats.stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in entries.items():
        rows.append(
            {
                "where": f"{_short(filename)}:{line}:{function}",
                "calls": calls,
                "tottime": round(tottime, 4),
                "cumtime": round(cumtime, 4),
                "cab": f"/{CAB_PACKAGE}/" in filename.replace("\\", "/"),
            }
        )
    cab = sorted((r for r in rows if r["cab"]), key=lambda r: -r["cumtime"])[:limit]
    overall = sorted(rows, key=lambda r: -r["tottime"])[:limit]
    return {
        "total_s": round(sum(r["tottime"] for r in rows), 3),
        "cab_own_s": round(sum(r["tottime"] for r in rows if r["cab"]), 3),
        "cab_by_cumtime": cab,
        "all_by_tottime": overall,
        # every function with measurable own time, for a diff against a baseline profile
        "own_s": {r["where"]: r["tottime"] for r in rows if r["tottime"] >= 0.002},
    }


def _short(filename: str) -> str:
    normal = filename.replace("\\", "/")
    for marker in (f"/{CAB_PACKAGE}/", "/site-packages/", "/lib/python3"):
        if marker in normal:
            return marker.strip("/") + "/" + normal.split(marker, 1)[1]
    return normal


def profile_build(src: str, out: str, doctrees: str, fresh: bool) -> dict[str, Any]:
    """A serial HTML build under cProfile (clean, or a rebuild); the hot spots in and below cab."""
    from sphinx.util.console import nocolor

    nocolor()
    profile = cProfile.Profile()
    profile.enable()
    app = _quiet_html_app(src, out, doctrees, freshenv=fresh, keep_going=True)
    app.build()
    profile.disable()
    return {"seconds": 0.0, **_hot_spots(profile, 15)}


def profile_load(root: str) -> dict[str, Any]:
    """The data layer under cProfile."""
    import sphinxcontrib_cab.snapshot.load  # noqa: F401

    profile = cProfile.Profile()
    profile.enable()
    load_snapshot_at(Path(root))
    profile.disable()
    return {"seconds": 0.0, **_hot_spots(profile, 15)}


CHILDREN = {
    "build": lambda a: build(a[0], a[1], a[2], a[3], int(a[4])),
    "attribute-build": lambda a: attribute_build(a[0], a[1], a[2]),
    "load": lambda a: load(a[0]),
    "jsonloop": lambda a: jsonloop(a[0]),
    "idle": lambda a: idle(),
    "profile-build": lambda a: profile_build(a[0], a[1], a[2], a[3] == "clean"),
    "profile-load": lambda a: profile_load(a[0]),
}


def main(argv: list[str]) -> int:
    result = CHILDREN[argv[0]](argv[1:])
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
