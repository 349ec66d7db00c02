"""Reader of the exploit ledger (YAML), with PyYAML's safe loader only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from .contract import Exploit
from .positions import MAX_NESTING, yaml_positions
from .problems import ProblemLog, Subtype
from .readers import Located, first_valid, read_text

if TYPE_CHECKING:
    from pathlib import Path


_PYTHON_TAG = "tag:yaml.org,2002:python/"


def _refusal(entry: yaml.Node) -> tuple[str, int] | None:
    """Why an entry cannot be read safely, and the line to show, or ``None``.

    The entry's nodes are walked once, without recursion. A node met twice is a YAML alias: the
    ledger does not use them, and expanding them is how a few lines of YAML grow into billions
    of values. Nesting deeper than :data:`~.positions.MAX_NESTING` is no exploit entry either. A
    Python tag asks for an object the safe loader refuses.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(entry, 1)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            return "it uses a YAML alias (*name); the ledger allows no anchors and aliases", line
        seen.add(id(node))
        if depth > MAX_NESTING:
            return f"it is nested more than {MAX_NESTING} levels deep", line
        if node.tag.startswith(_PYTHON_TAG):
            return (
                f"the tag '{_short_tag(node.tag)}' asks for a Python object; the ledger is read "
                "with a safe loader, which refuses such tags",
                line,
            )
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in reversed(node.value) for part in pair[::-1])
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in reversed(node.value))
    return None


def _single_node(loader_class: Any, text: str) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree (``None`` when empty); raises :class:`yaml.YAMLError`.

    libyaml's safe parser composes it when PyYAML has one (much faster than the pure-Python
    parser); on any error the pure-Python parser runs again, because the warnings
    quote its messages.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return _single_node(yaml.SafeLoader, text)
    try:
        return _single_node(fast, text)
    except yaml.YAMLError as fast_error:
        try:
            return _single_node(yaml.SafeLoader, text)
        except RecursionError:  # nested beyond what the pure-Python parser can recurse
            raise fast_error from None


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_exploits(
    path: Path, shown: str, log: ProblemLog
) -> tuple[tuple[Exploit, ...], Located, int]:
    """The exploit ledger, read with PyYAML's safe loader only."""
    text = read_text(path, shown, log, "YAML")
    located = Located(shown, {})
    if text is None:
        return (), located, 0
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        message, line = _yaml_error(error)
        log.add(Subtype.yaml, message, shown, line)
        return (), located, 0
    except yaml.YAMLError as error:
        log.add(Subtype.yaml, f"not valid YAML: {error}", shown)
        return (), located, 0
    if root is None:
        log.add(
            Subtype.yaml,
            "the file is empty; expected a YAML mapping with an 'exploits' list",
            shown,
        )
        return (), located, 0
    entries = _exploit_entries(root, shown, log)
    if entries is None:
        return (), located, 0
    exploits: list[Exploit] = []
    rejected = 0
    for node in entries:
        refusal = _refusal(node)
        if refusal is not None:
            log.add(Subtype.yaml, f"exploit left out: {refusal[0]}", shown, refusal[1])
            rejected += 1
            continue
        position = yaml_positions(node)
        try:
            data = _construct(node)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            message, line = _construct_error(node, error)
            log.add(
                Subtype.yaml if isinstance(error, yaml.YAMLError) else Subtype.date,
                f"exploit left out: {message}",
                shown,
                line,
            )
            rejected += 1
            continue
        exploit = first_valid(Exploit, data, "exploit", position, located, log)
        if exploit is None:
            rejected += 1
        else:
            exploits.append(exploit)
    return tuple(exploits), located, rejected


def _construct_error(entry: yaml.Node, error: Exception) -> tuple[str, int]:
    """What failed when the entry was turned into values, and on which line.

    The safe loader's constructors raise ``ValueError`` for an impossible date such as
    2026-02-30 and say nothing of where; each scalar is tried alone to find it.
    """
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return str(error), error.problem_mark.line + 1
    loader = yaml.SafeLoader("")
    stack = [entry]
    try:
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            else:
                try:
                    loader.construct_object(node, deep=True)
                except (yaml.YAMLError, ValueError, OverflowError) as found:
                    value = str(node.value)[:60]
                    return f"'{value}' is not a possible value ({found})", node.start_mark.line + 1
    finally:
        loader.dispose()
    return str(error), entry.start_mark.line + 1


def _yaml_error(error: yaml.MarkedYAMLError) -> tuple[str, int | None]:
    """Message and line of a YAML syntax error: where the construct began, and what went wrong."""
    problem = error.problem or "syntax error"
    if error.context and error.context_mark is not None:
        where = error.context_mark.line + 1
        message = f"not valid YAML: {error.context} (line {where}), {problem}"
        if error.problem_mark is not None:
            message += f" at line {error.problem_mark.line + 1}"
        return message, where
    line = error.problem_mark.line + 1 if error.problem_mark is not None else None
    return f"not valid YAML: {problem}", line


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:")


def _exploit_entries(root: yaml.Node, shown: str, log: ProblemLog) -> list[yaml.Node] | None:
    line = root.start_mark.line + 1
    if root.tag.startswith(_PYTHON_TAG):
        log.add(
            Subtype.yaml,
            f"the tag '{_short_tag(root.tag)}' asks for a Python object; "
            "the safe loader refuses it",
            shown,
            line,
        )
        return None
    if not isinstance(root, yaml.MappingNode):
        log.add(Subtype.record, "expected a YAML mapping with an 'exploits' list", shown, line)
        return None
    entries: list[yaml.Node] | None = None
    for key_node, value_node in root.value:
        if key_node.value != "exploits":
            log.add(
                Subtype.record,
                f"unknown top-level key '{key_node.value}': the ledger holds only 'exploits'",
                shown,
                key_node.start_mark.line + 1,
            )
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            log.add(
                Subtype.record,
                "'exploits' must be a list of exploit entries",
                shown,
                value_node.start_mark.line + 1,
            )
            return None
        entries = list(value_node.value)
    if entries is None:
        log.add(Subtype.record, "required key 'exploits' is missing", shown, line)
        return None
    return entries
