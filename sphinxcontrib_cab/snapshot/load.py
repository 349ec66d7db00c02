"""Load one snapshot: read its four sources, cross-check, aggregate, digest; keep it per process.

:func:`load_snapshot` never raises on bad data: every problem is a located :class:`Problem` on
the returned :class:`Snapshot`. :func:`load_snapshot_cached` keeps one parsed snapshot per source
set in this process, keyed on the sha256 of every file (modification times lie after a copy or an
archive extraction), so unchanged data is not parsed again.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any, TypeVar

from . import aggregate, checks
from .digest import digest_files, snapshot_digest
from .ledger import read_exploits
from .model import Digest, Snapshot
from .problems import Display, ProblemLog, Subtype, split_location
from .readers import Located, read_meta, read_tasks
from .runs import RunReader
from .sources import list_sources

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from .contract import Exploit, Meta, Task
    from .paths import SourcePaths


def load_snapshot(
    sources: SourcePaths,
    *,
    display_base: Path | None = None,
    name: str | None = None,
    digest: Digest | None = None,
) -> Snapshot:
    """Read, validate, cross-check and aggregate one snapshot. Never raises on bad data."""
    global _PARSES
    _PARSES += 1
    # Loading creates millions of objects that all stay alive; the cyclic collector would walk
    # them again and again for nothing (nothing here makes reference cycles), so pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(sources, display_base=display_base, name=name, digest=digest)
    finally:
        if collecting:
            gc.enable()


def _load(
    sources: SourcePaths,
    *,
    display_base: Path | None,
    name: str | None,
    digest: Digest | None,
) -> Snapshot:
    display = Display(display_base)
    log = ProblemLog()
    listing = list_sources(sources, display)
    for problem in listing.problems:
        log.add(problem.subtype, problem.message, problem.location)
    root = sources.root

    tasks_shown = display(sources.tasks)
    tasks: tuple[Task, ...] = ()
    if listing.tasks is not None:
        no_tasks: tuple[tuple[Task, ...], Located, int] = ((), Located(tasks_shown, {}), 0)
        tasks, _, _ = _guarded(
            log, tasks_shown, no_tasks, read_tasks, listing.tasks, tasks_shown, log
        )
    exploits_shown = display(sources.exploits)
    exploits: tuple[Exploit, ...] = ()
    exploit_places = Located(exploits_shown, {})
    if listing.exploits is not None:
        no_exploits: tuple[tuple[Exploit, ...], Located, int] = ((), exploit_places, 0)
        exploits, exploit_places, _ = _guarded(
            log, exploits_shown, no_exploits, read_exploits, listing.exploits, exploits_shown, log
        )
    meta_shown = display(sources.meta)
    meta: Meta | None = None
    meta_places = Located(meta_shown, {})
    if listing.meta is not None:
        no_meta: tuple[Meta | None, Located] = (None, meta_places)
        meta, meta_places = _guarded(
            log, meta_shown, no_meta, read_meta, listing.meta, meta_shown, log
        )

    reader = RunReader(log)
    for path in listing.runs:
        shown = display(path)
        _guarded(log, shown, None, reader.read, path, shown)
    table = reader.table
    reader.forget_keys()

    task_index = {t.id: t for t in tasks}

    def category_of(task_id: str) -> str:
        task = task_index.get(task_id)
        return task.category if task is not None else task_id.split("/", 1)[0]

    cells = aggregate.build_cells(table, reader.rows_by_key, category_of)
    cell_index = {cell.key: i for i, cell in enumerate(cells)}

    # One cause, one problem: with no run file read, every check against the runs would only
    # repeat that the runs are missing.
    follows_from_no_runs = {Subtype.row_count, Subtype.exploit_cells} if not listing.runs else set()
    for problem in checks.run_checks(
        table=table,
        rows_by_key=reader.rows_by_key,
        tasks=task_index,
        tasks_shown=tasks_shown,
        meta=meta,
        meta_places=meta_places,
        exploits=exploits,
        exploit_places=exploit_places,
        rows_rejected=reader.rejected,
        runs_shown=display(sources.runs),
    ):
        if problem.subtype not in follows_from_no_runs:
            log.add(problem.subtype, problem.message, *split_location(problem.location))
    exploit_cells, exploit_problems = checks.match_exploits(exploits, cells, exploit_places)
    for problem in exploit_problems:
        if problem.subtype not in follows_from_no_runs:
            log.add(problem.subtype, problem.message, *split_location(problem.location))

    files = listing.files
    if digest is None:
        digest = digest_files(files, root)
    snapshot_name = meta.snapshot_date.isoformat() if meta is not None else (name or root.name)
    return Snapshot(
        name=snapshot_name,
        sources=sources,
        meta=meta,
        tasks=tasks,
        exploits=exploits,
        runs=table,
        cells=cells,
        exploit_cells=exploit_cells,
        digest=digest,
        rows_read=len(table),
        rows_rejected=reader.rejected,
        problems=log.finish(),
        files=files,
        _task_index=task_index,
        _cell_index=cell_index,
    )


_Result = TypeVar("_Result")


def _guarded(
    log: ProblemLog, shown: str, fallback: _Result, read: Callable[..., _Result], *args: Any
) -> _Result:
    """Run one reader; a file that cannot be opened or read becomes a ``cab.source`` problem."""
    try:
        return read(*args)
    except OSError as error:
        log.add(Subtype.source, f"the file could not be read: {error.strerror or error}", shown)
        return fallback


_PARSES = 0
_CACHE: dict[tuple[SourcePaths, str | None], tuple[str, Snapshot]] = {}


def parse_count() -> int:
    """How many times this process parsed a snapshot (cache hits do not count)."""
    return _PARSES


def load_snapshot_cached(
    sources: SourcePaths, *, display_base: Path | None = None, name: str | None = None
) -> Snapshot:
    """:func:`load_snapshot`, reusing the last result while every file's sha256 is unchanged.

    The cache keeps one snapshot per source set and display base, keyed on file contents (not
    modification times, which copies and archives do not preserve).
    """
    digest = snapshot_digest(sources)
    cache_key = (sources, str(display_base.resolve()) if display_base is not None else None)
    cached = _CACHE.get(cache_key)
    if cached is not None and cached[0] == digest.combined:
        return cached[1]
    snapshot = load_snapshot(sources, display_base=display_base, name=name, digest=digest)
    _CACHE[cache_key] = (digest.combined, snapshot)
    return snapshot


def clear_cache() -> None:
    _CACHE.clear()
