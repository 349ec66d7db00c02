"""The reproduce command, parsed by a real bash, gives back exactly the recorded arguments."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_cab.snapshot.keys import KEY_FIELDS, PROVENANCE_FIELDS
from sphinxcontrib_cab.snapshot.model import CellKey
from sphinxcontrib_cab.snapshot.reproduce import (
    UnreproducibleValue,
    command_arguments,
    is_hidden,
    reproduce_command,
    shell_quote,
)

if TYPE_CHECKING:
    from pathlib import Path

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")

EXAMPLE = CellKey(
    tui="opencode",
    behavior_mode="conv",
    model="llama-3.3-70b-instruct",
    task="polyglot/python-two-sum",
    plugin_stack="conv-vanilla",
    tui_image_sha="sha256:" + "0123456789abcdef" * 4,
    model_endpoint_sha="nim:meta/llama-3.3-70b-instruct",
    sampling_profile="default-t0.2-tp0.95",
    task_added_date="2026-05-01",
)

# The stand-in program prints each argument followed by a NUL; anything else the pasted text
# managed to run would show up in stdout, stderr, the exit status or the sentinel file.
# History expansion is on, as in an interactive shell a reader pastes into: a `!` that reached
# the shell unprotected would be replaced by an earlier command.
STAND_IN = (
    "set -o history -o histexpand\n"
    "echo earlier > /dev/null\n"
    "codingagentbench() { printf '%s\\0' \"$@\"; }\n"
)
SENTINEL = "cab-pwned"


def run_in_bash(command: str, workdir: Path) -> list[bytes]:
    """Paste ``command`` into a bash script after the stand-in and return the arguments it got."""
    script = workdir / "paste.sh"
    script.write_bytes((STAND_IN + command + "\n").encode("utf-8"))
    assert BASH is not None
    done = subprocess.run(
        [BASH, "--norc", "--noprofile", str(script)],
        cwd=workdir,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        timeout=10,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert not (workdir / SENTINEL).exists()
    assert done.stdout.endswith(b"\0")
    return done.stdout[:-1].split(b"\0")


def expected_arguments(key: CellKey, subcommand: str = "run") -> list[bytes]:
    expected = [subcommand.encode()]
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        if value is None:
            continue
        if value.startswith("-"):  # joined, so no parser takes the value for an option
            expected.append(f"{field.flag}={value}".encode())
        else:
            expected += [field.flag.encode(), value.encode("utf-8")]
    return expected


def test_example_has_the_public_shape() -> None:
    command = reproduce_command(EXAMPLE)
    lines = command.split("\n")
    assert lines[0] == "codingagentbench run \\"
    flags = [field.flag for field in KEY_FIELDS]
    for line, field in zip(lines[1:], KEY_FIELDS, strict=True):
        value = getattr(EXAMPLE, field.name)
        ending = "" if field is KEY_FIELDS[-1] else " \\"
        assert line == f"  {field.flag} '{value}'{ending}"
    assert len(lines) == 1 + len(flags)
    assert not command.endswith("\\")


def test_example_round_trips_through_bash(tmp_path: Path) -> None:
    assert run_in_bash(reproduce_command(EXAMPLE), tmp_path) == expected_arguments(EXAMPLE)


def test_missing_fields_are_left_out(tmp_path: Path) -> None:
    key = replace(EXAMPLE, tui_image_sha=None, task_added_date=None)
    command = reproduce_command(key)
    assert "--tui-image-sha" not in command
    assert "--task-added-date" not in command
    assert "None" not in command
    assert command.split("\n")[-1] == "  --sampling-profile 'default-t0.2-tp0.95'"
    assert run_in_bash(command, tmp_path) == expected_arguments(key)


def test_all_provenance_missing_leaves_the_five_key_flags(tmp_path: Path) -> None:
    key = replace(EXAMPLE, **dict.fromkeys(PROVENANCE_FIELDS))
    assert command_arguments(key)[::2] == [
        "--tui",
        "--behavior-mode",
        "--model",
        "--task",
        "--plugin-stack",
    ]
    assert run_in_bash(reproduce_command(key), tmp_path) == expected_arguments(key)


def test_configured_command_prefix(tmp_path: Path) -> None:
    command = reproduce_command(EXAMPLE, "codingagentbench rerun")
    assert command.startswith("codingagentbench rerun \\\n")
    assert run_in_bash(command, tmp_path) == expected_arguments(EXAMPLE, "rerun")


HOSTILE = [
    "",
    "'",
    "''",
    "'\\''",
    "it's",
    '"double"',
    "$(touch cab-pwned)",
    "`touch cab-pwned`",
    "'; touch cab-pwned; '",
    "'$(touch cab-pwned)'",
    "${HOME}",
    "$HOME",
    "!!",
    "!-1",
    "ctl\x01!!",
    "tab\t!-2 !echo",
    "\\",
    "trailing backslash \\",
    "line\ncontinues",
    "\n",
    "a\\\nb",
    "'\n touch cab-pwned\n'",
    "\r\n",
    "tab\there",
    "\x01\x02\x1b[31mred\x1b[0m\x7f",
    "*",
    "~",
    "-- --tui evil",
    "--tui",
    "; rm -rf ~",
    "a | b > c < d & e",
    "#comment",
    "polyglot/python-two-sum",
    "\u00e9\u4e2d\u6587\U0001f600",
    "\u202eevil\u202c",
    "zero\u200bwidth\u200d\ufeff",
    "\u2028\u2029",
    "\U0010ffff",
    " leading and trailing spaces ",
]


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v) for v in HOSTILE])
@pytest.mark.parametrize("field", [f.name for f in KEY_FIELDS])
def test_hostile_values(value: str, field: str, tmp_path: Path) -> None:
    key = replace(EXAMPLE, **{field: value})
    assert run_in_bash(reproduce_command(key), tmp_path) == expected_arguments(key)


def test_every_field_hostile_at_once(tmp_path: Path) -> None:
    key = CellKey(*HOSTILE[: len(KEY_FIELDS)])
    assert run_in_bash(reproduce_command(key), tmp_path) == expected_arguments(key)


# Everything argv can carry: any code point except NUL and lone surrogates.
ARGV_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
OPTIONAL_TEXT = st.none() | ARGV_TEXT


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    key=st.builds(
        CellKey,
        ARGV_TEXT,
        ARGV_TEXT,
        ARGV_TEXT,
        ARGV_TEXT,
        ARGV_TEXT,
        OPTIONAL_TEXT,
        OPTIONAL_TEXT,
        OPTIONAL_TEXT,
        OPTIONAL_TEXT,
    )
)
def test_any_text_round_trips_through_bash(key: CellKey, tmp_path: Path) -> None:
    assert run_in_bash(reproduce_command(key), tmp_path) == expected_arguments(key)


@given(ARGV_TEXT)
def test_quote_is_one_word_of_visible_characters(value: str) -> None:
    quoted = shell_quote(value)
    assert not any(is_hidden(char) for char in quoted)
    if any(is_hidden(char) for char in value):
        assert quoted.startswith("$'") and quoted.endswith("'")
        assert quoted[2:-1].replace("\\\\", "").replace("\\'", "").count("'") == 0
    else:
        assert quoted.startswith("'") and quoted.endswith("'")
        assert quoted.replace("'\\''", "").count("'") == 2


@settings(max_examples=200, deadline=None)
@given(key=st.builds(CellKey, *([ARGV_TEXT] * 5), *([OPTIONAL_TEXT] * 4)))
def test_command_is_one_flag_per_line_of_visible_characters(key: CellKey) -> None:
    lines = reproduce_command(key).split("\n")
    flags = [f.flag for f in KEY_FIELDS if getattr(key, f.name) is not None]
    assert len(lines) == 1 + len(flags)
    for line, flag in zip(lines[1:], flags, strict=True):
        assert line.startswith((f"  {flag} ", f"  {flag}="))
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert not any(is_hidden(char) for line in lines for char in line)


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("plain", "'plain'"),
        ("it's", "'it'\\''s'"),
        ("a\nb", "$'a\\012b'"),
        ("tab\there", "$'tab\\011here'"),
        ("\r\n", "$'\\015\\012'"),
        ("\u202eevil", "$'\\342\\200\\256evil'"),
        ("it's\x01 \\ !", "$'it\\'s\\001 \\\\ \\041'"),
        ("no\u00a0break", "$'no\\302\\240break'"),
    ],
)
def test_hidden_characters_are_escaped(value: str, word: str) -> None:
    assert shell_quote(value) == word


def test_a_value_that_looks_like_an_option_is_joined_to_its_flag() -> None:
    """argparse reads ``--tui '-x'`` as a flag without its value; ``--tui='-x'`` it reads."""
    import argparse

    key = replace(EXAMPLE, tui="-x", model="--help", plugin_stack="-")
    command = reproduce_command(key)
    assert "  --tui='-x' \\\n" in command
    assert "  --model='--help' \\\n" in command
    assert "  --plugin-stack='-' \\\n" in command
    assert "  --task 'polyglot/python-two-sum' \\\n" in command
    parser = argparse.ArgumentParser()
    for field in KEY_FIELDS:
        parser.add_argument(field.flag)
    parsed = parser.parse_args(command_arguments(key))
    assert (parsed.tui, parsed.model, parsed.plugin_stack) == ("-x", "--help", "-")


@pytest.mark.parametrize("field", [f.name for f in KEY_FIELDS])
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a\x00b", "NUL byte"),
        ("\x00", "NUL byte"),
        ("lone \ud800 surrogate", "lone surrogate"),
    ],
)
def test_values_argv_cannot_carry_raise(field: str, value: str, reason: str) -> None:
    key = replace(EXAMPLE, **{field: value})
    with pytest.raises(UnreproducibleValue) as caught:
        reproduce_command(key)
    assert caught.value.field_name == field
    assert reason in caught.value.reason


@given(st.text(st.characters(exclude_categories=())))
def test_isprintable_is_the_hidden_character_test(value: str) -> None:
    """shell_quote and render's fast paths rely on str.isprintable() meaning "no hidden
    character" in the sense of is_hidden()."""
    assert value.isprintable() == (not any(is_hidden(char) for char in value))
