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
"""

from __future__ import annotations

import inspect
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..config import CONFIG_CHOICES, CONFIG_VALUES
from ..directive_base import checked_choice, checked_words
from ..domain import DIRECTIVES, ROLES, add_directive
from ..options import Option, choice_option
from ..snapshot.failures import FAILURE_KINDS, FAILURE_MODES, RECORDED_NOTE
from ..snapshot.keys import KEY_FIELDS
from ..snapshot.metrics import DEFINITIONS, METRICS
from ..snapshot.vocabulary import SCHEMA_NAMES
from ..tables import (
    Cell,
    DataTable,
    Inline,
    Paragraph,
    Value,
    Words,
    data_table,
    paragraph_node,
    pending_table,
    words,
)
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

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
PREFIX = "cab-"

_INLINE = re.compile(r"``(.+?)``|:[\w:-]+:`~?\.?(.+?)`|`([^`]+?)`")

# -- text helpers ------------------------------------------------------------------------------


def paragraph(text: str) -> nodes.paragraph:
    """Prose (whitespace squeezed) with ``literal`` nodes for ````code````, `code` and
    ``:role:`target```."""
    return paragraph_node(Paragraph(inline_parts(" ".join(text.split()))))


def doc_paragraphs(obj: object) -> list[nodes.paragraph]:
    """The docstring of ``obj`` (class, function or instance) as paragraphs."""
    if inspect.isclass(obj):
        # the class's own docstring: inspect.getdoc would fall back to a base class's
        doc = inspect.cleandoc(obj.__dict__.get("__doc__") or "")
    else:
        doc = inspect.getdoc(obj) or ""
    if not doc and not inspect.isclass(obj) and not inspect.isfunction(obj):
        doc = inspect.getdoc(type(obj)) or ""
    blocks = [block for block in re.split(r"\n\s*\n", doc) if block.strip()]
    return [paragraph(block) for block in blocks] or [paragraph("(not documented)")]


def inline_parts(text: str) -> tuple[Inline, ...]:
    """``text`` as parts: words, and a value for each piece of code (````code````, `code`,
    ``:role:`target```)."""
    result: list[Inline] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            result.append(Words(text[position : match.start()]))
        result.append(Value(next(group for group in match.groups() if group is not None)))
        position = match.end()
    if position < len(text):
        result.append(Words(text[position:]))
    return tuple(result)


def prose(text: str) -> Cell:
    """A table cell of prose (whitespace squeezed, code as literals)."""
    return words(*inline_parts(" ".join(text.split())))


def code(text: str) -> Cell:
    return words(Value(text))


def plain(text: str) -> Cell:
    return words(Words(text))


def table(
    title: str,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    rows: Iterable[Sequence[Cell]],
) -> data_table:
    """A pending ``table.cab-table.cab-prose.cab-reference`` (see :mod:`.tables`)."""
    return pending_table(
        DataTable(
            caption=title,
            header=headers,
            widths=widths,
            classes=("cab-prose", "cab-reference"),
            rows=tuple(tuple(cells) for cells in rows),
        )
    )


# -- options -------------------------------------------------------------------------------------


def describe_option(converter: Callable[..., Any]) -> str:
    """An option in words, as its :class:`~.options.Option` says: meaning, allowed values,
    default (every cab option is one; ``tests/test_options.py`` keeps it so)."""
    if isinstance(converter, Option):
        return converter.describe()
    return "text"


def registered(registry: dict[str, Any]) -> list[tuple[str, Any]]:
    """The ``cab-*`` entries of a docutils registry, sorted by name."""
    return sorted((name, obj) for name, obj in registry.items() if name.startswith(PREFIX))


def _directive_registry() -> dict[str, Any]:
    """The directives cab registered (kept by cab: docutils' own registry is private)."""
    return dict(DIRECTIVES)


def _role_registry() -> dict[str, Any]:
    """The roles cab registered."""
    return dict(ROLES)


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


def _signature(cls: Any) -> str:
    required = getattr(cls, "required_arguments", 0)
    optional = getattr(cls, "optional_arguments", 0)
    if required or optional:
        arguments = f"{required} required and {optional} optional argument(s)"
    else:
        arguments = "no argument"
    content = "takes content" if getattr(cls, "has_content", False) else "no content"
    return f"{arguments}; {content}"


def directive_entries(registry: dict[str, Any]) -> list[nodes.Node]:
    """Per ``cab-*`` directive: a ``rubric`` (id ``cab-directive-<name>``) naming it, its
    arguments, its docstring and a ``table.cab-reference`` of its options."""
    result: list[nodes.Node] = []
    for name, cls in registered(registry):
        result.append(
            nodes.rubric("", "", nodes.literal(name, name), ids=[f"cab-directive-{name}"])
        )
        signature = _signature(cls)
        result.append(nodes.paragraph("", "", nodes.emphasis(signature, signature)))
        result.extend(doc_paragraphs(cls))
        result.extend(example_nodes(cls))
        spec: OptionSpec = getattr(cls, "option_spec", None) or {}
        if spec:
            rows = [
                [code(f":{option}:"), prose(describe_option(converter))]
                for option, converter in sorted(spec.items())
            ]
            result.append(table(f"Options of {name}", ("Option", "Accepts"), (25, 75), rows))
    return result


def example_nodes(obj: object) -> list[nodes.Node]:
    """The ``example`` a directive or role declares, as a paragraph and a MyST
    ``literal_block.cab-example`` (nothing when it declares none)."""
    example: str | None = getattr(obj, "example", None)
    if not example:
        return []
    block = nodes.literal_block(example, example, language="md", classes=["cab-example"])
    return [paragraph("In a MyST page:"), block]


def role_entries(registry: dict[str, Any]) -> list[nodes.Node]:
    """Per ``cab-*`` role: a ``rubric`` (id ``cab-role-<name>``), its docstring, then one
    paragraph per part of its text with a fixed set of values (the role's ``choices``)."""
    result: list[nodes.Node] = []
    for name, role in registered(registry):
        result.append(nodes.rubric("", "", nodes.literal(name, name), ids=[f"cab-role-{name}"]))
        result.extend(doc_paragraphs(role))
        result.extend(example_nodes(role))
        choices: dict[str, tuple[str, ...]] = getattr(role, "choices", None) or {}
        for part, allowed in choices.items():
            listed = ", ".join(f"``{value}``" for value in allowed)
            result.append(paragraph(f"Allowed values of {part}: {listed}."))
    return result


def schema_text(name: str) -> str:
    """The JSON Schema of one source, deterministic (sorted keys, two-space indent)."""
    from ..snapshot.contract import SCHEMAS

    schema = SCHEMAS[name].model_json_schema(by_alias=True)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)


def schema_blocks(only: str | None) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    from ..snapshot.contract import SCHEMAS

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


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-reference", ReferenceDirective)
