"""``cab-reference``: the extension's reference, generated from the code's own declarations.

The argument names one table: ``config`` (:data:`.config.CONFIG_VALUES`), ``warnings``
(:class:`.warnings_.Subtype`), ``keys`` (:data:`.keys.KEY_FIELDS`), ``directives`` and ``roles``
(every ``cab-*`` directive and role registered with docutils: docstring and ``option_spec``) or
``schemas`` (:data:`.models.SCHEMAS` as JSON Schema). Adding a config value, subtype, key field,
directive option or model field changes the docs with no edit to a page, so they cannot drift.

``config``, ``warnings``, ``keys`` and ``axes`` give a ``table.cab-reference``; ``directives``
and ``roles`` a ``rubric`` per entry with its docstring, its example (``literal_block.cab-example``)
and its options table; ``definitions`` a ``definition_list.cab-definitions``; ``schemas`` a
``rubric`` and a JSON ``literal_block.cab-schema`` per source.

The directive and most topics are in :mod:`.directive`, the ``directives`` and ``roles`` topics
in :mod:`.entries`, and the prose helpers they share in :mod:`.prose`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain import add_directive
from .directive import ReferenceDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-reference", ReferenceDirective)
