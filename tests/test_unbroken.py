"""Digests are whole in the text, man and LaTeX output: a reader can copy each one.

The digests come from the snapshot's files themselves (each file's sha256, read with hashlib)
and from the run records (every 64-hex value they hold), not from the extension; only the
combined digest, a hash of the per-file listing, is the extension's.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from cab_pages import MINI, pinned_snapshot, shared_build

if TYPE_CHECKING:
    from cab_pages import Built

HEX = re.compile(r"[0-9a-f]{64}")
OUTPUTS = {"text": "*.txt", "man": "*.1", "latex": "*.tex"}


def sample_digests(built: Built) -> set[str]:
    """Every sha256 of the sample: its files, the values its records hold, the combined ones."""
    found = {hashlib.sha256(path.read_bytes()).hexdigest() for path in MINI.rglob("*.*")}
    for path in MINI.rglob("*.jsonl"):
        found.update(HEX.findall(path.read_text(encoding="utf-8")))
    for name in (None, "2026-05-27"):
        found.add(pinned_snapshot(built, name).digest.combined)
    return found


def whole_and_cut(output: str, digests: set[str]) -> tuple[set[str], list[str]]:
    """Digests present whole, and those whose first 16 digits appear more often than the
    digest itself (some occurrence was cut)."""
    whole = {digest for digest in digests if digest in output}
    cut = sorted(d for d in digests if output.count(d[:16]) != output.count(d))
    return whole, cut


@pytest.mark.parametrize("builder", list(OUTPUTS))
def test_every_digest_is_whole(builder: str) -> None:
    built = shared_build("directives-all", builder)
    assert built.warnings == []
    output = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted(built.outdir.glob(OUTPUTS[builder]))
    )
    digests = sample_digests(built)
    whole, cut = whole_and_cut(output, digests)
    assert cut == []
    # the receipt shows the combined digest and every file's, provenance an image digest
    assert pinned_snapshot(built).digest.combined in whole
    assert len(whole) >= 6


def test_man_pages_keep_digests_whole_in_a_narrow_terminal() -> None:
    if shutil.which("groff") is None:
        pytest.skip("groff is not installed: the man page cannot be rendered")
    built = shared_build("directives-all", "man")
    page = next(built.outdir.glob("*.1"))
    rendered = subprocess.run(
        ["groff", "-man", "-Tutf8", "-rLL=50n", str(page)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    plain = re.sub(".\b", "", rendered)
    whole, cut = whole_and_cut(plain, sample_digests(built))
    assert cut == []
    assert pinned_snapshot(built).digest.combined in whole
