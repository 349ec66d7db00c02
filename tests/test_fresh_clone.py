"""A new user, word for word: clone the repository, make a new virtual environment, install the
extension the way the getting-started guide says, write the ``conf.py`` the README and the guide
give, add the guide's pages (the first page and the page with every directive, each in Markdown
and in reStructuredText) to a fresh folder, and build it the way the guide says.

Every command and every file comes from the README and the guide as written (extracted as
tests/test_snippets.py does); the only things the test supplies are the folder names the guide
leaves to the reader (the clone as ``./sphinxcontrib-cab``, the site in ``site/docs`` beside the
sample snapshot in ``site/data``, which ``cab_snapshot_root = "../data"`` assumes) and an index
page listing the guide's pages. It clones the committed ``HEAD``, so it checks what a user gets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from snippets import REPO, Snippet, leaked_markup, readme_conf, snippets, unrendered

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

GUIDE = REPO / "docs" / "guide" / "getting-started.md"
CHECKOUT_NAME = "sphinxcontrib-cab"
_DIRECTIVE = re.compile(r'add_directive\(app, "(cab-[a-z-]+)"')


def guide() -> list[Snippet]:
    return snippets(GUIDE)


def install_from_checkout() -> str:
    """The guide's command that installs from a checkout (the first install command)."""
    for snippet in guide():
        if snippet.kind != "shown":
            continue
        for line in snippet.text.splitlines():
            command = line.split("#", 1)[0].strip()
            if command.startswith("python -m pip install ./"):
                return command
    raise AssertionError("the guide gives no install command for a checkout")


def build_command() -> str:
    return next(
        line.strip()
        for snippet in guide()
        if snippet.kind == "shown"
        for line in snippet.text.splitlines()
        if line.startswith("sphinx-build ")
    )


def readme_commands() -> list[str]:
    """The README's ``sphinxcontrib-cab`` commands (without their comments)."""
    readme = snippets(REPO / "README.md")
    return [
        line.split("#", 1)[0].strip()
        for snippet in readme
        if snippet.kind == "shown"
        for line in snippet.text.splitlines()
        if line.startswith("sphinxcontrib-cab ")
    ]


def conf_py() -> str:
    """The README's ``conf.py``, then each ``conf.py`` line the guide adds, in its order."""
    parts = [readme_conf()]
    parts += [snippet.text for snippet in guide() if snippet.kind == "conf"]
    return "\n".join(parts)


def guide_pages() -> dict[str, Snippet]:
    """The guide's pages, named by the order they appear in: ``page1.md``, ``page2.rst`` ..."""
    pages = [snippet for snippet in guide() if snippet.kind == "page"]
    return {
        f"page{number}{'.md' if s.language in ('md', 'markdown') else '.rst'}": s
        for number, s in enumerate(pages, start=1)
    }


def run(command: str, cwd: Path, venv: Path) -> subprocess.CompletedProcess[str]:
    """``command`` in a shell whose ``python`` and scripts are the new environment's."""
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the folder holding the clone, the new environment) after the guide's install command."""
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is required to clone the repository", pytrace=False)
    home = tmp_path_factory.mktemp("new-user")
    clone = subprocess.run(
        [git, "clone", "--quiet", str(REPO), str(home / CHECKOUT_NAME)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert clone.returncode == 0, clone.stderr
    venv = home / "venv"
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    assert made.returncode == 0, made.stderr
    done = run(install_from_checkout(), home, venv)
    assert done.returncode == 0, f"{install_from_checkout()}:\n{done.stderr[-4000:]}"
    return home, venv


def test_the_install_is_the_clone_not_this_checkout(installed: tuple[Path, Path]) -> None:
    home, venv = installed
    where = run(
        'python -c "import sphinxcontrib_cab, sys; print(sphinxcontrib_cab.__file__)"', home, venv
    )
    assert where.returncode == 0, where.stderr
    assert str(venv) in where.stdout and str(REPO) not in where.stdout


def test_a_new_user_gets_a_site_with_every_directive_in_md_and_rst(
    installed: tuple[Path, Path],
) -> None:
    home, venv = installed
    checkout = home / CHECKOUT_NAME
    site = home / "site"
    (site / "docs").mkdir(parents=True)
    shutil.copytree(checkout / "data", site / "data")
    (site / "docs" / "conf.py").write_text(conf_py(), encoding="utf-8")
    pages = guide_pages()
    for name, snippet in pages.items():
        (site / "docs" / name).write_text(snippet.text, encoding="utf-8")
    listed = "\n".join(name.rsplit(".", 1)[0] for name in pages)
    index = f"# Site\n\n```{{toctree}}\n{listed}\ntask/index\n```\n"
    (site / "docs" / "index.md").write_text(index, encoding="utf-8")

    for command in readme_commands():
        done = run(command, site, venv)
        assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"

    built = run(build_command(), site, venv)
    warnings = sorted(set(built.stderr.splitlines()))
    assert built.returncode == 0, "\n".join(warnings)[-6000:]
    assert warnings == []

    sources = "".join(p.read_text("utf-8") for p in (checkout / "sphinxcontrib_cab").rglob("*.py"))
    every = sorted(set(_DIRECTIVE.findall(sources)))
    assert len(every) >= 10, every
    out = site / "docs" / "_build" / "html"
    for suffix in (".md", ".rst"):
        covering = [n for n in pages if n.endswith(suffix) and set(every) <= set(pages[n].used)]
        assert covering, f"no {suffix} page of the guide uses every directive ({every})"
        for name in covering:
            html = (out / f"{name.rsplit('.', 1)[0]}.html").read_text(encoding="utf-8")
            assert leaked_markup(html) == [], f"{name} shows markup as text"
            assert unrendered(html, pages[name].used) == [], f"{name}: not rendered"
