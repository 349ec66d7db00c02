"""cab-count, cab-meta and cab-score: values from the snapshot, the same in reST and MyST."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from cab_pages import check_regression, pinned_snapshot, shared_build, soup

from sphinxcontrib_cab.directives.leaderboard.board import CELL_COLUMNS, build_board
from sphinxcontrib_cab.roles import (
    COUNT_NAMES,
    META_NAMES,
    METRIC_NAMES,
    cell_names,
    full_name,
    metric_estimate,
    split_snapshot,
)
from sphinxcontrib_cab.snapshot.formats import format_count, format_estimate
from sphinxcontrib_cab.snapshot.keys import KEY_FIELD_NAMES
from sphinxcontrib_cab.snapshot.metrics import METRICS

if TYPE_CHECKING:
    from pathlib import Path

    from cab_pages import Built

    from sphinxcontrib_cab.snapshot.model import Snapshot


@pytest.fixture(scope="module")
def built() -> Built:
    return shared_build("roles")


def cited(built: Built, docname: str) -> dict[str, str]:
    """Each list item ``<text>: <value>`` of the roles page, as text -> rendered value."""
    page = soup(built.page(docname))
    found = {}
    for item in page.select("div.body li"):
        value = item.select_one("span.cab-value, span.cab-problem")
        assert value is not None, item
        found[item.get_text().split(": ", 1)[0]] = value.get_text()
    return found


def test_rst_and_myst_render_the_same_body(built: Built) -> None:
    assert built.body("roles_md") == built.body("roles_rst")
    check_regression("directives/roles.html", built.body("roles_rst"))


def test_build_has_no_warnings(built: Built) -> None:
    assert built.warnings == []


def expected_counts(snapshot: Snapshot, snapshot_dir: object) -> dict[str, int]:
    from pathlib import Path

    root = Path(str(snapshot_dir))
    runs = [
        json.loads(line)
        for path in sorted((root / snapshot.sources.runs_audit).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tasks = json.loads((root / snapshot.sources.tasks_audit).read_text(encoding="utf-8"))
    return {
        "rows": len(runs),
        "cells": len({tuple(r.get(f) for f in KEY_FIELD_NAMES) for r in runs}),
        "tasks": len(tasks),
        "categories": len({t["category"] for t in tasks}),
        "exploits": len(snapshot.exploits),
        "live-exploits": sum(1 for e in snapshot.exploits if e.status == "live"),
        "tuis": len({r["tui"] for r in runs}),
        "models": len({r["model"] for r in runs}),
        "sweeps": len({r["sweep_id"] for r in runs}),
    }


def test_counts_match_the_raw_files(built: Built) -> None:
    """Counted straight from the mini snapshot's files, not through the loader."""
    snapshot = pinned_snapshot(built)
    values = cited(built, "roles_rst")
    expected = expected_counts(snapshot, built.srcdir / "snapshot")
    assert list(expected) == list(COUNT_NAMES)
    for name, count in expected.items():
        assert values[name] == format_count(count), name


def test_meta_values(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    assert snapshot.meta is not None
    values = cited(built, "roles_rst")
    expected = {
        "methodology_version": snapshot.meta.methodology_version,
        "snapshot_date": snapshot.meta.snapshot_date.isoformat(),
        "source": snapshot.meta.source,
        "row_count": format_count(snapshot.rows_read),
        "digest": snapshot.digest.combined,
    }
    assert list(expected) == list(META_NAMES)
    for name, value in expected.items():
        assert values[name] == value, name


def test_scores_are_the_cell_estimates(built: Built) -> None:
    values = cited(built, "roles_rst")
    scores = {text: shown for text, shown in values.items() if "/" in text}
    assert len(scores) >= 5
    for text, shown in scores.items():
        cited_text, name = split_snapshot(text)
        snapshot = pinned_snapshot(built, name)
        metric, _, cell_text = cited_text.rpartition(":") if ":" in text else ("", "", cited_text)
        metric = metric or "headline"
        (index,) = cell_names(snapshot)[cell_text]
        estimate = metric_estimate(snapshot.cells[index], metric)
        assert shown == METRICS[metric].format(estimate), text
    assert any("[" in shown for shown in scores.values()), "some score shows an interval"


def leaderboard_text(snapshot: Snapshot, index: int, metric: str) -> str:
    """What a leaderboard of one column shows for the cell at ``index`` and ``metric``."""
    board = build_board(
        snapshot,
        [snapshot.cells[index]],
        group="cells",
        columns=[CELL_COLUMNS[metric]],
        sort=metric,
        order="descending",
        limit=None,
        caption=None,
        command="run",
    )
    return board.rows[0].texts[0]


def test_a_score_reads_as_in_the_leaderboard(built: Built) -> None:
    """The role and the leaderboard format a metric of a cell the same way (Costs once showed
    two decimals in the role and one in the leaderboard)."""
    values = cited(built, "roles_rst")
    name = "opencode/llama-3.3-70b-instruct/polyglot/python-two-sum"
    snapshot = pinned_snapshot(built)
    (index,) = cell_names(snapshot)[name]
    costs = values[f"costs:{name}"]
    assert costs == leaderboard_text(snapshot, index, "costs")
    assert costs == "44.1 [0.0, 157.2]"
    for metric in METRIC_NAMES:
        shown = METRICS[metric].format(METRICS[metric].estimate(snapshot.cells[index]))
        assert shown == leaderboard_text(snapshot, index, metric), metric


def test_older_snapshot_suffix(built: Built) -> None:
    older = pinned_snapshot(built, "2026-05-27")
    pinned = pinned_snapshot(built)
    assert older.rows_read != pinned.rows_read
    assert older.meta is not None
    values = cited(built, "roles_rst")
    assert values["rows@2026-05-27"] == format_count(older.rows_read)
    assert values["methodology_version@2026-05-27"] == older.meta.methodology_version


def test_page_depends_on_the_snapshot_files(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    dependencies = {str(p) for p in built.app.env.dependencies["roles_md"]}
    for path in snapshot.files:
        assert (
            path.relative_to(built.srcdir).as_posix() in dependencies or str(path) in dependencies
        )


def test_sample_snapshot_short_name_of_two_cells_is_a_located_warning(tmp_path: Path) -> None:
    """In data/, opencode/llama-3.3-70b-instruct/polyglot/python-two-sum ran in two modes."""
    from cab_pages import REPO_DATA, build

    built = build("roles-sample", tmp_path, snapshot=REPO_DATA)
    snapshot = pinned_snapshot(built)
    short = "opencode/llama-3.3-70b-instruct/polyglot/python-two-sum"
    indices = cell_names(snapshot)[short]
    assert len(indices) == 2
    choices = ", ".join(full_name(snapshot.cells[i]) for i in indices)
    assert built.warnings == [
        f"<src>/index.md:5: WARNING: cab-score: {short!r} names 2 cells of snapshot "
        f"{snapshot.name}; write one of {choices} [cab.cell]"
    ]
    values = cited(built, "index")
    assert values["short"] == f"[cab-score: {short}?]"
    assert values["rows"] == format_count(snapshot.rows_read)
    (full_index,) = cell_names(snapshot)[
        "opencode/conv/llama-3.3-70b-instruct/polyglot/python-two-sum/conv-vanilla"
    ]
    assert values["full"] == format_estimate(snapshot.cells[full_index].ships)
