"""No data can crash a load or exhaust the machine: aliases are refused before they expand,
nesting is limited, impossible dates are located warnings, and quoted values are cut before they
are written out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot.cli import main
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.wording import show

MINI = Path(__file__).parents[1] / "snapshots" / "mini"
LEDGER = "results/exploits/_catalog.yaml"
TASKS = "site/src/data/tasks.json"
META = "site/src/data/meta.json"

ENTRY = """  - id: CAB-X-{number:03d}
    title: An entry
    severity: low
    status: live
    trigger: Something.
    grader_call: pytest tests/
    reported: {reported}
    affected_cells:
      - tui: aider
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "snap"
    shutil.copytree(MINI, copy)
    return copy


def problems(root: Path) -> list[tuple[str, str, str]]:
    snap = load_snapshot(SourcePaths.under(root), display_base=root)
    return [(p.location, p.subtype.tag, p.message) for p in snap.problems]


BOMB = "exploits:\n  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  - &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 9)}]\n" for level in range(9)
)
"""Ten lines whose last entry expands to 9**10 (about 3.5 billion) strings."""

UNDER_A_MEMORY_CAP = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from sphinxcontrib_cab.snapshot import SourcePaths, load_snapshot
snap = load_snapshot(SourcePaths.under(Path(sys.argv[1])), display_base=Path(sys.argv[1]))
for problem in snap.problems:
    print(problem.location, problem.subtype.tag, problem.message)
"""


def test_an_alias_bomb_is_refused_within_a_gibibyte(root: Path) -> None:
    (root / LEDGER).write_text(BOMB)
    result = subprocess.run(
        [sys.executable, "-c", UNDER_A_MEMORY_CAP, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    aliases = [line for line in lines if "YAML alias" in line]
    assert len(aliases) == 9
    assert aliases[0] == (
        f"{LEDGER}:2 yaml exploit left out: it uses a YAML alias (*name); the ledger allows no "
        "anchors and aliases"
    ) or aliases[0].startswith(f"{LEDGER}:3 yaml exploit left out: it uses a YAML alias")


@pytest.mark.parametrize("where", [TASKS, META])
def test_json_nested_a_hundred_thousand_deep_is_one_located_warning(root: Path, where: str) -> None:
    (root / where).write_text("[" * 100_000 + "]" * 100_000)
    found = [p for p in problems(root) if p[0].startswith(where)]
    assert found == [
        (
            f"{where}:1",
            "json",
            "the document is nested more than 64 levels deep; nothing was read from it",
        )
    ]


def test_json_nested_just_too_deep_is_refused_at_its_line(root: Path) -> None:
    tasks = json.loads((root / TASKS).read_text())
    deep: object = "x"
    for _ in range(70):
        deep = {"x": deep}
    tasks[0]["summary"] = deep
    (root / TASKS).write_text(json.dumps(tasks, indent=1))
    found = [p for p in problems(root) if p[0].startswith(TASKS)]
    assert found[0][1:] == (
        "json",
        "the document is nested more than 64 levels deep; nothing was read from it",
    )


@pytest.mark.parametrize(
    "text",
    [
        "exploits: " + "[" * 100_000 + "]" * 100_000,
        "exploits:\n" + "".join(" " * depth + "-\n" for depth in range(2, 20_000)),
    ],
    ids=["flow", "block"],
)
def test_yaml_nested_a_hundred_thousand_deep_is_a_located_warning(root: Path, text: str) -> None:
    (root / LEDGER).write_text(text)
    found = [p for p in problems(root) if p[0].startswith(LEDGER)]
    assert len(found) == 1
    assert found[0][1] == "yaml"
    assert "nest" in found[0][2] or "not valid YAML" in found[0][2]


@pytest.mark.parametrize(
    ("reported", "because"),
    [("2026-02-30", "day is out of range for month"), ("2026-13-40", "month must be in 1..12")],
)
def test_an_impossible_date_is_a_located_warning_for_the_build_and_check(
    root: Path, reported: str, because: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (root / LEDGER).read_text() + ENTRY.format(number=99, reported=reported)
    (root / LEDGER).write_text(text)
    line = text.count("\n") - 2  # the entry's "reported:" line
    assert [p for p in problems(root) if p[0].startswith(LEDGER)] == [
        (
            f"{LEDGER}:{line}",
            "date",
            f"exploit left out: '{reported}' is not a possible value ({because})",
        )
    ]
    assert main(["check", str(root)]) == 1
    assert f"{reported}' is not a possible value" in capsys.readouterr().out


def test_a_quoted_value_is_cut_before_it_is_written_out() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert show(deep) == "[" * 57 + "..."
    assert show({"k": "v" * 10_000_000}).endswith("...")
    assert len(show(list(range(1_000_000)))) == 60
