"""cab-ledger and cab-exploits: the four sources and the exploits, checked against the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from cab_pages import (
    build,
    check_regression,
    pinned_snapshot,
    prepare,
    same_body_in_every_syntax,
    shared_build,
    soup,
)

from sphinxcontrib_cab.directives.exploits import exploit_list, exploit_order
from sphinxcontrib_cab.render import format_count
from sphinxcontrib_cab.snapshot.contract import SEVERITIES

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import Tag
    from cab_pages import Built

    from sphinxcontrib_cab.snapshot.model import Snapshot

CASES = ("ledger", "ledger_older", "exploits", "exploits_live", "exploits_patched")
SOURCES = ("Run records", "Task catalogue", "Exploit ledger", "Methodology pin")


@pytest.fixture(scope="module")
def built() -> Built:
    return shared_build("directives")


@pytest.mark.parametrize("case", CASES)
def test_rst_and_both_myst_fences_render_the_same_body(built: Built, case: str) -> None:
    check_regression(f"directives/{case}.html", same_body_in_every_syntax(built, case))


def ledger_rows(built: Built, docname: str) -> list[list[str]]:
    table = soup(built.page(docname)).select_one("table.cab-ledger")
    assert table is not None
    header = [th.get_text(strip=True) for th in table.select("thead th")]
    assert header == ["Source", "What was collected", "Counts", "When", "Audit path"]
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")
    ]


@pytest.mark.parametrize(
    ("docname", "name"), [("ledger_rst", None), ("ledger_older_rst", "2026-05-27")]
)
def test_ledger_counts_and_audit_paths_come_from_the_data(
    built: Built, docname: str, name: str | None
) -> None:
    snapshot = pinned_snapshot(built, name)
    rows = ledger_rows(built, docname)
    assert [row[0] for row in rows] == list(SOURCES)
    runs, tasks, exploits, pin = (row[2] for row in rows)
    assert runs == f"{format_count(snapshot.rows_read)} rows"
    categories = snapshot.categories
    assert tasks.startswith(f"{len(snapshot.tasks)} tasks in {len(categories)} categor")
    assert tasks.endswith(f"({', '.join(categories)})")
    live = sum(1 for e in snapshot.exploits if e.status == "live")
    assert exploits == f"{len(snapshot.exploits)} exploits, {live} live"
    assert snapshot.meta is not None
    assert pin.startswith(f"methodology {snapshot.meta.methodology_version},")
    audit = [row[4] for row in rows]
    paths = snapshot.sources
    assert audit == [paths.runs_audit, paths.tasks_audit, paths.exploits_audit, paths.meta_audit]
    when = [row[3] for row in rows]
    date = snapshot.meta.snapshot_date.isoformat()
    assert all(w.endswith(f"snapshot {date}") for w in when)
    reported = sorted(e.reported.isoformat() for e in snapshot.exploits)
    if reported:
        assert when[2].startswith(f"reported {reported[0]}")
        assert when[2].split(";")[0].endswith(reported[-1])
    else:
        assert when[2] == f"snapshot {date}"


def test_ledger_audit_paths_follow_the_configuration(tmp_path: Path) -> None:
    """A project that configures another path shows that path."""
    srcdir = prepare("directives", tmp_path)
    moved = srcdir / "snapshot" / "catalogue.json"
    (srcdir / "snapshot" / "site" / "src" / "data" / "tasks.json").rename(moved)
    built = build(
        "directives", tmp_path, srcdir=srcdir, confoverrides={"cab_tasks_path": "catalogue.json"}
    )
    rows = ledger_rows(built, "ledger_rst")
    assert rows[1][4] == "catalogue.json"
    assert [w for w in built.warnings if "ledger_rst" in w] == []


def test_text_builder_ledger_is_readable(tmp_path: Path) -> None:
    """Plain text: the header fits on one line, and each source's first line names the source
    and holds its whole audit path."""
    built = build("directives", tmp_path, "text")
    snapshot = pinned_snapshot(built)
    lines = (built.outdir / "ledger_rst.txt").read_text("utf-8").splitlines()
    header = next(line for line in lines if "Audit path" in line)
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "Source",
        "What was collected",
        "Counts",
        "When",
        "Audit path",
    ]
    paths = snapshot.sources
    audit = (paths.runs_audit, paths.tasks_audit, paths.exploits_audit, paths.meta_audit)
    for source, path in zip(SOURCES, audit, strict=True):
        first_word = source.split()[0]
        row = next(line for line in lines if line.startswith(f"| **{first_word}"))
        assert f'"{path}"' in row, (source, row)


def exploit_ids(built: Built, docname: str) -> list[str]:
    page = soup(built.page(docname))
    return [
        div.select_one("dl.cab-exploit-fields > dd code").get_text()  # type: ignore[union-attr]
        for div in page.select("div.cab-exploit")
    ]


@pytest.mark.parametrize(
    ("docname", "status"),
    [("exploits_rst", "all"), ("exploits_live_rst", "live"), ("exploits_patched_rst", "patched")],
)
def test_exploit_filter_and_order(built: Built, docname: str, status: str) -> None:
    snapshot = pinned_snapshot(built)
    chosen = [e for e in snapshot.exploits if status == "all" or e.status == status]
    expected = [e.id for e in sorted(chosen, key=exploit_order)]
    assert expected, "the mini snapshot has exploits of every status"
    assert exploit_ids(built, docname) == expected


def test_exploit_order_is_live_then_severity_then_newest() -> None:
    assert SEVERITIES[0] == "critical"
    from datetime import date

    from sphinxcontrib_cab.snapshot.contract import Exploit

    def make(id_: str, status: str, severity: str, reported: str) -> Exploit:
        return Exploit.model_validate(
            {
                "id": id_,
                "title": id_,
                "severity": severity,
                "status": status,
                "trigger": "t",
                "grader_call": "g",
                "reported": reported,
                "patched": None if status == "live" else date(2026, 6, 30).isoformat(),
            }
        )

    entries = [
        make("p-crit", "patched", "critical", "2026-06-01"),
        make("l-low", "live", "low", "2026-06-10"),
        make("l-high-old", "live", "high", "2026-05-01"),
        make("l-high-new", "live", "high", "2026-06-01"),
        make("p-low", "patched", "low", "2026-06-20"),
    ]
    ordered = [e.id for e in sorted(entries, key=exploit_order)]
    assert ordered == ["l-high-new", "l-high-old", "l-low", "p-crit", "p-low"]


def exploit_fields(div: Tag) -> dict[str, str]:
    names = [t.get_text(strip=True).rstrip(":") for t in div.select("dl.cab-exploit-fields > dt")]
    values = [d.get_text(" ", strip=True) for d in div.select("dl.cab-exploit-fields > dd")]
    return dict(zip(names, values, strict=True))


def test_exploit_entries_show_every_logged_field(built: Built) -> None:
    snapshot: Snapshot = pinned_snapshot(built)
    page = soup(built.page("exploits_rst"))
    by_id = {e.id: e for e in snapshot.exploits}
    for div in page.select("div.cab-exploit"):
        fields = exploit_fields(div)
        exploit = by_id[fields["id"]]
        assert div["id"] == f"cab-exploit-{exploit.id}".lower()
        assert f"cab-exploit-{exploit.status}" in div["class"]
        heading = div.select_one("p.rubric")
        assert heading is not None and heading.get_text() == f"{exploit.id}: {exploit.title}"
        assert fields["severity"] == exploit.severity
        assert fields["status"] == exploit.status
        assert fields["trigger"] == exploit.trigger
        assert fields["grader_call"] == exploit.grader_call
        assert fields["reported"] == exploit.reported.isoformat()
        if exploit.patched is None:
            assert fields["patched"] == "not patched (live)"
        else:
            assert fields["patched"] == exploit.patched.isoformat()
        matched = len(snapshot.exploit_cells.get(exploit.id, ()))
        noun = "cell" if matched == 1 else "cells"
        assert fields["affected_cells"].startswith(f"{matched} {noun} of this snapshot match")
        for selector in exploit.affected_cells:
            for name, value in selector:
                if value is not None:
                    assert f"{name} {value}" in fields["affected_cells"]
        if exploit.credit:
            assert fields["credit"] == exploit.credit
        if exploit.notes:
            assert fields["notes"] == exploit.notes


def test_exploit_cells_counts_are_not_all_zero(built: Built) -> None:
    """Guards the test above: the mini ledger's selectors do match cells."""
    snapshot = pinned_snapshot(built)
    assert any(snapshot.exploit_cells.get(e.id) for e in snapshot.exploits)


@pytest.mark.parametrize("status", ["all", "live", "patched"])
def test_empty_ledger_says_so(built: Built, status: str) -> None:
    older = pinned_snapshot(built, "2026-05-27")
    assert older.exploits == ()
    container = exploit_list(older, status)
    kind = "" if status == "all" else f"{status} "
    assert container.astext() == f"Snapshot {older.name} lists no {kind}exploits."
    assert container.children[0]["classes"] == ["cab-exploits-none"]  # type: ignore[index]


# -- with sphinx-design: stat tiles, source cards, badges ------------------------------------------

WITH_DESIGN = {"extensions": ["sphinxcontrib_cab", "myst_parser", "sphinx_design"]}


@pytest.fixture(scope="module")
def designed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build("directives", tmp_path_factory.mktemp("design"), confoverrides=WITH_DESIGN)


def card_texts(card: Tag) -> list[str]:
    return [p.get_text(" ", strip=True) for p in card.select("p")]


def test_with_sphinx_design_the_ledger_is_stat_tiles_and_source_cards(
    designed: Built, built: Built
) -> None:
    assert designed.warnings == []
    snapshot = pinned_snapshot(designed)
    ledger = soup(designed.page("ledger_rst")).select_one("div.cab-ledger")
    assert ledger is not None
    assert ledger.select("table") == []
    grids = ledger.select(":scope > div.sd-container-fluid > div.sd-row")
    assert len(grids) == 2, "stat tiles, then source cards, each a sphinx-design grid"
    for grid in grids:
        assert all(col.select(":scope > div.sd-card") for col in grid.select(":scope > div.sd-col"))
    tiles = [card_texts(tile) for tile in ledger.select("div.sd-card.cab-stat")]
    assert snapshot.meta is not None
    live = len(snapshot.live_exploits)
    assert tiles == [
        [format_count(snapshot.rows_read), "runs"],
        [format_count(len(snapshot.tasks)), "tasks"],
        [format_count(live), "live exploit" if live == 1 else "live exploits"],
        [snapshot.meta.methodology_version, "methodology"],
    ]
    cards = ledger.select("div.sd-card.cab-ledger-source")
    table_rows = ledger_rows(built, "ledger_rst")
    assert len(cards) == len(table_rows) == 4
    for card, row in zip(cards, table_rows, strict=True):
        assert card.select_one("p.sd-card-title").get_text(strip=True) == row[0]  # type: ignore[union-attr]
        assert card_texts(card)[1:] == row[1:], "a card says what its table row says"


def test_with_sphinx_design_severity_and_status_are_badges(designed: Built) -> None:
    snapshot = pinned_snapshot(designed)
    page = soup(designed.page("exploits_rst"))
    badges = page.select("span.cab-badge")
    assert len(badges) == 2 * len(snapshot.exploits)
    for badge in badges:
        classes = badge["class"]
        assert "sd-badge" in classes
        tone = next(c.removeprefix("cab-badge-") for c in classes if c.startswith("cab-badge-"))
        assert f"sd-bg-{tone}" in classes and f"sd-bg-text-{tone}" in classes
    tones = {
        b.get_text(strip=True): next(c for c in b["class"] if c.startswith("sd-bg-"))
        for b in badges
    }
    assert tones["live"] == "sd-bg-danger"
    assert tones.get("patched", "sd-bg-secondary") == "sd-bg-secondary"


def test_without_sphinx_design_badges_are_plain_text_marked_for_styling(built: Built) -> None:
    badges = soup(built.page("exploits_rst")).select("span.cab-badge")
    assert badges
    assert not [c for b in badges for c in b["class"] if c.startswith("sd-")]


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_other_builders_keep_the_ledger_table_with_sphinx_design(
    builder: str, tmp_path: Path
) -> None:
    result = build("directives", tmp_path, builder, confoverrides=WITH_DESIGN)
    assert result.warnings == []
    output = "".join(
        p.read_text(encoding="utf-8")
        for p in result.outdir.glob("*.*")
        if p.suffix in {".txt", ".tex"}
    )
    assert "What was collected" in output and "Audit path" in output
    assert "sd-card" not in output
