"""The version of sphinxcontrib-cab, written once: the package metadata reads it from here
(pyproject's ``dynamic``), and nothing at run time needs ``importlib.metadata``."""

from __future__ import annotations

__version__ = "0.1.0"
