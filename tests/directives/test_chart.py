"""cab-chart: real Sphinx builds of tests/roots/test-chart against the mini snapshot.

Each chart's numbers are read back from its SVG (data attributes and accessible names) and
compared with the overview leaderboard built from the same options on the same page set, and
with values computed here from the snapshot's cells; nothing is typed in.
"""

from __future__ import annotations

import json
import re
import threading
from typing import TYPE_CHECKING

import pytest
from cab_pages import (
    build,
    check_regression,
    make_pdf,
    pinned_snapshot,
    prepare,
    same_body_in_every_syntax,
    shared_build,
    soup,
)

from sphinxcontrib_cab.directives.chart.labels import Label, member_labels
from sphinxcontrib_cab.snapshot.formats import format_number
from sphinxcontrib_cab.snapshot.metrics import METRICS

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup
    from cab_pages import Built
    from sphinx.testing.util import SphinxTestApp

    from sphinxcontrib_cab.snapshot.model import Cell


@pytest.fixture(scope="module")
def built() -> Built:
    return shared_build("chart")


def overview_headlines(page: BeautifulSoup) -> dict[tuple[str, str], str]:
    """(TUI, model) -> the Headline text of the overview leaderboard, without its n note."""
    table = page.select_one("table.cab-leaderboard")
    assert table is not None
    header = [th.get_text(strip=True) for th in table.select("thead th")]
    tui, model, headline = (header.index(label) for label in ("TUI", "Model", "Headline"))
    rows = {}
    for tr in table.select("tbody > tr"):
        for mark in tr.select(".cab-mark"):  # a row's failure and exploit badges
            mark.decompose()
        cells = [c.get_text() for c in tr.find_all(["th", "td"], recursive=False)]
        rows[cells[tui].strip(), cells[model].strip()] = re.sub(r" \(n=\d+\)$", "", cells[headline])
    return rows


def chart_headlines(page: BeautifulSoup) -> dict[tuple[str, str], str]:
    return {
        (str(g["data-tui"]), str(g["data-model"])): str(g["data-headline"])
        for g in page.select("figure.cab-chart g.cab-datum")
    }


@pytest.mark.parametrize(
    ("chart", "table"),
    [("heatmap", "overview"), ("frontier", "overview"), ("heatmap_task", "overview_task")],
)
def test_every_square_and_point_has_the_leaderboards_numbers(
    built: Built, chart: str, table: str
) -> None:
    drawn = chart_headlines(soup(built.page(f"{chart}_rst")))
    assert drawn and drawn == overview_headlines(soup(built.page(f"{table}_rst")))


def test_a_square_says_its_values_to_readers_and_screen_readers(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    page = soup(built.page("heatmap_rst"))
    figure = page.select_one("figure.cab-chart-heatmap")
    assert figure is not None
    svg = figure.select_one("svg")
    assert svg is not None and svg["role"] == "group"
    assert figure.select_one(f"#{svg['aria-labelledby']}") is not None
    link = figure.select_one("figcaption a")
    assert link is not None and page.select_one(str(link["href"])) is not None  # the table
    for g in figure.select("g.cab-datum"):
        cells = [
            c
            for c in snapshot.cells
            if (c.key.tui, c.key.model) == (g["data-tui"], g["data-model"])
        ]
        failed = sum(n for c in cells for _, n in c.failures)
        label = str(g["aria-label"])
        assert g["tabindex"] == "0" and g["role"] == "img"
        assert g.select_one("title").get_text() == label  # type: ignore[union-attr]
        assert f"headline {g['data-headline']}" in label
        assert int(str(g["data-failed"])) == failed
        assert (f"{failed} failed run" in label) if failed else ("no failed runs" in label)
        tip = g.select_one("text.cab-tip")
        assert tip is not None and tip["visibility"] == "hidden"
        assert tip.get_text().replace("Costs ", "; Costs ", 1) == label
        square = g.select_one("text:not(.cab-tip)")
        assert square is not None and str(g["data-headline"]).startswith(square.get_text())


def _dominated(cost: float, score: float, others: list[tuple[float, float]]) -> bool:
    return any(
        c <= cost and s >= score and (c < cost or s > score) for c, s in others if (c, s) != (0, 0)
    )


def test_the_frontier_names_the_pairs_no_other_pair_beats(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    page = soup(built.page("frontier_rst"))
    table = page.select_one("table.cab-chart-numbers")
    assert table is not None
    points: dict[str, tuple[float, float]] = {}
    for tui, model in {(c.key.tui, c.key.model) for c in snapshot.cells}:
        cells = [c for c in snapshot.cells if (c.key.tui, c.key.model) == (tui, model)]
        per_task = {c.key.task: c for c in cells}  # one cell per task in the mini snapshot
        scores = [c.headline.mean for c in per_task.values() if c.headline is not None]
        costs = [c.costs.mean for c in per_task.values() if c.costs is not None]
        points[f"{tui} \N{MULTIPLICATION SIGN} {model}"] = (
            sum(costs) / len(costs),
            sum(scores) / len(scores),
        )
    expected = {
        name
        for name, (cost, score) in points.items()
        if not _dominated(cost, score, list(points.values()))
    }
    on = {
        f"{tr.select('td')[0].get_text()} \N{MULTIPLICATION SIGN} {tr.select('td')[1].get_text()}"
        for tr in table.select("tbody tr")
        if tr.select("td")[-1].get_text() == "yes"
    }
    assert on == expected
    description = page.select_one(".cab-chart-desc")
    assert description is not None
    for name in expected:
        assert name in description.get_text()
    assert page.select("polyline.cab-frontier")


def test_a_strip_row_says_its_spread(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    digits = METRICS["headline"].digits
    rows = soup(built.page("strip_rst")).select("g.cab-strip-row")
    assert [g["data-task"] for g in rows] == sorted({c.key.task for c in snapshot.cells})
    for g in rows:
        cells: list[Cell] = [c for c in snapshot.cells if c.key.task == g["data-task"]]
        means = sorted(c.headline.mean for c in cells if c.headline is not None)
        assert len(g.select("circle")) == len(means)
        label = str(g["aria-label"])
        assert f"{len(means)} of {len(cells)} cells" in label
        assert f"lowest {format_number(means[0], digits)}" in label
        assert f"highest {format_number(means[-1], digits)}" in label


def test_an_older_snapshot_is_drawn_from_its_own_cells(built: Built) -> None:
    older = pinned_snapshot(built, "2026-05-27")
    rows = soup(built.page("strip_older_rst")).select("g.cab-strip-row")
    assert [g["data-task"] for g in rows] == sorted({c.key.task for c in older.cells})
    assert "snapshot 2026-05-27" in built.page("strip_older_rst")


def test_a_filter_that_matches_nothing_draws_nothing_and_says_where(tmp_path: Path) -> None:
    srcdir = prepare("chart", tmp_path)
    (srcdir / "bad.md").write_text(
        "---\norphan: true\n---\n# Bad\n\n:::{cab-chart}\n:kind: frontier\n:tui: nosuch\n:::\n",
        encoding="utf-8",
    )
    result = build("chart", tmp_path, srcdir=srcdir)
    snapshot = pinned_snapshot(result)
    tuis = ", ".join(sorted({c.key.tui for c in snapshot.cells}))
    assert [w for w in result.warnings if "bad.md" in w] == [
        f"<src>/bad.md:6: WARNING: cab-chart option :tui: 'nosuch' is not one of {tuis} (the "
        f"values in snapshot {snapshot.name}); the chart shows no cells [cab.option]"
    ]
    page = soup(result.page("bad"))
    assert page.select("figure.cab-chart g.cab-datum") == []
    assert "0 cells" in page.select_one(".cab-chart-desc").get_text()  # type: ignore[union-attr]


def _chart_pages(result: Built) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in sorted(result.outdir.glob("*.html"))
        if "cab-chart" in path.read_text(encoding="utf-8")
    }


def test_rebuilds_are_byte_identical_and_parallel_safe(tmp_path: Path) -> None:
    first = _chart_pages(build("chart", tmp_path / "one"))
    again = _chart_pages(build("chart", tmp_path / "two", parallel=4))
    assert len(first) >= 6 and first == again


def test_text_output_has_the_numbers_table(tmp_path: Path) -> None:
    result = build("chart", tmp_path, "text")
    text = (result.outdir / "heatmap_rst.txt").read_text(encoding="utf-8")
    assert "Headline score by TUI and model" in text
    page = soup(shared_build("chart").page("heatmap_rst"))
    for headline in chart_headlines(page).values():
        assert headline in text


def test_latex_draws_each_chart_as_tikz_and_compiles(tmp_path: Path) -> None:
    result = build("chart", tmp_path, "latex", confoverrides={"latex_engine": "xelatex"})
    assert result.warnings == []
    tex = (result.outdir / "cab-test.tex").read_text(encoding="utf-8")
    assert "\\usepackage{tikz}" in tex
    assert tex.count("\\begin{tikzpicture}") == 3 * 5  # five chart pages, three syntaxes each
    done = make_pdf(result.outdir, halt_on_error=True)
    assert done.returncode == 0, done.stdout[-4000:]
    assert (result.outdir / "cab-test.pdf").stat().st_size > 0


@pytest.mark.parametrize("case", ["heatmap", "frontier", "strip", "heatmap_task"])
def test_page_bodies_match_their_regression_files(built: Built, case: str) -> None:
    check_regression(f"chart/{case}.html", same_body_in_every_syntax(built, case))


def test_charts_are_rebuilt_when_the_data_changes_and_only_then(tmp_path: Path) -> None:
    first = build("chart", tmp_path)
    before = first.page("heatmap_rst")
    read: list[str] = []

    def record(app: SphinxTestApp) -> None:
        app.connect("env-before-read-docs", lambda _app, _env, names: read.extend(names))

    build("chart", tmp_path, srcdir=first.srcdir, on_app=record)
    assert read == []
    runs = first.srcdir / "snapshot" / "results" / "published" / "free-20260527.jsonl"
    lines = runs.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row["scores"]["composite"] = 0.0 if row["scores"]["composite"] else 1.0
    runs.write_text("\n".join([json.dumps(row), *lines[1:]]) + "\n", encoding="utf-8")
    again = build("chart", tmp_path, srcdir=first.srcdir, on_app=record)
    assert {f"{case}_rst" for case in ("heatmap", "frontier", "strip")} <= set(read)
    assert again.page("heatmap_rst") != before


# -- the frontier's member numbers ---------------------------------------------------------------


def _overlap(a: Label, b: Label, line: float) -> bool:
    across = a.right - a.width < b.right and b.right - b.width < a.right
    return across and abs(a.baseline - b.baseline) < line


def test_member_numbers_sit_up_left_of_their_points_and_never_overlap() -> None:
    # a tight cluster of frontier members (Costs up, headline up), as on the docs site
    points = [(100.0, 50.0), (104.0, 53.0), (106.0, 55.0), (109.0, 56.0), (200.0, 90.0)]
    labels = member_labels(points, [8.0] * len(points), 12, 6)
    for (x, y), label in zip(points, labels, strict=True):
        assert label.right == x - 6 and label.baseline >= y + 6
    assert not any(_overlap(a, b, 12) for k, a in enumerate(labels) for b in labels[k + 1 :])
    # far apart, nothing is lifted
    assert [label.baseline for label in labels][-1] == 96


def test_a_label_lifted_one_line_up_is_placed_though_floats_round_down() -> None:
    # (b + 0.3) - b < 0.3 for this b: a lift of exactly one line once read as still touching,
    # and the placement loop never ended (the PDF build of the docs site hung on it)
    below = 0.42000000000000004
    assert abs((below + 0.3) - below) < 0.3
    found: list[list[Label]] = []
    worker = threading.Thread(
        target=lambda: found.append(
            member_labels([(1.0, below), (1.05, below + 0.01)], [0.18, 0.18], 0.3, 0.0)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=10)
    assert found, "the placement did not finish"
    assert [label.baseline for label in found[0]] == [below, below + 0.3]


def test_frontier_numbers_do_not_overlap_on_the_page(built: Built) -> None:
    page = soup(built.page("frontier_rst"))
    numbers = page.select("text.cab-member")
    assert len(numbers) >= 2
    assert [n.get_text() for n in numbers] == [str(k + 1) for k in range(len(numbers))]
    boxes = [Label(float(n["x"]), -float(n["y"]), len(n.get_text()) * 6.4 + 2) for n in numbers]
    assert not any(_overlap(a, b, 12) for k, a in enumerate(boxes) for b in boxes[k + 1 :])
