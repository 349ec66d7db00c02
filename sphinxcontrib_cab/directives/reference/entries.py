"""The ``directives`` and ``roles`` topics: every registered ``cab-*`` directive and role with
its docstring, its example and its options, read from the code itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from ...options import Option
from .prose import code, doc_paragraphs, paragraph, prose, table

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.util.typing import OptionSpec

PREFIX = "cab-"


def describe_option(converter: Callable[..., Any]) -> str:
    """An option in words, as its :class:`~.options.Option` says: meaning, allowed values,
    default (every cab option is one; ``tests/test_options.py`` keeps it so)."""
    if isinstance(converter, Option):
        return converter.describe()
    return "text"


def registered(registry: dict[str, Any]) -> list[tuple[str, Any]]:
    """The ``cab-*`` entries of a docutils registry, sorted by name."""
    return sorted((name, obj) for name, obj in registry.items() if name.startswith(PREFIX))


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
