"""The loader: the mini snapshot reads cleanly, and each bad input gives its exact warning."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot import load as loader
from sphinxcontrib_cab.snapshot.load import load_snapshot, load_snapshot_cached
from sphinxcontrib_cab.snapshot.model import AXES, CellKey
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.problems import MAX_PROBLEMS_PER_FILE

TESTS = Path(__file__).parents[1]
MINI = TESTS / "snapshots" / "mini"
BAD = TESTS / "bad_inputs"
RUNS = "results/published"


def snapshot_with(tmp_path: Path, bad_file: str | None = None, destination: str = "") -> Path:
    """A copy of the mini snapshot, with one bad input copied to ``destination`` inside it."""
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    if bad_file is not None:
        shutil.copyfile(BAD / bad_file, root / destination)
    return root


def problems_of(root: Path) -> list[tuple[str, str, str]]:
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    return [(p.location, p.subtype.qualified, p.message) for p in snap.problems]


# --------------------------------------------------------------------------- the clean snapshot


def test_mini_snapshot_reads_without_problems() -> None:
    snap = load_snapshot(SourcePaths.under(MINI), display_base=MINI)
    assert snap.problems == ()
    assert snap.name == "2026-06-20"
    assert snap.rows_read == 36
    assert snap.rows_rejected == 0
    assert len(snap.cells) == 12
    assert [t.id for t in snap.tasks] == [
        "integrity/unsolvable-refusal",
        "mutations/python-comparator-swap",
        "polyglot/python-two-sum",
    ]
    assert [e.id for e in snap.exploits] == ["CAB-X-001", "CAB-X-002", "CAB-X-003"]
    assert [e.id for e in snap.live_exploits] == ["CAB-X-002"]
    assert snap.categories == ("integrity", "mutations", "polyglot")
    assert [f.relative_to(MINI).as_posix() for f in snap.files] == [
        "results/published/expansion-20260616.jsonl",
        "results/published/free-20260527.jsonl",
        "site/src/data/tasks.json",
        "results/exploits/_catalog.yaml",
        "site/src/data/meta.json",
    ]


def test_run_row_round_trips_from_the_column_store() -> None:
    snap = load_snapshot(SourcePaths.under(MINI), display_base=MINI)
    first_line = (MINI / RUNS / "expansion-20260616.jsonl").read_text().splitlines()[0]
    import json

    expected = json.loads(first_line)
    row = snap.runs.row(0)
    assert row.location == "results/published/expansion-20260616.jsonl:1"
    assert row.key == CellKey(
        expected["tui"],
        expected["behavior_mode"],
        expected["model"],
        expected["task"],
        expected["plugin_stack"],
        expected["tui_image_sha"],
        expected["model_endpoint_sha"],
        expected["sampling_profile"],
        expected["task_added_date"],
    )
    for name in ("sweep_id", "rerun", "started_at", "ended_at", "exit_code", "failure"):
        assert getattr(row, name) == expected[name], name
    for name in ("prompt_sha256", "stdout_sha256", "grade_sha256", "methodology_version"):
        assert getattr(row, name) == expected[name], name
    assert dict(row.scores) == expected["scores"]
    with pytest.raises(IndexError):
        snap.runs.row(len(snap.runs))


def test_not_recorded_is_not_zero_and_na_is_kept() -> None:
    snap = load_snapshot(SourcePaths.under(MINI))
    tokens = snap.runs.scores["tokens"]
    aider_rows = [i for i in range(len(snap.runs)) if snap.runs.key(i).tui == "aider"]
    assert aider_rows and all(math.isnan(tokens[i]) for i in aider_rows)
    assert all(snap.runs.score(i, "tokens") is None for i in aider_rows)
    refusals = {snap.runs.score(i, "refusal") for i in range(len(snap.runs))}
    assert refusals == {0, 1, "n/a"}


def test_old_methodology_cell_has_missing_provenance() -> None:
    snap = load_snapshot(SourcePaths.under(MINI))
    old = [c for c in snap.cells if c.methodology_version == "0.0"]
    assert len(old) == 1
    assert old[0].key.missing() == ("tui_image_sha", "model_endpoint_sha", "sampling_profile")
    assert old[0].key.task_added_date == "2026-05-01"


def test_failures_are_counted_per_cell() -> None:
    snap = load_snapshot(SourcePaths.under(MINI))
    failures = sorted(
        (c.key.tui, c.key.model, c.key.task, kind, n) for c in snap.cells for kind, n in c.failures
    )
    assert failures == [
        ("aider", "llama-3.3-70b-instruct", "integrity/unsolvable-refusal", "handshake", 1),
        ("opencode", "gpt-oss-120b", "mutations/python-comparator-swap", "rate_limit", 1),
        ("opencode", "llama-3.3-70b-instruct", "mutations/python-comparator-swap", "timeout", 1),
    ]
    exit_codes = {
        snap.runs.row(i).failure: snap.runs.row(i).exit_code
        for i in range(len(snap.runs))
        if snap.runs.row(i).failure
    }
    assert exit_codes == {"handshake": 1, "rate_limit": 1, "timeout": -1}


def test_locations_are_relative_to_the_display_base(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path, "broken-json.jsonl", f"{RUNS}/broken-json.jsonl")
    snap = load_snapshot(SourcePaths.under(root), display_base=tmp_path)
    assert [p.location for p in snap.problems] == ["snap/results/published/broken-json.jsonl:1"]
    outside = load_snapshot(SourcePaths.under(root), display_base=TESTS)
    assert [p.location for p in outside.problems] == [
        f"{(root / RUNS / 'broken-json.jsonl').resolve().as_posix()}:1"
    ]


# ----------------------------------------------------------------------- record-level bad inputs

RECORD_CASES = {
    "broken-json.jsonl": (
        f"{RUNS}/broken-json.jsonl",
        [
            (
                "results/published/broken-json.jsonl:1",
                "cab.json",
                "row left out: not valid JSON: expected value at column 52",
            )
        ],
    ),
    "wrong-types.jsonl": (
        f"{RUNS}/wrong-types.jsonl",
        [
            (
                "results/published/wrong-types.jsonl:1",
                "cab.record",
                "row left out: 'rerun': input should be a valid integer, unable to parse string "
                'as an integer: got "fourth"',
            ),
            (
                "results/published/wrong-types.jsonl:1",
                "cab.record",
                "row left out: 'scores.pass' must be 0 or 1: got \"yes\"",
            ),
        ],
    ),
    "unknown-field.jsonl": (
        f"{RUNS}/unknown-field.jsonl",
        [
            (
                "results/published/unknown-field.jsonl:1",
                "cab.record",
                "row left out: unknown field 'temperature': the data contract has no such field "
                "(a typo?)",
            )
        ],
    ),
    "bad-date.jsonl": (
        f"{RUNS}/bad-date.jsonl",
        [
            (
                "results/published/bad-date.jsonl:1",
                "cab.date",
                "row left out: 'started_at' is not an ISO-8601 timestamp such as "
                '2026-05-27T09:00:00.000000Z: got "27/05/2026 09:00" (invalid character in year)',
            )
        ],
    ),
    "bad-hash.jsonl": (
        f"{RUNS}/bad-hash.jsonl",
        [
            (
                "results/published/bad-hash.jsonl:1",
                "cab.sha256",
                "row left out: 'grade_sha256' is not a sha256 digest (64 lowercase hex digits): "
                'got "89beb1aa725ff27450818a2dd1ab3b039d122009"',
            )
        ],
    ),
    "duplicate-run.jsonl": (
        f"{RUNS}/retry-20260528.jsonl",
        [
            (
                "results/published/retry-20260528.jsonl:1",
                "cab.duplicate",
                "duplicate run: rerun 1 of this cell already appears at "
                "results/published/free-20260527.jsonl:7; this row is left out",
            )
        ],
    ),
    "empty.jsonl": (
        f"{RUNS}/empty.jsonl",
        [("results/published/empty.jsonl", "cab.json", "the file is empty: it holds no run rows")],
    ),
    "truncated.jsonl": (
        f"{RUNS}/truncated.jsonl",
        [
            (
                "results/published/truncated.jsonl:1",
                "cab.json",
                "row left out: the last line is cut off (the file ends in the middle of a record, "
                "without a final newline): not valid JSON: EOF while parsing a string at column "
                "300",
            )
        ],
    ),
    "not-utf8.jsonl": (
        f"{RUNS}/not-utf8.jsonl",
        [
            (
                "results/published/not-utf8.jsonl:1",
                "cab.encoding",
                "row left out: the line is not UTF-8 text (byte 0xe9 at column 142)",
            )
        ],
    ),
    "bom-tasks.json": (
        "site/src/data/tasks.json",
        [
            (
                "site/src/data/tasks.json:1",
                "cab.encoding",
                "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM "
                "(read anyway)",
            )
        ],
    ),
    "tasks-broken.json": (
        "site/src/data/tasks.json",
        [
            (
                "site/src/data/tasks.json:7",
                "cab.json",
                "not valid JSON: Expecting ',' delimiter at column 5",
            )
        ],
    ),
    "python-tag.yaml": (
        "results/exploits/_catalog.yaml",
        [
            (
                "results/exploits/_catalog.yaml:16",
                "cab.yaml",
                "exploit left out: the tag '!!python/object/apply:os.system' asks for a Python "
                "object; the ledger is read with a safe loader, which refuses such tags",
            ),
            # The ledger is replaced, so the mini snapshot's own exploits are gone; the one valid
            # entry left matches aider cells, so nothing else is reported.
        ],
    ),
    "broken-yaml.yaml": (
        "results/exploits/_catalog.yaml",
        [
            (
                "results/exploits/_catalog.yaml:3",
                "cab.yaml",
                "not valid YAML: while scanning a quoted scalar (line 3), found unexpected end of "
                "stream at line 5",
            )
        ],
    ),
    "patched-without-date.yaml": (
        "results/exploits/_catalog.yaml",
        [
            (
                "results/exploits/_catalog.yaml:2",
                "cab.date",
                "exploit left out: status is 'patched' but no 'patched' date is given",
            )
        ],
    ),
}


@pytest.mark.parametrize("bad_file", sorted(RECORD_CASES))
def test_bad_input_gives_its_exact_warning(tmp_path: Path, bad_file: str) -> None:
    destination, expected = RECORD_CASES[bad_file]
    root = snapshot_with(tmp_path, bad_file, destination)
    assert problems_of(root) == expected


def test_bad_rows_are_left_out_and_counted(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path, "wrong-types.jsonl", f"{RUNS}/wrong-types.jsonl")
    shutil.copyfile(BAD / "bad-hash.jsonl", root / RUNS / "bad-hash.jsonl")
    snap = load_snapshot(SourcePaths.under(root))
    assert (snap.rows_read, snap.rows_rejected) == (36, 2)


def test_python_tag_is_never_constructed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command) or 0)
    root = snapshot_with(tmp_path, "python-tag.yaml", "results/exploits/_catalog.yaml")
    snap = load_snapshot(SourcePaths.under(root))
    assert calls == []
    assert [e.id for e in snap.exploits] == ["CAB-X-001"]


def test_task_entries_are_located_by_json_line(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path, "tasks-bad-entries.json", "site/src/data/tasks.json")
    problems = problems_of(root)
    assert problems[:3] == [
        (
            "site/src/data/tasks.json:45",
            "cab.record",
            "task left out: 'budget.max_turns': input should be greater than or equal to 1: got 0",
        ),
        (
            "site/src/data/tasks.json:66",
            "cab.record",
            "task left out: 'id' must be <category>/<slug>, with category integrity, mutations or "
            'polyglot and a slug of lowercase letters, digits and hyphens: got "polyglot/Two Sum"',
        ),
        (
            "site/src/data/tasks.json:94",
            "cab.duplicate",
            "task 'integrity/unsolvable-refusal' appears twice in the catalogue (first at line 2); "
            "this entry is left out",
        ),
    ]
    text = (root / "site/src/data/tasks.json").read_text().splitlines()
    assert '"max_turns": 0' in text[45 - 1]
    assert '"id": "polyglot/Two Sum"' in text[66 - 1]
    assert text[94 - 1].strip() == "{"


def test_many_bad_rows_are_summed_up(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path)
    (root / RUNS / "junk.jsonl").write_text("not json\n" * 60)
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    junk = [p for p in snap.problems if p.location.startswith("results/published/junk.jsonl")]
    assert len(junk) == MAX_PROBLEMS_PER_FILE + 1
    assert junk[-1].location == "results/published/junk.jsonl"
    assert junk[-1].message == (
        "10 more problems in this file are not listed; fix the ones above and check again"
    )
    assert snap.rows_rejected == 60


def test_missing_sources_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "empty-snapshot"
    root.mkdir()
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    assert [(p.location, p.subtype.qualified, p.message) for p in snap.problems] == [
        (
            "results/published",
            "cab.source",
            "the run-record folder results/published does not exist "
            "(runs path = 'results/published')",
        ),
        (
            "site/src/data/tasks.json",
            "cab.source",
            "the task catalogue site/src/data/tasks.json does not exist "
            "(tasks path = 'site/src/data/tasks.json')",
        ),
        (
            "results/exploits/_catalog.yaml",
            "cab.source",
            "the exploit ledger results/exploits/_catalog.yaml does not exist "
            "(exploits path = 'results/exploits/_catalog.yaml')",
        ),
        (
            "site/src/data/meta.json",
            "cab.source",
            "the methodology pin site/src/data/meta.json does not exist "
            "(meta path = 'site/src/data/meta.json')",
        ),
    ]
    assert snap.rows_read == 0 and snap.cells == () and snap.meta is None


def test_sources_outside_the_snapshot_folder_are_not_read(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path)
    sources = SourcePaths.under(root, tasks="../outside/tasks.json")
    (tmp_path / "outside").mkdir()
    shutil.copyfile(MINI / "site/src/data/tasks.json", tmp_path / "outside/tasks.json")
    snap = load_snapshot(sources, display_base=tmp_path)
    assert next((p.location, p.subtype.qualified, p.message) for p in snap.problems) == (
        "outside/tasks.json",
        "cab.source",
        "the task catalogue outside/tasks.json leads outside the snapshot folder snap "
        "(tasks path = '../outside/tasks.json'); it was not read",
    )
    assert snap.tasks == ()
    assert all((tmp_path / "outside") not in f.parents for f in snap.files)
    assert len(snap.files) == 4


# --------------------------------------------------------------------------- the cache


def test_cache_does_not_reparse_unchanged_files(tmp_path: Path) -> None:
    root = snapshot_with(tmp_path)
    sources = SourcePaths.under(root)
    loader.clear_cache()
    before = loader.parse_count()
    first = load_snapshot_cached(sources, display_base=root)
    second = load_snapshot_cached(sources, display_base=root)
    assert loader.parse_count() == before + 1
    assert second is first
    meta = root / "site/src/data/meta.json"
    stat = meta.stat()
    meta.write_text(meta.read_text().replace('"row_count": 36', '"row_count": 35'))
    import os

    os.utime(meta, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: only content changed
    third = load_snapshot_cached(sources, display_base=root)
    assert loader.parse_count() == before + 2
    assert third is not first
    assert [p.subtype.qualified for p in third.problems] == ["cab.row-count"]


def test_every_axis_has_a_column() -> None:
    snap = load_snapshot(SourcePaths.under(MINI))
    assert set(snap.runs.scores) == set(AXES)
    assert all(len(column) == snap.rows_read for column in snap.runs.scores.values())
    assert len(snap.runs.hashes) == 96 * snap.rows_read


def test_unreadable_file_is_a_source_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = snapshot_with(tmp_path)
    real_read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "tasks.json":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    assert [(p.location, p.subtype.qualified, p.message) for p in snap.problems] == [
        (
            "site/src/data/tasks.json",
            "cab.source",
            "the file could not be read: Permission denied",
        )
    ]
    assert snap.tasks == () and snap.rows_read == 36


@pytest.mark.parametrize(
    ("started", "ended", "started_utc", "ended_utc"),
    [
        (
            "2026-05-27T11:00:00.250000+02:00",
            "2026-05-27T09:00:30Z",
            "2026-05-27T09:00:00.250000Z",
            "2026-05-27T09:00:30.000000Z",
        ),
        (
            "2026-05-27T09:00:00",
            "2026-05-27T04:01:00-05:00",
            "2026-05-27T09:00:00.000000Z",
            "2026-05-27T09:01:00.000000Z",
        ),
        (
            "2026-05-27T09:00:00Z",
            "2026-05-27T09:02:00",
            "2026-05-27T09:00:00.000000Z",
            "2026-05-27T09:02:00.000000Z",
        ),
    ],
)
def test_timestamps_are_stored_as_utc(
    tmp_path: Path, started: str, ended: str, started_utc: str, ended_utc: str
) -> None:
    import json

    root = snapshot_with(tmp_path)
    runs = root / RUNS / "free-20260527.jsonl"
    lines = runs.read_text().splitlines()
    first = json.loads(lines[0])
    first.update(started_at=started, ended_at=ended)
    runs.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    assert snap.problems == ()
    (index,) = [
        i
        for i in range(len(snap.runs))
        if snap.runs.location(i) == "results/published/free-20260527.jsonl:1"
    ]
    row = snap.runs.row(index)
    assert (row.started_at, row.ended_at) == (started_utc, ended_utc)


# ------------------------------------------------------------- lines are validated in batches


def _crafted(lines: list[str], case: str) -> list[str]:
    if case == "two records on line 1":
        return [lines[0] + ", " + lines[1], *lines[2:]]
    # Joined with a comma, lines 1 and 2 would form one valid record and line 3 two: as many
    # records as lines, so only the check of where each line starts and ends tells them apart.
    scores_end = lines[0].index("}") + 1
    head, tail = lines[0][:scores_end], lines[0][scores_end:].removeprefix(", ")
    return [head, tail, lines[1] + ", " + lines[2], *lines[3:]]


BATCH_CASES = {
    "two records on line 1": (
        [(1, "row left out: not valid JSON: trailing characters at column 934")],
        "34 valid run rows were read from results/published (1 row left out as invalid)",
    ),
    "one record cut over lines 1 and 2, two records on line 3": (
        [
            (1, "row left out: not valid JSON: EOF while parsing an object at column 902"),
            (2, "row left out: not valid JSON: trailing characters at column 22"),
            (3, "row left out: not valid JSON: trailing characters at column 934"),
        ],
        "33 valid run rows were read from results/published (3 rows left out as invalid)",
    ),
}


@pytest.mark.parametrize("case", sorted(BATCH_CASES))
def test_batched_lines_cannot_merge_into_records(tmp_path: Path, case: str) -> None:
    """Lines are validated as one JSON array per batch; a line holding two records, or a
    record cut over two lines, must still be reported at its own line and left out."""
    root = snapshot_with(tmp_path)
    path = root / RUNS / "expansion-20260616.jsonl"
    path.write_text("\n".join(_crafted(path.read_text().splitlines(), case)) + "\n")
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    rows, count = BATCH_CASES[case]
    assert [(p.location, p.subtype.qualified, p.message) for p in snap.problems] == [
        *((f"{RUNS}/expansion-20260616.jsonl:{line}", "cab.json", text) for line, text in rows),
        ("site/src/data/meta.json:5", "cab.row-count", f"meta.json says row_count 36, but {count}"),
    ]
