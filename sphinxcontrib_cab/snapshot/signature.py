"""Signed receipts: an SSH signature over a snapshot's digest, made and checked with ``ssh-keygen``.

What is signed is the exact text ``sha256sum`` prints for the snapshot's source files
(:func:`~.digest.sha256sum_text`), whose sha256 is the combined digest. So a signature covers
every byte of every source file, and anyone can check it by hand without Python::

    sphinxcontrib-cab digest data 2>/dev/null |
      ssh-keygen -Y verify -f allowed_signers -I <principal> -n <namespace> \\
        -s data/site/src/data/receipt.sig

The signature lives beside the methodology pin, as :data:`SIGNATURE_NAME` (``receipt.sig``) in
the folder of ``meta.json``; an older snapshot carries its own. It is not a source file, so it is
not in the digest it signs.

Checking runs OpenSSH's own ``ssh-keygen -Y find-principals`` and ``-Y verify`` (no shell, with a
timeout) rather than a Python reimplementation: the build then trusts exactly what the guide's
hand check trusts, the allowed_signers format (principals, wildcards, ``namespaces=``,
``valid-before``, certificate authorities) is read by the program that defines it, and no
cryptography library is added. The armored signature is also parsed here, only to name the key
(its ``SHA256:`` fingerprint) and the namespace in the result, so a bad signature says why.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import struct
import subprocess
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from .digest import sha256sum_text

if TYPE_CHECKING:
    from pathlib import Path

    from .model import Digest
    from .paths import SourcePaths

SIGNATURE_NAME = "receipt.sig"
"""The signature's file name, in the folder of the snapshot's ``meta.json``."""

DEFAULT_NAMESPACE = "receipt@codingagentbench.com"
"""The ``ssh-keygen -n`` namespace receipts are signed in unless configured otherwise."""

TIMEOUT = 30.0
"""Seconds one ``ssh-keygen`` call may take."""

_ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_ARMOR_END = "-----END SSH SIGNATURE-----"


class Status(Enum):
    """The outcome of checking one snapshot's signature."""

    verified = "verified"
    unsigned = "unsigned"
    unchecked = "unchecked"
    """Signed, but no allowed_signers file is configured: shown as not verified, no warning."""
    bad = "bad"
    """Damaged, foreign, for another namespace, over other data, or not checkable: an error."""


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """What checking a snapshot's signature found: the status, who signed (when verified), the
    key's fingerprint and namespace (when the signature could be parsed), and why it is bad."""

    status: Status
    path: Path
    principal: str | None = None
    fingerprint: str | None = None
    key_type: str | None = None
    namespace: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ArmoredSignature:
    """The fields of an SSHSIG blob that name the signer (PROTOCOL.sshsig)."""

    public_key: bytes
    key_type: str
    namespace: str
    hash_algorithm: str

    @property
    def fingerprint(self) -> str:
        """``SHA256:<base64 without padding>``, as ``ssh-keygen -l`` prints it."""
        digest = base64.b64encode(hashlib.sha256(self.public_key).digest()).decode("ascii")
        return f"SHA256:{digest.rstrip('=')}"


def signature_path(sources: SourcePaths) -> Path:
    """Where the snapshot at ``sources`` keeps its signature: beside its ``meta.json``."""
    return sources.meta.parent / SIGNATURE_NAME


def signed_text(digest: Digest) -> bytes:
    """The bytes a receipt signature covers: the ``sha256sum`` listing of the snapshot."""
    return sha256sum_text(digest.files).encode("utf-8", "surrogateescape")


def _strings(blob: bytes, offset: int, count: int) -> tuple[list[bytes], int]:
    found = []
    for _ in range(count):
        if offset + 4 > len(blob):
            raise ValueError("the signature ends early")
        (length,) = struct.unpack_from(">I", blob, offset)
        offset += 4
        if offset + length > len(blob):
            raise ValueError("the signature ends early")
        found.append(blob[offset : offset + length])
        offset += length
    return found, offset


def parse_signature(text: str) -> ArmoredSignature:
    """The signer's key and namespace from an armored SSH signature; :class:`ValueError` when
    it is not one (damaged, truncated, another format)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 3 or lines[0] != _ARMOR_BEGIN or lines[-1] != _ARMOR_END:
        raise ValueError("it is not an armored SSH signature (BEGIN/END SSH SIGNATURE lines)")
    try:
        blob = base64.b64decode("".join(lines[1:-1]), validate=True)
    except ValueError as error:
        raise ValueError(f"its base64 body is damaged ({error})") from None
    if blob[:6] != b"SSHSIG" or len(blob) < 10:
        raise ValueError("it does not start with the SSHSIG magic")
    (version,) = struct.unpack_from(">I", blob, 6)
    if version != 1:
        raise ValueError(f"it is SSHSIG version {version}, not 1")
    (public_key, namespace, _reserved, hash_algorithm, signature), end = _strings(blob, 10, 5)
    if end != len(blob):
        raise ValueError("it has bytes after the signature")
    (key_type,), _ = _strings(public_key, 0, 1)
    if not signature:
        raise ValueError("it holds no signature")
    return ArmoredSignature(
        public_key=public_key,
        key_type=key_type.decode("ascii", "replace"),
        namespace=namespace.decode("utf-8", "replace"),
        hash_algorithm=hash_algorithm.decode("ascii", "replace"),
    )


def _ssh_keygen(
    arguments: list[str], data: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``ssh-keygen`` (never through a shell); :class:`OSError` when it is missing or hangs."""
    program = shutil.which("ssh-keygen")
    if program is None:
        raise OSError("ssh-keygen is not installed (Debian: openssh-client)")
    try:
        done = subprocess.run(
            [program, *arguments],
            input=data,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OSError(f"ssh-keygen did not answer within {TIMEOUT:g} seconds") from None
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def verify(
    message: bytes, signature: Path, allowed_signers: Path | None, namespace: str
) -> SignatureCheck:
    """Check ``signature`` over ``message`` against ``allowed_signers`` in ``namespace``.

    No signature file gives ``unsigned``; no allowed_signers file (``None``) gives ``unchecked``;
    every other failure gives ``bad`` with the reason in words.
    """
    if not signature.is_file():
        return SignatureCheck(Status.unsigned, signature)
    try:
        parsed = parse_signature(signature.read_text(encoding="ascii"))
    except (ValueError, OSError) as error:
        why = f"is not a valid SSH signature: {error}"
        return SignatureCheck(Status.bad, signature, reason=why)
    found = SignatureCheck(
        Status.bad,
        signature,
        fingerprint=parsed.fingerprint,
        key_type=parsed.key_type,
        namespace=parsed.namespace,
    )
    if parsed.namespace != namespace:
        # no quote marks in reasons: the page would typeset them as curly quotes
        return _with(
            found, f"was made for namespace {parsed.namespace}, but {namespace} is expected"
        )
    if allowed_signers is None:
        return _with(found, "", Status.unchecked)
    if not allowed_signers.is_file():
        return _with(found, f"cannot be checked: allowed_signers file {allowed_signers} is missing")
    try:
        principals = _ssh_keygen(
            ["-Y", "find-principals", "-s", str(signature), "-f", str(allowed_signers)]
        )
        if principals.returncode != 0:
            return _with(
                found,
                f"was made with key {parsed.fingerprint}, which {allowed_signers.name} does not "
                "allow to sign",
            )
        for principal in principals.stdout.split():
            checked = _ssh_keygen(
                [
                    "-Y",
                    "verify",
                    "-f",
                    str(allowed_signers),
                    "-I",
                    principal,
                    "-n",
                    namespace,
                    "-s",
                    str(signature),
                ],
                message,
            )
            if checked.returncode == 0:
                return SignatureCheck(
                    Status.verified,
                    signature,
                    principal=principal,
                    fingerprint=parsed.fingerprint,
                    key_type=parsed.key_type,
                    namespace=parsed.namespace,
                )
    except OSError as error:
        return _with(found, f"cannot be checked: {error}")
    return _with(
        found,
        "does not match the digest of this snapshot: a source file changed after it was signed, "
        "or it signs other data",
    )


def _with(check: SignatureCheck, reason: str, status: Status = Status.bad) -> SignatureCheck:
    return SignatureCheck(
        status,
        check.path,
        fingerprint=check.fingerprint,
        key_type=check.key_type,
        namespace=check.namespace,
        reason=reason,
    )


def verify_sources(
    sources: SourcePaths, digest: Digest, allowed_signers: Path | None, namespace: str
) -> SignatureCheck:
    """Check the signature of the snapshot at ``sources`` against its ``digest``."""
    return verify(signed_text(digest), signature_path(sources), allowed_signers, namespace)


def sign(message: bytes, key: Path, namespace: str) -> str:
    """The armored signature of ``message`` by the private ``key`` (``ssh-keygen -Y sign``);
    :class:`OSError` with ssh-keygen's words when it fails."""
    done = _ssh_keygen(["-Y", "sign", "-f", str(key), "-n", namespace], message)
    if done.returncode != 0 or _ARMOR_BEGIN not in done.stdout:
        raise OSError(done.stderr.strip() or f"ssh-keygen exited with {done.returncode}")
    return done.stdout
