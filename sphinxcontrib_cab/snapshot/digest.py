"""The snapshot digest: sha256 of every source file and one combined digest over them all.

The combined digest is the sha256 of the text that ``sha256sum`` (GNU coreutils 9) prints for the
snapshot's files, listed in byte order of their paths relative to the snapshot root: one line
``"<sha256 hex>  <relative path>\\n"`` per file (two spaces, forward slashes), and for a name
holding a backslash, newline or carriage return the escaped form ``sha256sum`` writes
(``\\<sha256 hex>  <name with \\\\, \\n, \\r>``). It depends only on file contents and their
places inside the snapshot, never on where the snapshot lives or on timestamps. Anyone can
recompute it with standard tools from the snapshot root, whatever the file names::

    cd data
    { find -L results/published -maxdepth 1 -name '*.jsonl' -type f -print0
      printf '%s\\0' site/src/data/tasks.json results/exploits/_catalog.yaml site/src/data/meta.json
    } | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum

``python -m sphinxcontrib_cab digest DIR`` prints the per-file lines (which ``sha256sum -c``
reads as they are) and, on standard error, the combined digest.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import PurePath
from typing import TYPE_CHECKING

from .model import Digest, FileDigest
from .sources import list_sources

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from .paths import SourcePaths

_CHUNK = 1 << 20


def file_sha256(path: Path) -> tuple[str, int]:
    """The hex sha256 and the size in bytes of one file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes (absolute when outside ``root``); a
    symbolic link is named as itself, not as its target."""
    absolute = PurePath(os.path.abspath(path))
    base = PurePath(os.path.abspath(root))
    if absolute.is_relative_to(base):
        return absolute.relative_to(base).as_posix()
    return absolute.as_posix()


_ESCAPED = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r"})


def sha256sum_line(file: FileDigest) -> str:
    """The line ``sha256sum`` prints for ``file``, escaped as it escapes awkward names."""
    if any(char in file.path for char in "\\\n\r"):
        return f"\\{file.sha256}  {file.path.translate(_ESCAPED)}\n"
    return f"{file.sha256}  {file.path}\n"


def _byte_order(file: FileDigest) -> bytes:
    return file.path.encode("utf-8", "surrogateescape")


def sha256sum_text(files: Iterable[FileDigest]) -> str:
    """The lines ``sha256sum`` prints for ``files``, in byte order of their paths."""
    return "".join(map(sha256sum_line, sorted(files, key=_byte_order)))


def combine(files: Iterable[FileDigest]) -> Digest:
    """The :class:`Digest` of already hashed files."""
    ordered = tuple(sorted(files, key=_byte_order))
    combined = hashlib.sha256(sha256sum_text(ordered).encode("utf-8")).hexdigest()
    return Digest(files=ordered, combined=combined)


def digest_files(paths: Iterable[Path], root: Path) -> Digest:
    """Hash every file in ``paths`` and combine them, with paths relative to ``root``.

    A file that cannot be read any more (removed since it was listed) is left out; the loader,
    reading the same listing, reports it.
    """
    base = root.resolve()
    hashed = []
    for path in paths:
        try:
            sha, size = file_sha256(path)
        except OSError:
            continue
        hashed.append(FileDigest(path=relative_name(path, base), sha256=sha, size=size))
    return combine(hashed)


def snapshot_files(sources: SourcePaths) -> list[Path]:
    """Every file of the snapshot that :func:`~.sources.list_sources` lets be read, run files
    sorted by name."""
    return list(list_sources(sources).files)


def snapshot_digest(sources: SourcePaths) -> Digest:
    """The :class:`Digest` of a snapshot's files, from hashing alone (nothing is parsed)."""
    return digest_files(snapshot_files(sources), sources.root)
