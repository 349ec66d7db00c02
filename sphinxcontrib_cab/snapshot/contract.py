"""The data contract: one pydantic model per record kind of a CodingAgentBench snapshot.

These models are the single source of truth for what a snapshot file may contain. The loader
validates every record against them, ``python -m sphinxcontrib_cab schema`` prints their JSON
Schema, and the docs render that schema. Every model forbids unknown fields so a typo in a
pipeline's output is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .vocabulary import AXIS_MEANINGS, Category, Failure, Severity
from .vocabulary import CATEGORIES as CATEGORIES
from .vocabulary import FAILURES as FAILURES
from .vocabulary import SEVERITIES as SEVERITIES

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
"""A bare sha256 digest: 64 lowercase hex digits."""

IMAGE_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
"""A container image digest as Docker prints it: ``sha256:`` then 64 lowercase hex digits."""

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
Sha256Hex = Annotated[str, StringConstraints(pattern=SHA256_HEX.pattern)]
ImageDigest = Annotated[str, StringConstraints(pattern=IMAGE_DIGEST.pattern)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Binary = Literal[0, 1]


def _half(value: float) -> float:
    if value != 0.5:
        raise ValueError("a refusal score is 0, 0.5 (partial), 1 or 'n/a'")
    return value


RefusalPartial = Annotated[float, AfterValidator(_half)]
"""A partial refusal scores exactly 0.5."""


NOT_APPLICABLE = "n/a"


class _Strict(BaseModel):
    """Base of every record model: unknown fields are refused and instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Scores(_Strict):
    """Per-axis scores of one run. ``None`` (or an absent key) means *not recorded*, never 0."""

    pass_: Binary | None = Field(None, alias="pass", description=AXIS_MEANINGS["pass"])
    blast_radius: Unit | None = Field(None, description=AXIS_MEANINGS["blast_radius"])
    wall_s: Annotated[float, Field(ge=0.0)] | None = Field(
        None, description=AXIS_MEANINGS["wall_s"]
    )
    refusal: Binary | RefusalPartial | Literal["n/a"] | None = Field(
        None, description=AXIS_MEANINGS["refusal"]
    )
    integrity: Binary | None = Field(None, description=AXIS_MEANINGS["integrity"])
    tokens: Annotated[int, Field(ge=0)] | None = Field(None, description=AXIS_MEANINGS["tokens"])
    composite: Unit | None = Field(None, description=AXIS_MEANINGS["composite"])

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RunRecord(_Strict):
    """One line of a run-record JSONL file: one run of one cell."""

    tui: NonEmpty = Field(description="Coding-agent CLI under test.")
    behavior_mode: NonEmpty = Field(description="Agent personality preset.")
    model: NonEmpty = Field(description="Open-weight model id.")
    task: NonEmpty = Field(description="Task id `<category>/<slug>` from the task catalogue.")
    plugin_stack: NonEmpty = Field(description="Pinned plugin bundle that ran inside the TUI.")
    tui_image_sha: ImageDigest | None = Field(
        None, description="Container image digest of the TUI."
    )
    model_endpoint_sha: NonEmpty | None = Field(
        None, description="Digest or id of the model endpoint manifest."
    )
    sampling_profile: NonEmpty | None = Field(None, description="Sampling preset id.")
    task_added_date: dt.date | None = Field(None, description="Day the task entered the registry.")
    sweep_id: NonEmpty = Field(description="The sweep this run belongs to.")
    rerun: Annotated[int, Field(ge=1)] = Field(description="Rerun index within the cell, from 1.")
    started_at: dt.datetime = Field(description="ISO-8601 UTC start time.")
    ended_at: dt.datetime = Field(description="ISO-8601 UTC end time.")
    exit_code: int = Field(description="0 on a completed run; 1 rate limit/handshake; -1 timeout.")
    failure: Failure | None = Field(None, description="Why the run failed to complete, if it did.")
    failure_detail: NonEmpty | None = Field(
        None,
        description="What the harness said about the failure, e.g. 'adapter timed out after "
        "630s (outer guard)'.",
    )
    refusal_correct: Literal["true", "false", "partial"] | None = Field(
        None, description="The grader's refusal verdict, as recorded; null where not judged."
    )
    prompt_tokens: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Prompt tokens, where the TUI reports them."
    )
    completion_tokens: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Completion tokens, where the TUI reports them."
    )
    container_image: str | None = Field(
        None,
        description="The TUI's container image tag, e.g. 'codingagentbench/aider:v0.86.0'; "
        "empty when the adapter timed out before the container started.",
    )
    grader_exit_code: int | None = Field(
        None,
        description="The grader's own exit code (0 pass, 1 fail, 2 integrity fail, 101 cargo "
        "test failure).",
    )
    prompt_sha256: Sha256Hex = Field(description="sha256 of the prompt sent to the agent.")
    stdout_sha256: Sha256Hex = Field(description="sha256 of the agent's stdout.")
    grade_sha256: Sha256Hex = Field(description="sha256 of the verifier's grade file.")
    scores: Scores = Field(description="Per-axis scores.")
    methodology_version: NonEmpty = Field(
        description="Methodology version the row was recorded under."
    )


class Grader(_Strict):
    """How a task's result is graded."""

    kind: NonEmpty = Field(description="Scorer kind, e.g. `exec`.")
    command: NonEmpty = Field(description="The command the grader runs.")


class Budget(_Strict):
    """The limits an agent runs under on one task."""

    max_turns: Annotated[int, Field(ge=1)]
    timeout_s: Annotated[int, Field(ge=1)]


class Constraint(_Strict):
    """A rule the agent must keep while solving a task."""

    rule: NonEmpty = Field(description="Rule name, e.g. `file-not-touched`.")
    target: str | None = Field(None, description="What the rule applies to, e.g. a path.")
    scoring: Literal["honored", "declared"] = Field(description="How the rule is scored.")


class Task(_Strict):
    """One entry of the task catalogue (``tasks.json`` is a JSON array of these)."""

    id: Annotated[
        str, StringConstraints(pattern=r"^(integrity|mutations|polyglot)/[a-z0-9][a-z0-9-]*$")
    ]
    category: Category
    language: NonEmpty
    version: NonEmpty
    task_added_date: dt.date | None = Field(
        None,
        description="Day the task entered the registry; when given, runs of the task must carry "
        "the same date.",
    )
    summary: NonEmpty
    source: str | None = None
    setup: NonEmpty = Field(description="Setup script run before the agent starts.")
    grader: Grader
    budget: Budget
    ground_truth: tuple[str, ...] = ()
    expected_refusal: bool = False
    constraints: tuple[Constraint, ...] = ()

    @model_validator(mode="after")
    def _category_matches_id(self) -> Task:
        if self.id.split("/", 1)[0] != self.category:
            raise ValueError(f"id {self.id!r} does not start with its category {self.category!r}")
        return self

    @property
    def slug(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def added(self) -> str | None:
        """``task_added_date`` as ``YYYY-MM-DD``; ``None`` when the catalogue leaves it out."""
        return None if self.task_added_date is None else self.task_added_date.isoformat()


class CellSelector(_Strict):
    """Names the cells an exploit affects; every given field must match, absent fields match all."""

    tui: str | None = None
    behavior_mode: str | None = None
    model: str | None = None
    task: str | None = None
    plugin_stack: str | None = None
    tui_image_sha: str | None = None


class Exploit(_Strict):
    """One entry of the exploit ledger (``_catalog.yaml`` holds ``exploits: [...]``)."""

    id: NonEmpty
    title: NonEmpty
    severity: Severity
    status: Literal["live", "patched"]
    trigger: NonEmpty
    grader_call: NonEmpty
    reported: dt.date
    patched: dt.date | None = None
    affected_cells: tuple[CellSelector, ...] = ()
    credit: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _patched_needs_date(self) -> Exploit:
        if self.status == "patched" and self.patched is None:
            raise ValueError("status is 'patched' but no 'patched' date is given")
        if self.status == "live" and self.patched is not None:
            raise ValueError("status is 'live' but a 'patched' date is given")
        return self


class ExploitCatalog(_Strict):
    """The exploit ledger (``_catalog.yaml``): attempts that broke the bench, live or patched."""

    exploits: tuple[Exploit, ...]


class VersionEntry(_Strict):
    """One methodology version in the history of ``meta.json``."""

    version: NonEmpty
    date: dt.date
    changes: NonEmpty = Field(description="What changed in this version, in one or two sentences.")
    fields_introduced: tuple[str, ...] = Field(
        (), description="Run-record fields first recorded under this version."
    )


class SnapshotRef(_Strict):
    """An older snapshot that ``meta.json`` lists, with the pin it was published under."""

    snapshot_date: dt.date
    methodology_version: NonEmpty
    path: NonEmpty = Field(
        description="Folder of the older snapshot, relative to this snapshot's root."
    )
    row_count: Annotated[int, Field(ge=0)]
    label: str | None = None


class Meta(_Strict):
    """The methodology pin (``meta.json``)."""

    methodology_version: NonEmpty
    snapshot_date: dt.date
    source: NonEmpty
    row_count: Annotated[int, Field(ge=0)]
    synthetic: bool = Field(False, description="True when the snapshot is generated sample data.")
    history: tuple[VersionEntry, ...] = ()
    snapshots: tuple[SnapshotRef, ...] = ()


SCHEMAS: dict[str, type[BaseModel]] = {
    "run-record": RunRecord,
    "tasks": Task,
    "exploits": ExploitCatalog,
    "meta": Meta,
}
"""Source name -> model whose JSON Schema ``python -m sphinxcontrib_cab schema`` prints."""
