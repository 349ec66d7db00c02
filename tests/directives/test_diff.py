"""cab-diff: real Sphinx builds of tests/roots/test-diff against the sample snapshot in data/
(2026-05-27 to the pinned 2026-06-20), and of test-diff-bad and the parity pages against the
mini snapshot.

The diff page sits beside the two snapshots' leaderboards and receipts: every figure the diff
shows is checked against the text the leaderboards print for the same cell or TUI and model
pair, and every count against the snapshots the build rendered. No sample figure is typed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from cab_pages import (
    MINI,
    REPO_DATA,
    build,
    check_regression,
    make_pdf,
    pinned_snapshot,
    shared_build,
    soup,
)

from sphinxcontrib_cab.snapshot.diff import VERDICTS, change, verdict
from sphinxcontrib_cab.snapshot.formats import format_change, format_count
from sphinxcontrib_cab.snapshot.index import full_name
from sphinxcontrib_cab.snapshot.keys import MISSING_MARK
from sphinxcontrib_cab.snapshot.metrics import METRICS
from sphinxcontrib_cab.snapshot.overview import overview

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import Tag
    from cab_pages import Built

    from sphinxcontrib_cab.snapshot.model import Snapshot

OLDER = "2026-05-27"
HEADLINE = METRICS["headline"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build("diff", tmp_path_factory.mktemp("diff"), snapshot=REPO_DATA)


@pytest.fixture(scope="module")
def snapshots(built: Built) -> tuple[Snapshot, Snapshot]:
    return pinned_snapshot(built, OLDER), pinned_snapshot(built)


def rows(table: Tag) -> list[list[str]]:
    """Each row's cell texts, a leaderboard row's failure and exploit badges left out."""
    for mark in table.select(".cab-mark"):
        mark.decompose()
    return [
        [" ".join(cell.get_text().split()) for cell in tr.find_all(["th", "td"], recursive=False)]
        for tr in table.select("tbody > tr")
    ]


def diff_table(built: Built, part: str) -> list[list[str]]:
    table = soup(built.page("diff")).select_one(f"table.cab-diff-{part}")
    assert table is not None, f"the diff page has no {part} table"
    return rows(table)


def board_texts(table: Tag, width: int) -> dict[str, str]:
    """name (the first ``width`` columns joined by /) -> headline text, for names one row has."""
    seen: dict[str, list[str]] = {}
    for row in rows(table):
        seen.setdefault("/".join(row[:width]), []).append(row[width])
    return {name: texts[0] for name, texts in seen.items() if len(texts) == 1}


@pytest.fixture(scope="module")
def boards(built: Built) -> dict[str, dict[str, str]]:
    """The four leaderboards of boards.md: cells and pairs, pinned and older."""
    tables = soup(built.page("boards")).select("table.cab-leaderboard")
    assert len(tables) == 4
    return {
        "cells-new": board_texts(tables[0], 5),
        "cells-old": board_texts(tables[1], 5),
        "pairs-new": board_texts(tables[2], 2),
        "pairs-old": board_texts(tables[3], 2),
    }


def test_the_build_has_no_warnings(built: Built) -> None:
    assert built.warnings == []


# -- the figures are the leaderboards' --------------------------------------------------------


def test_each_cell_reads_as_in_both_leaderboards(
    built: Built, boards: dict[str, dict[str, str]]
) -> None:
    compared = 0
    for name, before, after, _change, _verdict in diff_table(built, "cells"):
        if name in boards["cells-old"] and name in boards["cells-new"]:
            assert before == boards["cells-old"][name], name
            assert after == boards["cells-new"][name], name
            compared += 1
    assert compared >= min(20, len(diff_table(built, "cells")))


def test_each_pair_reads_as_in_both_overview_leaderboards(
    built: Built, boards: dict[str, dict[str, str]]
) -> None:
    found = diff_table(built, "pairs")
    for tui, model, before, after, _change, shown in found:
        name = f"{tui}/{model}"
        assert before == boards["pairs-old"].get(name, MISSING_MARK), name
        assert after == boards["pairs-new"].get(name, MISSING_MARK), name
        if shown == "added":
            assert name not in boards["pairs-old"]
    assert {f"{row[0]}/{row[1]}" for row in found} == boards["pairs-old"].keys() | boards[
        "pairs-new"
    ].keys()


def test_added_cells_read_as_in_the_newer_leaderboard(
    built: Built, boards: dict[str, dict[str, str]]
) -> None:
    compared = 0
    for name, _runs, headline in diff_table(built, "added"):
        if name in boards["cells-new"]:
            assert headline == boards["cells-new"][name]
            assert name not in boards["cells-old"]
            compared += 1
    assert compared > 0


def test_change_and_verdict_come_from_both_snapshots(
    built: Built, snapshots: tuple[Snapshot, Snapshot]
) -> None:
    old, new = ({full_name(c): c for c in snap.cells} for snap in snapshots)
    digits = HEADLINE.digits_for(built.app.config.cab_digits)
    shown = diff_table(built, "cells")
    assert shown
    sizes = []
    for name, _before, _after, delta, found in shown:
        if name not in old or name not in new:
            continue  # two cells share these five values
        expected = change(old[name].headline, new[name].headline)
        assert delta == format_change(expected, digits)
        assert found == verdict(old[name].headline, new[name].headline)
        if expected is not None:
            sizes.append(abs(expected))
    assert sizes == sorted(sizes, reverse=True)


# -- counts, methodology, links -----------------------------------------------------------------


def test_the_summary_counts_the_set_differences_of_keys(
    built: Built, snapshots: tuple[Snapshot, Snapshot]
) -> None:
    before, after = ({c.key for c in snap.cells} for snap in snapshots)
    summary = soup(built.page("diff")).select_one("p.cab-diff-summary")
    assert summary is not None
    text = summary.get_text(" ", strip=True)
    assert f"{format_count(len(after - before))} cells added" in text
    assert f"{format_count(len(before - after))} removed" in text
    assert f"{format_count(len(before & after))} in both" in text
    assert len(diff_table(built, "added")) == len(after - before)
    assert len(diff_table(built, "cells")) == len(before & after)


def test_both_snapshots_link_to_their_receipts(
    built: Built, snapshots: tuple[Snapshot, Snapshot]
) -> None:
    summary = soup(built.page("diff")).select_one("p.cab-diff-summary")
    assert summary is not None
    links = [(a.get_text(), a["href"]) for a in summary.select("a.reference")]
    assert links == [(s.name, f"receipts.html#cab-snapshot-{s.name}") for s in snapshots]
    receipts = soup(built.page("receipts"))
    for snapshot in snapshots:
        assert receipts.select_one(f"#cab-snapshot-{snapshot.name}.cab-receipt") is not None


def test_the_methodology_versions_between_them(
    built: Built, snapshots: tuple[Snapshot, Snapshot]
) -> None:
    old, new = snapshots
    assert old.meta is not None and new.meta is not None
    known = {entry.version for entry in old.meta.history}
    expected = [
        [entry.version, entry.date.isoformat(), entry.changes, ", ".join(entry.fields_introduced)]
        for entry in new.meta.history
        if entry.version not in known
    ]
    assert expected, "the sample's two snapshots differ in methodology"
    assert diff_table(built, "methodology") == [
        [" ".join(cell.split()) for cell in row] for row in expected
    ]


def test_the_legend_names_every_verdict_and_both_estimators(built: Built) -> None:
    legend = soup(built.page("diff")).select_one("p.cab-diff-legend")
    assert legend is not None
    text = legend.get_text()
    for name, meaning in VERDICTS.items():
        assert f"{name}: {meaning}" in text
    assert HEADLINE.estimator_name() in text and HEADLINE.estimator_name(True) in text


# -- bad options: located warnings, and the build goes on ---------------------------------------


def test_bad_options_warn_where_they_are_and_filters_fail_closed(tmp_path: Path) -> None:
    # nitpicky: a page without the receipts shows the dates as text, with no warning for them
    result = build("diff-bad", tmp_path, confoverrides={"nitpicky": True})
    old, new = pinned_snapshot(result, OLDER), pinned_snapshot(result)
    tuis = sorted({c.key.tui for c in (*old.cells, *new.cells)})
    only_new = sorted({c.key.tui for c in new.cells} - {c.key.tui for c in old.cells})
    assert "opencode" in only_new  # the page filters on it
    assert result.warnings == [
        f"<src>/bad.md:3: WARNING: cab-diff option :from: '2026-13-45' is not a snapshot this "
        f"site has (known snapshots: {new.name}, {old.name}); the diff is not shown [cab.snapshot]",
        f"<src>/bad.md:7: WARNING: cab-diff option :tui: 'nosuchtui' is not one of "
        f"{', '.join(tuis)} (the values in snapshots {old.name} and {new.name}); the table "
        "shows no cells [cab.option]",
        "<src>/bad.md:13: WARNING: :parts: 'nosuchpart' is not among summary, methodology, "
        "pairs, cells, added, removed, repinned, legend; left out [cab.option]",
        "<src>/bad.md:13: WARNING: cab-diff option :limit: 'none' is not a positive whole "
        "number; showing every row [cab.option]",
    ]
    page = soup(result.page("bad"))
    assert page.select_one(".cab-problem") is not None
    summaries = [p.get_text(" ", strip=True) for p in page.select("p.cab-diff-summary")]
    assert len(summaries) == 2
    assert "0 cells added, 0 removed" in summaries[0] and "0 in both" in summaries[0]
    added = sum(1 for c in new.cells if c.key.tui == "opencode")
    assert f"{format_count(added)} cells added, 0 removed" in summaries[1]
    assert page.select("p.cab-diff-summary a") == []
    assert f"From snapshot {old.name} (methodology" in summaries[1]


# -- the parity page, other builders ------------------------------------------------------------


def test_the_parity_page_matches_its_regression_file() -> None:
    built = shared_build("parity")
    check_regression("diff/parity.html", built.body("diff_rst"))


def test_text_output_holds_the_diff(tmp_path: Path) -> None:
    result = build("diff", tmp_path, "text", snapshot=MINI)
    assert result.warnings == []
    text = (result.outdir / "diff.txt").read_text(encoding="utf-8")
    old, new = pinned_snapshot(result, OLDER), pinned_snapshot(result)
    assert f"Methodology changes between {old.name} and {new.name}" in text
    added = {c.key for c in new.cells} - {c.key for c in old.cells}
    assert f"{format_count(len(added))} cells added" in " ".join(text.split())
    digits = result.app.config.cab_digits
    for row in overview(new.cells):
        assert HEADLINE.format(row.headline, digits, "task") in text


def test_latex_output_compiles(tmp_path: Path) -> None:
    result = build("diff", tmp_path, "latex", snapshot=MINI)
    assert result.warnings == []
    tex = (result.outdir / "cab-test.tex").read_text(encoding="utf-8")
    assert "Methodology changes between" in tex
    done = make_pdf(result.outdir, halt_on_error=True)
    assert done.returncode == 0, done.stdout[-4000:]
    assert (result.outdir / "cab-test.pdf").stat().st_size > 0
