"""Sphinx glue for the data layer: configuration -> sources, loading, warnings, dependencies.

At ``builder-inited`` (main process only) the pinned snapshot and every older snapshot listed in its
``meta.json`` are loaded through the per-process, content-keyed cache of
:mod:`sphinxcontrib_cab.loader`, and each problem is emitted once as a ``cab`` warning. Directives
and roles get a snapshot with :func:`snapshot_for`. The parsed snapshots never enter the pickled
environment: ``env`` holds only, per document, the combined digests of the snapshots it used, and
``env-get-outdated`` re-reads a document when one of those digests changed (modification times can
lie after a copy or an archive extraction).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .loader import json_location, load_snapshot_cached, source_paths
from .snapshot import Problem, Snapshot, SourcePaths
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from .models import SnapshotRef

ENV_ATTRIBUTE = "cab_snapshot_digests"
"""``env`` attribute: docname -> {snapshot name: combined digest} of the snapshots it used."""


@dataclass(frozen=True)
class LoadedSnapshots:
    """The pinned snapshot, the older ones by name, and the problems to report for this build."""

    pinned: Snapshot
    older: dict[str, Snapshot]
    problems: tuple[Problem, ...]

    def get(self, name: str | None) -> Snapshot | None:
        if name is None or name == self.pinned.name:
            return self.pinned
        return self.older.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.pinned.name, *sorted(self.older))

    def digests(self) -> dict[str, str]:
        found = {name: snap.digest.combined for name, snap in self.older.items()}
        found[self.pinned.name] = self.pinned.digest.combined
        return found


_LOADED: dict[str, LoadedSnapshots] = {}
"""Per process: project folder -> snapshots loaded at the last ``builder-inited``."""


def project_base(app_confdir: str | Path | None, srcdir: str | Path) -> Path:
    """The folder configured paths are relative to: conf.py's folder, else the source folder."""
    return Path(app_confdir if app_confdir else srcdir).resolve()


def sources_from_config(base: Path, config: Config) -> SourcePaths:
    """The pinned snapshot's :class:`SourcePaths` from the ``cab_*`` values."""
    return source_paths(
        base / config.cab_snapshot_root,
        runs=config.cab_runs_path,
        tasks=config.cab_tasks_path,
        exploits=config.cab_exploits_path,
        meta=config.cab_meta_path,
    )


def load_all(sources: SourcePaths, display_base: Path | None) -> LoadedSnapshots:
    """Load the pinned snapshot and every older snapshot its meta.json lists."""
    pinned = load_snapshot_cached(sources, display_base=display_base)
    problems = list(pinned.problems)
    older: dict[str, Snapshot] = {}
    meta_shown = _shown(sources.meta, display_base)
    root = sources.root.resolve()
    references = pinned.meta.snapshots if pinned.meta is not None else ()
    for number, reference in enumerate(references):
        name = reference.snapshot_date.isoformat()
        where = json_location(sources.meta, meta_shown, ("snapshots", number, "path"))
        folder = (sources.root / reference.path).resolve()
        if not folder.is_relative_to(root):
            problems.append(
                Problem(
                    Subtype.source,
                    f"older snapshot {name}: path '{reference.path}' leads outside the snapshot "
                    f"folder; it was not read",
                    where,
                )
            )
            continue
        if not folder.is_dir():
            problems.append(
                Problem(
                    Subtype.source,
                    f"older snapshot {name}: folder '{reference.path}' does not exist",
                    where,
                )
            )
            continue
        older_sources = source_paths(
            folder,
            runs=sources.runs_audit,
            tasks=sources.tasks_audit,
            exploits=sources.exploits_audit,
            meta=sources.meta_audit,
        )
        snapshot = load_snapshot_cached(older_sources, display_base=display_base, name=name)
        problems.extend(snapshot.problems)
        problems.extend(_listing_problems(reference, snapshot, meta_shown, sources, number))
        older[name] = snapshot
    return LoadedSnapshots(pinned=pinned, older=older, problems=tuple(problems))


def _listing_problems(
    reference: SnapshotRef, snapshot: Snapshot, meta_shown: str, sources: SourcePaths, number: int
) -> list[Problem]:
    """Where meta.json's entry for an older snapshot disagrees with that snapshot itself."""
    name = reference.snapshot_date.isoformat()
    found = []
    if snapshot.meta is not None and snapshot.name != name:
        found.append(
            Problem(
                Subtype.snapshot,
                f"older snapshot listed as {name} says snapshot_date {snapshot.name} in its own "
                "meta.json",
                json_location(sources.meta, meta_shown, ("snapshots", number, "snapshot_date")),
            )
        )
    if reference.row_count != snapshot.rows_read:
        found.append(
            Problem(
                Subtype.row_count,
                f"older snapshot {name} is listed with row_count {reference.row_count}, but "
                f"{snapshot.rows_read} valid run rows were read from it",
                json_location(sources.meta, meta_shown, ("snapshots", number, "row_count")),
            )
        )
    return found


def _shown(path: Path, base: Path | None) -> str:
    resolved = path.resolve()
    if base is not None and resolved.is_relative_to(base.resolve()):
        return resolved.relative_to(base.resolve()).as_posix()
    return resolved.as_posix()


def _registry_key(srcdir: str | Path) -> str:
    return str(Path(srcdir).resolve())


def loaded_for(env: BuildEnvironment) -> LoadedSnapshots | None:
    return _LOADED.get(_registry_key(env.srcdir))


def _digests(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] | None = getattr(env, ENV_ATTRIBUTE, None)
    if found is None:
        found = {}
        setattr(env, ENV_ATTRIBUTE, found)
    return found


def snapshot_for(
    env: BuildEnvironment,
    name: str | None = None,
    location: str | tuple[str, int | None] | Node | None = None,
) -> Snapshot | None:
    """The snapshot ``name`` (``None`` = the pinned one) for the document being read.

    Notes a dependency on every file of the snapshot and records its combined digest for the
    current document. An unknown name gives a ``cab.snapshot`` warning at ``location`` and ``None``.
    """
    loaded = loaded_for(env)
    if loaded is None:
        warn(
            "cab data was not loaded (is sphinxcontrib_cab in extensions?)",
            Subtype.snapshot,
            location,
        )
        return None
    snapshot = loaded.get(name)
    if snapshot is None:
        warn(
            f"unknown snapshot {name!r}; known snapshots: {', '.join(loaded.names)}",
            Subtype.snapshot,
            location,
        )
        return None
    for path in snapshot.files:
        env.note_dependency(str(path))
    _digests(env).setdefault(env.docname, {})[snapshot.name] = snapshot.digest.combined
    return snapshot


# --------------------------------------------------------------------------- event handlers


def _on_builder_inited(app: Sphinx) -> None:
    base = project_base(app.confdir, app.srcdir)
    loaded = load_all(sources_from_config(base, app.config), display_base=base)
    _LOADED[_registry_key(app.srcdir)] = loaded
    _digests(app.env)
    for problem in loaded.problems:
        warn(problem.message, problem.subtype, problem.location)


def _on_env_get_outdated(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    loaded = loaded_for(env)
    if loaded is None:
        return []
    current = loaded.digests()
    outdated = []
    for docname, used in _digests(env).items():
        if docname in removed or docname in changed or docname in added:
            continue
        if any(current.get(name) != digest for name, digest in used.items()):
            outdated.append(docname)
    return sorted(outdated)


def _on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _digests(env).pop(docname, None)


def _on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: Any
) -> None:
    mine = _digests(env)
    theirs: dict[str, dict[str, str]] = getattr(other, ENV_ATTRIBUTE, {})
    for docname in docnames:
        if docname in theirs:
            mine[docname] = dict(theirs[docname])


def setup_store(app: Sphinx) -> None:
    """Connects the loader to the build: builder-inited, env-get-outdated, purge and merge."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
