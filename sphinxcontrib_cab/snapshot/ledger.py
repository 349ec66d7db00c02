"""Reader of the exploit ledger (YAML), with PyYAML's safe loader only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from .contract import Exploit
from .positions import yaml_positions
from .problems import ProblemLog, Subtype
from .readers import Located, read_text, validate

if TYPE_CHECKING:
    from pathlib import Path


_PYTHON_TAG = "tag:yaml.org,2002:python/"


def _python_tags(node: yaml.Node) -> list[yaml.Node]:
    found = [node] if node.tag.startswith(_PYTHON_TAG) else []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            found += _python_tags(key_node) + _python_tags(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _python_tags(item)
    return found


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
    if fast is not None:
        try:
            return _single_node(fast, text)
        except yaml.YAMLError:
            pass
    return _single_node(yaml.SafeLoader, text)


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
        position = yaml_positions(node)
        tagged = _python_tags(node)
        if tagged:
            for bad in tagged:
                log.add(
                    Subtype.yaml,
                    f"exploit left out: the tag '{_short_tag(bad.tag)}' asks for a Python object; "
                    "the ledger is read with a safe loader, which refuses such tags",
                    shown,
                    bad.start_mark.line + 1,
                )
            rejected += 1
            continue
        try:
            data = _construct(node)
        except yaml.YAMLError as error:
            log.add(Subtype.yaml, f"exploit left out: {error}", shown, position.line)
            rejected += 1
            continue
        exploit = validate(Exploit, data, "exploit", position, shown, log)
        if exploit is None:
            rejected += 1
            continue
        if not located.first_of(exploit.id, position, "exploit", "the ledger", log):
            rejected += 1
            continue
        exploits.append(exploit)
    return tuple(exploits), located, rejected


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
