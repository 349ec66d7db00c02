"""Failed runs and exploits as a reader sees them on a cell: the one registry of failure kinds,
the words of a cell's failure badge and details, and the exploits of the ledger that touch a cell.

A failed run is a measurement (scored as recorded), so nothing here changes a number: the
leaderboard, task pages, popovers and the reference say what these functions say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .vocabulary import FAILURES, Failure

if TYPE_CHECKING:
    from .model import Cell, Snapshot


@dataclass(frozen=True, slots=True)
class FailureKind:
    """One kind of failed run: its name in the data, the label readers see, what it means."""

    name: Failure
    label: str
    meaning: str


_KINDS: dict[Failure, tuple[str, str]] = {
    "rate_limit": (
        "rate limit",
        "The model provider refused requests (HTTP 429) and the agent exhausted its retries, "
        "usually before doing any work: infrastructure, not capability.",
    ),
    "handshake": (
        "handshake",
        "The model and the TUI could not talk to each other (the model is incompatible with "
        "this TUI), so the agent never started the task.",
    ),
    "timeout": (
        "timeout",
        "The agent ran but did not finish within the harness limit (the adapter's outer guard "
        "or a read timeout on the model endpoint).",
    ),
}

FAILURE_KINDS: dict[Failure, FailureKind] = {
    name: FailureKind(name, *_KINDS[name]) for name in FAILURES
}
"""Failure kind -> label and meaning: the one registry the badges, legends, popovers, task pages
and the reference read."""

RECORDED_NOTE = (
    "All scores are reported as recorded: a failed run's score is an honest measurement, not a gap."
)
"""The note every legend that shows a failure carries."""

FailureMode = Literal["include", "exclude"]
"""How a table or chart treats runs that failed for infrastructure (:data:`FAILURE_MODES`)."""

FAILURE_MODES: dict[str, str] = {
    "include": "failed runs are scored as recorded and count in every mean",
    "exclude": "runs that failed for infrastructure are left out of the means, and each row "
    "says how many it left out",
}
"""The ``:failures:`` modes of a leaderboard, and what each does to the numbers."""


def failure_label(kind: str) -> str:
    found = FAILURE_KINDS.get(kind)  # type: ignore[call-overload]  # any recorded string
    return kind if found is None else found.label


def failure_badge(failures: tuple[tuple[str, int], ...], runs: int, left_out: bool) -> str:
    """What a row's badge says: ``1 of 2 runs: rate limit``, ``2 of 3 runs: rate limit 1,
    timeout 1``; with ``left_out`` (``:failures: exclude``) ``1 of 2 runs left out: timeout``.
    ``runs`` counts every run of the cell, failed ones included. Empty for no failure."""
    failed = sum(count for _kind, count in failures)
    if not failed:
        return ""
    if len(failures) == 1:
        kinds = failure_label(failures[0][0])
    else:
        kinds = ", ".join(f"{failure_label(kind)} {count}" for kind, count in failures)
    verb = " left out" if left_out else ""
    return f"{failed} of {runs} run{'' if runs == 1 else 's'}{verb}: {kinds}"


def failure_details(snapshot: Snapshot, cell: Cell) -> tuple[str, ...]:
    """One line per failed run of ``cell``, as recorded: ``run 2, timeout: adapter timed out
    after 630s (outer guard)`` (``no detail recorded`` when the run has none)."""
    lines = []
    if not cell.failures:
        return ()
    table = snapshot.runs  # the three columns it needs, not whole rows
    for index in cell.runs:
        kind = table.failure[index]
        if kind < 0:  # completed
            continue
        detail = table.failure_details[table.failure_detail_id[index]] or "no detail recorded"
        label = failure_label(table.failure_names[kind])
        lines.append(f"run {table.rerun[index]}, {label}: {detail}")
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class ExploitMark:
    """An exploit of the ledger whose affected cells include a cell: live, or patched after some
    of the cell's runs were recorded (``before`` of ``runs`` started before the patch date)."""

    exploit: str
    live: bool
    patched: dt.date | None
    before: int
    runs: int

    @property
    def text(self) -> str:
        """The mark's words: ``live exploit CAB-X-101``, or ``recorded before exploit CAB-X-102
        was patched on 2026-06-01`` (``1 of 2 runs recorded ...`` when not all were)."""
        if self.live:
            return f"live exploit {self.exploit}"
        assert self.patched is not None
        subject = "" if self.before == self.runs else f"{self.before} of {self.runs} runs "
        return (
            f"{subject}recorded before exploit {self.exploit} was patched on "
            f"{self.patched.isoformat()}"
        )


_MICROSECONDS_PER_DAY = 86_400_000_000
_EPOCH = dt.date(1970, 1, 1)


def _exploit_marks(snapshot: Snapshot) -> dict[int, tuple[ExploitMark, ...]]:
    started = snapshot.runs.started_us
    found: dict[int, list[ExploitMark]] = {}
    for exploit in snapshot.exploits:
        for position in snapshot.exploit_cells.get(exploit.id, ()):
            cell = snapshot.cells[position]
            runs = len(cell.runs)
            if exploit.status == "live":
                mark = ExploitMark(exploit.id, True, None, runs, runs)
            else:
                assert exploit.patched is not None  # the contract requires it
                limit = (exploit.patched - _EPOCH).days * _MICROSECONDS_PER_DAY
                before = sum(1 for index in cell.runs if started[index] < limit)
                if not before:
                    continue
                mark = ExploitMark(exploit.id, False, exploit.patched, before, runs)
            found.setdefault(position, []).append(mark)
    return {position: tuple(marks) for position, marks in found.items()}


def exploit_marks(snapshot: Snapshot) -> dict[int, tuple[ExploitMark, ...]]:
    """Position in ``snapshot.cells`` -> the exploit marks of that cell (live ones, and patched
    ones with runs recorded before the patch), in ledger order; made once per snapshot."""
    return snapshot.view("exploit_marks", lambda: _exploit_marks(snapshot))
