"""Sessions: ``tests`` (whole suite), ``docs`` (the site), ``lint``, ``bench``, ``fuzz``,
``dist`` (the release build and its check), ``tests_sphinx``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

CHROMIUM = "/usr/bin/chromium"


TEX_PACKAGES = (
    "latexmk",
    "texlive-xetex",
    "texlive-latex-recommended",
    "texlive-latex-extra",
    "texlive-pictures",  # TikZ: cab-chart's figures in LaTeX
    "texlive-fonts-recommended",
    "fonts-freefont-otf",
    "xindy",  # Sphinx indexes with xindy under xelatex; cab's objects are index entries
)
"""Debian packages that let the tests compile the LaTeX output to PDF with xelatex."""

SSH_PACKAGES = ("openssh-client",)
"""The Debian package with ``ssh-keygen``, which signs and verifies receipts (and their tests)."""


def _apt_install(session: nox.Session, packages: tuple[str, ...]) -> bool:
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        session.run("apt-get", "update", "-qq", external=True)
        session.run(
            "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, external=True
        )
        return True
    return False


def _ensure_system_tools(session: nox.Session) -> None:
    """Browser tests drive Debian's Chromium, the PDF tests run xelatex and the signature tests
    ssh-keygen: install them when missing and we may (as root with apt-get); never download a
    browser of a test tool's own."""
    wanted: tuple[str, ...] = ()
    if not os.path.exists(CHROMIUM):
        wanted += ("chromium",)
    if not all(shutil.which(tool) for tool in ("xelatex", "latexmk", "xindy")):
        wanted += TEX_PACKAGES
    if not shutil.which("ssh-keygen"):
        wanted += SSH_PACKAGES
    if wanted and not _apt_install(session, wanted):
        session.warn(
            f"missing {', '.join(wanted)}: browser tests fail without {CHROMIUM}; "
            "PDF compile tests skip (and say so) without xelatex and latexmk"
        )


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite: unit, Sphinx builds, builders, themes, browser."""
    _ensure_system_tools(session)
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=["3.12", "3.13"])
def tests_sphinx(session: nox.Session) -> None:
    """The suite without browser tests on newer Python and Sphinx (9.1 on 3.12, 9.2 on 3.13)."""
    sphinx = {"3.12": "sphinx~=9.1.0", "3.13": "sphinx~=9.2.0"}[str(session.python)]
    session.install("-e", ".[test]", sphinx)
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site from the sample snapshot into docs/_build/html (its receipts'
    signatures are verified with ssh-keygen)."""
    if not shutil.which("ssh-keygen") and not _apt_install(session, SSH_PACKAGES):
        session.warn("missing ssh-keygen (openssh-client): the signed receipts cannot be verified")
    session.install("-e", ".[docs]")
    session.run(
        "sphinx-build",
        "-nW",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
        *session.posargs,
    )


@nox.session
def dist(session: nox.Session) -> None:
    """Build the sdist and the wheel into dist/ and check them with twine: every step of the
    release workflow (.github/workflows/release.yml) up to the upload."""
    session.install(".[release]")
    shutil.rmtree("dist", ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", "dist")
    session.run("twine", "check", "--strict", *sorted(str(p) for p in Path("dist").iterdir()))


@nox.session
def fuzz(session: nox.Session) -> None:
    """Mutation fuzzing of every reader, ten minutes by default (``-- --seconds N --seed S``)."""
    session.install("-e", ".[test]")
    session.run("python", "tests/snapshot/fuzz.py", *(session.posargs or ["--seconds", "600"]))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy."""
    session.install("-e", ".[lint,test]")
    session.run(
        "ruff", "check", "sphinxcontrib_cab", "tests", "tools", "bench", "docs", "noxfile.py"
    )
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Side-by-side performance benchmark; writes bench/results.{md,json}."""
    session.install("-e", ".[docs,bench]")
    session.run("python", "bench/run.py", *session.posargs)
