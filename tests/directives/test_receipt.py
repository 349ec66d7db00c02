"""cab-receipt: the receipt of the pinned (or an older) snapshot, checked against the data."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from cab_pages import (
    check_regression,
    pinned_snapshot,
    same_body_in_every_syntax,
    shared_build,
    soup,
)

from sphinxcontrib_cab.render import format_count
from sphinxcontrib_cab.snapshot.metrics import ESTIMATORS
from sphinxcontrib_cab.snapshot.version import extension_version

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import Tag
    from cab_pages import Built

    from sphinxcontrib_cab.snapshot.model import Snapshot

CASES = ("receipt", "receipt_older")


@pytest.fixture(scope="module")
def built() -> Built:
    return shared_build("directives")


def receipt_of(built: Built, docname: str) -> Tag:
    receipt = soup(built.page(docname)).select_one("div.cab-receipt")
    assert receipt is not None
    return receipt


def fields_of(receipt: Tag) -> dict[str, str]:
    names = [
        dt.get_text(strip=True).rstrip(":") for dt in receipt.select("dl.cab-receipt-fields > dt")
    ]
    values = [dd.get_text(" ", strip=True) for dd in receipt.select("dl.cab-receipt-fields > dd")]
    return dict(zip(names, values, strict=True))


def expected_fields(snapshot: Snapshot) -> dict[str, str]:
    assert snapshot.meta is not None
    return {
        "methodology_version": snapshot.meta.methodology_version,
        "snapshot_date": snapshot.meta.snapshot_date.isoformat(),
        "source": snapshot.meta.source,
        "row_count": format_count(snapshot.rows_read),
        "digest": snapshot.digest.combined,
        "extension": f"sphinxcontrib-cab {extension_version()}",
        "estimators": " ".join(f"{name} : {how}" for name, how in ESTIMATORS.items()),
    }


@pytest.mark.parametrize("case", CASES)
def test_rst_and_both_myst_fences_render_the_same_body(built: Built, case: str) -> None:
    check_regression(f"directives/{case}.html", same_body_in_every_syntax(built, case))


def test_pinned_receipt_values_come_from_the_snapshot(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    receipt = receipt_of(built, "receipt_rst")
    assert fields_of(receipt) == expected_fields(snapshot)
    pin = receipt.select_one("p.cab-receipt-pin")
    assert pin is not None
    assert pin.get_text() == (
        f"This page is pinned to snapshot {snapshot.name} "
        f"(methodology {expected_fields(snapshot)['methodology_version']})."
    )


def test_hashes_are_nerd_content(built: Built) -> None:
    receipt = receipt_of(built, "receipt_rst")
    nerd = receipt.select(".cab-nerd")
    # the digest and estimators fields (their dt and dd), then the verification block
    assert [n.name for n in nerd] == ["dt", "dd", "dt", "dd", "div"]
    assert nerd[0].get_text(strip=True).rstrip(":") == "digest"
    assert nerd[2].get_text(strip=True).rstrip(":") == "estimators"
    assert nerd[4].select_one("div.cab-digests") is not None
    assert "methodology_version" not in " ".join(n.get_text() for n in nerd)


def test_older_receipt_names_both_snapshots(built: Built) -> None:
    pinned = pinned_snapshot(built)
    older = pinned_snapshot(built, "2026-05-27")
    assert older.name != pinned.name
    receipt = receipt_of(built, "receipt_older_rst")
    assert fields_of(receipt) == expected_fields(older)
    pin = receipt.select_one("p.cab-receipt-pin")
    assert pin is not None
    assert f"older snapshot {older.name}" in pin.get_text()
    assert f"pinned to snapshot {pinned.name}" in pin.get_text()


def test_row_count_is_the_number_of_rows_in_the_files(built: Built) -> None:
    """Independent of the loader: every line of the run files of the mini snapshot is valid."""
    snapshot = pinned_snapshot(built)
    runs_dir = built.srcdir / "snapshot" / snapshot.sources.runs_audit
    lines = sum(
        1
        for path in sorted(runs_dir.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    assert fields_of(receipt_of(built, "receipt_rst"))["row_count"] == format_count(lines)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU sha256sum")
@pytest.mark.parametrize(("docname", "folder"), [("receipt_rst", "."), ("receipt_older_rst", None)])
def test_the_printed_check_passes_with_sha256sum(
    built: Built, docname: str, folder: str | None, tmp_path: Path
) -> None:
    """Follow the page's instructions literally: save the lines, run sha256sum -c, and hash them."""
    receipt = receipt_of(built, docname)
    block = receipt.select_one("div.cab-digests pre")
    assert block is not None
    listing = block.get_text()
    digest = fields_of(receipt)["digest"]
    root = built.srcdir / "snapshot"
    if folder is None:
        older = pinned_snapshot(built, "2026-05-27")
        root = older.sources.root
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(listing.rstrip("\n") + "\n", encoding="utf-8")  # saved lines end in newline
    check = subprocess.run(
        ["sha256sum", "-c", str(sums)], cwd=root, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    reported = [line.rsplit(": ", 1)[1] for line in check.stdout.splitlines()]
    assert reported and set(reported) == {"OK"}
    combined = subprocess.run(
        ["sha256sum", str(sums)], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    assert combined == digest


def test_page_depends_on_every_snapshot_file(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    dependencies = {str(p) for p in built.app.env.dependencies["receipt_rst"]}
    for path in snapshot.files:
        relative = path.relative_to(built.srcdir).as_posix()
        assert relative in dependencies or str(path) in dependencies
