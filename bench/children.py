"""What each fresh child process of the benchmark runs: ``children.py MODE ARGS...``.

A fresh interpreter per measurement means no cache, import or heap state carries over between
repetitions, and the parent reads the child's peak memory from ``os.wait4``. The child prints
one JSON object as the last line of its stdout.
"""

from __future__ import annotations

import cProfile
import functools
import gc
import inspect
import io
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

CAB = "sphinxcontrib_cab"
ATTRIBUTION_PARTS = ("setup", "data", "directives", "post_transforms", "other_handlers")


def data_layer() -> Any:
    """cab's ``load_snapshot`` of a snapshot folder; the one place the bench imports cab."""
    from sphinxcontrib_cab.snapshot import SourcePaths, load_snapshot

    def load(root: Path) -> Any:
        return load_snapshot(SourcePaths.under(root))

    return load


def sphinx(src: str, out: str, doctrees: str, **options: Any) -> Any:
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor

    nocolor()
    return Sphinx(src, src, out, doctrees, "html", status=io.StringIO(), **options)


def build(src: str, out: str, doctrees: str, jobs: str) -> dict[str, Any]:
    """One HTML build as ``sphinx-build -j JOBS`` runs it; which documents it (re-)read, from
    ``env-before-read-docs``, and which pages it wrote, from ``html-page-context``."""
    started = time.perf_counter()
    warning = io.StringIO()
    app = sphinx(src, out, doctrees, warning=warning, parallel=int(jobs), keep_going=True)
    read: list[str] = []
    written: list[str] = []
    app.connect("env-before-read-docs", lambda _a, _e, names: read.extend(names), priority=999)
    app.connect("html-page-context", lambda _a, page, *_: written.append(page))
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


def attribute_build(src: str, out: str, doctrees: str) -> dict[str, Any]:
    """A clean serial build, its time split with plain timers (no profiler): cab's own code at
    its entry points (outermost call only), garbage collection from ``gc.callbacks``, the rest.

    ``setup`` is cab's ``setup_extension``; ``data`` its ``builder-inited`` handler (the data
    layer loading every snapshot); ``directives`` and ``post_transforms`` the ``run`` of each cab
    directive, role and post-transform; ``other_handlers`` every other cab event handler. Node
    visitors each write one prepared string and count with Sphinx. A collection inside cab's code
    counts in both; ``gc_inside_cab`` says how much that was.
    """
    from docutils.parsers.rst import Directive
    from sphinx.application import Sphinx
    from sphinx.events import EventManager
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util.docutils import SphinxRole

    own = dict.fromkeys(ATTRIBUTION_PARTS, 0.0)
    depth = [0]
    collected = {"seconds": 0.0, "inside_cab": 0.0, "started": 0.0}

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
        now = time.perf_counter()
        if phase == "start":
            collected["started"] = now
            return
        collected["seconds"] += now - collected["started"]
        if depth[0]:
            collected["inside_cab"] += now - collected["started"]

    def timed_setup_extension(self: Sphinx, extname: str) -> None:
        if not extname.startswith(CAB) or depth[0]:
            return setup_extension(self, extname)
        timed("setup", setup_extension)(self, extname)
        classes = [
            value
            for name, module in list(sys.modules.items())
            if name.startswith(CAB)
            for value in list(vars(module).values())
            if inspect.isclass(value) and value.__module__ == name and "run" in value.__dict__
        ]
        for cls in classes:
            if issubclass(cls, SphinxPostTransform):
                cls.run = timed("post_transforms", cls.__dict__["run"])
            elif issubclass(cls, (Directive, SphinxRole)):
                cls.run = timed("directives", cls.__dict__["run"])
        return None

    def timed_connect(self: EventManager, name: str, callback: Any, priority: int) -> int:
        if getattr(callback, "__module__", "").startswith(CAB):
            callback = timed("data" if name == "builder-inited" else "other_handlers", callback)
        return connect(self, name, callback, priority)

    connect, setup_extension = EventManager.connect, Sphinx.setup_extension
    EventManager.connect = timed_connect  # type: ignore[method-assign]
    Sphinx.setup_extension = timed_setup_extension  # type: ignore[method-assign]
    gc.callbacks.append(on_collection)
    started = time.perf_counter()
    try:
        app = sphinx(src, out, doctrees, warning=io.StringIO(), freshenv=True)
        app.build()
    finally:
        gc.callbacks.remove(on_collection)
        EventManager.connect = connect  # type: ignore[method-assign]
        Sphinx.setup_extension = setup_extension  # type: ignore[method-assign]
    return {
        "seconds": time.perf_counter() - started,
        "cab_own": own,
        "gc": collected["seconds"],
        "gc_inside_cab": collected["inside_cab"],
        "status_code": app.statuscode,
    }


def timed(work: Any, *args: Any) -> tuple[Any, dict[str, float]]:
    started, cpu = time.perf_counter(), time.process_time()
    result = work(*args)
    return result, {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def load(root: str) -> dict[str, Any]:
    """Load, validate and aggregate one snapshot (imports are not part of the timed work)."""
    snapshot, times = timed(data_layer(), Path(root))
    return {
        **times,
        "rows": snapshot.rows_read,
        "rejected": snapshot.rows_rejected,
        "cells": len(snapshot.cells),
    }


def jsonloop(runs: str) -> dict[str, Any]:
    """The plain alternative: ``json.loads`` on every line of every JSONL file, nothing kept."""

    def loop() -> int:
        rows = 0
        for path in sorted(Path(runs).glob("*.jsonl")):
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        json.loads(line)
                        rows += 1
        return rows

    rows, times = timed(loop)
    return {**times, "rows": rows}


def idle() -> dict[str, Any]:
    """The interpreter with cab's data layer imported and nothing loaded: the memory floor."""
    data_layer()
    return {"seconds": 0.0}


def _where(filename: str) -> str:
    normal = filename.replace("\\", "/")
    for marker in (f"/{CAB}/", "/site-packages/", "/lib/python3"):
        if marker in normal:
            return marker.strip("/") + "/" + normal.split(marker, 1)[1]
    return normal


def profiled(work: Any, *args: Any) -> dict[str, Any]:
    """``work`` under cProfile: cab's functions by cumulative time, all by own time, and every
    function's own time (for a diff against a baseline profile)."""
    profile = cProfile.Profile()
    profile.runcall(work, *args)
    entries = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = [
        {
            "where": f"{_where(file)}:{line}:{name}",
            "calls": calls,
            "tottime": round(tot, 4),
            "cumtime": round(cum, 4),
            "cab": f"/{CAB}/" in file.replace("\\", "/"),
        }
        for (file, line, name), (_, calls, tot, cum, _) in entries.items()
    ]
    return {
        "seconds": 0.0,
        "total_s": round(sum(r["tottime"] for r in rows), 3),
        "cab_own_s": round(sum(r["tottime"] for r in rows if r["cab"]), 3),
        "cab_by_cumtime": sorted((r for r in rows if r["cab"]), key=lambda r: -r["cumtime"])[:15],
        "all_by_tottime": sorted(rows, key=lambda r: -r["tottime"])[:15],
        "own_s": {r["where"]: r["tottime"] for r in rows if r["tottime"] >= 0.002},
    }


def profile_build(src: str, out: str, doctrees: str, mode: str) -> dict[str, Any]:
    """A serial build under cProfile, clean or a rebuild."""
    fresh = mode == "clean"
    return profiled(lambda: sphinx(src, out, doctrees, freshenv=fresh, keep_going=True).build())


CHILDREN: dict[str, Any] = {
    "build": build,
    "attribute-build": attribute_build,
    "load": load,
    "jsonloop": jsonloop,
    "idle": idle,
    "profile-build": profile_build,
    "profile-load": lambda root: profiled(data_layer(), Path(root)),
}

if __name__ == "__main__":
    print("\n" + json.dumps(CHILDREN[sys.argv[1]](*sys.argv[2:])))
