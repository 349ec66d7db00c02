"""The snapshot digest: per-file sha256 and a combined digest that sha256sum reproduces."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot.digest import (
    combine,
    digest_files,
    file_sha256,
    sha256sum_text,
    snapshot_files,
)
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.model import FileDigest
from sphinxcontrib_cab.snapshot.paths import SourcePaths

MINI = Path(__file__).parents[1] / "snapshots" / "mini"


def test_file_sha256_matches_hashlib() -> None:
    path = MINI / "site/src/data/meta.json"
    assert file_sha256(path) == (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size)


def test_combined_is_sha256_of_sorted_sha256sum_lines() -> None:
    files = [FileDigest("b.txt", "2" * 64, 1), FileDigest("a.txt", "1" * 64, 1)]
    text = f"{'1' * 64}  a.txt\n{'2' * 64}  b.txt\n"
    assert sha256sum_text(files) == text
    assert combine(files).combined == hashlib.sha256(text.encode()).hexdigest()
    assert [f.path for f in combine(files).files] == ["a.txt", "b.txt"]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU coreutils sha256sum")
def test_real_sha256sum_reproduces_the_combined_digest() -> None:
    sources = SourcePaths.under(MINI)
    snap = load_snapshot(sources)
    relative = sorted(p.relative_to(MINI).as_posix() for p in snapshot_files(sources))
    listing = subprocess.run(
        ["sha256sum", *relative], cwd=MINI, check=True, capture_output=True, text=True
    ).stdout
    combined = subprocess.run(
        ["sha256sum"], input=listing, check=True, capture_output=True, text=True
    ).stdout
    assert listing == sha256sum_text(snap.digest.files)
    assert combined == f"{snap.digest.combined}  -\n"


def test_digest_ignores_location_and_timestamps(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere"
    shutil.copytree(MINI, copy)
    for path in copy.rglob("*"):
        if path.is_file():
            path.touch()
    original = digest_files(snapshot_files(SourcePaths.under(MINI)), MINI)
    moved = digest_files(snapshot_files(SourcePaths.under(copy)), copy)
    assert moved == original


def test_digest_changes_with_content(tmp_path: Path) -> None:
    copy = tmp_path / "snap"
    shutil.copytree(MINI, copy)
    before = load_snapshot(SourcePaths.under(copy)).digest
    tasks = copy / "site/src/data/tasks.json"
    tasks.write_text(tasks.read_text() + " ")
    after = load_snapshot(SourcePaths.under(copy)).digest
    assert after.combined != before.combined
    changed = {f.path for f in after.files} - {f.path for f in before.files}
    assert changed == set()
    assert [f.path for f in after.files if f not in before.files] == ["site/src/data/tasks.json"]
