"""Cross-checks between sources: each bad input gives exactly its warnings, at file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.older import load_all
from sphinxcontrib_cab.snapshot.paths import SourcePaths

TESTS = Path(__file__).parents[1]
MINI = TESTS / "snapshots" / "mini"
BAD = TESTS / "bad_inputs"
RUNS = "results/published"
ROW_COUNT_37 = (
    "site/src/data/meta.json:5",
    "cab.row-count",
    "meta.json says row_count 36, but 37 valid run rows were read from results/published",
)


def snapshot_with(tmp_path: Path, bad_file: str, destination: str) -> Path:
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    shutil.copyfile(BAD / bad_file, root / destination)
    return root


CROSS_CASES = {
    "unknown-task.jsonl": (
        f"{RUNS}/unknown-task.jsonl",
        [
            ROW_COUNT_37,
            (
                "results/published/unknown-task.jsonl:1",
                "cab.unknown-task",
                "task 'polyglot/go-http-handler-fix' is not in the task catalogue "
                "site/src/data/tasks.json; 1 row names it, this is the first",
            ),
        ],
    ),
    "task-date-mismatch.jsonl": (
        f"{RUNS}/task-date-mismatch.jsonl",
        [
            ROW_COUNT_37,
            (
                "results/published/task-date-mismatch.jsonl:1",
                "cab.task-date",
                "task_added_date 2026-05-02 of task 'polyglot/python-two-sum' disagrees with the "
                "task catalogue site/src/data/tasks.json, which says 2026-05-01; 1 row gives "
                "2026-05-02, this is the first",
            ),
        ],
    ),
    "newer-methodology.jsonl": (
        f"{RUNS}/newer-methodology.jsonl",
        [
            ROW_COUNT_37,
            (
                "results/published/newer-methodology.jsonl:1",
                "cab.methodology",
                "methodology version 0.2 is newer than the pinned version 0.1 in meta.json; "
                "1 row uses it, this is the first",
            ),
        ],
    ),
    "ended-before-started.jsonl": (
        f"{RUNS}/ended-before-started.jsonl",
        [
            (
                "results/published/ended-before-started.jsonl:1",
                "cab.date",
                "ended_at 2026-05-27T08:59:00.000000Z is before started_at "
                "2026-05-27T09:09:42.000000Z (row kept)",
            ),
            ROW_COUNT_37,
        ],
    ),
    "row-count-meta.json": (
        "site/src/data/meta.json",
        [
            (
                "site/src/data/meta.json:5",
                "cab.row-count",
                "meta.json says row_count 40, but 36 valid run rows were read from "
                "results/published",
            )
        ],
    ),
    "patched-before-reported.yaml": (
        "results/exploits/_catalog.yaml",
        [
            (
                "results/exploits/_catalog.yaml:9",
                "cab.date",
                "exploit 'CAB-X-004' is patched on 2026-06-01, before it was reported on "
                "2026-06-10",
            )
        ],
    ),
    "exploit-no-cell.yaml": (
        "results/exploits/_catalog.yaml",
        [
            (
                "results/exploits/_catalog.yaml:12",
                "cab.exploit-cells",
                "exploit 'CAB-X-006': affected cell 2 (tui=crush, model=llama-3.3-70b-instruct) "
                "matches no run in this snapshot",
            )
        ],
    ),
}


@pytest.mark.parametrize("bad_file", sorted(CROSS_CASES))
def test_cross_check_gives_its_exact_warning(tmp_path: Path, bad_file: str) -> None:
    destination, expected = CROSS_CASES[bad_file]
    root = snapshot_with(tmp_path, bad_file, destination)
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    assert [(p.location, p.subtype.qualified, p.message) for p in snap.problems] == expected


def test_lines_point_at_the_named_value(tmp_path: Path) -> None:
    """The YAML and JSON lines in the expectations above are the lines of the offending values."""
    lines = (BAD / "patched-before-reported.yaml").read_text().splitlines()
    assert lines[9 - 1].strip() == "patched: 2026-06-01"
    lines = (BAD / "exploit-no-cell.yaml").read_text().splitlines()
    assert lines[12 - 1].strip() == "- tui: crush"
    lines = (BAD / "python-tag.yaml").read_text().splitlines()
    assert "!!python/object" in lines[16 - 1]
    lines = (MINI / "site/src/data/meta.json").read_text().splitlines()
    assert lines[5 - 1].strip().startswith('"row_count"')


def test_exploit_cells_map_to_matching_cells() -> None:
    snap = load_snapshot(SourcePaths.under(MINI))
    matched = {
        exploit_id: sorted(
            (snap.cells[i].key.tui, snap.cells[i].key.model, snap.cells[i].key.task) for i in cells
        )
        for exploit_id, cells in snap.exploit_cells.items()
    }
    assert matched == {
        "CAB-X-001": [
            ("aider", "gpt-oss-120b", "mutations/python-comparator-swap"),
            ("aider", "llama-3.3-70b-instruct", "mutations/python-comparator-swap"),
        ],
        "CAB-X-002": [
            ("aider", "gpt-oss-120b", "integrity/unsolvable-refusal"),
            ("opencode", "gpt-oss-120b", "integrity/unsolvable-refusal"),
        ],
        "CAB-X-003": [("opencode", "llama-3.3-70b-instruct", "polyglot/python-two-sum")],
    }


def test_duplicate_row_is_reported_at_the_later_copy(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path, "duplicate-run.jsonl", f"{RUNS}/retry-20260528.jsonl")
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    assert snap.rows_read == 36 and snap.rows_rejected == 1
    kept = snap.runs.row(snap.cells[snap.cell_index(snap.runs.key(0)) or 0].runs[0])
    assert kept.location.startswith("results/published/")
    assert all("retry" not in snap.runs.location(i) for i in range(len(snap.runs)))


def test_older_snapshot_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path, "meta-outside-path.json", "site/src/data/meta.json")
    loaded = load_all(SourcePaths.under(root), display_base=root)
    assert [(p.location, p.subtype.qualified, p.message) for p in loaded.problems] == [
        (
            "site/src/data/meta.json:55",
            "cab.source",
            "older snapshot 2026-04-01: path '../../../outside' leads outside the snapshot "
            "folder; it was not read",
        )
    ]
    assert sorted(loaded.older) == ["2026-05-27"]
    text = (root / "site/src/data/meta.json").read_text().splitlines()
    assert '"path": "../../../outside"' in text[55 - 1]


def test_older_snapshot_missing_folder(tmp_path: Path) -> None:
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    shutil.rmtree(root / "snapshots")
    loaded = load_all(SourcePaths.under(root), display_base=root)
    assert [(p.location, p.subtype.qualified, p.message) for p in loaded.problems] == [
        (
            "site/src/data/meta.json:48",
            "cab.source",
            "older snapshot 2026-05-27: folder 'snapshots/2026-05-27' does not exist",
        )
    ]
    assert loaded.older == {}
    text = (MINI / "site/src/data/meta.json").read_text().splitlines()
    assert '"path": "snapshots/2026-05-27"' in text[48 - 1]


def test_older_snapshot_listing_must_match_it(tmp_path: Path) -> None:
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    meta = root / "site/src/data/meta.json"
    meta.write_text(meta.read_text().replace('"row_count": 6', '"row_count": 7'))
    older_meta = root / "snapshots/2026-05-27/site/src/data/meta.json"
    older_meta.write_text(older_meta.read_text().replace("2026-05-27", "2026-05-28"))
    loaded = load_all(SourcePaths.under(root), display_base=root)
    assert [(p.location, p.subtype.qualified, p.message) for p in loaded.problems] == [
        (
            "site/src/data/meta.json:46",
            "cab.snapshot",
            "older snapshot listed as 2026-05-27 says snapshot_date 2026-05-28 in its own "
            "meta.json",
        ),
        (
            "site/src/data/meta.json:49",
            "cab.row-count",
            "older snapshot 2026-05-27 is listed with row_count 7, but 6 valid run rows were "
            "read from it",
        ),
    ]
    lines = meta.read_text().splitlines()
    assert '"snapshot_date": "2026-05-27"' in lines[46 - 1]
    assert '"row_count": 7' in lines[49 - 1]
