"""Command line: ``sphinxcontrib-cab`` (or ``python -m sphinxcontrib_cab``) ``schema|check|digest|
sign|verify|diff``.

- ``schema [SOURCE]`` prints the JSON Schema of one source (or one document holding all four).
- ``check DIR`` validates a snapshot laid out like ``data/`` and exits 1 when anything is wrong.
- ``digest DIR`` prints what ``sha256sum`` prints for the source files (``sha256sum -c`` reads
  it as it is), and the combined digest on standard error.
- ``sign DIR -f KEY`` signs the snapshot's digest with ``ssh-keygen -Y sign`` and writes
  ``receipt.sig`` beside its ``meta.json`` (for maintainers; see :mod:`.signature`).
- ``verify DIR --allowed-signers FILE`` checks the signature of the snapshot and of every older
  snapshot its ``meta.json`` lists; exits 1 unless every one is signed and verified.
- ``diff DIR [--from DATE] [--to DATE]`` says what changed between two snapshots (by default
  the newest older one and the pinned one): cells added and removed, methodology versions
  between them, and the headline per TUI and model with its verdict (:mod:`.diff`).
- ``--version`` prints the version.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from .contract import SCHEMAS, Task
from .diff import VERDICTS, diff
from .digest import sha256sum_text, snapshot_digest
from .formats import format_change, format_count
from .metrics import METRICS
from .older import load_all
from .paths import DEFAULT_EXPLOITS, DEFAULT_META, DEFAULT_RUNS, DEFAULT_TASKS, SourcePaths
from .reproduce import is_hidden
from .signature import (
    DEFAULT_NAMESPACE,
    SIGNATURE_NAME,
    Status,
    sign,
    signature_path,
    signed_text,
    verify_sources,
)
from .version import extension_version

if TYPE_CHECKING:
    from collections.abc import Sequence

_PATH_OPTIONS = (
    ("--runs", DEFAULT_RUNS, "folder of run-record *.jsonl files"),
    ("--tasks", DEFAULT_TASKS, "the task catalogue"),
    ("--exploits", DEFAULT_EXPLOITS, "the exploit ledger"),
    ("--meta", DEFAULT_META, "the methodology pin"),
)


def _sources(arguments: argparse.Namespace) -> SourcePaths:
    return SourcePaths.under(
        Path(arguments.dir),
        runs=arguments.runs,
        tasks=arguments.tasks,
        exploits=arguments.exploits,
        meta=arguments.meta,
        settings=("DIR", "--runs", "--tasks", "--exploits", "--meta"),
    )


def _display_base() -> Path:
    return Path.cwd()


DIALECT = "https://json-schema.org/draft/2020-12/schema"


def source_schema(name: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one source file; ``tasks.json`` is an array of tasks."""
    if name == "tasks":
        schema = TypeAdapter(list[Task]).json_schema()
    else:
        schema = SCHEMAS[name].model_json_schema()
    return {"$schema": DIALECT, "$id": f"urn:sphinxcontrib-cab:schema:{name}", **schema}


def all_schemas() -> dict[str, Any]:
    """One JSON Schema document holding the schema of every source under ``$defs``; each keeps
    its ``$id``, so its own references resolve inside it."""
    return {
        "$schema": DIALECT,
        "$id": "urn:sphinxcontrib-cab:schema",
        "title": "The four sources of a CodingAgentBench snapshot",
        "$defs": {name: source_schema(name) for name in sorted(SCHEMAS)},
    }


def command_schema(arguments: argparse.Namespace) -> int:
    document = all_schemas() if arguments.source is None else source_schema(arguments.source)
    json.dump(document, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


def command_check(arguments: argparse.Namespace) -> int:
    sources = _sources(arguments)
    loaded = load_all(sources, display_base=_display_base())
    for problem in loaded.problems:
        print(f"{problem.location}: {problem.subtype.tag}: {problem.message}")
    snapshots = [loaded.pinned, *(loaded.older[name] for name in sorted(loaded.older))]
    for snapshot in snapshots:
        print(
            f"snapshot {snapshot.name}: {snapshot.rows_read} valid run rows, "
            f"{snapshot.rows_rejected} left out, {len(snapshot.cells)} cells, "
            f"{len(snapshot.tasks)} tasks, {len(snapshot.exploits)} exploits"
        )
    count = len(loaded.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found" if count else "no problems found")
    return 1 if count else 0


def command_digest(arguments: argparse.Namespace) -> int:
    sources = _sources(arguments)
    if not sources.root.is_dir():
        print(f"error: {sources.root} is not a folder", file=sys.stderr)
        return 2
    digest = snapshot_digest(sources)
    # Standard output is exactly what sha256sum prints, so `sha256sum -c` reads it as it is.
    sys.stdout.write(sha256sum_text(digest.files))
    print(f"combined sha256: {digest.combined}", file=sys.stderr)
    return 0


def command_sign(arguments: argparse.Namespace) -> int:
    sources = _sources(arguments)
    if not sources.root.is_dir():
        print(f"error: {sources.root} is not a folder", file=sys.stderr)
        return 2
    digest = snapshot_digest(sources)
    try:
        armored = sign(signed_text(digest), Path(arguments.key), arguments.namespace)
    except OSError as error:
        print(f"error: ssh-keygen could not sign: {error}", file=sys.stderr)
        return 1
    target = signature_path(sources)
    target.write_text(armored, encoding="ascii")
    print(f"signed digest {digest.combined} in namespace {arguments.namespace!r}: {target}")
    return 0


def command_verify(arguments: argparse.Namespace) -> int:
    loaded = load_all(_sources(arguments), display_base=_display_base())
    allowed = Path(arguments.allowed_signers)
    failed = 0
    for snapshot in [loaded.pinned, *(loaded.older[name] for name in sorted(loaded.older))]:
        found = verify_sources(snapshot.sources, snapshot.digest, allowed, arguments.namespace)
        if found.status is Status.verified:
            print(
                f"snapshot {snapshot.name}: signed by {found.principal} "
                f"({found.key_type} {found.fingerprint}), verified"
            )
            continue
        failed += 1
        why = found.reason or f"unsigned: there is no {SIGNATURE_NAME}"
        print(f"snapshot {snapshot.name}: {found.path}: {why}")
    return 1 if failed else 0


def _shown(text: str) -> str:
    """A data string as a terminal shows it safely: hidden characters as ``\\u{...}`` escapes."""
    return "".join(f"\\u{{{ord(char):x}}}" if is_hidden(char) else char for char in text)


def command_diff(arguments: argparse.Namespace) -> int:
    loaded = load_all(_sources(arguments), display_base=_display_base())
    after_name = arguments.to or loaded.pinned.name
    before_name = arguments.from_ or max(
        (name for name in loaded.names if name < after_name), default=None
    )
    before = loaded.get(before_name) if before_name else None
    after = loaded.get(after_name)
    if before is None or after is None:
        missing = after_name if after is None else before_name or f"a snapshot before {after_name}"
        print(
            f"error: {missing} is not a snapshot of {arguments.dir} "
            f"(known: {', '.join(loaded.names)})",
            file=sys.stderr,
        )
        return 2
    found = diff(before, after)
    metric = METRICS[found.metric]
    print(f"from {before.name} to {after.name}")
    print(
        f"cells: {format_count(len(found.added))} added, {format_count(len(found.removed))} "
        f"removed, {format_count(len(found.repinned))} whose key changed only in provenance "
        f"fields, {format_count(found.common)} in both"
    )
    for entry in found.versions:
        print(f"methodology {_shown(entry.version)} ({entry.date}): {_shown(entry.changes)}")
    print(f"{metric.label} per TUI and model ({found.before} -> {found.after}, change, verdict):")
    for row in found.pairs:
        name = "/".join(_shown(value or "") for value in row.values)
        print(
            f"  {name}: {metric.format(row.before, unit='task')} -> "
            f"{metric.format(row.after, unit='task')}, {format_change(row.delta, metric.digits)}, "
            f"{row.verdict}"
        )
    print("verdicts: " + "; ".join(f"{name}: {meaning}" for name, meaning in VERDICTS.items()))
    return 0


def _program() -> str:
    """How the user called us: ``sphinxcontrib-cab`` (the console script) or ``python -m``."""
    called = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m sphinxcontrib_cab" if called in {"", "__main__.py", "-c"} else called


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_program(),
        description="Validate CodingAgentBench snapshots and print their schema or digest.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {extension_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    schema = commands.add_parser("schema", help="print the JSON Schema of the data contract")
    schema.add_argument(
        "source", nargs="?", choices=sorted(SCHEMAS), help="one source (default: all)"
    )
    schema.set_defaults(run=command_schema)
    for name, function, text in (
        ("check", command_check, "validate a snapshot; exit 1 on any problem"),
        ("digest", command_digest, "print the sha256 of each source file and the combined digest"),
        ("sign", command_sign, f"sign the snapshot's digest into {SIGNATURE_NAME} (ssh-keygen)"),
        ("verify", command_verify, "verify the signatures; exit 1 unless all are verified"),
        ("diff", command_diff, "say what changed between two snapshots"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("dir", help="snapshot folder (laid out like data/)")
        for flag, default, meaning in _PATH_OPTIONS:
            sub.add_argument(
                flag,
                default=default,
                help=f"{meaning}, relative to DIR (default: %(default)s)",
            )
        sub.set_defaults(run=function)
        if name == "sign":
            sub.add_argument("-f", "--key", required=True, help="the private key to sign with")
        if name == "verify":
            sub.add_argument(
                "--allowed-signers", required=True, help="OpenSSH allowed_signers file"
            )
        if name == "diff":
            sub.add_argument(
                "--from",
                dest="from_",
                metavar="DATE",
                help="the older snapshot's date (default: the newest before --to)",
            )
            sub.add_argument(
                "--to", metavar="DATE", help="the newer snapshot's date (default: the pinned one)"
            )
        if name in {"sign", "verify"}:
            sub.add_argument(
                "-n",
                "--namespace",
                default=DEFAULT_NAMESPACE,
                help="signature namespace (default: %(default)s)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        result: int = arguments.run(arguments)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``schema | head``): nothing more to say, and nothing to say it to.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
