"""Sphinx glue for the data layer: configuration -> sources, loading, warnings, dependencies.

A build reads the data only when it has to. At ``builder-inited`` the store hashes the source
files of the pinned snapshot (sha256 of their contents: modification times lie after a copy or
an archive extraction) and, when that digest is the one the environment recorded, the files of
every older snapshot it recorded with it; ``env-get-outdated`` compares these digests with the
ones each document used. The snapshots themselves are parsed, through the per-process,
content-keyed cache of :mod:`.snapshot.load`, only

- at ``builder-inited`` when there is no record yet or the pinned snapshot changed (its
  ``meta.json`` is what lists the older snapshots), or
- at ``env-before-read-docs`` when any document is to be read: in the main process, before
  ``-j`` forks its readers, so they all share one load, or
- on first use (:func:`loaded_for`) by anything else, such as a download missing on disk.

Each problem of a load is emitted once as a ``cab`` warning, by the process that loaded, so a
rebuild that reads nothing emits no data warnings (as Sphinx does not repeat reST warnings of
pages it does not re-read). The parsed snapshots never enter the pickled environment: the
``cab`` domain's data holds per document the combined digests of the snapshots it used (purged
and merged by the domain), and ``env`` one small record of where the older snapshots live.
Neither pydantic nor the loader is imported until a snapshot is parsed.

Signatures: each load also checks every snapshot's ``receipt.sig`` against the digest it computed
and ``cab_allowed_signers`` (:mod:`.snapshot.signature`); a bad one is an error-level
``cab.signature`` warning. The signature is not in the digest, so the store records beside each
snapshot's digest a second value, ``<name>#signature``: the sha256 of its signature file, the
allowed_signers file and the namespace. A page that showed a snapshot is read again when any of
them changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .domain import cab_domain
from .snapshot.digest import snapshot_digest
from .snapshot.paths import SourcePaths
from .snapshot.problems import Display
from .snapshot.signature import SignatureCheck, Status, signature_path, verify_sources
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from .snapshot.model import Snapshot
    from .snapshot.older import LoadedSnapshots

STATE_ATTRIBUTE = "cab_snapshot_state"
"""``env`` attribute: the :class:`SnapshotState` of the last load (a few short strings)."""


@dataclass(frozen=True)
class SnapshotState:
    """What a load found, kept in ``env`` so the next build can tell without parsing whether
    anything changed: the sources, the pinned snapshot's name and digest, and the folders of
    the older snapshots it listed (valid as long as the pinned digest, which covers its
    ``meta.json``, is unchanged)."""

    sources: str
    pinned_name: str
    pinned_digest: str
    older_folders: tuple[tuple[str, str], ...]


@dataclass
class BuildData:
    """Per process and project: the sources, their current digests and, once parsed, the
    snapshots."""

    sources: SourcePaths
    display_base: Path
    allowed_signers: Path | None = None
    namespace: str = ""
    pinned_digest: str = ""
    digests: dict[str, str] = field(default_factory=dict)
    """Snapshot name -> combined digest, and ``<name>#signature`` -> :func:`_signature_state`."""
    loaded: LoadedSnapshots | None = None
    signatures: dict[str, SignatureCheck] = field(default_factory=dict)


_BUILDS: dict[str, BuildData] = {}
"""Per process: project folder -> the data of the build running in it."""


def project_base(app_confdir: str | Path | None, srcdir: str | Path) -> Path:
    """The folder configured paths are relative to: conf.py's folder, else the source folder."""
    return Path(app_confdir if app_confdir else srcdir).resolve()


def sources_from_config(base: Path, config: Config) -> SourcePaths:
    """The pinned snapshot's :class:`SourcePaths` from the ``cab_*`` values."""
    from .config import SOURCE_SETTINGS, cab_config

    cab = cab_config(config)
    return SourcePaths.under(
        base / cab.snapshot_root,
        runs=cab.runs_path,
        tasks=cab.tasks_path,
        exploits=cab.exploits_path,
        meta=cab.meta_path,
        settings=SOURCE_SETTINGS,
        base=base.as_posix(),
    )


def _signature_key(name: str) -> str:
    return f"{name}#signature"


def _signature_state(data: BuildData, sources: SourcePaths) -> str:
    """sha256 over what a signature check reads besides the data: the signature file, the
    allowed_signers file and the namespace (a missing file counts as empty)."""
    state = hashlib.sha256(data.namespace.encode("utf-8"))
    for path in (signature_path(sources), data.allowed_signers):
        if path is not None and path.is_file():
            state.update(hashlib.sha256(path.read_bytes()).digest())
        state.update(b"\0")
    return state.hexdigest()


def _check_signatures(data: BuildData, loaded: LoadedSnapshots) -> None:
    """Verify every snapshot's signature; each bad one is an error-level warning."""
    for snapshot in (loaded.pinned, *(loaded.older[name] for name in sorted(loaded.older))):
        found = verify_sources(
            snapshot.sources, snapshot.digest, data.allowed_signers, data.namespace
        )
        data.signatures[snapshot.name] = found
        data.digests[_signature_key(snapshot.name)] = _signature_state(data, snapshot.sources)
        if found.status is Status.bad:
            shown = Display(data.display_base)(found.path)
            warn(
                f"snapshot {snapshot.name}: its signature {found.reason}",
                Subtype.signature,
                file_location(shown),
                error=True,
            )


def signature_for(env: BuildEnvironment, name: str) -> SignatureCheck | None:
    """The signature check of the snapshot ``name`` in this build (``None`` before a load)."""
    data = _BUILDS.get(_registry_key(env.srcdir))
    return data.signatures.get(name) if data is not None else None


def _registry_key(srcdir: str | Path) -> str:
    return str(Path(srcdir).resolve())


def _sources_key(sources: SourcePaths, display_base: Path) -> str:
    return repr((sources, str(display_base)))


def _load(env: BuildEnvironment, data: BuildData) -> LoadedSnapshots:
    """Parse every snapshot (cached per process), emit its problems, record its state."""
    from .snapshot.older import load_all

    loaded = load_all(data.sources, display_base=data.display_base)
    data.loaded = loaded
    data.digests = loaded.digests()
    data.pinned_digest = loaded.pinned.digest.combined
    root = data.sources.root.resolve()
    folders = tuple(
        sorted(
            (name, str(snapshot.sources.root.resolve().relative_to(root)))
            for name, snapshot in loaded.older.items()
        )
    )
    state = SnapshotState(
        _sources_key(data.sources, data.display_base),
        loaded.pinned.name,
        loaded.pinned.digest.combined,
        folders,
    )
    setattr(env, STATE_ATTRIBUTE, state)
    for problem in loaded.problems:
        warn(problem.message, problem.subtype, file_location(problem.location))
    _check_signatures(data, loaded)
    return loaded


def file_location(location: str) -> str:
    """A problem's location as Sphinx should print it: ``path:line``, or ``path:`` for a whole
    file (Sphinx's own form for a place without a line; a bare path it would take for a
    document name and show as ``path.rst``)."""
    return location if ":" in location else f"{location}:"


def loaded_for(env: BuildEnvironment) -> LoadedSnapshots | None:
    """The parsed snapshots of this build, parsed now if no one needed them before."""
    data = _BUILDS.get(_registry_key(env.srcdir))
    if data is None:
        return None
    if data.loaded is None:
        return _load(env, data)
    return data.loaded


def current_digests(env: BuildEnvironment) -> dict[str, str]:
    """Snapshot name -> combined digest of its files as they are now (without parsing)."""
    data = _BUILDS.get(_registry_key(env.srcdir))
    return dict(data.digests) if data is not None else {}


def pinned_digest(env: BuildEnvironment) -> str | None:
    """The combined digest of the pinned snapshot's files as they are now (without parsing)."""
    data = _BUILDS.get(_registry_key(env.srcdir))
    return data.pinned_digest if data is not None else None


def document_digests(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """docname -> {snapshot name: combined digest} of the snapshots each document used."""
    return cab_domain(env).digests


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
    used = document_digests(env).setdefault(env.docname, {})
    used[snapshot.name] = snapshot.digest.combined
    used[_signature_key(snapshot.name)] = current_digests(env).get(
        _signature_key(snapshot.name), ""
    )
    return snapshot


# --------------------------------------------------------------------------- event handlers


def _on_builder_inited(app: Sphinx) -> None:
    from .config import cab_config

    base = project_base(app.confdir, app.srcdir)
    cab = cab_config(app.config)
    allowed = base / cab.allowed_signers if cab.allowed_signers.strip() else None
    data = BuildData(sources_from_config(base, app.config), base, allowed, cab.signature_namespace)
    _BUILDS[_registry_key(app.srcdir)] = data
    state: SnapshotState | None = getattr(app.env, STATE_ATTRIBUTE, None)
    if state is None or state.sources != _sources_key(data.sources, base):
        _load(app.env, data)  # a fresh environment reads every page: parse now, hash once
        return
    data.pinned_digest = snapshot_digest(data.sources).combined
    if state.pinned_digest != data.pinned_digest:
        _load(app.env, data)  # its meta.json may list other older snapshots
        return
    root = data.sources.root.resolve()
    older = {name: data.sources.relocated(root / folder) for name, folder in state.older_folders}
    data.digests = {name: snapshot_digest(sources).combined for name, sources in older.items()}
    data.digests[state.pinned_name] = data.pinned_digest
    for name, sources in [*older.items(), (state.pinned_name, data.sources)]:
        data.digests[_signature_key(name)] = _signature_state(data, sources)


def _on_env_get_outdated(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    current = current_digests(env)
    outdated = []
    for docname, used in document_digests(env).items():
        if docname in removed or docname in changed or docname in added:
            continue
        if any(current.get(name) != digest for name, digest in used.items()):
            outdated.append(docname)
    return sorted(outdated)


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    # In the main process, before -j forks its readers: they inherit the parsed snapshots.
    if docnames:
        loaded_for(env)


def setup_store(app: Sphinx) -> None:
    """Connects the store to the build: builder-inited, env-get-outdated and
    env-before-read-docs (the ``cab`` domain purges and merges the digests)."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
