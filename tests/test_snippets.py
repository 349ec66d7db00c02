"""Every snippet of the README and the user guide works exactly as written.

Pages (``md``, ``rst``) are built with ``sphinx-build -nW`` in a project configured by the
README's ``conf.py`` against the sample snapshot; each cab directive and role they use must have
rendered, and no cab or MyST markup may show as text. ``conf.py`` snippets are appended to the
README's configuration and build the README's page. Scripts run from the project's root; YAML,
JSON and TOML snippets must parse. See :mod:`snippets` for which language is which.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from typing import TYPE_CHECKING

import pytest
import yaml
from snippets import (
    REPO,
    Project,
    Snippet,
    all_snippets,
    leaked_markup,
    readme_conf,
    readme_page,
    unrendered,
)

if TYPE_CHECKING:
    from pathlib import Path

SNIPPETS = all_snippets()


def of_kind(*kinds: str) -> list[Snippet]:
    return [snippet for snippet in SNIPPETS if snippet.kind in kinds]


def ids(snippets: list[Snippet]) -> list[str]:
    return [snippet.id for snippet in snippets]


def assert_clean_build(project: Project, snippet: Snippet) -> str:
    done = project.build()
    assert done.returncode == 0, f"{snippet.id} fails to build:\n{done.stderr}"
    assert done.stderr.strip() == "", f"{snippet.id} warns:\n{done.stderr}"
    return project.html()


def assert_rendered(html: str, snippet: Snippet) -> None:
    assert leaked_markup(html) == [], f"{snippet.id} shows markup as text"
    assert unrendered(html, snippet.used) == [], f"{snippet.id}: not rendered"


def test_every_snippet_has_a_known_kind() -> None:
    kinds = {snippet.id: snippet.kind for snippet in SNIPPETS}
    assert "page" in kinds.values()
    assert "conf" in kinds.values()


@pytest.mark.parametrize("snippet", of_kind("page"), ids=ids(of_kind("page")))
def test_page_snippet_builds_and_renders(snippet: Snippet, tmp_path: Path) -> None:
    suffix = ".md" if snippet.language in ("md", "markdown") else ".rst"
    project = Project.make(tmp_path, readme_conf(), {f"index{suffix}": snippet.text})
    html = assert_clean_build(project, snippet)
    assert snippet.used, f"{snippet.id} uses no cab directive or role"
    assert_rendered(html, snippet)


@pytest.mark.parametrize("snippet", of_kind("conf"), ids=ids(of_kind("conf")))
def test_conf_snippet_builds(snippet: Snippet, tmp_path: Path) -> None:
    settings: dict[str, object] = {"__file__": str(tmp_path / "docs" / "conf.py")}
    exec(compile(snippet.text, snippet.id, "exec"), settings)
    page = readme_page()
    text = page.text
    task_pages = settings.get("cab_task_pages")
    if task_pages:  # the guide says to list the generated index in a toctree
        text += f"\n```{{toctree}}\n:hidden:\n\n{task_pages}/index\n```\n"
    conf = readme_conf() + "\n" + snippet.text
    project = Project.make(tmp_path, conf, {"index.md": text})
    assert_rendered(assert_clean_build(project, snippet), page)


@pytest.mark.parametrize("snippet", of_kind("script"), ids=ids(of_kind("script")))
def test_script_snippet_runs(snippet: Snippet, tmp_path: Path) -> None:
    project = Project.make(tmp_path, readme_conf(), {"index.md": readme_page().text})
    done = subprocess.run(
        [sys.executable, "-c", snippet.text],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{snippet.id}:\n{done.stderr}"


PARSERS = {"yaml": yaml.safe_load, "json": json.loads, "toml": tomllib.loads}


@pytest.mark.parametrize("snippet", of_kind("parsed"), ids=ids(of_kind("parsed")))
def test_data_snippet_parses(snippet: Snippet) -> None:
    assert PARSERS[snippet.language](snippet.text) is not None


def test_a_snippet_that_renders_as_text_fails(tmp_path: Path) -> None:
    """Without ``colon_fence`` MyST shows a ``:::`` directive as a paragraph, with no warning:
    the build is clean, and only the rendering checks catch it."""
    page = readme_page()
    conf = readme_conf().replace('myst_enable_extensions = ["colon_fence"]', "")
    project = Project.make(tmp_path, conf, {"index.md": page.text})
    html = assert_clean_build(project, page)
    assert leaked_markup(html)
    assert "cab-leaderboard" in unrendered(html, page.used)
    with pytest.raises(AssertionError):
        assert_rendered(html, page)


def registered() -> dict[str, object]:
    """Every cab directive and role, as ``setup()`` registers them (into a stand-in app)."""
    from unittest.mock import MagicMock

    from sphinxcontrib_cab.directives import setup_directives
    from sphinxcontrib_cab.domain import DIRECTIVES, ROLES
    from sphinxcontrib_cab.roles import setup_roles

    setup_directives(MagicMock())
    setup_roles(MagicMock())
    return {**DIRECTIVES, **ROLES}


INTERNAL = ("Render", "Produces", "Returns", "Shared", "One reference table", "pending")


def test_every_directive_and_role_says_what_the_reader_gets_with_an_example() -> None:
    from sphinxcontrib_cab.directives.reference.prose import doc_paragraphs

    for name, obj in registered().items():
        first = doc_paragraphs(obj)[0].astext()
        assert not first.startswith(INTERNAL), f"{name}: {first}"
        assert "pending" not in first and "node" not in first, f"{name}: {first}"
        assert getattr(obj, "example", None), f"{name} has no example"


def test_every_example_in_the_reference_builds_and_renders(tmp_path: Path) -> None:
    """The reference shows each directive's and role's ``example``; all of them, one page each,
    build with ``-nW`` against the sample snapshot and render."""
    examples = {name: str(obj.example) for name, obj in registered().items()}
    pages = {f"{name}.md": f"# {name}\n\n{text}\n" for name, text in examples.items()}
    toctree = "\n".join(sorted(examples))
    pages["index.md"] = f"# Examples\n\n```{{toctree}}\n{toctree}\n```\n"
    project = Project.make(tmp_path, readme_conf(), pages)
    done = project.build()
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    for name, text in examples.items():
        example = Snippet(REPO / "sphinxcontrib_cab", 0, "md", text)
        assert_rendered(project.html(name), example)
        assert name in example.used
