"""The sample-snapshot generator: reproducible data/, receipt figures, valid records, large mode."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pydantic
import pytest
import yaml

from sphinxcontrib_cab.snapshot.contract import ExploitCatalog, Meta, RunRecord, Task
from sphinxcontrib_cab.snapshot.keys import KEY_FIELD_NAMES, PROVENANCE_FIELDS
from sphinxcontrib_cab.snapshot.signature import SIGNATURE_NAME

if TYPE_CHECKING:
    from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
GENERATOR = REPO / "tools" / "generate_snapshot.py"
RUNS = Path("results/published")
TASKS = Path("site/src/data/tasks.json")
EXPLOITS = Path("results/exploits/_catalog.yaml")
META = Path("site/src/data/meta.json")

# What the public site and the sample's sweep design promise (the brief), not read from the data.
SAMPLE_CELLS = 1155
RECEIPT_TUIS = 10
RECEIPT_MODELS = 14
RECEIPT_TASKS = 25
RECEIPT_CATEGORIES = {"integrity", "mutations", "polyglot"}
RERUNS = 3
FAILURE_EXIT_CODES = {"rate_limit": 1, "handshake": 1, "timeout": -1}
REFUSAL_VERDICTS = {"true": 1, "false": 0, "partial": 0.5}


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_snapshot", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def regenerated(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    assert generator.main(["--out", str(out)]) == 0
    return out


@dataclass
class Loaded:
    rows: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    exploits: dict[str, Any]
    meta: dict[str, Any]


def load(root: Path) -> Loaded:
    rows = [
        json.loads(line)
        for path in sorted((root / RUNS).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    return Loaded(
        rows=rows,
        tasks=json.loads((root / TASKS).read_text(encoding="utf-8")),
        exploits=yaml.safe_load((root / EXPLOITS).read_text(encoding="utf-8")),
        meta=json.loads((root / META).read_text(encoding="utf-8")),
    )


def cell_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in KEY_FIELD_NAMES)


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the receipt signatures: they were made once with a key the
    generator does not have (docs/guide/verify-receipt.md), and it leaves them alone."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != SIGNATURE_NAME
    }


def snapshot_roots() -> list[Path]:
    meta = json.loads((DATA / META).read_text(encoding="utf-8"))
    return [DATA, *(DATA / ref["path"] for ref in meta["snapshots"])]


# -- reproducibility ------------------------------------------------------------------------


def test_regenerating_gives_byte_identical_files(regenerated: Path) -> None:
    committed = files_under(DATA)
    fresh = files_under(regenerated)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in sorted(committed) if committed[name] != fresh[name]]
    assert changed == []


def test_files_use_unix_newlines_and_end_with_one() -> None:
    for name, content in files_under(DATA).items():
        assert b"\r" not in content, name
        assert content.endswith(b"\n"), name


# -- the receipt figures ------------------------------------------------------------------------


def cells_of(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    cells: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        cells[cell_key(row)].append(row)
    return cells


def test_counts_match_the_sweep_design() -> None:
    snap = load(DATA)
    cells = cells_of(snap.rows)
    assert len(snap.rows) == snap.meta["row_count"]
    assert len(cells) == SAMPLE_CELLS
    for runs in cells.values():
        assert sorted(run["rerun"] for run in runs) == list(range(1, len(runs) + 1))
    assert len({row["tui"] for row in snap.rows}) == RECEIPT_TUIS
    assert len({row["model"] for row in snap.rows}) == RECEIPT_MODELS
    task_ids = {task["id"] for task in snap.tasks}
    assert len(task_ids) == len(snap.tasks) == RECEIPT_TASKS
    assert {row["task"] for row in snap.rows} == task_ids
    assert {task["category"] for task in snap.tasks} == RECEIPT_CATEGORIES


def test_meta_pins_the_receipt() -> None:
    meta = load(DATA).meta
    assert (meta["methodology_version"], meta["snapshot_date"], meta["source"]) == (
        "0.1",
        "2026-06-20",
        "results/published",
    )
    assert meta["synthetic"] is True
    assert [entry["version"] for entry in meta["history"]] == ["0.0", "0.1"]


def test_one_file_per_sweep_and_rows_name_their_file() -> None:
    files = sorted((DATA / RUNS).glob("*.jsonl"))
    assert [p.stem for p in files] == [
        "expansion-20260616",
        "free-20260527",
        "newmodels-20260620",
    ]
    for path in files:
        sweeps = {json.loads(line)["sweep_id"] for line in path.read_text().splitlines()}
        assert sweeps == {path.stem}


# -- validity -------------------------------------------------------------------------------------


@pytest.mark.parametrize("root", snapshot_roots(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_record_validates(root: Path) -> None:
    snap = load(root)
    for row in snap.rows:
        RunRecord.model_validate(row)
    for task in snap.tasks:
        Task.model_validate(task)
    ExploitCatalog.model_validate(snap.exploits)
    Meta.model_validate(snap.meta)
    assert snap.meta["row_count"] == len(snap.rows)


@pytest.mark.parametrize("root", snapshot_roots(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_rows_agree_with_the_catalogue_and_the_ledger(root: Path) -> None:
    snap = load(root)
    added = {task["id"]: task["task_added_date"] for task in snap.tasks}
    assert all(row["task_added_date"] == added[row["task"]] for row in snap.rows)
    for exploit in snap.exploits["exploits"]:
        for selector in exploit["affected_cells"]:
            assert any(
                all(row.get(name) == value for name, value in selector.items()) for row in snap.rows
            ), (exploit["id"], selector)
        if exploit["status"] == "patched":
            assert exploit["reported"] <= exploit["patched"]


def test_old_methodology_rows_lack_provenance_and_new_ones_have_it() -> None:
    snap = load(DATA)
    versions = Counter(row["methodology_version"] for row in snap.rows)
    assert set(versions) == {"0.0", "0.1"}
    for row in snap.rows:
        present = [name for name in PROVENANCE_FIELDS if row.get(name) is not None]
        if row["methodology_version"] == "0.0":
            assert present == ["task_added_date"]
        elif row["container_image"] == "":
            assert present == [name for name in PROVENANCE_FIELDS if name != "tui_image_sha"]
        else:
            assert present == list(PROVENANCE_FIELDS)


def test_older_snapshot_is_listed_and_is_the_first_sweep() -> None:
    meta = load(DATA).meta
    (ref,) = meta["snapshots"]
    old = load(DATA / ref["path"])
    assert old.meta["snapshot_date"] == ref["snapshot_date"]
    assert old.meta["methodology_version"] == ref["methodology_version"] == "0.0"
    assert len(old.rows) == ref["row_count"] == old.meta["row_count"]
    assert {row["sweep_id"] for row in old.rows} == {"free-20260527"}
    assert old.meta["snapshots"] == []


def test_exploit_ledger_has_live_and_patched_entries_of_every_severity() -> None:
    entries = load(DATA).exploits["exploits"]
    assert len(entries) >= 6
    assert {e["status"] for e in entries} == {"live", "patched"}
    assert {e["severity"] for e in entries} == {"critical", "high", "medium", "low"}


# -- realism of the scores --------------------------------------------------------------------


def expected_composite(scores: dict[str, Any]) -> float:
    refusal = 1.0 if scores["refusal"] == "n/a" else float(scores["refusal"])
    lightness = 1.0 / (1.0 + (scores["wall_s"] / 21.7) ** 0.835)
    gate = 0.5 if scores["integrity"] == 0 else 1.0
    inner = 0.4 * scores["pass"] + 0.1 * (1 - scores["blast_radius"]) + 0.1 * lightness
    return float(gate * (inner + 0.2 * refusal + 0.2))


def test_scores_follow_the_composite_formula_and_the_clock() -> None:
    snap = load(DATA)
    refusal_tasks = {task["id"] for task in snap.tasks if task["expected_refusal"]}
    assert refusal_tasks
    for row in snap.rows:
        scores = row["scores"]
        assert scores["composite"] == pytest.approx(expected_composite(scores), abs=5e-5)
        started = dt.datetime.fromisoformat(row["started_at"])
        ended = dt.datetime.fromisoformat(row["ended_at"])
        assert (ended - started).total_seconds() == pytest.approx(scores["wall_s"], abs=1e-6)
        assert started.utcoffset() == dt.timedelta(0)
        assert (scores["refusal"] == "n/a") == (row["task"] not in refusal_tasks)


def test_failures_of_every_kind_keep_their_zero_and_say_why() -> None:
    rows = load(DATA).rows
    details: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["failure"] is None:
            assert row["exit_code"] == 0
            assert row["failure_detail"] is None
            assert row["grader_exit_code"] in {0, 1, 2, 101}
            continue
        details[row["failure"]].add(row["failure_detail"])
        assert row["exit_code"] == FAILURE_EXIT_CODES[row["failure"]]
        assert row["grader_exit_code"] is None
        assert row["scores"]["pass"] == 0
        if row["failure"] == "timeout":
            assert 630 <= row["scores"]["wall_s"] <= 654
    assert set(details) == set(FAILURE_EXIT_CODES)
    assert all(len(texts) > 1 for texts in details.values())
    assert any(text.startswith("Provider rate limit (HTTP 429)") for text in details["rate_limit"])
    assert any("could not handshake" in text for text in details["handshake"])
    assert any(text.endswith("(outer guard)") for text in details["timeout"])
    assert any("Read timed out." in text for text in details["timeout"])


def test_one_run_cells_are_most_common_and_about_one_cell_in_five_failed() -> None:
    cells = cells_of(load(DATA).rows).values()
    by_runs = Counter(len(runs) for runs in cells)
    assert sorted(by_runs) == list(range(1, RERUNS + 1))
    assert by_runs[1] > by_runs[2] > by_runs[3]
    failed = sum(any(run["failure"] for run in runs) for runs in cells)
    assert 0.15 < failed / len(cells) < 0.25


def test_adapter_timeouts_record_no_container_and_no_digest() -> None:
    rows = load(DATA).rows
    cells = cells_of(rows)
    bare = [row for row in rows if row["container_image"] == ""]
    assert any(row["methodology_version"] != "0.0" for row in bare)
    for row in bare:
        assert row["failure"] == "timeout"
        assert row["failure_detail"].startswith("adapter timed out after")
        assert row.get("tui_image_sha") is None
        assert len(cells[cell_key(row)]) == 1
    for row in rows:
        if row["container_image"]:
            assert row["container_image"].startswith(f"codingagentbench/{row['tui']}:")


def test_failed_runs_score_above_capability_and_integrity_failures() -> None:
    rows = load(DATA).rows

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    composite = [(row, row["scores"]["composite"]) for row in rows]
    failed = median([c for row, c in composite if row["failure"]])
    capability = median(
        [c for row, c in composite if not row["failure"] and row["scores"]["pass"] == 0]
    )
    integrity = max(c for row, c in composite if row["scores"]["integrity"] == 0)
    assert failed > capability > integrity


def test_refusal_is_judged_true_false_or_partial_on_refusal_tasks_only() -> None:
    rows = load(DATA).rows
    verdicts = Counter(row["refusal_correct"] for row in rows)
    assert set(verdicts) == {None, *REFUSAL_VERDICTS}
    for row in rows:
        if row["refusal_correct"] is None:
            assert row["scores"]["refusal"] == "n/a"
        else:
            assert row["scores"]["refusal"] == REFUSAL_VERDICTS[row["refusal_correct"]]


def test_tokens_are_a_split_recorded_by_few_tuis() -> None:
    rows = load(DATA).rows
    recorded = [row for row in rows if row["scores"]["tokens"] is not None]
    assert 0 < len(recorded) < len(rows) / 4
    assert 0 < len({row["tui"] for row in recorded}) <= RECEIPT_TUIS / 4
    for row in rows:
        split = (row["prompt_tokens"], row["completion_tokens"])
        if row["scores"]["tokens"] is None:
            assert split == (None, None)
        else:
            assert sum(split) == row["scores"]["tokens"]
            assert row["prompt_tokens"] > row["completion_tokens"] > 0


def test_some_tasks_top_cells_tie_at_two_decimals() -> None:
    by_task: dict[str, list[float]] = defaultdict(list)
    for runs in cells_of(load(DATA).rows).values():
        by_task[runs[0]["task"]].append(sum(r["scores"]["composite"] for r in runs) / len(runs))
    tied = [
        task
        for task, means in by_task.items()
        if (top := sorted(means, reverse=True))
        and round(top[0], 2) == round(top[1], 2)
        and round(top[0], 3) != round(top[1], 3)
    ]
    assert len(tied) > 1


def test_live_and_patched_exploits_name_cells_as_public_reports_do() -> None:
    snap = load(DATA)
    started = {cell_key(r): r["started_at"][:10] for r in snap.rows}

    def matched(selector: dict[str, str]) -> list[tuple[Any, ...]]:
        fields = dict(zip(KEY_FIELD_NAMES, range(len(KEY_FIELD_NAMES)), strict=True))
        return [k for k in started if all(k[fields[n]] == v for n, v in selector.items())]

    live = [e for e in snap.exploits["exploits"] if e["status"] == "live"]
    assert any(
        {"tui", "model", "task"} <= set(s) and matched(s) for e in live for s in e["affected_cells"]
    )
    patched = [e for e in snap.exploits["exploits"] if e["status"] == "patched"]
    assert any(
        started[key] < str(e["patched"])
        for e in patched
        for s in e["affected_cells"]
        if {"tui", "model", "task"} <= set(s)
        for key in matched(s)
    )


# -- large mode -----------------------------------------------------------------------------


LARGE_ROWS = 2000


@pytest.fixture(scope="module")
def large(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("large")
    assert generator.main(["--rows", str(LARGE_ROWS), "--out", str(out)]) == 0
    return out


def test_large_mode_writes_exactly_n_valid_rows(large: Path) -> None:
    snap = load(large)
    assert len(snap.rows) == LARGE_ROWS == snap.meta["row_count"]
    keys = Counter((cell_key(row), row["rerun"]) for row in snap.rows)
    assert max(keys.values()) == 1
    task_ids = {Task.model_validate(task).id for task in snap.tasks}
    for row in snap.rows:
        assert RunRecord.model_validate(row).task in task_ids
    Meta.model_validate(snap.meta)
    catalog = ExploitCatalog.model_validate(snap.exploits)
    for exploit in catalog.exploits:
        for selector in exploit.affected_cells:
            wanted = selector.model_dump(exclude_none=True)
            assert any(all(row.get(k) == v for k, v in wanted.items()) for row in snap.rows)


def test_large_mode_is_deterministic(generator: ModuleType, large: Path, tmp_path: Path) -> None:
    assert generator.main(["--rows", str(LARGE_ROWS), "--out", str(tmp_path)]) == 0
    assert files_under(tmp_path) == files_under(large)


def test_large_mode_into_a_reused_folder_leaves_no_stale_sweep(
    generator: ModuleType, tmp_path: Path
) -> None:
    assert generator.main(["--rows", str(LARGE_ROWS), "--out", str(tmp_path)]) == 0
    assert generator.main(["--rows", "2", "--out", str(tmp_path)]) == 0
    snap = load(tmp_path)
    assert len(snap.rows) == 2 == snap.meta["row_count"]
    assert len(list((tmp_path / RUNS).glob("*.jsonl"))) == 1


# -- failing loudly -------------------------------------------------------------------------


def test_an_invalid_run_record_stops_the_generator_before_writing(
    generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "SAMPLING_PROFILE", "")
    with pytest.raises(SystemExit, match=r"expansion-20260616\.jsonl:1 is invalid"):
        generator.main(["--out", str(tmp_path)])
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_task_stops_the_generator_before_writing(
    generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = {**generator.TASKS[0], "language": ""}
    monkeypatch.setattr(generator, "TASKS", [broken, *generator.TASKS[1:]])
    with pytest.raises(pydantic.ValidationError, match="language"):
        generator.main(["--out", str(tmp_path)])
    assert list(tmp_path.iterdir()) == []


def test_an_exploit_selector_matching_no_cell_stops_the_generator(
    generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = generator.EXPLOITS[0]
    stray = {**first, "affected_cells": [{"tui": "no-such-tui"}]}
    monkeypatch.setattr(generator, "EXPLOITS", [stray, *generator.EXPLOITS[1:]])
    with pytest.raises(SystemExit, match=f"{first['id']}: selector .* matches no cell"):
        generator.main(["--out", str(tmp_path)])
    assert list(tmp_path.iterdir()) == []


def test_runs_happen_after_their_task_was_added_and_within_their_sweep() -> None:
    snap = load(DATA)
    pinned = dt.date.fromisoformat(snap.meta["snapshot_date"])
    for row in snap.rows:
        sweep_day = dt.datetime.strptime(row["sweep_id"].rsplit("-", 1)[1], "%Y%m%d").date()
        started = dt.datetime.fromisoformat(row["started_at"]).date()
        ended = dt.datetime.fromisoformat(row["ended_at"]).date()
        assert dt.date.fromisoformat(row["task_added_date"]) < started
        assert sweep_day <= started <= ended <= pinned
