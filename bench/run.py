"""Side-by-side performance benchmark of sphinxcontrib-cab (``nox -s bench``); see README.md.

Writes ``bench/results.md`` and ``bench/results.json``; ``--quick`` (fewer repetitions, no
1M-row snapshot) and ``--only`` write to ``bench/_out/`` instead.
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

import projects  # noqa: E402
from children import ATTRIBUTION_PARTS  # noqa: E402
from report import render_markdown  # noqa: E402

CACHE = Path(os.environ.get("CAB_BENCH_CACHE") or BENCH / "_out" / "cache")
SECTIONS = ("site", "page", "big", "data", "chart")
FULL = {
    "site_reps": 7,
    "noop_reps": 11,
    "attribution_reps": 3,
    "page_reps": 7,
    "data_reps": 3,
    "data_sizes": [10_000, 100_000, 1_000_000],
    "big_cells": 10_000,
}
QUICK = {
    **FULL,
    "site_reps": 2,
    "noop_reps": 3,
    "attribution_reps": 1,
    "page_reps": 3,
    "data_reps": 2,
    "data_sizes": [10_000, 100_000],
}


@dataclass
class Sample:
    wall: float  # seconds from start to exit of the child: what a user waits for
    result: dict[str, Any]
    peak_rss: int  # bytes, from os.wait4
    cpu: float  # user + system seconds of the child, from os.wait4


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    def median(self, measure: str = "wall") -> float:
        return statistics.median(value(s, measure) for s in self.samples)

    def last(self, key: str) -> Any:
        return self.samples[-1].result[key]

    def summary(self) -> dict[str, Any]:
        walls = [s.wall for s in self.samples]
        return {
            "median_s": round(self.median(), 4),
            "min_s": round(min(walls), 4),
            "max_s": round(max(walls), 4),
            "runs_s": [round(w, 4) for w in walls],
            "cpu_median_s": round(self.median("cpu"), 4),
            "peak_rss_bytes": max(s.peak_rss for s in self.samples),
        }


def value(sample: Sample, measure: str) -> float:
    """``wall`` or ``cpu`` of the child process, or a number the child measured itself."""
    return getattr(sample, measure) if measure in ("wall", "cpu") else sample.result[measure]


def round_ratios(a: Series, b: Series, *, inner: str | None = None) -> list[float]:
    """``a[i] / b[i]`` per round: the two ran back to back, under about the same load."""
    measure = inner or "wall"
    pairs = zip(a.samples, b.samples, strict=True)
    return [value(x, measure) / value(y, measure) for x, y in pairs]


def compare(a: Series, b: Series, inner: str | None = None) -> tuple[float, float, list[float]]:
    """Ratio of medians (wall or ``inner``), the same from CPU time, and the round ratios."""
    wall, cpu = (inner, "cpu_seconds") if inner else ("wall", "cpu")
    ratio = a.median(wall) / b.median(wall)
    return ratio, a.median(cpu) / b.median(cpu), round_ratios(a, b, inner=inner)


# -- child processes and caches -----------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SPHINX_PARALLEL"}
    # the children import the package from the tree this file lives in, even in a copy
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return {**env, "PYTHONDONTWRITEBYTECODE": "0", "NO_COLOR": "1"}


def run_child(mode: str, *args: object) -> Sample:
    """``children.py MODE ARGS`` in a fresh interpreter, timed, with its peak memory."""
    command = [sys.executable, str(BENCH / "children.py"), mode, *map(str, args)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO, env=child_env())
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-4000:]}")
    result = json.loads(stdout.rstrip().rsplit("\n", 1)[-1])
    return Sample(wall, result, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


def build(src: Path, out: Path, *, clean: bool, jobs: int = 1, mode: str = "build") -> Sample:
    """A Sphinx HTML build (``mode``: plain, ``attribute-build`` or ``profile-build``)."""
    if clean:
        shutil.rmtree(out, ignore_errors=True)
    extra = {"build": [jobs], "profile-build": ["clean" if clean else "rebuild"]}.get(mode, [])
    sample = run_child(mode, src, out / "html", out / "doctrees", *extra)
    if sample.result.get("status_code") not in (0, None):
        raise RuntimeError(f"build of {src} failed: {sample.result.get('first_warnings')}")
    return sample


def source_key(*parts: bytes) -> str:
    return hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in parts)).hexdigest()[:16]


def snapshot(rows: int) -> tuple[Path, float | None]:
    """A generated snapshot of ``rows`` rows and the seconds it took (None: from the cache);
    the generator's output depends only on its code and its spec."""
    tools = REPO / "tools"
    generator, spec = tools / "generate_snapshot.py", tools / "sample_spec.yaml"
    dest = CACHE / "snapshots" / f"{rows}-{source_key(generator.read_bytes(), spec.read_bytes())}"
    if (dest / ".complete").exists():
        return dest, None
    shutil.rmtree(dest, ignore_errors=True)
    started = time.perf_counter()
    command = [sys.executable, str(generator), "--rows", str(rows), "--out", str(dest)]
    subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL, env=child_env())
    (dest / ".complete").write_text("")
    return dest, time.perf_counter() - started


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rotated(items: list[str], by: int) -> list[str]:
    """The variants in the order of repetition ``by``, so none always runs first."""
    by %= len(items)
    return items[by:] + items[:by]


def weight(page: Path) -> dict[str, Any]:
    raw = page.read_bytes()
    text = raw.decode("utf-8")
    spans = {
        "table": r"<table.*?</table>",
        "details_popovers": r"<details.*?</details>",
        "data_attributes": r'\sdata-[\w-]+="[^"]*"',
        "class_attributes": r'\sclass="[^"]*"',
    }
    return {
        "raw_bytes": len(raw),
        "gzip_bytes": len(gzip.compress(raw, compresslevel=6, mtime=0)),
        "breakdown_bytes": {
            name: sum(len(m.group(0).encode()) for m in re.finditer(pattern, text, re.DOTALL))
            for name, pattern in spans.items()
        },
    }


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".buildinfo"
    }


# -- sections -----------------------------------------------------------------------------------


def section_site(settings: dict[str, Any], work: Path) -> dict[str, Any]:
    """Sections 1, 4 and 6 on the docs site: clean, no-op and one-row-changed rebuilds, -j 2,
    and where cab's time goes. ``bare`` is the site with cab stripped and task pages off;
    ``bare-pages`` keeps the task pages cab generated, stripped too, so it has the same pages."""
    task_pages = projects.task_pages_folder(REPO / "docs" / "conf.py")
    docs = {v: projects.copy_site(REPO, work / v, task_pages) for v in ("cab", "bare", "pages")}
    stripped = projects.strip_site(docs["bare"], task_pages_off=task_pages)
    log("site: first cab build (generates the task pages the same-pages baseline keeps)")
    build(docs["cab"], work / "cab" / "_out", clean=True)
    if task_pages:
        shutil.copytree(docs["cab"] / task_pages, docs["pages"] / task_pages)
    stripped_pages = projects.strip_site(docs["pages"])
    # variant: (sources, output, jobs); -j 1 and -j 2 share a folder to compare their bytes
    variants = {
        "cab": (docs["cab"], work / "cab" / "_out", 1),
        "bare": (docs["bare"], work / "bare" / "_out", 1),
        "bare-pages": (docs["pages"], work / "pages" / "_out", 1),
        "cab-j2": (docs["cab"], work / "cab" / "_out", 2),
    }
    noop_variants = ["cab", "bare", "bare-pages"]
    clean = {v: Series() for v in variants}
    noop = {v: Series() for v in noop_variants}
    changed, outputs = Series(), {}
    data_file = sorted((work / "cab" / "data").rglob("*.jsonl"))[0]
    original = data_file.read_text(encoding="utf-8")
    record = json.loads(original.splitlines()[0])
    record["scores"]["wall_s"] = round(record["scores"]["wall_s"] + 1.25, 3)
    edited = json.dumps(record, ensure_ascii=False) + "\n" + original.split("\n", 1)[1]
    for rep in range(settings["noop_reps"]):
        # no-op rebuilds are short and noisy, so they get more rounds than clean builds
        log(f"site: round {rep + 1}/{settings['noop_reps']}")
        if rep < settings["site_reps"]:
            for v in rotated(list(variants), rep):
                src, out, jobs = variants[v]
                clean[v].add(build(src, out, clean=True, jobs=jobs))
                if v.startswith("cab") and rep == settings["site_reps"] - 1:
                    outputs[v] = digests(out / "html")
        for v in rotated(noop_variants, rep):
            noop[v].add(build(variants[v][0], variants[v][1], clean=False))
        if rep < settings["site_reps"]:
            data_file.write_text(edited, encoding="utf-8")
            changed.add(build(docs["cab"], variants["cab"][1], clean=False))
            data_file.write_text(original, encoding="utf-8")
        if rep == settings["site_reps"] - 1:
            build(docs["cab"], variants["cab"][1], clean=False)  # undo the change; not counted
    attributed: dict[str, list[dict[str, Any]]] = {"cab": [], "bare-pages": []}
    for rep in range(settings["attribution_reps"]):
        log(f"site: attribution build {rep + 1}/{settings['attribution_reps']}")
        for v in rotated(list(attributed), rep):
            out = work / "attribution" / v
            found = build(variants[v][0], out, clean=True, mode="attribute-build")
            attributed[v].append(found.result)
    ratios, rounds = {}, {}
    for key, a, b in (
        ("overhead", clean["cab"], clean["bare"]),
        ("overhead_same_pages", clean["cab"], clean["bare-pages"]),
        ("noop", noop["cab"], noop["bare"]),
        ("noop_same_pages", noop["cab"], noop["bare-pages"]),
    ):
        ratios[key], ratios[f"{key}_cpu"], rounds[key] = compare(a, b)
    ratios["parallel_j2_over_j1"] = clean["cab-j2"].median() / clean["cab"].median()
    j1, j2 = outputs["cab"], outputs["cab-j2"]
    differing = sorted(k for k in j1.keys() | j2.keys() if j1.get(k) != j2.get(k))
    return {
        "stripped": stripped,
        "stripped_same_pages": stripped_pages,
        "documents": {v: len(s.last("read")) for v, s in clean.items()},
        "warnings": {v: s.last("warnings") for v, s in clean.items()},
        "first_warnings": {v: s.last("first_warnings") for v, s in clean.items()},
        "clean": {v: s.summary() for v, s in clean.items()},
        "noop": {
            v: {
                **s.summary(),
                "reread_max": max(len(x.result["read"]) for x in s.samples),
                "reread": s.last("read"),
                "written": s.last("written"),
            }
            for v, s in noop.items()
        },
        "data_change": {
            "file": str(data_file.relative_to(work / "cab")),
            "changed": {**changed.summary(), "reread": changed.last("read")},
        },
        "parallel_identical_output": {
            "identical": bool(j1) and not differing,
            "files": len(j1),
            "differing": differing[:20],
        },
        "attribution": attribution(attributed["cab"], attributed["bare-pages"]),
        "ratios": ratios,
        "round_ratios": rounds,
    }


def _split(sample: dict[str, Any]) -> dict[str, float]:
    """One attribution build as disjoint parts that add up to its total."""
    parts = {f"cab_{name}": sample["cab_own"][name] for name in ATTRIBUTION_PARTS}
    cab_total = sum(parts.values())
    gc_outside = sample["gc"] - sample["gc_inside_cab"]
    return {
        **parts,
        "cab_total": cab_total,
        "gc_outside_cab": gc_outside,
        "rest": sample["seconds"] - cab_total - gc_outside,
        "total": sample["seconds"],
        "without_cab_code": sample["seconds"] - cab_total,
    }


def attribution(cab: list[dict[str, Any]], bare: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Median of each part, and the ratio the cab site would have if cab's code took no time."""
    if not cab or not bare:
        return None
    with_cab, without = (
        {k: statistics.median(p[k] for p in parts) for k in parts[0]}
        for parts in ([_split(s) for s in cab], [_split(s) for s in bare])
    )
    return {
        "repetitions": len(cab),
        "cab": with_cab,
        "bare-pages": without,
        "ratio": with_cab["total"] / without["total"],
        "ratio_without_cab_code": with_cab["without_cab_code"] / without["total"],
    }


def section_page(settings: dict[str, Any], work: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Sections 2 and 5 (sample): the full leaderboard page four ways, and its weight."""
    built = projects.page_projects(work / "page", REPO / "data")
    log("page: first cab build (to read the visible table)")
    build(built["cab"], built["cab"] / "_out", clean=True)
    table = projects.visible_table(built["cab"] / "_out" / "doctrees" / "index.doctree")
    built["list-table"] = projects.list_table_project(work / "page" / "list-table", table)
    built["datatemplates"] = projects.datatemplates_project(work / "page" / "datatemplates", table)
    order = ["cab", "list-table", "datatemplates", "empty"]
    series = {name: Series() for name in order}
    for rep in range(settings["page_reps"]):
        log(f"page: repetition {rep + 1}/{settings['page_reps']}")
        for name in rotated(order, rep):
            series[name].add(build(built[name], built[name] / "_out", clean=True))
    ratio, ratio_cpu, rounds = compare(series["list-table"], series["cab"])
    weights = {name: weight(built[name] / "_out" / "html" / "index.html") for name in order}
    return {
        "rows": len(table["rows"]),
        "columns": table["header"],
        "snapshot_cells": run_child("load", REPO / "data").result["cells"],
        "warnings": {n: s.last("warnings") for n, s in series.items()},
        "builds": {name: s.summary() for name, s in series.items()},
        "over_empty": {n: s.median() / series["empty"].median() for n, s in series.items()},
        "list_table_over_cab": ratio,
        "list_table_over_cab_cpu": ratio_cpu,
        "round_ratios": {"list_table_over_cab": rounds},
    }, {
        "sample": {
            "cells": len(table["rows"]),
            "pages": weights,
            "gzip_cab_over_list_table": weights["cab"]["gzip_bytes"]
            / weights["list-table"]["gzip_bytes"],
        }
    }


def section_chart(settings: dict[str, Any], work: Path) -> dict[str, Any]:
    """Section 7: what a heatmap and a frontier of the sample add to the leaderboard page's
    build (difference of medians), and the weight of the page with both."""
    built = projects.chart_projects(work / "chart", REPO / "data")
    order = list(built)
    series = {name: Series() for name in order}
    for rep in range(settings["page_reps"]):
        log(f"chart: repetition {rep + 1}/{settings['page_reps']}")
        for name in rotated(order, rep):
            series[name].add(build(built[name], built[name] / "_out", clean=True))
    base = series["leaderboard"]
    return {
        "builds": {name: s.summary() for name, s in series.items()},
        "added_s": {n: series[n].median() - base.median() for n in ("heatmap", "frontier")},
        "added_cpu_s": {
            n: series[n].median("cpu") - base.median("cpu") for n in ("heatmap", "frontier")
        },
        "round_added_s": {
            n: [a.wall - b.wall for a, b in zip(series[n].samples, base.samples, strict=True)]
            for n in ("heatmap", "frontier")
        },
        "weight": weight(built["both"] / "_out" / "html" / "index.html"),
    }


def section_big_page(settings: dict[str, Any], work: Path) -> dict[str, Any]:
    """Section 5 (large): the leaderboard of a generated snapshot with about 10,000 cells."""
    rows = settings["big_cells"] * 3  # three reruns per cell
    log(f"big page: snapshot of {rows} rows")
    folder, generated = snapshot(rows)
    cab = projects.page_projects(work / "big-page", folder)["cab"]
    cab_build = build(cab, cab / "_out", clean=True)
    table = projects.visible_table(cab / "_out" / "doctrees" / "index.doctree")
    plain = projects.list_table_project(work / "big-page" / "list-table", table)
    # only its bytes are measured and its build is slow: cached on its exact source
    versions = " ".join(metadata.version(d) for d in ("sphinx", "docutils", "myst-parser"))
    key = source_key(
        (plain / "conf.py").read_bytes(), (plain / "index.md").read_bytes(), versions.encode()
    )
    html, plain_build = CACHE / "pages" / f"{key}.html", None
    if not html.exists():
        log(f"big page: list-table of {len(table['rows'])} rows")
        plain_build = build(plain, plain / "_out", clean=True).wall
        html.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plain / "_out" / "html" / "index.html", html)
    weights = {"cab": weight(cab / "_out" / "html" / "index.html"), "list-table": weight(html)}
    return {
        "rows_generated": rows,
        "generate_s": generated,
        "cells": len(table["rows"]),
        "pages": weights,
        "build_s": {"cab": cab_build.wall, "list-table": plain_build},
        "gzip_cab_over_list_table": weights["cab"]["gzip_bytes"]
        / weights["list-table"]["gzip_bytes"],
    }


def section_data(settings: dict[str, Any], work: Path) -> dict[str, Any]:
    """Section 3: load + validate + aggregate against a json.loads loop, fresh process each."""
    results: dict[str, Any] = {"idle_peak_rss_bytes": run_child("idle").peak_rss, "sizes": {}}
    for rows in settings["data_sizes"]:
        log(f"data: snapshot of {rows} rows")
        folder, generated = snapshot(rows)
        runs = folder / "results" / "published"
        series = {"cab": Series(), "json": Series()}
        for rep in range(settings["data_reps"]):
            log(f"data: {rows} rows, repetition {rep + 1}")
            for v in rotated(list(series), rep):
                series[v].add(run_child(*(("load", folder) if v == "cab" else ("jsonloop", runs))))
        cab, plain = series["cab"], series["json"]
        ratio, ratio_cpu, rounds = compare(cab, plain, inner="seconds")
        results["sizes"][str(rows)] = {
            "generate_s": generated,
            "file_bytes": sum(p.stat().st_size for p in runs.glob("*.jsonl")),
            "rows_read": cab.last("rows"),
            "rows_rejected": cab.last("rejected"),
            "cells": cab.last("cells"),
            "json_rows": plain.last("rows"),
            "cab": {**cab.summary(), "inner_median_s": cab.median("seconds")},
            "json": {**plain.summary(), "inner_median_s": plain.median("seconds")},
            "ratio": ratio,
            "ratio_cpu": ratio_cpu,
            "ratio_process": cab.median() / plain.median(),
            "round_ratios": rounds,
        }
    return results


# -- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    text: str
    measured: float | None
    limit: float
    higher_is_better: bool = False
    unit: str = "x"
    measured_cpu: float | None = None  # the same ratio from CPU time
    rounds: tuple[float, ...] = ()  # the ratio of each round; empty for a size or a count

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        return self.measured >= self.limit if self.higher_is_better else self.measured <= self.limit

    @property
    def spread(self) -> tuple[float, float] | None:
        """The middle half of the round ratios: first to third quartile."""
        if len(self.rounds) < 2:
            return None
        low, _, high = statistics.quantiles(self.rounds, n=4, method="inclusive")
        return low, high

    @property
    def settled(self) -> bool | None:
        """Whether the middle half of the rounds lies wholly on the verdict's side of the goal;
        if not, the next run of the benchmark can give the other verdict."""
        if self.spread is None or self.met is None:
            return None
        low, high = self.spread
        above = low >= self.limit if self.met else high < self.limit
        below = high <= self.limit if self.met else low > self.limit
        return above if self.higher_is_better else below

    def as_dict(self) -> dict[str, Any]:
        spread = self.spread
        return {
            **self.__dict__,
            "rounds": list(self.rounds),
            "met": self.met,
            "spread": spread and list(spread),
            "settled": self.settled,
        }


def targets(results: dict[str, Any]) -> list[Target]:
    def get(*path: str) -> Any:
        found: Any = results
        for key in path:
            found = found.get(key) if isinstance(found, dict) else None
        return found

    def ratio(
        key: str,
        text: str,
        limit: float,
        at: tuple[str, ...],
        rounds: tuple[str, ...],
        higher_is_better: bool = False,
    ) -> Target:
        return Target(
            key,
            text,
            get(*at),
            limit,
            higher_is_better,
            measured_cpu=get(*at[:-1], f"{at[-1]}_cpu"),
            rounds=tuple(get(*rounds) or ()),
        )

    million = ("data", "sizes", "1000000")
    rss = get(*million, "cab", "peak_rss_bytes")
    gzip_bytes = get("weight", "sample", "pages", "cab", "gzip_bytes")
    chart_gzip = get("chart", "weight", "gzip_bytes")
    site = {
        name: (("site", "ratios", name), ("site", "round_ratios", name))
        for name in ("overhead", "overhead_same_pages", "noop", "noop_same_pages")
    }
    return [
        ratio(
            "overhead", "Docs site with cab vs bare Sphinx (clean build)", 1.3, *site["overhead"]
        ),
        ratio(
            "overhead_same_pages",
            "Docs site with cab vs bare Sphinx with the same pages (clean build)",
            1.3,
            *site["overhead_same_pages"],
        ),
        ratio(
            "leaderboard",
            "Leaderboard page: list-table build time / cab build time",
            5.0,
            ("page", "list_table_over_cab"),
            ("page", "round_ratios", "list_table_over_cab"),
            higher_is_better=True,
        ),
        ratio(
            "scale_time",
            "1,000,000 rows: cab load+validate+aggregate / json.loads loop",
            3.0,
            (*million, "ratio"),
            (*million, "round_ratios"),
        ),
        Target(
            "scale_memory",
            "1,000,000 rows: cab peak memory",
            None if rss is None else rss / 1024**3,
            1.0,
            unit="GiB",
        ),
        Target(
            "noop_reread",
            "No-op rebuild: documents re-read",
            get("site", "noop", "cab", "reread_max"),
            0,
            unit="docs",
        ),
        ratio("noop_time", "No-op rebuild: cab site vs bare site", 1.1, *site["noop"]),
        ratio(
            "noop_time_same_pages",
            "No-op rebuild: cab site vs bare site with the same pages",
            1.1,
            *site["noop_same_pages"],
        ),
        Target(
            "weight_gzip",
            "Sample leaderboard page, gzip",
            None if gzip_bytes is None else gzip_bytes / 1000,
            300.0,
            unit="KB",
        ),
        Target(
            "weight_ratio",
            "Sample leaderboard page gzip / list-table page gzip",
            get("weight", "sample", "gzip_cab_over_list_table"),
            2.0,
        ),
        *(
            Target(
                f"chart_{name}",
                f"Sample {name} chart: build time added to the leaderboard page",
                get("chart", "added_s", name),
                0.1,
                unit="s",
                rounds=tuple(get("chart", "round_added_s", name) or ()),
            )
            for name in ("heatmap", "frontier")
        ),
        Target(
            "chart_weight_gzip",
            "Sample leaderboard page with heatmap and frontier, gzip",
            None if chart_gzip is None else chart_gzip / 1000,
            300.0,
            unit="KB",
        ),
    ]


# -- profiles of missed targets -----------------------------------------------------------------


def differential(cab: Sample, baseline: Sample) -> dict[str, Any]:
    """The functions whose own time grows most with cab against the same build without it."""
    found, base = dict(cab.result), baseline.result
    own, base_own = found.pop("own_s"), base["own_s"]
    extra = [
        {"where": w, "extra_s": round(t - base_own.get(w, 0.0), 4), "own_s": t}
        for w, t in own.items()
    ]
    extra.sort(key=lambda r: -r["extra_s"])
    return {**found, "baseline_total_s": base["total_s"], "extra_by_own_time": extra[:12]}


def profile_misses(missed: set[str], results: dict[str, Any], work: Path) -> dict[str, Any]:
    """cProfile of the cab code path behind each missed target; builds against their baseline."""
    found: dict[str, Any] = {}
    prof = work / "profile"
    site = {"cab": work / "cab" / "docs", "bare": work / "pages" / "docs"}
    if "site" in results and missed & {"overhead", "overhead_same_pages"}:
        log("profile: docs site clean build, with cab and bare (same pages)")
        cab, bare = (build(site[v], prof / v, clean=True, mode="profile-build") for v in site)
        found["docs site, clean build"] = differential(cab, bare)
    if "site" in results and missed & {"noop_time", "noop_time_same_pages"}:
        log("profile: docs site no-op rebuild, with cab and bare (same pages)")
        for v in site:
            if not (prof / v).exists():
                build(site[v], prof / v, clean=True, mode="profile-build")
        cab, bare = (build(site[v], prof / v, clean=False, mode="profile-build") for v in site)
        found["docs site, no-op rebuild"] = differential(cab, bare)
    if "leaderboard" in missed and "page" in results:
        log("profile: leaderboard page build")
        cab, empty = (
            build(work / "page" / v, prof / f"page-{v}", clean=True, mode="profile-build")
            for v in ("cab", "empty")
        )
        found["leaderboard page, clean build (against the empty page)"] = differential(cab, empty)
    if missed & {"scale_time", "scale_memory"}:
        log("profile: data layer, 100,000 rows")
        result = run_child("profile-load", snapshot(100_000)[0]).result
        result.pop("own_s")
        found["load_snapshot, 100,000 rows"] = result
    return found


# -- main ---------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    def read(path: str, pattern: str) -> str | None:
        match = re.search(pattern, Path(path).read_text()) if Path(path).exists() else None
        return match.group(1).strip() if match else None

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
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = (
        os.environ.get("CAB_BENCH_COMMIT")
        or subprocess.run(git, cwd=REPO, capture_output=True, text=True).stdout.strip()
    )
    return {
        "cpu": read("/proc/cpuinfo", r"model name\s*:(.*)") or "unknown",
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_bytes": int(read("/proc/meminfo", r"MemTotal:\s+(\d+) kB") or 0) * 1024,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit or "unknown",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no 1M rows")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="only these sections")
    parser.add_argument("--no-profile", action="store_true", help="never profile missed targets")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    only = set(args.only or SECTIONS)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="cab-bench-"))
    log(f"work folder {work}")
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {**settings, "quick": args.quick, "sections": sorted(only)},
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
        if "chart" in only:
            results["chart"] = section_chart(settings, work)
        checks = targets(results)
        results["targets"] = [t.as_dict() for t in checks]
        missed = {t.key for t in checks if t.met is False}
        results["profiles"] = {} if args.no_profile else profile_misses(missed, results, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["wall_s"] = round(time.perf_counter() - started, 1)
    out = BENCH / "_out" if args.quick or args.only else BENCH
    out.mkdir(exist_ok=True)
    markdown = render_markdown(results)
    (out / "results.md").write_text(markdown, encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(markdown)
    log(f"wrote {out / 'results.md'} and results.json in {results['wall_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
