"""The command line, run as a real subprocess."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).parents[1] / "snapshots" / "mini"
REPO = Path(__file__).parents[2]
BAD = Path(__file__).parents[1] / "bad_inputs"


def cab(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_cab", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_schema_prints_one_json_schema_document_with_every_source() -> None:
    result = cab("schema")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    schemas = document["$defs"]
    assert sorted(schemas) == ["exploits", "meta", "run-record", "tasks"]
    assert schemas["tasks"]["type"] == "array"
    assert "tui_image_sha" in schemas["run-record"]["properties"]
    for name, schema in schemas.items():
        assert schema["$schema"] == document["$schema"]
        assert schema["$id"] == f"urn:sphinxcontrib-cab:schema:{name}"
    one = json.loads(cab("schema", "meta").stdout)
    assert one == schemas["meta"]


def test_a_closed_pipe_ends_the_output_quietly() -> None:
    """``schema | head`` once ended in a BrokenPipeError traceback."""
    pipeline = f"{sys.executable} -m sphinxcontrib_cab schema | head -c 10"
    result = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, check=True)
    assert result.stdout == '{\n  "$defs'
    assert result.stderr == ""


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    result = cab("--version")
    assert result.stdout == f"python -m sphinxcontrib_cab {version('sphinxcontrib-cab')}\n"


def test_check_passes_on_the_mini_snapshot() -> None:
    result = cab("check", str(MINI))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "snapshot 2026-06-20: 36 valid run rows, 0 left out, 12 cells, 3 tasks, 3 exploits",
        "snapshot 2026-05-27: 6 valid run rows, 0 left out, 2 cells, 2 tasks, 0 exploits",
        "no problems found",
    ]


def test_check_fails_with_located_problems(tmp_path: Path) -> None:
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    shutil.copyfile(BAD / "bad-hash.jsonl", root / "results/published/bad-hash.jsonl")
    result = cab("check", "snap", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "snap/results/published/bad-hash.jsonl:1: sha256: row left out: 'grade_sha256' is not a "
        'sha256 digest (64 lowercase hex digits): got "89beb1aa725ff27450818a2dd1ab3b039d122009"'
    )
    assert result.stdout.splitlines()[-1] == "1 problem found"


def test_check_takes_other_sub_paths(tmp_path: Path) -> None:
    root = tmp_path / "flat"
    root.mkdir()
    shutil.copytree(MINI / "results/published", root / "runs")
    shutil.copyfile(MINI / "site/src/data/tasks.json", root / "tasks.json")
    shutil.copyfile(MINI / "results/exploits/_catalog.yaml", root / "exploits.yaml")
    meta = json.loads((MINI / "site/src/data/meta.json").read_text())
    meta["snapshots"] = []
    (root / "meta.json").write_text(json.dumps(meta))
    args = [
        "--runs",
        "runs",
        "--tasks",
        "tasks.json",
        "--exploits",
        "exploits.yaml",
        "--meta",
        "meta.json",
    ]
    result = cab("check", str(root), *args)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "no problems found"


def test_digest_prints_sha256sum_lines_and_the_combined_digest() -> None:
    result = cab("digest", str(MINI))
    assert result.returncode == 0, result.stderr
    file_lines = result.stdout.splitlines()
    paths = [line.split("  ", 1)[1] for line in file_lines]
    assert paths == sorted(paths) and len(paths) == 5
    for line in file_lines:
        sha, path = line.split("  ", 1)
        assert sha == hashlib.sha256((MINI / path).read_bytes()).hexdigest()
    combined = hashlib.sha256(result.stdout.encode()).hexdigest()
    assert result.stderr == f"combined sha256: {combined}\n"


AWKWARD_NAMES = (
    "with space.jsonl",
    'quote\'s "both".jsonl',
    "back\\slash.jsonl",
    "new\nline.jsonl",
    "carriage\rreturn.jsonl",
    "über.jsonl",
)


def test_digest_output_is_what_sha256sum_checks_and_the_guide_recomputes(tmp_path: Path) -> None:
    """Any file name: ``sha256sum -c`` accepts the CLI's output as it is, and the guide's recipe,
    run as written, gives the CLI's combined digest."""
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    runs = root / "results/published"
    source = next(runs.glob("*.jsonl")).read_bytes()
    for name in AWKWARD_NAMES:
        (runs / name).write_bytes(source)
    result = cab("digest", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 5 + len(AWKWARD_NAMES)
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(result.stdout)
    check = subprocess.run(
        ["sha256sum", "--strict", "-c", str(sums)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    guide = (REPO / "docs/guide/verify-receipt.md").read_text()
    recipe = guide.split("```sh\n", 1)[1].split("```", 1)[0].replace("cd data\n", "")
    shell = subprocess.run(
        ["bash", "-c", recipe], cwd=root, capture_output=True, text=True, check=True
    )
    combined = result.stderr.removeprefix("combined sha256: ").strip()
    assert shell.stdout.splitlines()[-1].split()[0] == combined


def test_digest_of_a_missing_folder_fails(tmp_path: Path) -> None:
    result = cab("digest", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr
