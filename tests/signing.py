"""Test keys and signatures made with real ``ssh-keygen`` in temporary folders (never committed)."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

PRINCIPAL = "maintainer@example.org"


def cab(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user does."""
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_cab", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def make_key(folder: Path, name: str = "key") -> Path:
    """A fresh ed25519 key pair in ``folder``; returns the private key's path."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key


def allow(key: Path, allowed: Path, principal: str = PRINCIPAL) -> Path:
    """Write an allowed_signers file that lets ``principal`` sign with ``key``."""
    public = key.with_suffix(".pub").read_text().split()[:2]
    allowed.write_text(f"{principal} {' '.join(public)}\n")
    return allowed


def sign(root: Path, key: Path, *extra: str) -> None:
    """Sign the snapshot at ``root`` with the CLI's ``sign``."""
    done = cab("sign", str(root), "-f", str(key), *extra)
    assert done.returncode == 0, done.stderr
