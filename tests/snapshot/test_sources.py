"""Only files inside the snapshot are read, and everything read is hashed: links that lead
outside, dangling links, loops, folders, pipes and sockets where files belong are refused with a
warning naming them, and neither read nor hashed."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot.digest import snapshot_digest
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.paths import SourcePaths

MINI = Path(__file__).parents[1] / "snapshots" / "mini"
RUNS = "results/published"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "snap"
    shutil.copytree(MINI, copy)
    return copy


def refused(root: Path) -> list[tuple[str, str]]:
    """(location, message) of every cab.source problem of the snapshot at ``root``."""
    snap = load_snapshot(SourcePaths.under(root), display_base=root.parent)
    return [(p.location, p.message) for p in snap.problems if p.subtype.tag == "source"]


def hashed(root: Path) -> list[str]:
    return [f.path for f in snapshot_digest(SourcePaths.under(root)).files]


def test_a_run_file_linked_from_outside_is_neither_read_nor_hashed(
    root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.jsonl"
    shutil.copyfile(root / RUNS / "free-20260527.jsonl", outside)
    (root / RUNS / "sweep-b.jsonl").symlink_to(outside)
    before = snapshot_digest(SourcePaths.under(root)).combined
    assert refused(root) == [
        (
            "snap/results/published/sweep-b.jsonl",
            "the run-record folder snap/results/published/sweep-b.jsonl leads outside the "
            "snapshot folder snap (to elsewhere.jsonl) (runs path = 'results/published'); "
            "it was not read",
        )
    ]
    assert "results/published/sweep-b.jsonl" not in hashed(root)
    outside.write_text("{}\n")  # editing the outside file cannot change what the pages show
    assert snapshot_digest(SourcePaths.under(root)).combined == before


def test_a_link_to_a_system_file_is_not_read(root: Path) -> None:
    (root / RUNS / "passwd.jsonl").symlink_to("/etc/passwd")
    problems = refused(root)
    assert len(problems) == 1
    assert "leads outside the snapshot folder" in problems[0][1]
    assert "/etc/passwd" in problems[0][1]
    snap = load_snapshot(SourcePaths.under(root))
    assert all("root:" not in p.message for p in snap.problems)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (
            lambda path: path.symlink_to(path.parent / "gone.jsonl"),
            "is a symbolic link to something that does not exist",
        ),
        (lambda path: path.symlink_to(path), "is a symbolic link that loops"),
        (lambda path: path.mkdir(), "is a folder, not a file"),
        (lambda path: os.mkfifo(path), "is not a regular file"),
    ],
    ids=["dangling", "loop", "folder", "pipe"],
)
def test_run_entries_that_are_not_files_are_refused_by_name(
    root: Path, make: object, why: str
) -> None:
    path = root / RUNS / "odd.jsonl"
    make(path)  # type: ignore[operator]
    assert refused(root) == [
        (
            "snap/results/published/odd.jsonl",
            f"the run-record folder snap/results/published/odd.jsonl {why} "
            "(runs path = 'results/published'); it was not read",
        )
    ]
    assert "results/published/odd.jsonl" not in hashed(root)


def test_a_socket_in_place_of_the_task_catalogue_neither_crashes_the_digest_nor_the_load(
    root: Path,
) -> None:
    tasks = root / "site/src/data/tasks.json"
    tasks.unlink()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tasks))
        assert refused(root) == [
            (
                "snap/site/src/data/tasks.json",
                "the task catalogue snap/site/src/data/tasks.json is not a regular file "
                "(tasks path = 'site/src/data/tasks.json'); it was not read",
            )
        ]
        assert "site/src/data/tasks.json" not in hashed(root)


def test_reading_and_hashing_list_the_same_files(root: Path, tmp_path: Path) -> None:
    (root / RUNS / "loop.jsonl").symlink_to(root / RUNS / "loop.jsonl")
    (root / RUNS / "dir.jsonl").mkdir()
    snap = load_snapshot(SourcePaths.under(root))
    assert sorted(f.path for f in snap.digest.files) == sorted(
        p.relative_to(root).as_posix() for p in snap.files
    )


def test_a_wrong_runs_path_is_one_warning_naming_the_setting(root: Path) -> None:
    sources = SourcePaths.under(
        root,
        runs="results/publishd",
        settings=("cab_snapshot_root", "cab_runs_path", "a", "b", "c"),
    )
    snap = load_snapshot(sources, display_base=root.parent)
    assert [(p.subtype.tag, p.message) for p in snap.problems] == [
        (
            "source",
            "the run-record folder snap/results/publishd does not exist "
            "(cab_runs_path = 'results/publishd')",
        )
    ]
