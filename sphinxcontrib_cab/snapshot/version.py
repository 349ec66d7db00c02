"""The version of sphinxcontrib-cab, written once: the package metadata reads it from here
(pyproject's ``dynamic``), receipts and downloads record it beside the data, and nothing at run
time needs ``importlib.metadata`` (a build does not pay for it)."""

from __future__ import annotations

__version__ = "0.1.0"

DISTRIBUTION = "sphinxcontrib-cab"


def extension_version() -> str:
    """The version of this extension (``0.1.0``)."""
    return __version__
