"""What a reader sees of failures, exploits and the three marks, in real builds of
tests/roots/test-real against tests/snapshots/real (one- and two-run cells, each failure kind with
its detail, a live and a patched exploit, a methodology 0.0 cell, n/a refusals).

The expected words are the ones a reader reads; the numbers behind them are checked against the
snapshot in tests/snapshot/test_failures.py and test_real_shapes.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from cab_pages import TESTS, build, make_pdf, soup, tex_errors

from sphinxcontrib_cab.snapshot.failures import FAILURE_KINDS, RECORDED_NOTE

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import Tag
    from cab_pages import Built

REAL = TESTS / "snapshots" / "real"
BAD_OPTION = (
    "<src>/bad.md:3: WARNING: cab-leaderboard option :failures: 'maybe' is not one of include, "
    "exclude; using 'include' [cab.option]"
)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build("real", tmp_path_factory.mktemp("real-html"), snapshot=REAL)


def rows(built: Built, docname: str) -> dict[str, Tag]:
    """Body rows of the page's leaderboard by their first three values (tui model task)."""
    table = soup(built.page(docname)).select_one("table.cab-leaderboard")
    assert table is not None
    found = {}
    for tr in table.select("tbody > tr"):
        first = tr.find("th")
        assert first is not None
        tui = first.find(string=True, recursive=False)
        cells = tr.find_all("td", recursive=False)
        found[f"{str(tui).strip()} {cells[1].get_text()}"] = tr
    return found


def marks(row: Tag) -> list[tuple[str, str, str | None]]:
    """(classes, words, link) of each mark in the row's first cell."""
    found = []
    for mark in row.select("th .cab-mark"):
        link = mark.find_parent("a")
        found.append((" ".join(mark["class"]), mark.get_text(), link["href"] if link else None))
    return found


def popover_notes(row: Tag) -> list[str]:
    return [li.get_text() for li in row.select("details.cab-popover ul.cab-row-notes li")]


def test_the_only_warning_is_the_bad_failures_option(html: Built) -> None:
    assert html.warnings == [BAD_OPTION]


def test_each_row_says_how_many_runs_failed_and_of_which_kind(html: Built) -> None:
    board = rows(html, "board")
    assert marks(board["qwen-code polyglot/python-two-sum"]) == [
        (
            "cab-mark cab-badge cab-badge-warning cab-failure cab-failure-rate_limit",
            "1 of 2 runs: rate limit",
            None,
        )
    ]
    assert marks(board["goose polyglot/python-two-sum"]) == [
        (
            "cab-mark cab-badge cab-badge-warning cab-failure cab-failure-timeout",
            "2 of 2 runs: timeout",
            None,
        )
    ]
    assert marks(board["plandex integrity/unsolvable-refusal"]) == [
        (
            "cab-mark cab-badge cab-badge-warning cab-failure cab-failure-handshake",
            "1 of 1 run: handshake",
            None,
        )
    ]
    assert marks(board["aider polyglot/python-two-sum"]) == []


def test_failed_runs_keep_their_recorded_score(html: Built) -> None:
    goose = board_cells(rows(html, "board")["goose polyglot/python-two-sum"])
    assert goose[2:4] == ["2", "0.500 (no spread in 2 runs)"]


def board_cells(row: Tag) -> list[str]:
    return [cell.get_text() for cell in row.find_all("td", recursive=False)]


def test_popovers_give_each_failed_run_s_detail_as_recorded(html: Built) -> None:
    board = rows(html, "board")
    assert popover_notes(board["goose polyglot/python-two-sum"]) == [
        "run 1, timeout: adapter timed out after 630s (outer guard)",
        "run 2, timeout: ConnectionError: HTTPConnectionPool(host='nim', port=443): "
        "Read timed out.",
        # the table's note on this field names two reasons; the popover says this cell's
        "tui_image_sha: not published for this cell",
    ]
    assert popover_notes(board["pi polyglot/python-two-sum"]) == [
        "tui_image_sha: this cell predates methodology 0.1 (2026-05-27), which introduced it"
    ]
    assert popover_notes(board["crush polyglot/python-two-sum"]) == [
        "run 1, rate limit: HTTP 429: the agent exhausted its retries before doing any work"
    ]


def test_the_legend_names_each_kind_shown_and_the_recorded_score_note(html: Built) -> None:
    legend = soup(html.page("board")).select_one("p.cab-legend")
    assert legend is not None
    text = legend.get_text()
    assert "Failed runs: include (failed runs are scored as recorded and count in every mean)." in (
        text
    )
    for kind in FAILURE_KINDS.values():
        assert f"{kind.label}: {kind.meaning.rstrip('.')}" in text
    assert RECORDED_NOTE == (
        "All scores are reported as recorded: a failed run's score is an honest measurement, "
        "not a gap."
    )
    assert RECORDED_NOTE in text


def test_exploit_marks_link_to_the_ledger_entry(html: Built) -> None:
    board = rows(html, "board")
    assert marks(board["opencode polyglot/python-two-sum"]) == [
        (
            "cab-mark cab-badge cab-badge-danger cab-exploit cab-exploit-live",
            "live exploit CAB-X-101",
            "exploits.html#cab-exploit-cab-x-101",
        )
    ]
    assert marks(board["codex integrity/unsolvable-refusal"]) == [
        (
            "cab-mark cab-badge cab-badge-secondary cab-exploit cab-exploit-patched",
            "recorded before exploit CAB-X-102 was patched on 2026-06-01",
            "exploits.html#cab-exploit-cab-x-102",
        )
    ]
    assert popover_notes(board["opencode polyglot/python-two-sum"]) == ["live exploit CAB-X-101"]
    assert soup(html.page("exploits")).select_one("#cab-exploit-cab-x-101") is not None


def test_with_sphinx_design_marks_are_its_badges(html: Built, tmp_path: Path) -> None:
    designed = build(
        "real",
        tmp_path,
        snapshot=REAL,
        confoverrides={"extensions": ["sphinxcontrib_cab", "myst_parser", "sphinx_design"]},
    )
    board = rows(designed, "board")
    (failure,) = marks(board["qwen-code polyglot/python-two-sum"])
    (exploit,) = marks(board["opencode polyglot/python-two-sum"])
    for (classes, _words, _link), tone in ((failure, "warning"), (exploit, "danger")):
        assert {"sd-badge", f"sd-bg-{tone}", f"sd-bg-text-{tone}"} <= set(classes.split())
    plain = marks(rows(html, "board")["qwen-code polyglot/python-two-sum"])
    assert plain and not any("sd-" in classes for classes, _words, _link in plain)


def test_task_pages_carry_the_same_marks_and_details(html: Built) -> None:
    page = soup(html.page("task/polyglot/python-two-sum/index"))
    shown = [(mark.get_text(), mark.find_parent("a")) for mark in page.select(".cab-mark")]
    assert [words for words, _ in shown] == [
        "live exploit CAB-X-101",
        "1 of 2 runs: rate limit",
        "1 of 1 run: rate limit",
        "2 of 2 runs: timeout",
    ]
    link = shown[0][1]
    assert link is not None and link["href"] == "../../../exploits.html#cab-exploit-cab-x-101"
    notes = [li.get_text() for li in page.select("ul.cab-row-notes li")]
    assert "run 1, timeout: adapter timed out after 630s (outer guard)" in notes


def test_not_applicable_and_not_recorded_have_their_own_marks_and_words(html: Built) -> None:
    aider = board_cells(rows(html, "board")["aider polyglot/python-two-sum"])
    goose = rows(html, "board")["goose polyglot/python-two-sum"]
    refusal, tokens = goose.find_all("td", recursive=False)[5:7]
    assert aider[5:7] == ["n/a", "5,230 (one run)"]
    assert (refusal.get_text(), refusal["class"], refusal["title"]) == (
        "n/a",
        ["cab-na"],
        "not applicable: the task expects no refusal",
    )
    assert (tokens.get_text(), tokens["class"], tokens["title"]) == (
        "\u2014",
        ["cab-missing"],
        "not recorded: no run recorded the value",
    )


def test_cab_score_shows_the_three_marks_apart(html: Built) -> None:
    spans = soup(html.page("roles")).select("span.cab-score")
    shown = [
        (span["class"][-1], span.get_text(), span.abbr["title"] if span.abbr else None)
        for span in spans
    ]
    assert shown == [
        ("cab-na", "n/a", "not applicable: the task expects no refusal"),
        ("cab-missing", "\u2014", "not recorded: no run recorded the value"),
        ("cab-score", "0.750 [0.198, 0.973]", None),
    ]


def test_excluding_failures_recomputes_and_says_what_it_left_out(html: Built) -> None:
    board = rows(html, "exclude")
    qwen = board["qwen-code polyglot/python-two-sum"]
    assert board_cells(qwen)[2:4] == ["1", "0.949 (one run)"]
    assert [words for _, words, _ in marks(qwen)] == ["1 of 2 runs left out: rate limit"]
    goose = board["goose polyglot/python-two-sum"]
    assert board_cells(goose)[2:5] == ["0", "n/a (every run failed)", "n/a (every run failed)"]
    assert [words for _, words, _ in marks(goose)] == ["2 of 2 runs left out: timeout"]
    assert len(board) == len(rows(html, "board"))  # no cell dropped out
    legend = soup(html.page("exclude")).select_one("p.cab-legend")
    assert legend is not None
    assert (
        "Failed runs: exclude (runs that failed for infrastructure are left out of the means, "
        "and each row says how many it left out)." in legend.get_text()
    )


def test_missing_fields_are_explained_per_cell(html: Built) -> None:
    page = soup(html.page("cells"))
    notes = [
        (note.find_parent("div", class_="cab-cell-provenance")["id"], note.get_text())
        for note in page.select(".cab-key-tui_image_sha .cab-missing-note")
    ]
    goose, pi = (div["id"] for div in page.select("div.cab-cell-provenance"))
    assert notes == [
        (goose, " (not published for this cell)"),
        (pi, " (this cell predates methodology 0.1 (2026-05-27), which introduced it)"),
    ]
    failures = [li.get_text() for li in page.select("ul.cab-row-notes li")]
    assert failures == [
        "run 1, timeout: adapter timed out after 630s (outer guard)",
        "run 2, timeout: ConnectionError: HTTPConnectionPool(host='nim', port=443): "
        "Read timed out.",
    ]


def test_text_builder_shows_badges_details_and_marks(tmp_path: Path) -> None:
    built = build("real", tmp_path, "text", snapshot=REAL)
    assert built.warnings == [BAD_OPTION]
    board = built.page("board", ".txt")
    assert "| qwen-code 1 of 2 runs: rate limit " in board
    assert "| opencode live exploit CAB-X-101 " in board
    assert "* run 1, rate limit: HTTP 429 from the model endpoint after 5 retries" in board
    assert RECORDED_NOTE.split(":")[0] in board
    roles = " ".join(built.page("roles", ".txt").split())
    assert "n/a (not applicable: the task expects no refusal)" in roles
    assert "\u2014 (not recorded: no run recorded the value)" in roles


def test_latex_with_every_mark_compiles(tmp_path: Path) -> None:
    built = build("real", tmp_path, "latex", snapshot=REAL)
    assert built.warnings == [BAD_OPTION]
    tex = "\n".join(p.read_text(encoding="utf-8") for p in built.outdir.glob("*.tex"))
    assert "1 of 2 runs: rate limit" in tex
    assert "live exploit CAB\\sphinxhyphen{}X\\sphinxhyphen{}101" in tex
    done = make_pdf(built.outdir)
    errors = tex_errors(built.outdir)
    assert errors == [], errors[:10]
    assert done.returncode == 0, done.stdout[-4000:]
    assert [p.stat().st_size > 0 for p in built.outdir.glob("*.pdf")] == [True]


@pytest.mark.parametrize(
    ("docname", "expected"),
    [
        (
            "board",
            {
                "crush": "1 of 1 run: rate limit",
                "goose": "2 of 2 runs: timeout",
                "plandex": "1 of 1 run: handshake",
                "qwen-code": "1 of 2 runs: rate limit",
            },
        ),
        (
            "exclude",
            {
                "crush": "1 of 1 run left out: rate limit",
                "goose": "2 of 2 runs left out: timeout",
                "plandex": "1 of 1 run left out: handshake",
                "qwen-code": "1 of 2 runs left out: rate limit",
            },
        ),
    ],
)
def test_overview_rows_count_their_failed_runs(
    html: Built, docname: str, expected: dict[str, str]
) -> None:
    overview = soup(html.page(docname)).select("table.cab-leaderboard")[1]
    found = {}
    for tr in overview.select("tbody > tr"):
        first = tr.find("th")
        assert first is not None
        for mark in first.select(".cab-failure"):
            found[str(first.find(string=True, recursive=False)).strip()] = mark.get_text()
    assert found == expected


def test_overview_rows_carry_the_exploit_marks_of_their_cells(html: Built) -> None:
    overview = soup(html.page("board")).select("table.cab-leaderboard")[1]
    found = {}
    for tr in overview.select("tbody > tr"):
        first = tr.find("th")
        assert first is not None
        name = str(first.find(string=True, recursive=False)).strip()
        for mark in first.select(".cab-exploit"):
            link = mark.find_parent("a")
            found[name] = (mark.get_text(), link["href"] if link else None)
    assert found == {
        "opencode": ("live exploit CAB-X-101 in 1 cell", "exploits.html#cab-exploit-cab-x-101"),
        "codex": (
            "1 cell recorded before exploit CAB-X-102 was patched on 2026-06-01",
            "exploits.html#cab-exploit-cab-x-102",
        ),
    }
    legend = soup(html.page("board")).select("p.cab-legend")[1].get_text()
    assert "A live exploit mark: an unpatched exploit of the ledger names cells of this row" in (
        legend
    )
