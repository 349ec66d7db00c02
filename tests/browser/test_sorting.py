"""Sorting in the browser orders by the data's exact values, never by the rounded text.

The docs site's cell table shows headline scores to three decimals, so many cells read the same
(``0.957``) while their means differ. A reader who sorts by Costs and then by Headline must get the
best cell first in every such group. Expected means come from the raw run records.
"""

from __future__ import annotations

import itertools
import shlex
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_cab.snapshot.keys import KEY_FIELDS

from . import data, kit

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELL_TABLE = "table.cab-leaderboard:has(details.cab-popover)"

ROWS = """(t, column) => [...t.tBodies[0].rows].map(r => [
  r.cells[column].textContent.trim(), r.querySelector('pre.cab-repro').textContent])"""


def headline_means(snapshot: Path) -> dict[data.Key, float]:
    """Each cell's headline: the mean of its runs' composite scores, from the raw records."""
    scores: dict[data.Key, list[float]] = {}
    for record in data.run_records(snapshot):
        key = tuple(None if record.get(f.name) is None else str(record[f.name]) for f in KEY_FIELDS)
        scores.setdefault(key, []).append(record["scores"]["composite"])
    return {key: sum(values) / len(values) for key, values in scores.items()}


def click_header(table: Locator, label: str) -> int:
    header = table.locator("thead th", has_text=label).first
    header.locator("button.cab-sort").click()
    return int(header.evaluate("th => th.cellIndex"))


def shown_order(table: Locator, column: int) -> list[tuple[str, data.Key]]:
    """(headline text, cell key) of every row, top to bottom."""
    rows = table.evaluate(ROWS, column)
    # the command is one shell word per line, joined by backslash-newline continuations
    return [
        (text, data.key_from_arguments(shlex.split(command.replace("\\\n", " "))[1:]))
        for text, command in rows
    ]


def misordered_ties(
    order: list[tuple[str, data.Key]], means: dict[data.Key, float]
) -> list[tuple[str, float, float]]:
    """Adjacent rows whose texts read the same score but whose exact means are in the wrong
    order for a descending sort."""
    return [
        (text, means[key], means[next_key])
        for (text, key), (next_text, next_key) in itertools.pairwise(order)
        if text.split()[0] == next_text.split()[0] and means[key] < means[next_key] - 1e-12
    ]


def test_costs_then_headline_puts_the_best_cell_first(page: Page, docs_site: kit.Build) -> None:
    means = headline_means(docs_site.srcdir.parent / "data")
    page.goto("leaderboard.html")
    table = page.locator(CELL_TABLE).first
    click_header(table, "Costs")
    column = click_header(table, "Headline")
    assert table.locator("thead th[aria-sort]").get_attribute("aria-sort") == "descending"
    order = shown_order(table, column)
    assert {key for _, key in order} == set(means), "the table does not show every cell"

    ties = [
        pair
        for pair in itertools.pairwise(order)
        if pair[0][0].split()[0] == pair[1][0].split()[0]
        and abs(means[pair[0][1]] - means[pair[1][1]]) > 1e-12
    ]
    assert ties, "no two cells read the same headline with different means: nothing to test"
    exact = [means[key] for _, key in order]
    assert all(a >= b - 1e-12 for a, b in itertools.pairwise(exact))
    best = max(means.values())
    assert means[order[0][1]] == pytest.approx(best, abs=1e-12)
    assert misordered_ties(order, means) == []

    # the rounded text alone cannot do it: without data-tie the same two clicks misorder ties
    table.evaluate("t => t.querySelectorAll('[data-tie]').forEach(c => delete c.dataset.tie)")
    click_header(table, "Costs")
    click_header(table, "Headline")
    assert misordered_ties(shown_order(table, column), means) != []


@pytest.fixture(scope="module")
def real_shapes_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A one-leaderboard site on ``tests/snapshots/real`` (one-run cells: Stays is a gap)."""
    workdir = tmp_path_factory.getbasetemp() / "cab-sites"
    project = workdir / "sort-real"
    project.mkdir(parents=True)
    kit.install_snapshot(kit.TESTS / "snapshots" / "real", project)
    (project / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinxcontrib_cab"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'exclude_patterns = ["data", "_build"]\n'
        'cab_snapshot_root = "data"\n',
        encoding="utf-8",
    )
    (project / "index.md").write_text("# Cells\n\n:::{cab-leaderboard}\n:::\n", encoding="utf-8")
    build = kit.sphinx_build(project, workdir / "out-sort-real", "html")
    return kit.serve(kit.require_clean(build).outdir)


def test_cells_without_a_number_sort_last_both_ways(page: Page, real_shapes_url: str) -> None:
    """Not recorded, not applicable: after every number, ascending and descending alike."""
    page.goto(real_shapes_url + "index.html")
    table = page.locator(CELL_TABLE).first
    gaps_seen = False
    for label in ("Stays", "Costs", "Ships", "Headline"):
        for _ in range(2):
            column = click_header(table, label)
            texts = [text for text, _ in shown_order(table, column)]
            gaps = [not text[:1].isdigit() for text in texts]
            gaps_seen = gaps_seen or any(gaps)
            assert gaps == sorted(gaps), f"{label}: a row without a number before a number"
    assert gaps_seen, "no cell without a number in these columns: nothing to test"
