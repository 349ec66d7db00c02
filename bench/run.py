"""Side-by-side performance benchmark of sphinxcontrib-cab (``nox -s bench``).

Measures, in one run, with every compared variant interleaved inside each repetition (so noise
on a shared machine hits all variants alike) and every build in a fresh process:

1. build overhead: the docs site with cab against the same site with cab stripped out;
2. the full sample leaderboard page: cab against a MyST list-table, sphinxcontrib-datatemplates
   and an empty page;
3. the data layer at 10k / 100k / 1M rows against a plain ``json.loads`` loop (time, peak memory);
4. incremental rebuilds: nothing changed, and one data file changed;
5. page weight (raw and gzip) of the leaderboard page against the list-table page;
6. ``-j 2`` against ``-j 1`` on the docs site.

Writes ``bench/results.md`` and ``bench/results.json`` (``--quick``: fewer repetitions, no
1M-row snapshot, results go to ``bench/_out/`` instead). Targets are judged from the measured
medians; when one is missed the cab code path is profiled and its hot spots are reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(REPO))  # measure the package of this tree, even when run from a copy

from children import ATTRIBUTION_PARTS  # noqa: E402
from projects import (  # noqa: E402
    cab_project,
    copy_site,
    datatemplates_project,
    empty_project,
    list_table_project,
    visible_table,
)
from report import render_markdown  # noqa: E402
from strip import strip_site, task_pages_folder  # noqa: E402

GIB = 1024**3
RERUNS_PER_CELL = 3
"""The sample has three reruns per cell; the generator is asked for 3 rows per wanted cell."""


@dataclass
class Settings:
    quick: bool
    site_reps: int
    page_reps: int
    data_reps: int
    data_sizes: tuple[int, ...]
    big_cells: int
    noop_reps: int
    attribution_reps: int
    jobs: int = 2

    @classmethod
    def make(cls, quick: bool) -> Settings:
        if quick:
            return cls(True, 2, 3, 2, (10_000, 100_000), 10_000, 3, 1)
        return cls(False, 7, 7, 3, (10_000, 100_000, 1_000_000), 10_000, 11, 3)


@dataclass
class Sample:
    wall: float
    """Seconds the child process took, start to exit (what a user waits for)."""
    result: dict[str, Any]
    peak_rss: int
    """Peak resident set size of the child, bytes, from ``os.wait4``."""
    cpu: float
    """User + system CPU seconds of the child (and its own children), from ``os.wait4``."""


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def inner_median(self, key: str = "seconds") -> float:
        return float(statistics.median(s.result[key] for s in self.samples))

    def summary(self) -> dict[str, Any]:
        walls = self.walls
        return {
            "median_s": round(statistics.median(walls), 4),
            "min_s": round(min(walls), 4),
            "max_s": round(max(walls), 4),
            "runs_s": [round(w, 4) for w in walls],
            "cpu_median_s": round(self.cpu_median, 4),
            "peak_rss_bytes": max(s.peak_rss for s in self.samples),
        }


def round_ratios(a: Series, b: Series, *, inner: str | None = None) -> list[float]:
    """Per-round ratios ``a[i] / b[i]``: wall time, or the child's own ``inner`` measure.

    Every section runs its variants back to back inside each repetition (rotating the order),
    so the two samples of one round saw about the same load on the machine.
    """

    def value(sample: Sample) -> float:
        return sample.wall if inner is None else float(sample.result[inner])

    return [value(x) / value(y) for x, y in zip(a.samples, b.samples, strict=True)]


# --------------------------------------------------------------------------- processes


def run_child(mode: str, *args: object, cwd: Path = REPO) -> Sample:
    """Run ``children.py MODE ARGS`` in a fresh interpreter; time it and read its peak memory."""
    command = [sys.executable, str(BENCH / "children.py"), mode, *map(str, args)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=_child_env())
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-4000:]}")
    last = [line for line in stdout.splitlines() if line.startswith("{")][-1]
    return Sample(
        wall=wall,
        result=json.loads(last),
        peak_rss=usage.ru_maxrss * 1024,
        cpu=usage.ru_utime + usage.ru_stime,
    )


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SPHINX_PARALLEL", None)
    env["PYTHONDONTWRITEBYTECODE"] = "0"
    env["NO_COLOR"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def sphinx_build(src: Path, out: Path, *, clean: bool, jobs: int = 1) -> Sample:
    if clean and out.exists():
        shutil.rmtree(out)
    sample = run_child("build", src, out / "html", out / "doctrees", "html", jobs)
    if sample.result["status_code"] not in (0, None):
        raise RuntimeError(f"build of {src} failed: {sample.result['first_warnings']}")
    return sample


CACHE = Path(os.environ.get("CAB_BENCH_CACHE") or BENCH / "_out" / "cache")
"""Inputs that are pure functions of their source (generated snapshots, a plain page's HTML)."""


def _source_key(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def generate_snapshot(rows: int) -> tuple[Path, float | None]:
    """A synthetic snapshot of ``rows`` run rows from the project's generator.

    The generator is deterministic, so its output is cached under ``bench/_out/cache`` keyed on
    the generator's and the data contract's source; returns the folder and the seconds the
    generator took (``None`` when the cache had it).
    """
    generator = REPO / "tools" / "generate_snapshot.py"
    key = _source_key(
        generator.read_bytes(),
        (REPO / "sphinxcontrib_cab" / "snapshot" / "contract.py").read_bytes(),
        str(rows).encode(),
    )
    dest = CACHE / "snapshots" / f"{rows}-{key}"
    if (dest / ".complete").exists():
        return dest, None
    if dest.exists():
        shutil.rmtree(dest)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(generator), "--rows", str(rows), "--out", str(dest)],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        env=_child_env(),
    )
    (dest / ".complete").write_text("")
    return dest, time.perf_counter() - started


def cached_build(project: Path, page: str) -> tuple[Path, float | None]:
    """The HTML of a one-page project, built once per exact source (and Sphinx stack).

    Used only for the large list-table page, whose bytes are measured but whose 10,000-row build
    (minutes on this machine) is not a target.
    """
    versions = " ".join(metadata.version(d) for d in ("sphinx", "docutils", "myst-parser"))
    key = _source_key(
        (project / "conf.py").read_bytes(), (project / page).read_bytes(), versions.encode()
    )
    html = CACHE / "pages" / f"{key}.html"
    if html.exists():
        return html, None
    sample = sphinx_build(project, project / "_out", clean=True)
    html.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project / "_out" / "html" / "index.html", html)
    return html, sample.wall


def rotate(items: list[str], by: int) -> list[str]:
    by %= len(items)
    return items[by:] + items[:by]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory = int(match.group(1)) * 1024 if match else 0
    versions = {}
    for dist in (
        "sphinx",
        "docutils",
        "myst-parser",
        "pydantic",
        "sphinxcontrib-datatemplates",
        "furo",
        "sphinxcontrib-cab",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    commit = (
        os.environ.get("CAB_BENCH_COMMIT")
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_bytes": memory,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit or "unknown",
    }


# --------------------------------------------------------------------------- page weight


def weight(page: Path) -> dict[str, Any]:
    raw = page.read_bytes()
    text = raw.decode("utf-8")

    def span_bytes(pattern: str) -> int:
        return sum(len(m.group(0).encode()) for m in re.finditer(pattern, text, re.DOTALL))

    return {
        "raw_bytes": len(raw),
        "gzip_bytes": len(gzip.compress(raw, compresslevel=6, mtime=0)),
        "breakdown_bytes": {
            "table": span_bytes(r"<table.*?</table>"),
            "details_popovers": span_bytes(r"<details.*?</details>"),
            "data_attributes": span_bytes(r'\sdata-[\w-]+="[^"]*"'),
            "class_attributes": span_bytes(r'\sclass="[^"]*"'),
        },
    }


# --------------------------------------------------------------------------- sections


def section_site(settings: Settings, work: Path) -> dict[str, Any]:
    """Sections 1, 4 and 6: the docs site, with and without cab.

    Two bare baselines: ``bare`` follows the definition of the issue (cab stripped, task pages
    off, so the site has fewer pages); ``bare-pages`` keeps the task pages cab generated as plain
    sources with their cab directives stripped, so both sites have the same documents.
    """
    conf = REPO / "docs" / "conf.py"
    if not conf.exists():
        return {"skipped": "docs/conf.py does not exist yet"}
    task_pages = task_pages_folder(conf.read_text(encoding="utf-8"))
    cab_docs = copy_site(REPO, work / "site-cab", task_pages)
    bare_docs = copy_site(REPO, work / "site-bare", task_pages)
    pages_docs = copy_site(REPO, work / "site-bare-pages", task_pages)
    stripped = strip_site(bare_docs, task_pages_off=task_pages)
    # -j 1 and -j 2 write to the same folder so their outputs can be compared byte for byte
    cab_out = work / "site-cab" / "_out"
    outs = {
        "cab": cab_out,
        "bare": work / "site-bare" / "_out",
        "bare-pages": work / "site-bare-pages" / "_out",
        "cab-j2": cab_out,
    }
    sources = {"cab": cab_docs, "bare": bare_docs, "bare-pages": pages_docs, "cab-j2": cab_docs}
    jobs = {"cab": 1, "bare": 1, "bare-pages": 1, "cab-j2": settings.jobs}
    data_file, original, changed = _one_data_change(work / "site-cab" / "data")

    log("site: first cab build (generates the task pages the same-pages baseline keeps)")
    sphinx_build(cab_docs, cab_out, clean=True)
    if task_pages and (cab_docs / task_pages).is_dir():
        shutil.copytree(cab_docs / task_pages, pages_docs / task_pages)
    stripped_pages = strip_site(pages_docs)

    clean = {v: Series() for v in outs}
    noop = {v: Series() for v in ("cab", "bare", "bare-pages")}
    data_change = Series()
    outputs: dict[str, dict[str, str]] = {}
    for rep in range(settings.site_reps):
        log(f"site: repetition {rep + 1}/{settings.site_reps}")
        for variant in rotate(list(outs), rep):
            clean[variant].add(
                sphinx_build(sources[variant], outs[variant], clean=True, jobs=jobs[variant])
            )
            if variant.startswith("cab") and rep == settings.site_reps - 1:
                outputs[variant] = _digests(outs[variant] / "html")
        for variant in rotate(list(noop), rep):
            noop[variant].add(sphinx_build(sources[variant], outs[variant], clean=False))
        if data_file is not None:
            data_file.write_text(changed, encoding="utf-8")
            data_change.add(sphinx_build(cab_docs, outs["cab"], clean=False))
            data_file.write_text(original, encoding="utf-8")  # the next clean build reads it
    # A no-op rebuild takes about a second, so its median needs more samples than a clean build
    # to settle on a shared machine; these extra rounds only rebuild, in rotating order.
    if settings.noop_reps > settings.site_reps and data_file is not None:
        # the data change above was undone after its build: settle the cab site once (not
        # counted) so the extra rounds rebuild with nothing changed
        sphinx_build(cab_docs, outs["cab"], clean=False)
    for rep in range(settings.site_reps, settings.noop_reps):
        log(f"site: extra no-op round {rep + 1}/{settings.noop_reps}")
        for variant in rotate(list(noop), rep):
            noop[variant].add(sphinx_build(sources[variant], outs[variant], clean=False))

    # where the extra time of the clean build goes: timers at cab's entry points, no profiler
    attributed: dict[str, list[dict[str, Any]]] = {"cab": [], "bare-pages": []}
    for rep in range(settings.attribution_reps):
        log(f"site: attribution build {rep + 1}/{settings.attribution_reps}")
        for variant in rotate(list(attributed), rep):
            out = work / "attribution" / variant
            if out.exists():
                shutil.rmtree(out)
            sample = run_child("attribute-build", sources[variant], out / "html", out / "doctrees")
            attributed[variant].append(sample.result)

    def ratio(a: Series, b: Series) -> float:
        return a.median / b.median

    def ratio_cpu(a: Series, b: Series) -> float:
        return a.cpu_median / b.cpu_median

    return {
        "stripped": stripped,
        "stripped_same_pages": stripped_pages,
        "documents": {v: len(s.samples[-1].result["read"]) for v, s in clean.items()},
        "warnings": {v: s.samples[-1].result["warnings"] for v, s in clean.items()},
        "first_warnings": {v: s.samples[-1].result["first_warnings"] for v, s in clean.items()},
        "clean": {v: s.summary() for v, s in clean.items()},
        "noop": {
            v: {
                **s.summary(),
                "reread_max": max(len(x.result["read"]) for x in s.samples),
                "reread": s.samples[-1].result["read"],
                "written": s.samples[-1].result["written"],
            }
            for v, s in noop.items()
        },
        "data_change": None
        if data_file is None
        else {
            "file": str(data_file.relative_to(work / "site-cab")),
            "changed": {**data_change.summary(), "reread": data_change.samples[-1].result["read"]},
        },
        "parallel_identical_output": _compare(outputs.get("cab", {}), outputs.get("cab-j2", {})),
        "attribution": attribution(attributed["cab"], attributed["bare-pages"]),
        "ratios": {
            "overhead": ratio(clean["cab"], clean["bare"]),
            "overhead_cpu": ratio_cpu(clean["cab"], clean["bare"]),
            "overhead_same_pages": ratio(clean["cab"], clean["bare-pages"]),
            "overhead_same_pages_cpu": ratio_cpu(clean["cab"], clean["bare-pages"]),
            "noop": ratio(noop["cab"], noop["bare"]),
            "noop_cpu": ratio_cpu(noop["cab"], noop["bare"]),
            "noop_same_pages": ratio(noop["cab"], noop["bare-pages"]),
            "noop_same_pages_cpu": ratio_cpu(noop["cab"], noop["bare-pages"]),
            "parallel_j2_over_j1": ratio(clean["cab-j2"], clean["cab"]),
        },
        "round_ratios": {
            "overhead": round_ratios(clean["cab"], clean["bare"]),
            "overhead_same_pages": round_ratios(clean["cab"], clean["bare-pages"]),
            "noop": round_ratios(noop["cab"], noop["bare"]),
            "noop_same_pages": round_ratios(noop["cab"], noop["bare-pages"]),
        },
    }


def _split(sample: dict[str, Any]) -> dict[str, float]:
    """One attribution build as disjoint parts that add up to its total."""
    own = sample["cab_own"]
    gc_outside = sample["gc"] - sample["gc_inside_cab"]
    parts = {f"cab_{name}": own[name] for name in ATTRIBUTION_PARTS}
    cab_total = sum(parts.values())
    return {
        **parts,
        "cab_total": cab_total,
        "gc_outside_cab": gc_outside,
        "rest": sample["seconds"] - cab_total - gc_outside,
        "total": sample["seconds"],
        "without_cab_code": sample["seconds"] - cab_total,
    }


def attribution(cab: list[dict[str, Any]], bare: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Medians of each part of the attribution builds (see ``children.attribute_build``), and
    the ratio the cab site would have against the bare one if cab's own code took no time."""
    if not cab or not bare:
        return None
    cab_parts = [_split(s) for s in cab]
    bare_parts = [_split(s) for s in bare]

    def medians(parts: list[dict[str, float]]) -> dict[str, float]:
        return {k: statistics.median(p[k] for p in parts) for k in parts[0]}

    with_cab, without = medians(cab_parts), medians(bare_parts)
    return {
        "repetitions": len(cab),
        "cab": with_cab,
        "bare-pages": without,
        "ratio": with_cab["total"] / without["total"],
        "ratio_without_cab_code": with_cab["without_cab_code"] / without["total"],
    }


def _one_data_change(data: Path) -> tuple[Path | None, str, str]:
    """The first run-record file, its text, and the same text with one run's wall time nudged."""
    for path in sorted(data.rglob("*.jsonl")):
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        for number, line in enumerate(lines):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            scores = record.get("scores") if isinstance(record, dict) else None
            if isinstance(scores, dict) and isinstance(scores.get("wall_s"), int | float):
                scores["wall_s"] = round(float(scores["wall_s"]) + 1.25, 3)
                ending = "\n" if line.endswith("\n") else ""
                lines[number] = json.dumps(record, ensure_ascii=False) + ending
                return path, original, "".join(lines)
    return None, "", ""


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".buildinfo"
    }


def _compare(a: dict[str, str], b: dict[str, str]) -> dict[str, Any]:
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    return {"identical": bool(a) and not differing, "files": len(a), "differing": differing[:20]}


def section_page(settings: Settings, work: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Sections 2 and 5 (sample): the full leaderboard page four ways; and its weight."""
    root = work / "page"
    projects = {"cab": cab_project(root / "cab", REPO / "data")}
    log("page: first cab build (to read the visible table)")
    first = sphinx_build(projects["cab"], root / "cab" / "_out", clean=True)
    table = visible_table(root / "cab" / "_out" / "doctrees" / "index.doctree")
    loaded = run_child("load", REPO / "data").result
    projects["list-table"] = list_table_project(root / "list-table", table)
    projects["datatemplates"] = datatemplates_project(root / "datatemplates", table)
    projects["empty"] = empty_project(root / "empty")
    outs = {name: folder / "_out" for name, folder in projects.items()}

    series = {name: Series() for name in projects}
    order = ["cab", "list-table", "datatemplates", "empty"]
    for rep in range(settings.page_reps):
        log(f"page: repetition {rep + 1}/{settings.page_reps}")
        for name in rotate(order, rep):
            series[name].add(sphinx_build(projects[name], outs[name], clean=True))

    medians = {name: s.median for name, s in series.items()}
    page = {
        "rows": len(table.rows),
        "columns": table.header,
        "snapshot_cells": loaded["cells"],
        "warnings": {n: s.samples[-1].result["warnings"] for n, s in series.items()},
        "first_warnings": {n: s.samples[-1].result["first_warnings"] for n, s in series.items()},
        "builds": {name: s.summary() for name, s in series.items()},
        "over_empty": {name: medians[name] / medians["empty"] for name in order},
        "list_table_over_cab": medians["list-table"] / medians["cab"],
        "list_table_over_cab_cpu": series["list-table"].cpu_median / series["cab"].cpu_median,
        "datatemplates_over_cab": medians["datatemplates"] / medians["cab"],
        "round_ratios": {"list_table_over_cab": round_ratios(series["list-table"], series["cab"])},
        "first_build_s": round(first.wall, 4),
    }
    weights = {name: weight(outs[name] / "html" / "index.html") for name in order}
    return page, {
        "sample": {
            "cells": len(table.rows),
            "pages": weights,
            "gzip_cab_over_list_table": weights["cab"]["gzip_bytes"]
            / weights["list-table"]["gzip_bytes"],
        }
    }


def section_big_page(settings: Settings, work: Path) -> dict[str, Any]:
    """Section 5 (large): the leaderboard of a generated snapshot with about 10,000 cells."""
    rows = settings.big_cells * RERUNS_PER_CELL
    log(f"big page: snapshot of {rows} rows")
    snapshot, generated = generate_snapshot(rows)
    root = work / "big-page"
    cab = cab_project(root / "cab", snapshot)
    cab_build = sphinx_build(cab, root / "cab" / "_out", clean=True)
    table = visible_table(root / "cab" / "_out" / "doctrees" / "index.doctree")
    plain = list_table_project(root / "list-table", table)
    log(f"big page: list-table of {len(table.rows)} rows")
    plain_html, plain_build = cached_build(plain, "index.md")
    weights = {
        "cab": weight(root / "cab" / "_out" / "html" / "index.html"),
        "list-table": weight(plain_html),
    }
    return {
        "rows_generated": rows,
        "generate_s": None if generated is None else round(generated, 3),
        "cells": len(table.rows),
        "pages": weights,
        "build_s": {
            "cab": round(cab_build.wall, 4),
            "list-table": None if plain_build is None else round(plain_build, 4),
        },
        "gzip_cab_over_list_table": weights["cab"]["gzip_bytes"]
        / weights["list-table"]["gzip_bytes"],
    }


def section_data(settings: Settings, work: Path) -> dict[str, Any]:
    """Section 3: load + validate + aggregate against a json.loads loop, fresh process each."""
    floor = run_child("idle")
    results: dict[str, Any] = {"idle_peak_rss_bytes": floor.peak_rss, "sizes": {}}
    for rows in settings.data_sizes:
        log(f"data: snapshot of {rows} rows")
        snapshot, generated = generate_snapshot(rows)
        runs = snapshot / "results" / "published"
        cab, plain = Series(), Series()
        reps = settings.data_reps if rows < 1_000_000 else min(settings.data_reps, 3)
        for rep in range(reps):
            log(f"data: {rows} rows, repetition {rep + 1}/{reps}")
            for variant in rotate(["cab", "json"], rep):
                if variant == "cab":
                    cab.add(run_child("load", snapshot))
                else:
                    plain.add(run_child("jsonloop", runs))
        results["sizes"][str(rows)] = {
            "generate_s": None if generated is None else round(generated, 3),
            "file_bytes": sum(p.stat().st_size for p in runs.glob("*.jsonl")),
            "rows_read": cab.samples[-1].result["rows"],
            "rows_rejected": cab.samples[-1].result["rejected"],
            "cells": cab.samples[-1].result["cells"],
            "json_rows": plain.samples[-1].result["rows"],
            "cab": {**cab.summary(), "inner_median_s": round(cab.inner_median(), 4)},
            "json": {**plain.summary(), "inner_median_s": round(plain.inner_median(), 4)},
            "ratio": cab.inner_median() / plain.inner_median(),
            "ratio_cpu": cab.inner_median("cpu_seconds") / plain.inner_median("cpu_seconds"),
            "ratio_process": cab.median / plain.median,
            "round_ratios": round_ratios(cab, plain, inner="seconds"),
        }
    return results


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    key: str
    text: str
    measured: float | None
    limit: float
    higher_is_better: bool = False
    unit: str = "x"
    measured_cpu: float | None = None
    """The same ratio from CPU time, which other work on a shared machine disturbs less."""
    rounds: tuple[float, ...] = ()
    """The ratio of each round on its own (see :func:`round_ratios`); empty for a size or count."""

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        if self.higher_is_better:
            return self.measured >= self.limit
        return self.measured <= self.limit

    @property
    def spread(self) -> tuple[float, float] | None:
        """The middle half of the round ratios: first to third quartile."""
        if len(self.rounds) < 2:
            return None
        low, _, high = statistics.quantiles(self.rounds, n=4, method="inclusive")
        return low, high

    @property
    def settled(self) -> bool | None:
        """Whether the middle half of the rounds lies wholly on the verdict's side of the goal.

        If it does not, the rounds disagree with each other or with the median about the
        verdict, and the next run of the benchmark can give the other one."""
        spread = self.spread
        met = self.met
        if spread is None or met is None:
            return None
        low, high = spread
        if self.higher_is_better:
            return low >= self.limit if met else high < self.limit
        return high <= self.limit if met else low > self.limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "measured": self.measured,
            "limit": self.limit,
            "unit": self.unit,
            "met": self.met,
            "higher_is_better": self.higher_is_better,
            "measured_cpu": self.measured_cpu,
            "rounds": list(self.rounds),
            "spread": None if self.spread is None else list(self.spread),
            "settled": self.settled,
        }


def targets(results: dict[str, Any]) -> list[Target]:
    site = results.get("site", {})
    page = results.get("page", {})
    data = results.get("data", {}).get("sizes", {})
    sample = results.get("weight", {}).get("sample", {})
    million = data.get("1000000")

    def get(mapping: dict[str, Any] | None, *path: str) -> Any:
        for key in path:
            if not isinstance(mapping, dict) or key not in mapping:
                return None
            mapping = mapping[key]
        return mapping

    return [
        Target(
            "overhead",
            "Docs site with cab vs bare Sphinx (clean build)",
            get(site, "ratios", "overhead"),
            1.3,
            measured_cpu=get(site, "ratios", "overhead_cpu"),
            rounds=tuple(get(site, "round_ratios", "overhead") or ()),
        ),
        Target(
            "overhead_same_pages",
            "Docs site with cab vs bare Sphinx with the same pages (clean build)",
            get(site, "ratios", "overhead_same_pages"),
            1.3,
            measured_cpu=get(site, "ratios", "overhead_same_pages_cpu"),
            rounds=tuple(get(site, "round_ratios", "overhead_same_pages") or ()),
        ),
        Target(
            "leaderboard",
            "Leaderboard page: list-table build time / cab build time",
            get(page, "list_table_over_cab"),
            5.0,
            higher_is_better=True,
            measured_cpu=get(page, "list_table_over_cab_cpu"),
            rounds=tuple(get(page, "round_ratios", "list_table_over_cab") or ()),
        ),
        Target(
            "scale_time",
            "1,000,000 rows: cab load+validate+aggregate / json.loads loop",
            get(million, "ratio"),
            3.0,
            measured_cpu=get(million, "ratio_cpu"),
            rounds=tuple(get(million, "round_ratios") or ()),
        ),
        Target(
            "scale_memory",
            "1,000,000 rows: cab peak memory",
            None if million is None else million["cab"]["peak_rss_bytes"] / GIB,
            1.0,
            unit="GiB",
        ),
        Target(
            "noop_reread",
            "No-op rebuild: documents re-read",
            get(site, "noop", "cab", "reread_max"),
            0,
            unit="docs",
        ),
        Target(
            "noop_time",
            "No-op rebuild: cab site vs bare site",
            get(site, "ratios", "noop"),
            1.1,
            measured_cpu=get(site, "ratios", "noop_cpu"),
            rounds=tuple(get(site, "round_ratios", "noop") or ()),
        ),
        Target(
            "noop_time_same_pages",
            "No-op rebuild: cab site vs bare site with the same pages",
            get(site, "ratios", "noop_same_pages"),
            1.1,
            measured_cpu=get(site, "ratios", "noop_same_pages_cpu"),
            rounds=tuple(get(site, "round_ratios", "noop_same_pages") or ()),
        ),
        Target(
            "weight_gzip",
            "Sample leaderboard page, gzip",
            None if not sample else sample["pages"]["cab"]["gzip_bytes"] / 1000,
            300.0,
            unit="KB",
        ),
        Target(
            "weight_ratio",
            "Sample leaderboard page gzip / list-table page gzip",
            get(sample, "gzip_cab_over_list_table"),
            2.0,
        ),
    ]


def _profile_build(src: Path, out: Path, *, clean: bool) -> dict[str, Any]:
    if clean and out.exists():
        shutil.rmtree(out)
    mode = "clean" if clean else "rebuild"
    return run_child("profile-build", src, out / "html", out / "doctrees", mode).result


def _differential(found: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """Which functions spend more own time with cab than in the bare build of the same pages."""
    own, base = found.pop("own_s"), baseline.pop("own_s")
    extra = sorted(
        (
            {"where": w, "extra_s": round(t - base.get(w, 0.0), 4), "own_s": t}
            for w, t in own.items()
        ),
        key=lambda r: -r["extra_s"],
    )
    return {**found, "baseline_total_s": baseline["total_s"], "extra_by_own_time": extra[:12]}


def profile_misses(missed: set[str], results: dict[str, Any], work: Path) -> dict[str, Any]:
    """Profile the cab code path behind each missed target.

    Site targets get a differential profile: the cab site against the bare site with the same
    pages, so the table shows where the extra time goes, not what every Sphinx build costs.
    """
    found: dict[str, Any] = {}
    site_ready = "site" in results and "skipped" not in results["site"]
    cab_docs, bare_docs = work / "site-cab" / "docs", work / "site-bare-pages" / "docs"
    if site_ready and missed & {"overhead", "overhead_same_pages"}:
        log("profile: docs site clean build, with cab and bare (same pages)")
        cab = _profile_build(cab_docs, work / "profile" / "cab", clean=True)
        bare = _profile_build(bare_docs, work / "profile" / "bare", clean=True)
        found["docs site, clean build"] = _differential(cab, bare)
    if site_ready and missed & {"noop_time", "noop_time_same_pages"}:
        log("profile: docs site no-op rebuild, with cab and bare (same pages)")
        for name, docs in (("cab", cab_docs), ("bare", bare_docs)):
            if not (work / "profile" / name).exists():
                _profile_build(docs, work / "profile" / name, clean=True)
        cab = _profile_build(cab_docs, work / "profile" / "cab", clean=False)
        bare = _profile_build(bare_docs, work / "profile" / "bare", clean=False)
        found["docs site, no-op rebuild"] = _differential(cab, bare)
    if "leaderboard" in missed and "page" in results:
        log("profile: leaderboard page build")
        cab = _profile_build(work / "page" / "cab", work / "profile" / "page", clean=True)
        empty = _profile_build(work / "page" / "empty", work / "profile" / "empty", clean=True)
        found["leaderboard page, clean build (against the empty page)"] = _differential(cab, empty)
    if missed & {"scale_time", "scale_memory"}:
        log("profile: data layer, 100,000 rows")
        snapshot, _ = generate_snapshot(100_000)
        result = run_child("profile-load", snapshot).result
        result.pop("own_s")
        found["load_snapshot, 100,000 rows"] = result
    return found


# --------------------------------------------------------------------------- main


SECTIONS = ("site", "page", "big", "data")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repetitions, skip the 1M-row snapshot, write to bench/_out/",
    )
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only these sections (development)"
    )
    parser.add_argument("--no-profile", action="store_true", help="never profile missed targets")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args(argv)
    settings = Settings.make(args.quick)
    only = set(args.only or SECTIONS)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="cab-bench-"))
    log(f"work folder {work}")
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "quick": settings.quick,
            "site_reps": settings.site_reps,
            "noop_reps": settings.noop_reps,
            "attribution_reps": settings.attribution_reps,
            "page_reps": settings.page_reps,
            "data_reps": settings.data_reps,
            "data_sizes": list(settings.data_sizes),
            "big_cells": settings.big_cells,
            "sections": sorted(only),
        },
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
    }
    try:
        if "site" in only:
            results["site"] = section_site(settings, work)
        if "page" in only:
            results["page"], results["weight"] = section_page(settings, work)
        if "big" in only:
            results.setdefault("weight", {})["big"] = section_big_page(settings, work)
        if "data" in only:
            results["data"] = section_data(settings, work)
        checks = targets(results)
        results["targets"] = [t.as_dict() for t in checks]
        missed = {t.key for t in checks if t.met is False}
        results["profiles"] = {} if args.no_profile else profile_misses(missed, results, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["wall_s"] = round(time.perf_counter() - started, 1)

    out_dir = BENCH / "_out" if settings.quick or args.only else BENCH
    out_dir.mkdir(exist_ok=True)
    markdown = render_markdown(results)
    (out_dir / "results.md").write_text(markdown, encoding="utf-8")
    (out_dir / "results.json").write_text(
        json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(markdown)
    log(f"wrote {out_dir / 'results.md'} and results.json in {results['wall_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
