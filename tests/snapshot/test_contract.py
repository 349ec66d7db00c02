"""The data contract: the mini snapshot fits it, and it refuses what it should."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from sphinxcontrib_cab.snapshot.contract import (
    SCHEMAS,
    Exploit,
    ExploitCatalog,
    Meta,
    RunRecord,
    Scores,
    Task,
)

MINI = Path(__file__).parents[1] / "snapshots" / "mini"
FIRST_ROW = (MINI / "results/published/free-20260527.jsonl").read_bytes().splitlines()[0]


def _row(**changes: object) -> dict[str, object]:
    data: dict[str, object] = json.loads(FIRST_ROW)
    data.update(changes)
    return data


def test_every_mini_file_validates() -> None:
    for path in sorted(MINI.rglob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            RunRecord.model_validate_json(line)
    for path in sorted(MINI.rglob("tasks.json")):
        for entry in json.loads(path.read_text()):
            Task.model_validate(entry)
    for path in sorted(MINI.rglob("_catalog.yaml")):
        ExploitCatalog.model_validate(yaml.safe_load(path.read_text()))
    for path in sorted(MINI.rglob("meta.json")):
        Meta.model_validate_json(path.read_bytes())


def test_provenance_fields_may_be_absent_or_null() -> None:
    data = _row(tui_image_sha=None)
    del data["model_endpoint_sha"], data["sampling_profile"], data["task_added_date"]
    record = RunRecord.model_validate(data)
    assert (record.tui_image_sha, record.model_endpoint_sha, record.sampling_profile) == (
        None,
        None,
        None,
    )


def test_not_recorded_differs_from_zero() -> None:
    assert Scores.model_validate({}).tokens is None
    assert Scores.model_validate({"tokens": 0}).tokens == 0
    assert Scores.model_validate({"refusal": "n/a"}).refusal == "n/a"
    assert Scores.model_validate({"pass": 1}).pass_ == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"prompt_sha256": "ABC"}, "prompt_sha256"),
        ({"tui_image_sha": "sha256:xyz"}, "tui_image_sha"),
        ({"rerun": 0}, "rerun"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"failure": "oom"}, "failure"),
        ({"colour": "red"}, "colour"),
        ({"scores": {"pass": 2}}, "scores"),
        ({"scores": {"blast_radius": 1.5}}, "scores"),
    ],
)
def test_run_record_refuses(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RunRecord.model_validate(_row(**changes))
    assert caught.value.errors()[0]["loc"][0] == field


def test_task_id_must_start_with_its_category() -> None:
    entry = json.loads((MINI / "site/src/data/tasks.json").read_text())[0]
    with pytest.raises(ValidationError, match="does not start with its category"):
        Task.model_validate(dict(entry, category="polyglot"))
    assert Task.model_validate(entry).slug == "unsolvable-refusal"


def test_exploit_status_and_patched_date_agree() -> None:
    base = {
        "id": "X",
        "title": "t",
        "severity": "low",
        "trigger": "t",
        "grader_call": "g",
        "reported": "2026-06-01",
    }
    with pytest.raises(ValidationError, match="no 'patched' date"):
        Exploit.model_validate(dict(base, status="patched"))
    with pytest.raises(ValidationError, match="a 'patched' date is given"):
        Exploit.model_validate(dict(base, status="live", patched="2026-06-02"))
    assert (
        Exploit.model_validate(dict(base, status="patched", patched="2026-06-02")).patched
        is not None
    )


def test_every_source_has_a_schema() -> None:
    assert sorted(SCHEMAS) == ["exploits", "meta", "run-record", "tasks"]
    for model in SCHEMAS.values():
        schema = model.model_json_schema()
        assert schema.get("additionalProperties") is False


def test_vocabulary_names_every_schema() -> None:
    """reference.py lists schemas from the pydantic-free vocabulary; it must match the models."""
    from sphinxcontrib_cab.snapshot.contract import SCHEMAS
    from sphinxcontrib_cab.snapshot.vocabulary import SCHEMA_NAMES

    assert tuple(sorted(SCHEMAS)) == SCHEMA_NAMES


def test_no_run_record_field_accepts_an_array() -> None:
    """The loader validates a batch of lines as one JSON array and relies on this: with no array
    anywhere in a run record, no record can straddle the comma put between two lines."""

    def types(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["type"]] if isinstance(node.get("type"), str) else []
            return found + [t for value in node.values() for t in types(value)]
        if isinstance(node, list):
            return [t for value in node for t in types(value)]
        return []

    found = set(types(RunRecord.model_json_schema()))
    assert "object" in found
    assert "array" not in found


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_and_definition_is_described(name: str) -> None:
    """Each model says what it is in its own words; the docs once showed pydantic's BaseModel
    docstring for the exploit ledger, which had none of its own."""
    schema = SCHEMAS[name].model_json_schema()
    described = {"": schema, **schema.get("$defs", {})}
    for part, definition in described.items():
        text = definition.get("description", "")
        assert text, f"{name} {part or '(top level)'} has no description"
        assert "Pydantic" not in text


def test_real_optional_fields_are_accepted() -> None:
    record = RunRecord.model_validate(
        _row(
            failure="timeout",
            failure_detail="adapter timed out after 630s (outer guard)",
            refusal_correct="partial",
            prompt_tokens=4810,
            completion_tokens=420,
            container_image="",
            grader_exit_code=101,
            scores={"pass": 0, "refusal": 0.5},
        )
    )
    assert record.scores.refusal == 0.5
    assert record.failure_detail == "adapter timed out after 630s (outer guard)"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scores": {"refusal": 0.7}}, "scores.refusal"),
        ({"refusal_correct": "maybe"}, "refusal_correct"),
        ({"grader_stderr": "x"}, "grader_stderr"),
    ],
)
def test_real_fields_keep_their_limits_and_unknown_fields_are_refused(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        RunRecord.model_validate(_row(**changes))
    assert any(".".join(map(str, e["loc"])).startswith(field) for e in raised.value.errors())


def test_a_catalogue_task_may_leave_its_date_out() -> None:
    tasks = json.loads((MINI / "site/src/data/tasks.json").read_text(encoding="utf-8"))
    del tasks[0]["task_added_date"]
    assert Task.model_validate(tasks[0]).added is None
