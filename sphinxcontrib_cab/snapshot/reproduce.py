"""The shell-safe ``codingagentbench run`` command that reproduces one cell.

The command has one fixed shape so that readers can diff two commands line by line::

    codingagentbench run \\
      --tui 'opencode' \\
      --behavior-mode 'conv' \\
      ...
      --task-added-date '2026-05-01'

One flag per line, in :data:`~.keys.KEY_FIELDS` order, each value one shell word.
A value made of visible characters is written in POSIX single quotes: inside them the shell takes
every character literally (``$``, backticks, ``\\``, ``!``, any unicode) except the closing quote,
which is written ``'\\''`` (close, an escaped quote, reopen).

A value holding a character a reader cannot see or a page cannot carry (control characters
including tab, newline and carriage return, bidi and zero-width format characters, line and
paragraph separators, spaces other than U+0020, unassigned and private-use code points) is written
as one dollar-single-quoted word (``$'...'``, POSIX.1-2024 and bash): those characters become octal
escapes of their UTF-8 bytes, ``\\`` becomes ``\\\\``, ``'`` becomes ``\\'`` and ``!`` becomes
``\\041``.
The command then shows what it really passes (no text reordered by an RLO, no hidden characters),
stays one flag per line, survives HTML (which turns a carriage return into a newline) and XHTML
(which cannot hold most control characters), and cannot trigger a terminal's control sequences
when pasted. Either way, pasting it into bash runs the program with exactly the recorded values as
arguments and nothing else.

A value that starts with ``-`` is joined to its flag with ``=`` in one word
(``--tui='-x'``): written apart, an argument parser such as argparse would take it for another
option and stop with "expected one argument"; ``--flag=value`` is read as the value by every
parser of long options, whatever the value holds. Other values keep the flag and the value apart,
the layout readers know.

A field the cell did not record (``None``) is never sent as a value: its flag is left out.

Two kinds of value cannot be passed as an argument at all, so no command is produced for them and
:func:`reproduce_command` raises :class:`UnreproducibleValue` instead:

* a NUL byte: argv elements are C strings, so a NUL would silently truncate the value;
* a lone surrogate code point (which JSON escapes such as ``"\\ud800"`` can produce): it has no
  UTF-8 encoding, so no byte sequence on a command line stands for it.

Callers render an explanation instead of a command
(see :func:`sphinxcontrib_cab.render.repro_block`).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from .keys import KEY_FIELDS

if TYPE_CHECKING:
    from .model import CellKey

DEFAULT_COMMAND = "codingagentbench run"
CONTINUATION = " \\"
INDENT = "  "


class UnreproducibleValue(ValueError):
    """A key value that no command line can carry as an argument."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"the value of {field_name} {reason}")
        self.field_name = field_name
        self.reason = reason


HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"})
"""Unicode categories whose characters are invisible, ambiguous or unsafe on a page or a
terminal; the plain space (``Zs``) is the one exception."""


def is_hidden(char: str) -> bool:
    """True for a character written as an escape rather than as itself."""
    return char != " " and unicodedata.category(char) in HIDDEN_CATEGORIES


def octal_bytes(char: str) -> str:
    return "".join(f"\\{byte:03o}" for byte in char.encode("utf-8"))


def shell_quote(value: str) -> str:
    """Quote ``value`` as one shell word: ``'...'`` when every character is visible, else
    ``$'...'`` with hidden characters as octal escapes (see the module doc). Never empty."""
    # str.isprintable() is False exactly for the HIDDEN_CATEGORIES except the ASCII space, so
    # it is the same test as is_hidden() on every character, done in C (leaderboards quote
    # thousands of values per page).
    if value.isprintable():
        return "'" + value.replace("'", "'\\''") + "'"
    escaped = []
    for char in value:
        if char in "\\'":
            escaped.append("\\" + char)
        elif char == "!" or is_hidden(char):
            escaped.append(octal_bytes(char))
        else:
            escaped.append(char)
    return "$'" + "".join(escaped) + "'"


def unrepresentable_reason(value: str) -> str | None:
    """Why ``value`` cannot be an argv element, or ``None`` when it can."""
    if "\x00" in value:
        return "contains a NUL byte, which a command-line argument cannot carry"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate code point, which has no UTF-8 encoding"
    return None


def _flag_values(key: CellKey) -> list[tuple[str, str]]:
    """(flag, value) of each recorded field, in canonical order."""
    pairs: list[tuple[str, str]] = []
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        if value is None:
            continue
        reason = unrepresentable_reason(value)
        if reason is not None:
            raise UnreproducibleValue(field.name, reason)
        pairs.append((field.flag, value))
    return pairs


def joined(value: str) -> bool:
    """Whether ``value`` is written joined to its flag (``--flag=value``): see the module doc."""
    return value.startswith("-")


def command_arguments(key: CellKey) -> list[str]:
    """The arguments after the subcommand, as the program receives them: ``--flag``, value, ...,
    or ``--flag=value`` as one argument for a value that starts with ``-``."""
    arguments: list[str] = []
    for flag, value in _flag_values(key):
        arguments.extend((f"{flag}={value}",) if joined(value) else (flag, value))
    return arguments


def reproduce_command(key: CellKey, command: str = DEFAULT_COMMAND) -> str:
    """The multi-line command that reruns the cell ``key``.

    ``command`` is the program and subcommand (``cab_command``), written as configured.
    Raises :class:`UnreproducibleValue` when a recorded value cannot be an argument.
    """
    lines = [command]
    for flag, value in _flag_values(key):
        separator = "=" if joined(value) else " "
        lines.append(f"{INDENT}{flag}{separator}{shell_quote(value)}")
    return (CONTINUATION + "\n").join(lines)
