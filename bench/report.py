"""Render the benchmark's results as Markdown (included by docs/performance.md).

Every number and every met / missed mark is computed from the results dictionary; nothing is
typed in. Headings start at level 1; docs/performance.md includes the file one level down.
"""

from __future__ import annotations

from typing import Any

GIB = 1024**3
MIB = 1024**2


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
    lines.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)
    return [*lines, ""]


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def _measured(target: dict[str, Any]) -> str:
    value = target["measured"]
    if value is None:
        return "-"
    unit = target["unit"]
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "docs":
        return f"{value:d}"
    return f"{value:.2f} {unit}"


def _limit(target: dict[str, Any]) -> str:
    sign = ">=" if target["higher_is_better"] else "<="
    if target["key"] in {"weight_gzip", "scale_memory"}:
        sign = "<"
    unit = target["unit"]
    value = target["limit"]
    if unit == "docs":
        return f"{value:g} documents"
    shown = f"{value:g}x" if unit == "x" else f"{value:g} {unit}"
    return f"{sign} {shown}"


def _machine(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    v = m["versions"]
    settings = results["settings"]
    mode = "quick (development)" if settings["quick"] else "full"
    return [
        "# Machine and run",
        "",
        *_table(
            ["item", "value"],
            [
                ["CPU", m["cpu"]],
                ["cores (usable)", f"{m['cores']} ({m['usable_cores']}), shared with other work"],
                ["memory", f"{m['memory_bytes'] / GIB:.1f} GiB"],
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
                    f"site {settings['site_reps']} (no-op rebuilds "
                    f"{settings.get('noop_reps', settings['site_reps'])}, attribution builds "
                    f"{settings['attribution_reps']}), "
                    f"page {settings['page_reps']}, "
                    f"data {settings['data_reps']} (1M rows: at most 3)",
                ],
            ],
        ),
    ]


def _spread(target: dict[str, Any]) -> str:
    spread = target.get("spread")
    if not spread:
        return "-"
    return f"{spread[0]:.2f}x to {spread[1]:.2f}x"


def _verdict(target: dict[str, Any]) -> str:
    mark = _mark(target["met"])
    if target.get("settled") is False:
        return f"{mark}, unsettled"
    return mark


def _targets(results: dict[str, Any]) -> list[str]:
    rows = [
        [
            t["text"],
            _measured(t),
            _spread(t),
            _x(t.get("measured_cpu")),
            _limit(t),
            _verdict(t),
        ]
        for t in results["targets"]
    ]
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


def _timing_row(label: str, series: dict[str, Any], documents: int, ratio: str) -> list[str]:
    return [
        label,
        _s(series["median_s"]),
        _s(series["min_s"]),
        _s(series["max_s"]),
        _s(series["cpu_median_s"]),
        str(documents),
        ratio,
    ]


def _site(results: dict[str, Any]) -> list[str]:
    site = results.get("site")
    if not site:
        return []
    if "skipped" in site:
        return ["# Docs site", "", f"Skipped: {site['skipped']}.", ""]
    clean, noop, ratios = site["clean"], site["noop"], site["ratios"]
    docs = site["documents"]
    stripped = site["stripped"]
    pages = site["stripped_same_pages"]
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
                _timing_row(
                    "clean, with cab, `-j 1`", clean["cab"], docs["cab"], _x(ratios["overhead"])
                ),
                _timing_row("clean, bare", clean["bare"], docs["bare"], "1.00x"),
                _timing_row(
                    "clean, bare, same pages",
                    clean["bare-pages"],
                    docs["bare-pages"],
                    f"cab is {_x(ratios['overhead_same_pages'])} of this",
                ),
                _timing_row(
                    "clean, with cab, `-j 2`",
                    clean["cab-j2"],
                    docs["cab-j2"],
                    f"{_x(ratios['parallel_j2_over_j1'])} of `-j 1`",
                ),
                _timing_row(
                    "no-op rebuild, with cab",
                    noop["cab"],
                    noop["cab"]["reread_max"],
                    _x(ratios["noop"]),
                ),
                _timing_row(
                    "no-op rebuild, bare", noop["bare"], noop["bare"]["reread_max"], "1.00x"
                ),
                _timing_row(
                    "no-op rebuild, bare, same pages",
                    noop["bare-pages"],
                    noop["bare-pages"]["reread_max"],
                    f"cab is {_x(ratios['noop_same_pages'])} of this",
                ),
            ],
        ),
        "Documents read: for clean builds, all of them; for no-op rebuilds, the most re-read in "
        "any repetition. Pages written by the last no-op rebuild: with cab "
        f"{len(noop['cab']['written'])}, bare {len(noop['bare']['written'])}, bare with the "
        f"same pages {len(noop['bare-pages']['written'])}"
        + (
            f" (with cab: {', '.join(f'`{d}`' for d in noop['cab']['written'][:10])})."
            if noop["cab"]["written"]
            else "."
        ),
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
    same = site["parallel_identical_output"]
    lines.append(
        f"- `-j 2` output is {'byte-identical to' if same['identical'] else 'different from'} "
        f"the `-j 1` output ({same['files']} files compared"
        + ("" if same["identical"] else f"; differing: {', '.join(same['differing'])}")
        + ")."
    )
    lines.append(
        f"- Warnings in the clean builds: with cab {site['warnings']['cab']}, "
        f"bare {site['warnings']['bare']}, bare with the same pages "
        f"{site['warnings']['bare-pages']}."
    )
    return [*lines, "", *_attribution(site.get("attribution"))]


_ATTRIBUTION_ROWS = (
    ("cab_setup", "cab: extension setup (importing the package, registering everything)"),
    ("cab_data", "cab: `builder-inited` (importing pydantic, loading and checking every snapshot)"),
    ("cab_directives", "cab: directives and roles (reading)"),
    ("cab_post_transforms", "cab: post-transforms (writing)"),
    ("cab_other_handlers", "cab: other event handlers"),
    ("gc_outside_cab", "garbage collection, outside cab's code"),
    ("rest", "everything else: Sphinx, docutils, MyST, the theme, the search index"),
    ("total", "total"),
)


def _attribution(found: dict[str, Any] | None) -> list[str]:
    if not found:
        return []
    cab, bare = found["cab"], found["bare-pages"]
    rows = [
        [label, _s(cab[key]), _s(bare[key]), f"{cab[key] - bare[key]:+.2f} s"]
        for key, label in _ATTRIBUTION_ROWS
    ]
    return [
        "## Where the extra time of the clean build goes",
        "",
        f"Clean builds of each site ({found['repetitions']} more of each), timed inside the "
        "process (the "
        "interpreter's start and Sphinx's own import are not included) with plain timers, no "
        "profiler: cab's code at its entry points (outermost call only), garbage collection from "
        "`gc.callbacks`. Medians per part, so the parts need not add up exactly to the total.",
        "",
        *_table(["part", "with cab", "bare, same pages", "difference"], rows),
        f"In-process, the cab site takes {_x(found['ratio'])} of the bare site with the same "
        f"pages. Without cab's own code (every cab row above set to zero) it would still take "
        f"{_s(cab['without_cab_code'])}, {_x(found['ratio_without_cab_code'])} of it: that part "
        "is Sphinx and docutils processing the content cab puts on the pages, and collecting "
        "the garbage it leaves.",
        "",
    ]


def _page(results: dict[str, Any]) -> list[str]:
    page = results.get("page")
    if not page:
        return []
    builds, over = page["builds"], page["over_empty"]
    labels = {
        "cab": "`cab-leaderboard`",
        "list-table": "MyST `list-table`",
        "datatemplates": "sphinxcontrib-datatemplates (JSON)",
        "empty": "empty page",
    }
    rows = []
    for name in ("cab", "list-table", "datatemplates", "empty"):
        speed = _x(builds[name]["median_s"] / builds["cab"]["median_s"])
        rows.append(
            [
                labels[name],
                _s(builds[name]["median_s"]),
                _s(builds[name]["min_s"]),
                _s(builds[name]["max_s"]),
                _s(builds[name]["cpu_median_s"]),
                _x(over[name]),
                speed,
            ]
        )
    return [
        "# 2. The full leaderboard page against the alternatives",
        "",
        f"One-page projects, clean `-b html` build in a fresh process each, default theme. "
        f"The table has {page['rows']:,} rows (the snapshot has {page['snapshot_cells']:,} "
        "cells) and "
        f"the columns {', '.join(page['columns'])}; the list-table and JSON hold the same visible "
        "text, read from cab's doctree.",
        "",
        *_table(
            ["page", "median", "min", "max", "CPU median", "vs empty page", "time vs cab"], rows
        ),
    ]


def _weight(results: dict[str, Any]) -> list[str]:
    weight = results.get("weight")
    if not weight:
        return []
    rows = []
    sample = weight.get("sample")
    if sample:
        for name in ("cab", "list-table", "datatemplates", "empty"):
            w = sample["pages"][name]
            rows.append(
                [
                    f"sample ({sample['cells']:,} cells): {name}",
                    _kb(w["raw_bytes"]),
                    _kb(w["gzip_bytes"]),
                    _kb(w["breakdown_bytes"]["details_popovers"]),
                ]
            )
    big = weight.get("big")
    if big:
        for name in ("cab", "list-table"):
            w = big["pages"][name]
            rows.append(
                [
                    f"large ({big['cells']:,} cells): {name}",
                    _kb(w["raw_bytes"]),
                    _kb(w["gzip_bytes"]),
                    _kb(w["breakdown_bytes"]["details_popovers"]),
                ]
            )
    lines = [
        "# 5. Page weight",
        "",
        *_table(["page", "raw", "gzip (level 6)", "of which popovers (raw)"], rows),
    ]
    if sample:
        lines.append(
            f"- Sample: cab gzip / list-table gzip = {_x(sample['gzip_cab_over_list_table'])}."
        )
    if big:
        plain_build = big["build_s"]["list-table"]
        plain = (
            _s(plain_build)
            if plain_build is not None
            else "not rebuilt (its HTML was cached from an earlier build of the identical source)"
        )
        lines.append(
            f"- Large: cab gzip / list-table gzip = {_x(big['gzip_cab_over_list_table'])}; "
            f"one clean build: cab {_s(big['build_s']['cab'])}, list-table {plain}."
        )
    return [*lines, ""]


def _data(results: dict[str, Any]) -> list[str]:
    data = results.get("data")
    if not data:
        return []
    rows = []
    for size, r in data["sizes"].items():
        rows.append(
            [
                f"{int(size):,}",
                f"{r['file_bytes'] / MIB:,.0f} MiB",
                _s(r["cab"]["inner_median_s"]),
                _s(r["json"]["inner_median_s"]),
                _x(r["ratio"]),
                _mib(r["cab"]["peak_rss_bytes"]),
                _mib(r["json"]["peak_rss_bytes"]),
                f"{r['rows_read']:,} / {r['cells']:,}",
            ]
        )
    return [
        "# 3. Data layer at scale",
        "",
        "`load_snapshot` (read, validate every record, cross-check, aggregate into cells, digest) "
        "against a plain loop of `json.loads` over the same JSONL files that keeps nothing. Each "
        "run is a fresh process; time is measured inside it around the work (imports excluded), "
        "peak memory is the child's maximum resident set (`os.wait4`), imports included: the "
        f"interpreter with cab's data layer imported and nothing loaded peaks at "
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


def _profiles(results: dict[str, Any]) -> list[str]:
    profiles = results.get("profiles") or {}
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
        lines.append(f"## {name}")
        lines.append("")
        baseline = found.get("baseline_total_s")
        lines.append(
            f"Profiled total {found['total_s']:.2f} s"
            + (f" (the baseline build: {baseline:.2f} s)" if baseline is not None else "")
            + f", of which {found['cab_own_s']:.2f} s in cab's own functions (time in callees "
            "in Sphinx, docutils or pydantic not counted there)."
        )
        lines.append("")
        if "extra_by_own_time" in found:
            extra_rows = [
                [f"`{r['where']}`", f"{r['extra_s']:+.3f}", f"{r['own_s']:.3f}"]
                for r in found["extra_by_own_time"][:10]
            ]
            lines.extend(
                _table(["function (any package)", "own s more than baseline", "own s"], extra_rows)
            )
        cab_rows = [
            [f"`{r['where']}`", str(r["calls"]), f"{r['cumtime']:.3f}", f"{r['tottime']:.3f}"]
            for r in found["cab_by_cumtime"][:10]
        ]
        lines.extend(_table(["cab function", "calls", "cumulative s", "own s"], cab_rows))
        if "extra_by_own_time" not in found:
            all_rows = [
                [f"`{r['where']}`", str(r["calls"]), f"{r['tottime']:.3f}"]
                for r in found["all_by_tottime"][:8]
            ]
            lines.extend(_table(["any function", "calls", "own s"], all_rows))
    return lines


def render_markdown(results: dict[str, Any]) -> str:
    lines = [
        *_targets(results),
        *_site(results),
        *_page(results),
        *_data(results),
        *_weight(results),
        *_profiles(results),
        *_machine(results),
    ]
    return "\n".join(lines).rstrip() + "\n"
