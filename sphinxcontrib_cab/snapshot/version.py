"""The installed version of this extension, which receipts and downloads record beside the data."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "sphinxcontrib-cab"


def extension_version() -> str:
    """The version pip installed (``0.1.0``); ``0+unknown`` in a source tree never installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"
