"""Files cab generates (task pages, downloads): written atomically, and only when they change.

Leaving unchanged files alone keeps their modification times, so Sphinx does not re-read a
generated page and a rebuild does not rewrite the same download.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Make ``path`` hold ``data``; ``False`` when it already did (nothing is written then).

    The bytes go to a temporary file next to ``path`` that then replaces it, so a reader never
    sees a half-written file; the temporary name carries the process id for ``-j`` builds.
    """
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True
