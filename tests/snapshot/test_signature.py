"""Signed receipts with real ``ssh-keygen``: keys are made in temporary folders at test time."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from signing import PRINCIPAL, allow, cab, make_key, sign

from sphinxcontrib_cab.snapshot.digest import snapshot_digest
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.signature import (
    DEFAULT_NAMESPACE,
    Status,
    parse_signature,
    signature_path,
    verify_sources,
)

MINI = Path(__file__).parents[1] / "snapshots" / "mini"
REPO = Path(__file__).parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="needs ssh-keygen (Debian: openssh-client)"
)


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the mini snapshot, both of its snapshots signed; (root, key, allowed_signers)."""
    root = tmp_path / "snap"
    shutil.copytree(MINI, root)
    key = make_key(tmp_path / "keys")
    allowed = allow(key, tmp_path / "allowed_signers")
    sign(root, key)
    sign(root / "snapshots/2026-05-27", key)
    return root, key, allowed


def check(root: Path, allowed: Path | None, namespace: str = DEFAULT_NAMESPACE) -> Status:
    sources = SourcePaths.under(root)
    return verify_sources(sources, snapshot_digest(sources), allowed, namespace).status


def test_a_valid_signature_verifies_with_principal_and_fingerprint(
    signed: tuple[Path, Path, Path],
) -> None:
    root, key, allowed = signed
    sources = SourcePaths.under(root)
    found = verify_sources(sources, snapshot_digest(sources), allowed, DEFAULT_NAMESPACE)
    assert found.status is Status.verified
    assert found.principal == PRINCIPAL
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(key.with_suffix(".pub"))],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.fingerprint == listed.stdout.split()[1]
    assert found.key_type == "ssh-ed25519"
    done = cab("verify", str(root), "--allowed-signers", str(allowed))
    assert done.returncode == 0, done.stdout
    assert done.stdout.count(f"signed by {PRINCIPAL}") == 2


def test_the_signature_is_beside_meta_json_and_not_in_the_digest(
    signed: tuple[Path, Path, Path],
) -> None:
    root, _, _ = signed
    sources = SourcePaths.under(root)
    assert signature_path(sources) == root / "site/src/data/receipt.sig"
    assert all(not f.path.endswith(".sig") for f in snapshot_digest(sources).files)


@pytest.mark.parametrize(
    "file",
    [
        "results/published/free-20260527.jsonl",
        "results/published/expansion-20260616.jsonl",
        "site/src/data/tasks.json",
        "results/exploits/_catalog.yaml",
        "site/src/data/meta.json",
    ],
)
def test_a_changed_byte_in_any_file_fails(signed: tuple[Path, Path, Path], file: str) -> None:
    root, _, allowed = signed
    path = root / file
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x01  # the last byte before the final newline
    path.write_bytes(bytes(data))
    assert check(root, allowed) is Status.bad
    done = cab("verify", str(root), "--allowed-signers", str(allowed))
    assert done.returncode == 1
    assert "does not match the digest of this snapshot" in done.stdout


def test_a_key_not_in_allowed_signers_fails(
    signed: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    root, _, allowed = signed
    stranger = make_key(tmp_path / "stranger")
    sign(root, stranger)
    sources = SourcePaths.under(root)
    found = verify_sources(sources, snapshot_digest(sources), allowed, DEFAULT_NAMESPACE)
    assert found.status is Status.bad
    assert "does not allow to sign" in found.reason
    assert cab("verify", str(root), "--allowed-signers", str(allowed)).returncode == 1


def test_a_wrong_namespace_fails(signed: tuple[Path, Path, Path]) -> None:
    root, key, allowed = signed
    sign(root, key, "-n", "file")
    sources = SourcePaths.under(root)
    found = verify_sources(sources, snapshot_digest(sources), allowed, DEFAULT_NAMESPACE)
    assert found.status is Status.bad
    assert "namespace file," in found.reason
    assert cab("verify", str(root), "--allowed-signers", str(allowed)).returncode == 1


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_a_truncated_signature_fails(signed: tuple[Path, Path, Path], keep: float) -> None:
    root, _, allowed = signed
    path = signature_path(SourcePaths.under(root))
    text = path.read_text()
    path.write_text(text[: int(len(text) * keep)])
    assert check(root, allowed) is Status.bad
    assert cab("verify", str(root), "--allowed-signers", str(allowed)).returncode == 1


def test_a_signature_cut_inside_its_body_names_the_damage(signed: tuple[Path, Path, Path]) -> None:
    root, _, _ = signed
    lines = signature_path(SourcePaths.under(root)).read_text().splitlines()
    shortened = "\n".join([*lines[:2], lines[-1]]) + "\n"
    with pytest.raises(ValueError, match=r"ends early|damaged"):
        parse_signature(shortened)


def test_unsigned_and_unchecked(tmp_path: Path, signed: tuple[Path, Path, Path]) -> None:
    root, _, allowed = signed
    assert check(root, None) is Status.unchecked
    signature_path(SourcePaths.under(root)).unlink()
    assert check(root, allowed) is Status.unsigned
    done = cab("verify", str(root), "--allowed-signers", str(allowed))
    assert done.returncode == 1
    assert "unsigned" in done.stdout


def test_an_older_snapshot_is_checked_with_its_own_signature(
    signed: tuple[Path, Path, Path],
) -> None:
    root, _, allowed = signed
    older = root / "snapshots/2026-05-27/site/src/data/tasks.json"
    older.write_bytes(older.read_bytes().replace(b"\n", b" \n", 1))
    assert check(root, allowed) is Status.verified
    assert check(root / "snapshots/2026-05-27", allowed) is Status.bad
    done = cab("verify", str(root), "--allowed-signers", str(allowed))
    assert done.returncode == 1
    assert "snapshot 2026-06-20: signed by" in done.stdout


def test_the_sample_ships_signed_and_verified() -> None:
    done = cab(
        "verify", str(REPO / "data"), "--allowed-signers", str(REPO / "docs/allowed_signers")
    )
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("verified") == 2
