"""Every cab warning goes through :func:`warn`, named by one :class:`Subtype` of the registry in
:mod:`.snapshot.problems` (Sphinx prints ``[cab.<subtype>]`` after the message)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from .snapshot.problems import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Node

__all__ = ["LOGGER", "Subtype", "warn"]

LOGGER = logging.getLogger("sphinxcontrib_cab")


def warn(
    message: str,
    subtype: Subtype,
    location: str | tuple[str, int | None] | Node | None = None,
    *,
    error: bool = False,
) -> None:
    """Emit one cab warning; ``location`` is ``"path:line"``, ``(docname, line)`` or a node.

    ``error`` logs it at error level (a bad signature): Sphinx still counts it as a warning, so
    ``-W`` fails the build, and ``suppress_warnings`` still names it by its subtype."""
    log = LOGGER.error if error else LOGGER.warning
    log(message, type="cab", subtype=subtype.tag, location=location)
