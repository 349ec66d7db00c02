"""Render the benchmark's results as Markdown (included by docs/performance.md, one level down).

Every number and every met / missed mark is computed from the results; nothing is typed in.
"""

from __future__ import annotations

from typing import Any

MIB = 1024**2
PAGES = {
    "cab": "`cab-leaderboard`",
    "list-table": "MyST `list-table`",
    "datatemplates": "sphinxcontrib-datatemplates (JSON)",
    "empty": "empty page",
}
ATTRIBUTION_ROWS = (
    ("cab_setup", "cab: extension setup (importing the package, registering everything)"),
    ("cab_data", "cab: `builder-inited` (importing pydantic, loading and checking every snapshot)"),
    ("cab_directives", "cab: directives and roles (reading)"),
    ("cab_post_transforms", "cab: post-transforms (writing)"),
    ("cab_other_handlers", "cab: other event handlers"),
    ("gc_outside_cab", "garbage collection, outside cab's code"),
    ("rest", "everything else: Sphinx, docutils, MyST, the theme, the search index"),
    ("total", "total"),
)


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


def _x(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def _kb(size: int) -> str:
    return f"{size / 1000:,.1f} KB"


def _mib(size: int) -> str:
    return f"{size / MIB:,.0f} MiB"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return [*lines, *("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows), ""]


def _targets(results: dict[str, Any]) -> list[str]:
    rows = []
    for t in results["targets"]:
        value, unit, limit = t["measured"], t["unit"], t["limit"]
        shown = {"x": "{:.2f}x", "docs": "{:d}"}.get(unit, "{:.2f} " + unit)
        sign = "<" if t["key"] in {"weight_gzip", "chart_weight_gzip", "scale_memory"} else "<="
        between = "{:.2f}x to {:.2f}x" if unit == "x" else "{:.3f} to {:.3f} " + unit
        goal = f"{limit:g}x" if unit == "x" else f"{limit:g} {unit}"
        verdict = {True: "met", False: "**missed**", None: "not measured"}[t["met"]]
        spread = t.get("spread")
        rows.append(
            [
                t["text"],
                "-" if value is None else shown.format(value),
                between.format(*spread) if spread else "-",
                _x(t.get("measured_cpu")),
                f"{limit:g} documents"
                if unit == "docs"
                else f"{'>=' if t['higher_is_better'] else sign} {goal}",
                f"{verdict}, unsettled" if t.get("settled") is False else verdict,
            ]
        )
    return [
        "# Targets",
        "",
        "Verdicts are judged on wall-clock medians (what a user waits for). The same ratio "
        "from CPU time is shown next to it: the machine is shared, and CPU time is what other "
        "work on it disturbs least.",
        "",
        "Each repetition (a round) builds or loads every compared variant back to back, so a "
        "round's own ratio compares two runs that saw about the same load. The middle half of "
        "those ratios (first to third quartile) shows how much one round moves against "
        "another. A verdict is *unsettled* when that middle half does not lie wholly on the "
        "verdict's side of the goal: another run of the benchmark can give the other verdict.",
        "",
        *_table(
            [
                "target",
                "measured (median)",
                "rounds: middle half",
                "CPU-time ratio",
                "goal",
                "verdict",
            ],
            rows,
        ),
    ]


def _site(site: dict[str, Any] | None) -> list[str]:
    if not site:
        return []
    clean, noop, ratios, docs = site["clean"], site["noop"], site["ratios"], site["documents"]
    stripped, pages = site["stripped"], site["stripped_same_pages"]

    def row(label: str, series: dict[str, Any], documents: int, ratio: str) -> list[str]:
        times = [series[k] for k in ("median_s", "min_s", "max_s", "cpu_median_s")]
        return [label, *map(_s, times), str(documents), ratio]

    written = noop["cab"]["written"]
    lines = [
        "# 1. Build overhead, 4. incremental and 6. parallel: the docs site",
        "",
        f"The docs site built clean with cab ({docs['cab']} documents, "
        f"{docs['cab'] - docs['bare']} of them task pages cab generates) against two copies "
        "without cab. *Bare* is the issue's "
        f"definition: every cab directive ({stripped['directives']}) and role "
        f"({stripped['roles']}) stripped (roles keep their text), the extension removed and task "
        f"pages off ({docs['bare']} documents; {stripped['toctree_entries']} toctree entries into "
        "the task pages dropped with them). *Bare, same pages* keeps the task pages cab generated "
        f"as plain sources with their cab directives stripped too ({pages['directives']} "
        f"directives in all, {docs['bare-pages']} documents), so both sites have the same pages.",
        "",
        *_table(
            ["build", "median", "min", "max", "CPU median", "documents read", "ratio"],
            [
                row("clean, with cab, `-j 1`", clean["cab"], docs["cab"], _x(ratios["overhead"])),
                row("clean, bare", clean["bare"], docs["bare"], "1.00x"),
                row(
                    "clean, bare, same pages",
                    clean["bare-pages"],
                    docs["bare-pages"],
                    f"cab is {_x(ratios['overhead_same_pages'])} of this",
                ),
                row(
                    "clean, with cab, `-j 2`",
                    clean["cab-j2"],
                    docs["cab-j2"],
                    f"{_x(ratios['parallel_j2_over_j1'])} of `-j 1`",
                ),
                row(
                    "no-op rebuild, with cab",
                    noop["cab"],
                    noop["cab"]["reread_max"],
                    _x(ratios["noop"]),
                ),
                row("no-op rebuild, bare", noop["bare"], noop["bare"]["reread_max"], "1.00x"),
                row(
                    "no-op rebuild, bare, same pages",
                    noop["bare-pages"],
                    noop["bare-pages"]["reread_max"],
                    f"cab is {_x(ratios['noop_same_pages'])} of this",
                ),
            ],
        ),
        "Documents read: for clean builds, all of them; for no-op rebuilds, the most re-read in "
        "any repetition. Pages written by the last no-op rebuild: with cab "
        f"{len(written)}, bare {len(noop['bare']['written'])}, bare with the "
        f"same pages {len(noop['bare-pages']['written'])}"
        + (f" (with cab: {', '.join(f'`{d}`' for d in written[:10])})." if written else "."),
        "",
    ]
    change = site.get("data_change")
    if change:
        changed = change["changed"]
        reread = changed["reread"]
        shown = ", ".join(f"`{d}`" for d in reread[:12])
        more = f" and {len(reread) - 12} more" if len(reread) > 12 else ""
        lines.append(
            f"- Rebuild after one run row changed in `{change['file']}` (its wall time nudged): "
            f"median {_s(changed['median_s'])} (CPU {_s(changed['cpu_median_s'])}), "
            f"{len(reread)} of {docs['cab']} documents re-read"
            + (f" ({shown}{more})." if reread else ".")
        )
    same, warnings = site["parallel_identical_output"], site["warnings"]
    lines += [
        f"- `-j 2` output is {'byte-identical to' if same['identical'] else 'different from'} "
        f"the `-j 1` output ({same['files']} files compared"
        + ("" if same["identical"] else f"; differing: {', '.join(same['differing'])}")
        + ").",
        f"- Warnings in the clean builds: with cab {warnings['cab']}, bare {warnings['bare']}, "
        f"bare with the same pages {warnings['bare-pages']}.",
        "",
    ]
    found = site.get("attribution")
    if not found:
        return lines
    cab, bare = found["cab"], found["bare-pages"]
    rows = [
        [label, _s(cab[k]), _s(bare[k]), f"{cab[k] - bare[k]:+.2f} s"]
        for k, label in ATTRIBUTION_ROWS
    ]
    return [
        *lines,
        "## Where the extra time of the clean build goes",
        "",
        f"Clean builds of each site ({found['repetitions']} more of each), timed inside the "
        "process (the interpreter's start and Sphinx's own import are not included) with plain "
        "timers, no profiler: cab's code at its entry points (outermost call only), garbage "
        "collection from `gc.callbacks`. Medians per part, so the parts need not add up exactly "
        "to the total.",
        "",
        *_table(["part", "with cab", "bare, same pages", "difference"], rows),
        f"In-process, the cab site takes {_x(found['ratio'])} of the bare site with the same "
        f"pages. Without cab's own code (every cab row above set to zero) it would still take "
        f"{_s(cab['without_cab_code'])}, {_x(found['ratio_without_cab_code'])} of it: that part "
        "is Sphinx and docutils processing the content cab puts on the pages, and collecting "
        "the garbage it leaves.",
        "",
    ]


def _page(page: dict[str, Any] | None) -> list[str]:
    if not page:
        return []
    builds = page["builds"]
    rows = [
        [
            label,
            *(_s(builds[name][k]) for k in ("median_s", "min_s", "max_s", "cpu_median_s")),
            _x(page["over_empty"][name]),
            _x(builds[name]["median_s"] / builds["cab"]["median_s"]),
        ]
        for name, label in PAGES.items()
    ]
    return [
        "# 2. The full leaderboard page against the alternatives",
        "",
        "One-page projects, clean `-b html` build in a fresh process each, default theme. "
        f"The table has {page['rows']:,} rows (the snapshot has {page['snapshot_cells']:,} "
        f"cells) and the columns {', '.join(page['columns'])}; the list-table and JSON hold the "
        "same visible text, read from cab's doctree.",
        "",
        *_table(
            ["page", "median", "min", "max", "CPU median", "vs empty page", "time vs cab"], rows
        ),
    ]


def _weight(weight: dict[str, Any] | None) -> list[str]:
    if not weight:
        return []
    sample, big = weight.get("sample"), weight.get("big")
    rows = [
        [
            f"{label} ({found['cells']:,} cells): {name}",
            _kb(w["raw_bytes"]),
            _kb(w["gzip_bytes"]),
            _kb(w["breakdown_bytes"]["details_popovers"]),
        ]
        for label, found in (("sample", sample), ("large", big))
        if found
        for name, w in ((n, found["pages"][n]) for n in PAGES if n in found["pages"])
    ]
    lines = [
        "# 5. Page weight",
        "",
        *_table(["page", "raw", "gzip (level 6)", "of which popovers (raw)"], rows),
    ]
    if sample:
        ratio = _x(sample["gzip_cab_over_list_table"])
        lines.append(f"- Sample: cab gzip / list-table gzip = {ratio}.")
    if big:
        plain = big["build_s"]["list-table"]
        cached = "not rebuilt (its HTML was cached from an earlier build of the identical source)"
        lines.append(
            f"- Large: cab gzip / list-table gzip = {_x(big['gzip_cab_over_list_table'])}; "
            f"one clean build: cab {_s(big['build_s']['cab'])}, list-table "
            f"{cached if plain is None else _s(plain)}."
        )
    return [*lines, ""]


def _data(data: dict[str, Any] | None) -> list[str]:
    if not data:
        return []
    rows = [
        [
            f"{int(size):,}",
            _mib(r["file_bytes"]),
            _s(r["cab"]["inner_median_s"]),
            _s(r["json"]["inner_median_s"]),
            _x(r["ratio"]),
            _mib(r["cab"]["peak_rss_bytes"]),
            _mib(r["json"]["peak_rss_bytes"]),
            f"{r['rows_read']:,} / {r['cells']:,}",
        ]
        for size, r in data["sizes"].items()
    ]
    return [
        "# 3. Data layer at scale",
        "",
        "`load_snapshot` (read, validate every record, cross-check, aggregate into cells, digest) "
        "against a plain loop of `json.loads` over the same JSONL files that keeps nothing. Each "
        "run is a fresh process; time is measured inside it around the work (imports excluded), "
        "peak memory is the child's maximum resident set (`os.wait4`), imports included: the "
        "interpreter with cab's data layer imported and nothing loaded peaks at "
        f"{_mib(data['idle_peak_rss_bytes'])}.",
        "",
        *_table(
            [
                "rows",
                "JSONL size",
                "cab",
                "json.loads loop",
                "ratio",
                "cab peak memory",
                "loop peak memory",
                "rows read / cells",
            ],
            rows,
        ),
    ]


def _profiles(profiles: dict[str, Any] | None) -> list[str]:
    if not profiles:
        return []
    lines = [
        "# Profiles of missed targets",
        "",
        "cProfile of the cab code path behind each missed target. Build profiles are "
        "differential: the functions (in any package) whose own time grows most against the "
        "same build without cab, then cab's own functions by cumulative time. The data layer "
        "profile lists cab's functions, then the most own time anywhere.",
        "",
    ]
    for name, found in profiles.items():
        baseline = found.get("baseline_total_s")
        extra = found.get("extra_by_own_time")
        lines += [
            f"## {name}",
            "",
            f"Profiled total {found['total_s']:.2f} s"
            + ("" if baseline is None else f" (the baseline build: {baseline:.2f} s)")
            + f", of which {found['cab_own_s']:.2f} s in cab's own functions (time in callees "
            "in Sphinx, docutils or pydantic not counted there).",
            "",
        ]
        if extra is not None:
            rows = [
                [f"`{r['where']}`", f"{r['extra_s']:+.3f}", f"{r['own_s']:.3f}"] for r in extra[:10]
            ]
            lines += _table(["function (any package)", "own s more than baseline", "own s"], rows)
        rows = [
            [f"`{r['where']}`", str(r["calls"]), f"{r['cumtime']:.3f}", f"{r['tottime']:.3f}"]
            for r in found["cab_by_cumtime"][:10]
        ]
        lines += _table(["cab function", "calls", "cumulative s", "own s"], rows)
        if extra is None:
            rows = [
                [f"`{r['where']}`", str(r["calls"]), f"{r['tottime']:.3f}"]
                for r in found["all_by_tottime"][:8]
            ]
            lines += _table(["any function", "calls", "own s"], rows)
    return lines


def _machine(results: dict[str, Any]) -> list[str]:
    m, v, settings = results["machine"], results["machine"]["versions"], results["settings"]
    mode = "quick (development)" if settings["quick"] else "full"
    rows = [
        ["CPU", m["cpu"]],
        ["cores (usable)", f"{m['cores']} ({m['usable_cores']}), shared with other work"],
        ["memory", f"{m['memory_bytes'] / 1024**3:.1f} GiB"],
        ["load average at start", " / ".join(map(str, m["load_average_at_start"]))],
        ["OS", m["os"]],
        ["Python", m["python"]],
        [
            "Sphinx / docutils / MyST-Parser",
            f"{v['sphinx']} / {v['docutils']} / {v['myst-parser']}",
        ],
        [
            "pydantic / sphinxcontrib-datatemplates / furo",
            f"{v['pydantic']} / {v['sphinxcontrib-datatemplates']} / {v['furo']}",
        ],
        ["commit measured", f"`{m['commit']}`"],
        ["run", f"{mode}, {results['date_utc']} UTC, wall time {results['wall_s']:.0f} s"],
        [
            "repetitions",
            f"site {settings['site_reps']} (no-op rebuilds {settings['noop_reps']}, attribution "
            f"builds {settings['attribution_reps']}), page {settings['page_reps']}, data "
            f"{settings['data_reps']} (1M rows: at most 3)",
        ],
    ]
    return ["# Machine and run", "", *_table(["item", "value"], rows)]


def render_markdown(results: dict[str, Any]) -> str:
    lines = [
        *_targets(results),
        *_site(results.get("site")),
        *_page(results.get("page")),
        *_data(results.get("data")),
        *_weight(results.get("weight")),
        *_profiles(results.get("profiles")),
        *_machine(results),
    ]
    return "\n".join(lines).rstrip() + "\n"
