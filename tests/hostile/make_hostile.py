"""Write a CodingAgentBench snapshot whose every free string field carries hostile content.

Usage: ``python tests/hostile/make_hostile.py OUTDIR`` (the test suite imports
:func:`write_snapshot` and calls it on a temporary folder).

The snapshot has the layout of ``data/`` and every record validates against the pydantic
models in :mod:`sphinxcontrib_cab.snapshot.contract`. For each payload in :data:`PAYLOADS`
there is one task, one leaderboard cell (two reruns) and one exploit, and every string field of
those records that the data contract leaves free carries that payload followed by a tag naming
the field, e.g.
``<script>window.__pwned='script'</script>#run.tui``. Fields the contract constrains (task ids,
categories, sha256 digests, dates, enums) cannot be hostile and stay valid.

A payload that manages to execute in a browser sets ``window.__pwned``; the browser test asserts
it stays undefined. Shell payloads try to create a file named ``cab-pwned``.

``manifest.json`` lists every hostile case (source, field, payload, the exact value written).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from sphinxcontrib_cab.snapshot.contract import Exploit, ExploitCatalog, Meta, RunRecord, Task

LONG_LENGTH = 10_000
LONG_TOKEN_LENGTH = 2_000

PAYLOADS: dict[str, str] = {
    "script": "<script>window.__pwned='script'</script>",
    "img-onerror": "<img src=x onerror=\"window.__pwned='img'\">",
    "svg-onload": "<svg/onload=window.__pwned='svg'>",
    "javascript-url": "javascript:window.__pwned='url'",
    "html-link": "<a href=\"javascript:window.__pwned='a'\" id=cab-evil>click</a>",
    "quotes": "it's \"double\" and 'single' ''' \"\"\" '\\'' end",
    "shell": "$(touch cab-pwned) `touch cab-pwned`; touch cab-pwned && echo ${HOME} $HOME !! | cat",
    "newlines": "line one\nline two\r\nline three\r\n\n  indented\n",
    "control": "ctl" + "".join(chr(c) for c in range(1, 32)) + "\x7f" + "end",
    "bidi-zero-width": "\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth\u200c\u200d\ufeff "
    "\u2028line\u2029sep\x85nel",
    "long": "",  # filled below: 10k characters of 100-character words, then a script tag
    "long-token": "",  # filled below: one unbroken 2,000-character word
    "latex": "\\ { } % $ & # _ ^ ~ \\input{/etc/passwd} \\def\\x{} \\\\ \\end{document}",
    "rest": ".. raw:: html\n\n   <script>window.__pwned='raw'</script>\n\n"
    "`x <javascript:window.__pwned=1>`_ **bold** :cab-count:`rows` |sub| [#]_",
    "markdown": "[click](javascript:window.__pwned='md') <b>bold</b> {cab-meta}`source` *em*\n"
    "# heading\n```{raw} html\n<script>window.__pwned='myst'</script>\n```\n$x$",
}
PAYLOADS["long"] = (("A" * 99 + " ") * (LONG_LENGTH // 100))[: LONG_LENGTH - 40] + PAYLOADS[
    "script"
][:40]
# Sphinx's text writer wraps a single word in time quadratic in its length (10,000 unbroken
# characters cost about 2 s per paragraph, minutes per page), so the unbroken case is shorter.
PAYLOADS["long-token"] = "B" * LONG_TOKEN_LENGTH

CATEGORIES = ("integrity", "mutations", "polyglot")
SEVERITIES = ("critical", "high", "medium", "low")
SNAPSHOT_DATE = "2026-06-20"
TASK_ADDED_DATE = "2026-05-01"

RUN_FIELDS = (
    "tui",
    "behavior_mode",
    "model",
    "plugin_stack",
    "model_endpoint_sha",
    "sampling_profile",
    "sweep_id",
)
"""Free string fields of a run record (``task`` must name a catalogue id; ``methodology_version``
is shared with meta.json and counted there)."""

TASK_FIELDS = (
    "language",
    "version",
    "summary",
    "source",
    "setup",
    "grader.kind",
    "grader.command",
    "ground_truth[0]",
    "constraints[0].rule",
    "constraints[0].target",
)
EXPLOIT_FIELDS = ("id", "title", "trigger", "grader_call", "credit", "notes")
HISTORY_FIELDS = ("version", "changes", "fields_introduced[0]")
META_FIELDS = ("methodology_version", "source")
"""meta.json has one value per field; each carries all payloads joined (see :func:`joined`)."""


@dataclass(frozen=True)
class Case:
    source: str
    field: str
    payload: str
    value: str


def tagged(payload_name: str, field: str) -> str:
    return f"{PAYLOADS[payload_name]}#{field}"


def joined(field: str) -> str:
    """Every payload except the long one, in one value, for fields that exist once per snapshot."""
    return "|".join(v for k, v in PAYLOADS.items() if not k.startswith("long")) + f"#{field}"


def fake_sha(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def task_id(index: int, name: str) -> str:
    return f"{CATEGORIES[index % len(CATEGORIES)]}/hostile-{name}"


def make_task(index: int, name: str) -> dict[str, Any]:
    return {
        "id": task_id(index, name),
        "category": CATEGORIES[index % len(CATEGORIES)],
        "language": tagged(name, "task.language"),
        "version": tagged(name, "task.version"),
        "task_added_date": TASK_ADDED_DATE,
        "summary": tagged(name, "task.summary"),
        "source": tagged(name, "task.source"),
        "setup": tagged(name, "task.setup"),
        "grader": {
            "kind": tagged(name, "task.grader.kind"),
            "command": tagged(name, "task.grader.command"),
        },
        "budget": {"max_turns": 8, "timeout_s": 600},
        "ground_truth": [tagged(name, "task.ground_truth[0]")],
        "expected_refusal": index % 2 == 0,
        "constraints": [
            {
                "rule": tagged(name, "task.constraints[0].rule"),
                "target": tagged(name, "task.constraints[0].target"),
                "scoring": "honored",
            }
        ],
    }


def make_runs(index: int, name: str, version: str) -> list[dict[str, Any]]:
    key = {field: tagged(name, f"run.{field}") for field in RUN_FIELDS if field != "sweep_id"}
    runs = []
    for rerun in (1, 2):
        passed = (index + rerun) % 2
        wall = 10.0 + index + rerun / 10
        runs.append(
            {
                **key,
                "task": task_id(index, name),
                "tui_image_sha": "sha256:" + fake_sha("image", name),
                "task_added_date": TASK_ADDED_DATE,
                "sweep_id": tagged(name, "run.sweep_id"),
                "rerun": rerun,
                "started_at": f"2026-06-{10 + rerun:02d}T09:{index:02d}:00.000000Z",
                "ended_at": f"2026-06-{10 + rerun:02d}T09:{index:02d}:{int(wall):02d}.000000Z",
                "exit_code": 0,
                "failure": None,
                "prompt_sha256": fake_sha("prompt", name),
                "stdout_sha256": fake_sha("stdout", name, str(rerun)),
                "grade_sha256": fake_sha("grade", name, str(rerun)),
                "scores": {
                    "pass": passed,
                    "blast_radius": 0.0 if passed else 0.5,
                    "wall_s": wall,
                    "refusal": "n/a",
                    "integrity": 1,
                    "tokens": None,
                    "composite": 0.95 if passed else 0.55,
                },
                "methodology_version": version,
            }
        )
    return runs


def make_exploit(index: int, name: str) -> dict[str, Any]:
    live = index % 2 == 0
    exploit: dict[str, Any] = {
        "id": tagged(name, "exploit.id"),
        "title": tagged(name, "exploit.title"),
        "severity": SEVERITIES[index % len(SEVERITIES)],
        "status": "live" if live else "patched",
        "trigger": tagged(name, "exploit.trigger"),
        "grader_call": tagged(name, "exploit.grader_call"),
        "reported": "2026-06-12",
        "affected_cells": [
            {"tui": tagged(name, "run.tui"), "model": tagged(name, "run.model")},
        ],
        "credit": tagged(name, "exploit.credit"),
        "notes": tagged(name, "exploit.notes"),
    }
    if not live:
        exploit["patched"] = "2026-06-15"
    return exploit


def make_meta(version: str, row_count: int) -> dict[str, Any]:
    history = [
        {
            "version": "0.0",
            "date": "2026-05-01",
            "changes": "Key fields and scores.",
            "fields_introduced": ["tui", "behavior_mode", "model", "task", "plugin_stack"],
        },
        {
            "version": "0.1",
            "date": "2026-05-27",
            "changes": "Provenance fields.",
            "fields_introduced": [
                "tui_image_sha",
                "model_endpoint_sha",
                "sampling_profile",
                "task_added_date",
            ],
        },
    ]
    for index, name in enumerate(PAYLOADS):
        history.append(
            {
                "version": tagged(name, "history.version"),
                "date": f"2026-06-{index + 1:02d}",
                "changes": tagged(name, "history.changes"),
                "fields_introduced": [tagged(name, "history.fields_introduced[0]")],
            }
        )
    return {
        "methodology_version": version,
        "snapshot_date": SNAPSHOT_DATE,
        "source": joined("meta.source"),
        "row_count": row_count,
        "synthetic": True,
        "history": history,
        "snapshots": [],
    }


def cases() -> list[Case]:
    """Every (field, payload) pair the snapshot carries, with the exact value written."""
    found: list[Case] = []
    for name in PAYLOADS:
        found += [Case("runs", f, name, tagged(name, f"run.{f}")) for f in RUN_FIELDS]
        found += [Case("tasks", f, name, tagged(name, f"task.{f}")) for f in TASK_FIELDS]
        found += [Case("exploits", f, name, tagged(name, f"exploit.{f}")) for f in EXPLOIT_FIELDS]
        found += [
            Case("meta", f"history.{f}", name, tagged(name, f"history.{f}")) for f in HISTORY_FIELDS
        ]
    for field in META_FIELDS:
        found += [
            Case("meta", field, name, joined(f"meta.{field}"))
            for name in PAYLOADS
            if not name.startswith("long")
        ]
    return found


def validate(
    tasks: list[dict[str, Any]],
    runs: list[dict[str, Any]],
    catalog: dict[str, Any],
    meta: dict[str, Any],
) -> None:
    """Every record must pass the data contract, so the build exercises rendering, not rejection."""
    for task in tasks:
        Task.model_validate(task)
    for run in runs:
        RunRecord.model_validate(run)
    ExploitCatalog.model_validate(catalog)
    for exploit in catalog["exploits"]:
        Exploit.model_validate(exploit)
    Meta.model_validate(meta)


def write_snapshot(root: Path) -> list[Case]:
    """Write the hostile snapshot under ``root``; return its cases (also in manifest.json)."""
    names = list(PAYLOADS)
    version = joined("meta.methodology_version")
    tasks = [make_task(i, n) for i, n in enumerate(names)]
    runs = [run for i, n in enumerate(names) for run in make_runs(i, n, version)]
    catalog = {"exploits": [make_exploit(i, n) for i, n in enumerate(names)]}
    meta = make_meta(version, len(runs))
    validate(tasks, runs, catalog, meta)

    runs_dir = root / "results" / "published"
    data_dir = root / "site" / "src" / "data"
    exploits_dir = root / "results" / "exploits"
    for folder in (runs_dir, data_dir, exploits_dir):
        folder.mkdir(parents=True, exist_ok=True)
    # ensure_ascii=False keeps U+2028, U+2029 and U+0085 raw inside the JSONL lines: valid JSON,
    # and a trap for any reader that splits lines with str.splitlines().
    lines = [json.dumps(run, ensure_ascii=False, sort_keys=True) for run in runs]
    (runs_dir / "hostile.jsonl").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    (data_dir / "tasks.json").write_bytes(
        json.dumps(tasks, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    )
    (data_dir / "meta.json").write_bytes(
        json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    )
    ledger = yaml.safe_dump(catalog, sort_keys=False, allow_unicode=False, width=1_000_000)
    if yaml.safe_load(ledger) != catalog:
        raise AssertionError("the exploit ledger does not survive a YAML round trip")
    (exploits_dir / "_catalog.yaml").write_text(ledger, encoding="utf-8")

    found = cases()
    manifest = {"payloads": PAYLOADS, "cases": [asdict(c) for c in found]}
    (root / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=True, indent=1), encoding="utf-8"
    )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} OUTDIR", file=sys.stderr)
        return 2
    found = write_snapshot(Path(argv[1]))
    print(f"{len(found)} hostile cases ({len(PAYLOADS)} payloads) written to {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
