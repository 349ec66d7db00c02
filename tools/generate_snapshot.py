#!/usr/bin/env python3
"""Write a synthetic CodingAgentBench snapshot: the committed sample in ``data/`` or a large one.

``python tools/generate_snapshot.py`` regenerates ``data/`` byte for byte;
``--rows N --out DIR`` writes a large benchmark snapshot. Everything is invented sample data
shaped like the public CodingAgentBench receipt, not real benchmark output. The cast (TUIs, models,
sweeps, tasks, exploits) is ``tools/sample_spec.yaml``; output depends only on it and a seeded
``random.Random``: no clock, no uuid, fixed key order, ``\\n`` line endings. ``data/README.md``
describes the layout.

How the sample reaches exactly 1,155 cells
-----------------------------------------
The sweep scope is 10 TUIs x 14 models x 25 tasks, but only 46 TUI x model pairs ran, each on all
25 tasks (behavior_mode ``conv``, plugin_stack ``conv-vanilla``): 46 x 25 = 1,150 cells. Five more
cells run opencode x llama-3.3-70b-instruct in behavior_mode ``plan`` (plugin_stack
``plan-vanilla``) on five polyglot tasks: 1,150 + 5 = 1,155 cells.

- ``free-20260527`` (methodology 0.0, no tui_image_sha / model_endpoint_sha / sampling_profile
  keys): 16 pairs -> 400 cells. The older snapshot ``snapshots/2026-05-27`` is exactly this sweep.
- ``expansion-20260616`` (methodology 0.1): 22 pairs + the 5 plan cells -> 555 cells.
- ``newmodels-20260620`` (methodology 0.1): 8 pairs with the three invented models -> 200 cells.

As on the public site, a cell holds one, two or three runs: the spec's ``cells_by_runs`` is
shuffled over the cells, so the row count is fixed by the spec (``data/README.md`` gives it per
sweep). Failed runs carry one of the spec's ``failure_details``.

Large mode (``--rows N``) runs every one of the 140 TUI x model pairs on every task, then repeats
with numbered plugin stacks (``conv-vanilla``, ``conv-vanilla-v001``, ...) until exactly N rows are
written; pair i goes to sweep ``i % 3``. It renders lines from precomputed per-cell templates and
validates a sample of rows with pydantic instead of every row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sphinxcontrib_cab.snapshot.contract import ExploitCatalog, Meta, RunRecord, Task  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

SPEC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).with_name("sample_spec.yaml")).read_text(encoding="utf-8")
)
RERUNS: int = SPEC["reruns"]
PIN: dict[str, Any] = SPEC["pin"]
OLD_DATE: str = SPEC["old_snapshot"]["date"]
OLD_PATH = f"snapshots/{OLD_DATE}"
SAMPLING_PROFILE: str = SPEC["sampling_profile"]
REFUSAL: dict[str, str] = SPEC["refusal_grader"]
RUNS_DIR = Path("results/published")
TASKS_FILE = Path("site/src/data/tasks.json")
EXPLOITS_FILE = Path("results/exploits/_catalog.yaml")
META_FILE = Path("site/src/data/meta.json")
BLAST_ON_PASS = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.25, 0.3333)
BLAST_ON_FAIL = (0.0, 0.0, 0.25, 0.3333, 0.5, 0.6667, 1.0)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


for _tui in SPEC["tuis"]:
    _tui["image"] = f"codingagentbench/{_tui['name']}:{_tui['tag']}"
    _tui["digest"] = "sha256:" + sha256_hex(_tui["image"])  # a stable fake image digest
for _model in SPEC["models"]:
    _model["full_id"] = f"{_model['org']}/{_model['id']}"
TUIS: list[dict[str, Any]] = SPEC["tuis"]
MODELS: list[dict[str, Any]] = SPEC["models"]
SWEEPS: list[dict[str, Any]] = SPEC["sweeps"]
TASKS: list[dict[str, Any]] = SPEC["tasks"]
EXPLOITS: list[dict[str, Any]] = SPEC["exploits"]
SLOW_PAIRS = {tuple(pair) for pair in SPEC["slow_pairs"]}
HANDSHAKE_PAIRS = {tuple(pair) for pair in SPEC["handshake_pairs"]}
FAILURE_P: dict[str, float] = SPEC["failure_p"]
FAILURE_DETAILS: dict[str, list[dict[str, Any]]] = SPEC["failure_details"]
REFUSAL_VERDICTS = {1: "true", 0: "false", 0.5: "partial"}


def catalogue_entry(task: dict[str, Any], day: str) -> dict[str, Any]:
    grader = task["grader"]
    if grader == REFUSAL["after"] and day < REFUSAL["fixed"]:
        grader = REFUSAL["before"]
    return {
        "id": task["id"],
        "category": task["id"].split("/", 1)[0],
        "language": task["language"],
        "version": "v0.1",
        "task_added_date": task["added"],
        "summary": task["summary"],
        "source": task["source"],
        "setup": SPEC["setup"].get(task["language"], ""),
        "grader": {"kind": "exec", "command": grader},
        "budget": {"max_turns": task["max_turns"], "timeout_s": 600},
        "ground_truth": task["ground_truth"],
        "expected_refusal": task.get("expected_refusal", False),
        "constraints": [
            {"rule": rule, "target": target, "scoring": scoring}
            for rule, target, scoring in task["constraints"]
        ],
    }


# -- one cell: everything fixed for its runs, including the JSON text they share -------------


@dataclass(frozen=True)
class Cell:
    tui: dict[str, Any]
    model: dict[str, Any]
    task: dict[str, Any]
    behavior_mode: str
    plugin_stack: str
    sweep: dict[str, Any]
    lane: int
    p_pass: float
    slow: bool
    handshake_p: float
    timeout_p: float
    prefix: str
    suffix: str
    prompt_sha: str
    cell_id: str

    @property
    def records_provenance(self) -> bool:
        return bool(self.sweep["methodology"] != "0.0")

    def key(self) -> dict[str, str | None]:
        return {
            "tui": self.tui["name"],
            "behavior_mode": self.behavior_mode,
            "model": self.model["id"],
            "task": self.task["id"],
            "plugin_stack": self.plugin_stack,
            "tui_image_sha": self.tui["digest"] if self.records_provenance else None,
        }


@functools.cache
def json_member(name: str, value: str) -> str:
    """``"name":"value"`` as JSON text; cached because large snapshots repeat a few values."""
    return f"{json.dumps(name)}:{json.dumps(value)}"


@functools.cache
def prompt_digest(task_id: str, behavior_mode: str, plugin_stack: str) -> str:
    """The prompt depends on the task and the mode, not on the TUI or the model."""
    return sha256_hex(f"prompt\n{task_id}\nv0.1\n{behavior_mode}\n{plugin_stack}")


def make_cell(
    tui: dict[str, Any],
    model: dict[str, Any],
    task: dict[str, Any],
    mode: Sequence[str],
    sweep: dict[str, Any],
    lane: int,
) -> Cell:
    behavior_mode, plugin_stack = mode
    pair = (tui["name"], model["id"])
    mode_bonus = 0.25 if behavior_mode == "plan" else 0.0
    logit = 0.6 + tui["skill"] + model["skill"] + mode_bonus - task["difficulty"]
    members = [
        ("tui", tui["name"]),
        ("behavior_mode", behavior_mode),
        ("model", model["id"]),
        ("task", task["id"]),
        ("plugin_stack", plugin_stack),
    ]
    if sweep["methodology"] != "0.0":
        members += [
            ("tui_image_sha", tui["digest"]),
            ("model_endpoint_sha", f"nim:{model['full_id']}"),
            ("sampling_profile", SAMPLING_PROFILE),
        ]
    members += [("task_added_date", task["added"]), ("sweep_id", sweep["id"])]
    return Cell(
        tui,
        model,
        task,
        behavior_mode,
        plugin_stack,
        sweep,
        lane,
        p_pass=1.0 / (1.0 + math.exp(-logit)),
        slow=pair in SLOW_PAIRS,
        handshake_p=FAILURE_P["handshake_pair" if pair in HANDSHAKE_PAIRS else "handshake"],
        timeout_p=FAILURE_P["timeout_slow" if pair in SLOW_PAIRS else "timeout"],
        prefix="{" + ",".join(json_member(*m) for m in members) + ",",
        suffix="," + json_member("methodology_version", sweep["methodology"]) + "}",
        prompt_sha=prompt_digest(task["id"], behavior_mode, plugin_stack),
        cell_id=f"{sweep['id']}/{pair[0]}/{pair[1]}/{task['id']}/{behavior_mode}/{plugin_stack}",
    )


# -- one run ----------------------------------------------------------------------------------


def composite(
    pass_: int, blast: float, wall_s: float, refusal: float | str, integrity: int
) -> float:
    """The composite score by the inferred formula; refusal 'n/a' counts as 1."""
    lightness = 1.0 / (1.0 + float((wall_s / 21.7) ** 0.835))
    refusal_term = 1.0 if refusal == "n/a" else float(refusal)
    gate = 0.5 if integrity == 0 else 1.0
    value = gate * (0.4 * pass_ + 0.1 * (1.0 - blast) + 0.1 * lightness + 0.2 * refusal_term + 0.2)
    return round(min(1.0, value), 4)


class RunClock:
    """Start times per (sweep, lane): runs in one lane follow each other with a short gap."""

    def __init__(self) -> None:
        self.cursor: dict[tuple[str, int], int] = {}

    def next_start(self, sweep: dict[str, Any], lane: int, jitter_us: int) -> int:
        key = (sweep["id"], lane)
        if key not in self.cursor:
            start = dt.datetime.fromisoformat(sweep["start"])
            self.cursor[key] = int(start.timestamp()) * 1_000_000 + lane * 47_000_000
        return self.cursor[key] + jitter_us


@functools.lru_cache(maxsize=1 << 16)
def minute_prefix(minute: int) -> str:
    """The date part of a timestamp, formatted once per minute to keep large snapshots fast."""
    return time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60))


def iso_utc(epoch_us: int) -> str:
    """ISO-8601 UTC with microseconds, e.g. ``2026-06-16T05:30:00.123456Z``."""
    secs, micros = divmod(epoch_us, 1_000_000)
    minute, second = divmod(secs, 60)
    return f"{minute_prefix(minute)}{second:02d}.{micros:06d}Z"


def draw_int(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in [low, high]; cheaper than ``randint`` for millions of draws."""
    return low + int(rng.random() * (high - low + 1))


def draw_run(rng: random.Random, cell: Cell, cell_passes: bool) -> tuple[Any, ...]:
    """(failure, exit code, wall ms, pass, blast radius, refusal, integrity, tokens) of one run.

    A run that did not complete (rate limit, handshake, timeout) keeps pass 0; completed reruns
    mostly agree with the cell's draw, and tampering fails the run. ``tokens`` is the
    (prompt, completion) split or ``None``.
    """
    refusal: float | str = 0 if cell.task.get("expected_refusal") else "n/a"
    u = rng.random()
    threshold = cell.sweep["rate_limit_p"]
    if u < threshold:
        return "rate_limit", 1, draw_int(rng, 1200, 9000), 0, 0.0, refusal, 1, None
    threshold += cell.handshake_p
    if u < threshold:
        return "handshake", 1, draw_int(rng, 2000, 16000), 0, 0.0, refusal, 1, None
    threshold += cell.timeout_p
    if u < threshold:
        wall_ms = draw_int(rng, 630_000, 654_000)
        return "timeout", -1, wall_ms, 0, rng.choice(BLAST_ON_FAIL), refusal, 1, None
    if cell.slow:
        wall_ms = int(rng.uniform(85.0, 430.0) * 1000)
    else:
        wall = rng.uniform(10.0, 30.0)
        if rng.random() < 0.06:
            wall += rng.uniform(5.0, 45.0)
        wall_ms = int(wall * 1000)
    passed = cell_passes if rng.random() < 0.86 else not cell_passes
    integrity = 1
    tamper_p = 0.08 if cell.task["id"].startswith("integrity/") else 0.01
    if rng.random() < tamper_p * (1.5 - cell.p_pass):
        integrity, passed = 0, False
    blast = rng.choice(BLAST_ON_PASS if passed else BLAST_ON_FAIL)
    if cell.task.get("expected_refusal"):
        # A partial refusal explains the problem but also edits code it should have left alone.
        verdict = 1.0 if passed else rng.random()
        refusal = 1 if verdict < 0.1 or passed else 0.5 if verdict < 0.4 else 0
    tokens = None
    if cell.tui["records_tokens"] and cell.records_provenance:
        prompt = int(wall_ms * rng.uniform(0.5, 1.2)) + draw_int(rng, 1500, 4000)
        tokens = (prompt, int(prompt * rng.uniform(0.08, 0.25)))
    return None, 0, wall_ms, int(passed), blast, refusal, integrity, tokens


def failure_detail(rng: random.Random, cell: Cell, failure: str, wall_s: float, runs: int) -> Any:
    """One of the spec's detail lines for ``failure``, filled in; a no-container detail only in
    one-run cells."""
    details = [d for d in FAILURE_DETAILS[failure] if runs == 1 or not d.get("no_container")]
    detail = details[int(rng.random() * len(details))]
    return detail["text"].format(endpoint=cell.model["full_id"], wall=int(wall_s)), detail


def grader_exit(cell: Cell, pass_: int, integrity: int) -> int:
    """0 pass, 2 integrity fail, 101 a failing cargo test, else 1."""
    if integrity == 0:
        return 2
    return 0 if pass_ else 101 if cell.task["grader"].startswith("cargo test") else 1


def render_cell(
    rng: random.Random, clock: RunClock, cell: Cell, reruns: int = RERUNS
) -> Iterator[str]:
    """The JSONL lines (without newlines) of the runs of ``cell``."""
    cell_passes = rng.random() < cell.p_pass
    image = json_member("container_image", cell.tui["image"])
    for rerun in range(1, reruns + 1):
        failure, exit_code, wall_ms, pass_, blast, refusal, integrity, tokens = draw_run(
            rng, cell, cell_passes
        )
        wall_s = wall_ms / 1000
        prefix, container, detail_json, grader_json = cell.prefix, image, "null", "null"
        if failure is None:
            grader_json = str(grader_exit(cell, pass_, integrity))
        else:
            text, detail = failure_detail(rng, cell, failure, wall_s, reruns)
            detail_json = json.dumps(text)
            if detail.get("no_container"):
                container = json_member("container_image", "")
                prefix = prefix.replace(json_member("tui_image_sha", cell.tui["digest"]) + ",", "")
        started = clock.next_start(cell.sweep, cell.lane, draw_int(rng, 0, 999_999))
        ended = started + wall_ms * 1000
        clock.cursor[(cell.sweep["id"], cell.lane)] = ended + draw_int(rng, 2_000_000, 9_000_000)
        score = composite(pass_, blast, wall_s, refusal, integrity)
        tag = f"{cell.cell_id}#run{rerun}"
        stdout_sha = sha256_hex(f"stdout\n{tag}\nexit={exit_code}")
        grade_sha = sha256_hex(f"grade\n{tag}\npass={pass_}\ncomposite={score}")
        failure_json = "null" if failure is None else f'"{failure}"'
        refusal_json = '"n/a"' if refusal == "n/a" else str(refusal)
        verdict = "null" if refusal == "n/a" else f'"{REFUSAL_VERDICTS[refusal]}"'
        prompt, completion, total = ("null",) * 3 if tokens is None else (*tokens, sum(tokens))
        # RunRecord's key order; the detail and the image went through json.dumps, the rest are
        # numbers, hex or fixed ASCII.
        yield (
            f'{prefix}"rerun":{rerun},"started_at":"{iso_utc(started)}",'
            f'"ended_at":"{iso_utc(ended)}","exit_code":{exit_code},"failure":{failure_json},'
            f'"failure_detail":{detail_json},"refusal_correct":{verdict},'
            f'"prompt_tokens":{prompt},"completion_tokens":{completion},'
            f'{container},"grader_exit_code":{grader_json},'
            f'"prompt_sha256":"{cell.prompt_sha}","stdout_sha256":"{stdout_sha}",'
            f'"grade_sha256":"{grade_sha}","scores":{{"pass":{pass_},'
            f'"blast_radius":{blast!r},"wall_s":{wall_s!r},"refusal":{refusal_json},'
            f'"integrity":{integrity},"tokens":{total},"composite":{score!r}}}{cell.suffix}'
        )


def validate_line(line: str, where: str) -> None:
    try:
        RunRecord.model_validate(json.loads(line))
    except Exception as error:
        raise SystemExit(f"generated run record {where} is invalid: {error}") from error


# -- the three small sources --------------------------------------------------------------------


def exploits_for(keys: Sequence[dict[str, str | None]], day: str, *, strict: bool) -> list[Any]:
    """Exploits reported by ``day`` whose every selector matches a cell key.

    ``strict``: a selector that matches no cell stops the generator instead of dropping the entry.
    """
    chosen = []
    for spec in EXPLOITS:
        if spec["reported"] > day:
            continue
        unmatched = [
            s
            for s in spec["affected_cells"]
            if not any(all(k.get(n) == v for n, v in s.items()) for k in keys)
        ]
        if unmatched and strict:
            raise SystemExit(f"{spec['id']}: selector {unmatched[0]} matches no cell of the sample")
        if not unmatched:
            chosen.append(spec)
    return chosen


def status_on(exploit: dict[str, Any], day: str) -> str:
    patched = exploit["patched"]
    return "patched" if patched is not None and patched <= day else "live"


def exploit_yaml(specs: Sequence[dict[str, Any]], day: str) -> str:
    """The ledger, written by hand for a stable layout; JSON strings are YAML scalars."""
    q = json.dumps
    lines = [
        "# Exploit ledger: attempts that broke the bench, live and patched.",
        "# Synthetic sample data written by tools/generate_snapshot.py; not real reports.",
        "exploits:" if specs else "exploits: []",
    ]
    for spec in specs:
        status = status_on(spec, day)
        lines += [
            f"  - id: {q(spec['id'])}",
            f"    title: {q(spec['title'])}",
            f"    severity: {spec['severity']}",
            f"    status: {status}",
            f"    trigger: {q(spec['trigger'])}",
            f"    grader_call: {q(spec['grader_call'])}",
            f"    reported: {spec['reported']}",
            *([f"    patched: {spec['patched']}"] if status == "patched" else []),
            "    affected_cells:",
        ]
        for selector in spec["affected_cells"]:
            for position, (name, value) in enumerate(selector.items()):
                lines.append(f"{'      - ' if position == 0 else '        '}{name}: {q(value)}")
        lines += [f"    credit: {q(spec['credit'])}", f"    notes: {q(spec['notes'])}"]
    return "\n".join(lines) + "\n"


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def small_sources(
    exploits: Sequence[dict[str, Any]], version: str, day: str, rows: int, snapshots: list[Any]
) -> dict[Path, str]:
    """tasks.json, _catalog.yaml and meta.json, validated by parsing them back."""
    meta = {
        "methodology_version": version,
        "snapshot_date": day,
        "source": PIN["source"],
        "row_count": rows,
        "synthetic": True,
        "history": [h for h in SPEC["history"] if h["version"] <= version],
        "snapshots": snapshots,
    }
    files = {
        TASKS_FILE: pretty_json([catalogue_entry(t, day) for t in TASKS]),
        EXPLOITS_FILE: exploit_yaml(exploits, day),
        META_FILE: pretty_json(meta),
    }
    for entry in json.loads(files[TASKS_FILE]):
        Task.model_validate(entry)
    ExploitCatalog.model_validate(yaml.safe_load(files[EXPLOITS_FILE]))
    Meta.model_validate(json.loads(files[META_FILE]))
    return files


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


# -- sample mode --------------------------------------------------------------------------------


def sample_cells() -> list[Cell]:
    """The cells of the sample, in file order (sweep, pair, task)."""
    tuis = {t["name"]: t for t in TUIS}
    models = {m["id"]: m for m in MODELS}
    tasks = {t["id"]: t for t in TASKS}
    plan = SPEC["plan"]
    cells: list[Cell] = []
    for sweep in SWEEPS:
        pairs = SPEC["sample_pairs"][sweep["id"]]
        for index, (tui, model) in enumerate(pairs):
            mode = ("conv", "conv-vanilla")
            cells += [make_cell(tuis[tui], models[model], t, mode, sweep, index % 4) for t in TASKS]
        if sweep["id"] == plan["sweep"]:
            tui, model, lane = tuis[plan["tui"]], models[plan["model"]], len(pairs) % 4
            mode = ("plan", "plan-vanilla")
            cells += [make_cell(tui, model, tasks[t], mode, sweep, lane) for t in plan["tasks"]]
    return cells


def sample_files() -> dict[Path, str]:
    """Every file of the sample (relative path -> text), all validated, nothing written yet."""
    rng, clock, cells = random.Random(SPEC["seeds"]["sample"]), RunClock(), sample_cells()
    runs = [count for count, cells_ in SPEC["cells_by_runs"].items() for _ in range(cells_)]
    if len(cells) != len(runs):
        raise SystemExit(f"sample has {len(cells)} cells, cells_by_runs deals {len(runs)}")
    rng.shuffle(runs)
    by_sweep: dict[str, list[str]] = {s["id"]: [] for s in SWEEPS}
    failed = 0  # cells with at least one failed run
    for cell, count in zip(cells, runs, strict=True):
        lines = list(render_cell(rng, clock, cell, count))
        failed += any('"failure":null' not in line for line in lines)
        by_sweep[cell.sweep["id"]].extend(lines)
    row_count = sum(map(len, by_sweep.values()))
    for sweep_id, lines in by_sweep.items():
        for number, line in enumerate(lines, start=1):
            validate_line(line, f"{sweep_id}.jsonl:{number}")
    failures = {json.loads(line)["failure"] for lines in by_sweep.values() for line in lines}
    by_runs = dict(sorted(SPEC["cells_by_runs"].items()))
    if not {"rate_limit", "handshake", "timeout"} <= failures:
        raise SystemExit(f"sample lacks a failure kind: {sorted(f for f in failures if f)}")

    def run_files(sweep_ids: Iterable[str]) -> dict[Path, str]:
        return {RUNS_DIR / f"{s}.jsonl": "".join(f"{x}\n" for x in by_sweep[s]) for s in sweep_ids}

    old = SWEEPS[0]
    old_rows = len(by_sweep[old["id"]])
    old_keys = [c.key() for c in cells if c.sweep["id"] == old["id"]]
    old_exploits = exploits_for(old_keys, OLD_DATE, strict=True)
    old_files = {
        **run_files([old["id"]]),
        **small_sources(old_exploits, old["methodology"], OLD_DATE, old_rows, []),
    }
    exploits = exploits_for([c.key() for c in cells], PIN["snapshot_date"], strict=True)
    listed = {
        "snapshot_date": OLD_DATE,
        "methodology_version": old["methodology"],
        "path": OLD_PATH,
        "row_count": old_rows,
        "label": SPEC["old_snapshot"]["label"],
    }
    version, day = PIN["methodology_version"], PIN["snapshot_date"]
    files = {
        **run_files(s for s, lines in by_sweep.items() if lines),
        **small_sources(exploits, version, day, row_count, [listed]),
    }
    files[Path("README.md")] = SPEC["readme"].format(
        tasks=len(TASKS),
        exploits=len(exploits),
        live=sum(status_on(e, day) == "live" for e in exploits),
        pin_version=version,
        pin_date=day,
        old_path=OLD_PATH,
        rows=row_count,
        cells=len(cells),
        reruns=RERUNS,
        by_runs=", ".join(f"{n:,} with {k} run{'s' * (k > 1)}" for k, n in by_runs.items()),
        failed_cells=failed,
        failed_share=f"{failed / len(cells):.0%}",
        token_tuis=", ".join(t["name"] for t in TUIS if t["records_tokens"]),
        tuis=len(TUIS),
        models=len(MODELS),
        pairs=sum(map(len, SPEC["sample_pairs"].values())),
        plan_cells=len(SPEC["plan"]["tasks"]),
        invented=", ".join(f"`{m['full_id']}`" for m in MODELS if m.get("invented")),
        old_rows=old_rows,
        per_sweep="\n".join(
            f"| `{s['id']}` | {s['methodology']} | {len(by_sweep[s['id']]):,} |" for s in SWEEPS
        ),
        images="\n".join(f"| {t['name']} | `{t['image']}` | `{t['digest'][:19]}…` |" for t in TUIS),
    )
    files.update({Path(OLD_PATH) / path: text for path, text in old_files.items()})
    return files


# -- large mode ---------------------------------------------------------------------------------


def large_cells() -> Iterator[Cell]:
    """Every TUI x model pair on every task, repeated with numbered plugin stacks, forever."""
    pairs = [(t, m) for t in TUIS for m in MODELS]
    variant = 0
    while True:
        stack = "conv-vanilla" if variant == 0 else f"conv-vanilla-v{variant:03d}"
        for index, (tui, model) in enumerate(pairs):
            sweep = SWEEPS[index % len(SWEEPS)]
            for task in TASKS:
                yield make_cell(tui, model, task, ("conv", stack), sweep, index % 8)
        variant += 1


def write_large(out: Path, rows: int) -> int:
    """Write exactly ``rows`` run rows plus the other sources; return rows written."""
    rng, clock = random.Random(SPEC["seeds"]["large"]), RunClock()
    handles: dict[str, Any] = {}
    counts: dict[str, int] = {}
    keys: dict[tuple[Any, ...], dict[str, str | None]] = {}  # the first cell of each kind
    written, step = 0, max(1, rows // 500)
    (out / RUNS_DIR).mkdir(parents=True, exist_ok=True)
    try:
        for cell in large_cells():
            if written >= rows:
                break
            sweep_id = cell.sweep["id"]
            kind = (cell.tui["name"], cell.model["id"], cell.task["id"], cell.records_provenance)
            if kind not in keys:
                keys[kind] = cell.key()
            if sweep_id not in handles:
                path = out / RUNS_DIR / f"{sweep_id}.jsonl"
                handles[sweep_id] = path.open("w", encoding="utf-8", newline="\n", buffering=2**20)
                counts[sweep_id] = 0
            for line in render_cell(rng, clock, cell, min(RERUNS, rows - written)):
                counts[sweep_id] += 1
                if written % step == 0 or written == rows - 1:
                    validate_line(line, f"{sweep_id}.jsonl:{counts[sweep_id]}")
                handles[sweep_id].write(line + "\n")
                written += 1
    finally:
        for handle in handles.values():
            handle.close()
    for sweep in SWEEPS:
        if sweep["id"] not in handles:
            # A smaller --rows run into a reused folder must not leave an old sweep file behind.
            (out / RUNS_DIR / f"{sweep['id']}.jsonl").unlink(missing_ok=True)
    exploits = exploits_for(list(keys.values()), PIN["snapshot_date"], strict=False)
    version, day = PIN["methodology_version"], PIN["snapshot_date"]
    for path, text in small_sources(exploits, version, day, written, []).items():
        write_text(out / path, text)
    return written


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=None, help="write a large snapshot of N rows")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: data/)")
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    if args.rows is None:
        for path, text in sample_files().items():
            write_text((args.out or REPO / "data") / path, text)
        return 0
    if args.out is None:
        raise SystemExit("--rows needs --out (large snapshots are not committed)")
    if args.rows < 1:
        raise SystemExit("--rows must be at least 1")
    began = time.perf_counter()
    written = write_large(args.out, args.rows)
    elapsed = time.perf_counter() - began
    print(f"wrote {written:,} rows to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
