"""``python -m sphinxcontrib_cab``: the snapshot command line (:mod:`.snapshot.cli`)."""

from __future__ import annotations

import sys

from .snapshot.cli import main

if __name__ == "__main__":
    sys.exit(main())
