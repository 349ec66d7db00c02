"""The ``cab-reference`` directive and the tables of its topics other than ``directives`` and
``roles`` (:mod:`.entries`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ...config import CONFIG_CHOICES, CONFIG_VALUES
from ...directive_base import checked_choice, checked_words
from ...domain import DIRECTIVES, ROLES
from ...options import Option, choice_option
from ...snapshot.failures import FAILURE_KINDS, FAILURE_MODES, RECORDED_NOTE
from ...snapshot.keys import KEY_FIELDS
from ...snapshot.metrics import DEFINITIONS, METRICS
from ...snapshot.vocabulary import SCHEMA_NAMES
from ...warnings_ import Subtype, warn
from .entries import directive_entries, role_entries
from .prose import code, doc_paragraphs, paragraph, plain, prose, table

if TYPE_CHECKING:
    from sphinx.util.typing import OptionSpec

    from ...tables import data_table

TOPICS: tuple[str, ...] = (
    "config",
    "warnings",
    "keys",
    "directives",
    "roles",
    "schemas",
    "definitions",
    "axes",
    "failures",
)

# -- topics --------------------------------------------------------------------------------------


def config_table() -> data_table:
    rows = []
    for value in CONFIG_VALUES:
        kind = " or ".join(t.__name__ for t in value.types)
        choices = CONFIG_CHOICES.get(value.name)
        description = value.description
        if choices:
            description += " Allowed: " + ", ".join(f"``{choice}``" for choice in choices) + "."
        rows.append(
            [
                code(value.name),
                plain(kind),
                code(repr(value.default)),
                code(value.rebuild),
                prose(description),
            ]
        )
    return table(
        "Configuration values",
        ("Name", "Type", "Default", "Rebuild", "Meaning"),
        (22, 8, 20, 8, 42),
        rows,
    )


def warnings_table() -> data_table:
    rows = [[code(subtype.qualified), prose(subtype.description)] for subtype in Subtype]
    return table(
        "Warning subtypes (each also a suppress_warnings entry)",
        ("Subtype", "Emitted when"),
        (25, 75),
        rows,
    )


def keys_table() -> data_table:
    rows = []
    for position, field in enumerate(KEY_FIELDS, start=1):
        rows.append(
            [
                plain(str(position)),
                code(field.name),
                plain(field.label),
                plain(field.group),
                code(field.flag),
                prose(field.meaning),
            ]
        )
    return table(
        "The canonical key, in its fixed order",
        ("#", "Field", "Label", "Group", "Flag", "Meaning"),
        (4, 18, 16, 10, 20, 32),
        rows,
    )


def schema_text(name: str) -> str:
    """The JSON Schema of one source, deterministic (sorted keys, two-space indent)."""
    from ...snapshot.contract import SCHEMAS

    schema = SCHEMAS[name].model_json_schema(by_alias=True)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)


def schema_blocks(only: str | None) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    from ...snapshot.contract import SCHEMAS

    for name in SCHEMA_NAMES:
        if only is not None and name != only:
            continue
        result.append(nodes.rubric(name, name, ids=[f"cab-schema-{name}"]))
        result.extend(doc_paragraphs(SCHEMAS[name]))
        text = schema_text(name)
        result.append(nodes.literal_block(text, text, language="json", classes=["cab-schema"]))
    return result


def definition_entries(only: tuple[str, ...] | None) -> nodes.definition_list:
    """``definition_list.cab-definitions``: the written definitions of :mod:`.metrics`."""
    items = nodes.definition_list(classes=["cab-definitions"])
    names = only if only is not None else tuple(DEFINITIONS)
    for name in names:
        text = DEFINITIONS.get(name)
        if text is None:
            continue
        term = nodes.term(name, name)
        items += nodes.definition_list_item(
            "", term, nodes.definition("", paragraph(text)), ids=[f"cab-definition-{name}"]
        )
    return items


def axes_table() -> data_table:
    """``table.cab-reference``: every score axis with its definition from the metric registry
    (:data:`.metrics.METRICS`, which takes it from the data contract) and its estimator."""
    rows = [
        [code(metric.name), prose(metric.definition), prose(metric.estimator_name())]
        for metric in METRICS.values()
        if not metric.summary
    ]
    return table(
        "Score axes of a run", ("Axis", "Meaning", "Estimator per cell"), (20, 50, 30), rows
    )


def failures_table() -> data_table:
    """``table.cab-reference``: every failure kind of the contract with the label rows show and
    its meaning (:data:`.failures.FAILURE_KINDS`), then the ``:failures:`` modes."""
    rows = [
        [code(kind.name), plain(kind.label), prose(kind.meaning)] for kind in FAILURE_KINDS.values()
    ]
    rows += [
        [code(f":failures: {mode}"), plain("mode"), prose(meaning)]
        for mode, meaning in FAILURE_MODES.items()
    ]
    return table(f"Failed runs. {RECORDED_NOTE}", ("Kind", "Label", "Meaning"), (20, 16, 64), rows)


def _directive_registry() -> dict[str, Any]:
    """The directives cab registered (kept by cab: docutils' own registry is private)."""
    return dict(DIRECTIVES)


def _role_registry() -> dict[str, Any]:
    """The roles cab registered."""
    return dict(ROLES)


class ReferenceDirective(SphinxDirective):
    """A reference table generated from the extension itself, so it cannot drift from the code: the
    configuration values (``config``), warning subtypes (``warnings``), the canonical key
    (``keys``), every directive (``directives``) and role (``roles``) with its options, the JSON
    Schemas of the sources (``schemas``; ``:schema:`` picks one), the written definitions of the
    derived quantities (``definitions``; ``:only:`` picks and orders them), the score axes
    (``axes``) or the kinds of failed runs and the leaderboard's ``:failures:`` modes
    (``failures``)."""

    example: ClassVar[str] = ":::{cab-reference} config\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    required_arguments = 1
    option_spec: ClassVar[OptionSpec] = {
        "schema": choice_option(
            "for ``schemas``: the one source to show", ("all", *SCHEMA_NAMES), "all"
        ),
        "only": Option(
            "for ``definitions``: space-separated names of the definitions to show, in order",
            tuple(DEFINITIONS),
            "every definition",
        ),
    }

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        topic = self.arguments[0].strip()
        if topic not in TOPICS:
            warn(
                f"cab-reference: {topic!r} is not one of {', '.join(TOPICS)}",
                Subtype.option,
                location,
            )
            return []
        if topic == "schemas":
            only = checked_choice(
                self.options.get("schema"), ":schema:", ("all", *SCHEMA_NAMES), "all", location
            )
            return schema_blocks(None if only == "all" else only)
        if topic == "config":
            return [config_table()]
        if topic == "warnings":
            return [warnings_table()]
        if topic == "keys":
            return [keys_table()]
        if topic == "directives":
            return directive_entries(_directive_registry())
        if topic == "roles":
            return role_entries(_role_registry())
        if topic == "definitions":
            return [definition_entries(self.definition_names())]
        if topic == "failures":
            return [failures_table()]
        return [axes_table()]

    def definition_names(self) -> tuple[str, ...] | None:
        """``:only:`` as names of :data:`.metrics.DEFINITIONS`; unknown names are a located
        ``cab.option`` warning."""
        if "only" not in self.options:
            return None
        text = str(self.options["only"] or "")
        return checked_words(text, "only", tuple(DEFINITIONS), self.get_location())
