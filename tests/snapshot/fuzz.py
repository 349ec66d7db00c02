"""Mutation fuzzing of every reader: broken bytes give problems, never an exception.

Each input is one source of the mini snapshot (task catalogue, methodology pin, exploit ledger or
a run-record file) changed by a few random mutations: cut short, nested deep, types swapped,
impossible dates, NUL and invalid UTF-8 bytes, byte-order marks, YAML aliases, lines removed or
repeated. The whole snapshot is then loaded. ``tests/snapshot/test_fuzz.py`` runs a fixed number
of seeded inputs; ``nox -s fuzz`` runs this module for as long as it is given::

    python tests/snapshot/fuzz.py --seconds 600
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.problems import Problem, Subtype

MINI = Path(__file__).resolve().parents[1] / "snapshots" / "mini"
SOURCES = (
    "site/src/data/tasks.json",
    "site/src/data/meta.json",
    "results/exploits/_catalog.yaml",
    "results/published/free-20260527.jsonl",
)

FRAGMENTS = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b'"',
    b"\\",
    b"\n",
    b"\r\n",
    b"{",
    b"[",
    b"}",
    b"]",
    b":",
    b",",
    b"null",
    b"true",
    b"-1e999",
    b"1e309",
    b"NaN",
    b'"2026-02-30"',
    b"2026-13-40",
    b"2026-02-30T25:61:61Z",
    b'"\\ud800"',
    b"&a [x, x]",
    b"*a",
    b"!!python/object/apply:os.system",
    b"- ",
    b"  ",
    b"\t",
    b"\xe2\x80\xae",
)


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(FRAGMENTS) * rng.choice((1, 1, 2, 50)) + data[at:]


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]


def _nest(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((65, 1_000, 100_000))
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"[" * depth + b"]" * depth + data[at:]


def _swap_value(data: bytes, rng: random.Random) -> bytes:
    """Replace the text after one ``:`` by a value of another type."""
    colons = [i for i, byte in enumerate(data) if byte == ord(":")]
    if not colons:
        return data
    at = rng.choice(colons) + 1
    end = at
    while end < len(data) and data[end] not in b",}\n":
        end += 1
    value = rng.choice(
        (b' "text"', b" 12", b" -0.5", b" []", b" {}", b" null", b" true", b' "n/a"')
    )
    return data[:at] + value + data[end:]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[at]
    else:
        lines.insert(at, lines[at])
    return b"\n".join(lines)


def _bom(data: bytes, rng: random.Random) -> bytes:
    return b"\xef\xbb\xbf" + data


def _huge(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"x" * 200_000 + data[at:]


MUTATIONS = (_cut, _insert, _insert, _flip, _nest, _swap_value, _swap_value, _lines, _bom, _huge)


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3))):
        data = rng.choice(MUTATIONS)(data, rng)
    return data


def try_one(workdir: Path, rng: random.Random) -> tuple[str, bytes, str | None]:
    """Mutate one source of a fresh copy of the mini snapshot and load it. Returns the source,
    the input and the traceback of an exception (``None`` when the load held)."""
    root = workdir / "snap"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI, root)
    source = rng.choice(SOURCES)
    data = mutate((root / source).read_bytes(), rng)
    (root / source).write_bytes(data)
    try:
        snapshot = load_snapshot(SourcePaths.under(root), display_base=root)
        for problem in snapshot.problems:
            assert isinstance(problem, Problem) and isinstance(problem.subtype, Subtype)
            assert problem.message and problem.location
    except Exception:
        return source, data, traceback.format_exc()
    return source, data, None


def run(seconds: float, seed: int, limit: int | None = None) -> tuple[int, list[str]]:
    """Fuzz for ``seconds`` (or ``limit`` inputs); returns the count and the failures."""
    rng = random.Random(seed)
    failures: list[str] = []
    count = 0
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory(prefix="cab-fuzz-") as folder:
        while time.monotonic() < deadline and (limit is None or count < limit):
            source, data, failure = try_one(Path(folder), rng)
            count += 1
            if failure is not None:
                failures.append(f"{source} ({len(data)} bytes, head {data[:80]!r}):\n{failure}")
    return count, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    arguments = parser.parse_args()
    count, failures = run(arguments.seconds, arguments.seed)
    for failure in failures[:5]:
        print(failure, file=sys.stderr)
    print(
        f"fuzz: {count} inputs in {arguments.seconds:.0f} s (seed {arguments.seed}), "
        f"{len(failures)} raised an exception"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
