"""Signed receipts in real builds: shown on the receipt, and every bad signature fails ``-W``;
the guide's ``ssh-keygen`` commands, run exactly as written against the signed sample."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from signing import PRINCIPAL, allow, make_key, sign
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

TESTS = Path(__file__).parent
REPO = TESTS.parent
ROOT = TESTS / "roots" / "test-signature"
MINI = TESTS / "snapshots" / "mini"
GUIDE = REPO / "docs" / "guide" / "verify-receipt.md"

MakeApp = Callable[..., SphinxTestApp]

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="needs ssh-keygen (Debian: openssh-client)"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The test-signature root with a signed copy of the mini snapshot (both snapshots)."""
    srcdir = tmp_path / "project"
    shutil.copytree(ROOT, srcdir)
    shutil.copytree(MINI, srcdir / "data")
    key = make_key(tmp_path / "keys")
    allow(key, srcdir / "allowed_signers")
    sign(srcdir / "data", key)
    sign(srcdir / "data/snapshots/2026-05-27", key)
    return srcdir


def build(make_app: MakeApp, srcdir: Path) -> tuple[SphinxTestApp, list[str]]:
    """One fresh ``-W`` build: the app (``statuscode`` 1 = failed) and its cab warnings."""
    app = make_app("html", srcdir=srcdir, freshenv=True, warningiserror=True)
    app.build()
    warnings = [w for w in strip_colors(app.warning.getvalue()).splitlines() if "[cab." in w]
    return app, warnings


def signatures(app: SphinxTestApp) -> list[tuple[list[str], str]]:
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    found = BeautifulSoup(html, "html.parser").select("p.cab-signature")
    return [(list(p["class"]), " ".join(p.get_text().split())) for p in found]


def test_valid_signatures_show_principal_fingerprint_verified(
    make_app: MakeApp, project: Path
) -> None:
    app, warnings = build(make_app, project)
    assert warnings == []
    assert app.statuscode == 0
    shown = signatures(app)
    assert len(shown) == 2
    for classes, text in shown:
        assert "cab-signature-verified" in classes
        assert re.fullmatch(
            rf"Signed by {re.escape(PRINCIPAL)}, ssh-ed25519 key SHA256:[A-Za-z0-9+/]{{43}}: "
            r"verified against the allowed signers of this site \(namespace "
            r"receipt@codingagentbench.com\)\.",
            text,
        ), text


def test_unsigned_is_said_plainly(make_app: MakeApp, project: Path) -> None:
    (project / "data/site/src/data/receipt.sig").unlink()
    app, warnings = build(make_app, project)
    assert warnings == []
    assert signatures(app)[0] == (
        ["cab-signature", "cab-signature-unsigned"],
        "Unsigned: this snapshot carries no signature (receipt.sig).",
    )


def _change_a_byte(project: Path, tmp_path: Path) -> None:
    tasks = project / "data/site/src/data/tasks.json"
    tasks.write_bytes(tasks.read_bytes().replace(b"]", b" ]", 1))


def _foreign_key(project: Path, tmp_path: Path) -> None:
    sign(project / "data", make_key(tmp_path / "stranger"))


def _wrong_namespace(project: Path, tmp_path: Path) -> None:
    (project / "conf.py").open("a").write('cab_signature_namespace = "file"\n')


def _truncated(project: Path, tmp_path: Path) -> None:
    path = project / "data/site/src/data/receipt.sig"
    path.write_text(path.read_text()[:150])


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_change_a_byte, "does not match the digest of this snapshot"),
        (_foreign_key, "which allowed_signers does not allow to sign"),
        (_wrong_namespace, "made for namespace receipt@codingagentbench.com, but file is expected"),
        (_truncated, "is not a valid SSH signature"),
    ],
)
def test_a_bad_signature_is_an_error_that_fails_w_and_is_on_the_page(
    make_app: MakeApp,
    project: Path,
    tmp_path: Path,
    spoil: Callable[[Path, Path], None],
    reason: str,
) -> None:
    spoil(project, tmp_path)
    app, warnings = build(make_app, project)
    assert app.statuscode == 1
    pinned = [w for w in warnings if "snapshot 2026-06-20" in w]
    assert len(pinned) == 1, warnings
    where = "data/site/src/data/receipt.sig:: ERROR: snapshot 2026-06-20: its signature "
    assert pinned[0].startswith(where)
    assert reason in pinned[0]
    assert pinned[0].endswith("[cab.signature]")
    classes, text = signatures(app)[0]
    assert "cab-signature-bad" in classes
    assert text.startswith("Signature not valid: receipt.sig ")
    assert reason in text
    # the older snapshot keeps its own signature, still valid unless the namespace changed for all
    older = "cab-signature-bad" if spoil is _wrong_namespace else "cab-signature-verified"
    assert older in signatures(app)[1][0]


def test_no_allowed_signers_shows_signed_but_not_verified(make_app: MakeApp, project: Path) -> None:
    (project / "conf.py").open("a").write('cab_allowed_signers = ""\n')
    app, warnings = build(make_app, project)
    assert warnings == []
    classes, text = signatures(app)[0]
    assert "cab-signature-unchecked" in classes
    assert "not verified: this site names no allowed signers" in text


def guide_commands() -> list[str]:
    """The guide's ``sh`` blocks that call ``ssh-keygen``, as written."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [block for block in blocks if "ssh-keygen" in block]


def test_the_guides_ssh_keygen_commands_verify_the_sample_as_written() -> None:
    commands = guide_commands()
    assert len(commands) == 3
    # `python` in the guide is the one this package is installed in
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    outputs = []
    for command in commands:
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", command],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PATH": path},
        )
        assert done.returncode == 0, command + done.stdout + done.stderr
        outputs.append(done.stdout + done.stderr)
    assert outputs[0].strip() == "sample-maintainer@codingagentbench.com"
    for output in outputs[1:]:
        assert output.startswith(
            'Good "receipt@codingagentbench.com" signature for '
            "sample-maintainer@codingagentbench.com with ED25519 key SHA256:"
        )


def test_a_changed_signature_alone_reads_the_receipt_again(
    make_app: MakeApp, project: Path
) -> None:
    """The signature is not in the digest, yet a page showing it must follow it."""
    build(make_app, project)
    (project / "data/site/src/data/receipt.sig").unlink()
    app = make_app("html", srcdir=project)
    app.build()
    assert signatures(app)[0][0] == ["cab-signature", "cab-signature-unsigned"]
