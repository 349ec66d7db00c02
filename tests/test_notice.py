"""The synthetic-data notice: once on every page showing numbers from a ``synthetic: true``
snapshot, in every builder; never on a page without numbers, nor for a snapshot that is not
synthetic."""

from __future__ import annotations

import json
import re
import shutil
from typing import TYPE_CHECKING

import pytest
from cab_pages import MINI, build, soup

from sphinxcontrib_cab.notice import NOTICE_TITLE, notice_text

if TYPE_CHECKING:
    from pathlib import Path

META = "site/src/data/meta.json"
NUMBER_PAGES = ("reference_rst", "reference_md")
"""The pages of ``test-directives-all`` that use every cab directive and role; its index has
only a table of contents."""


def flattened(text: str) -> str:
    """Text with line wrapping and the hyphen escapes of LaTeX and man undone."""
    text = text.replace("\\sphinxhyphen{}", "-").replace("\\-", "-")
    return re.sub(r"\s+", " ", text)


def snapshot_marked(workdir: Path, synthetic: bool) -> Path:
    """A copy of the mini snapshot (and the older one it lists) whose meta.json files say
    ``synthetic: <synthetic>``."""
    target = workdir / f"snapshot-{synthetic}"
    shutil.copytree(MINI, target)
    for path in target.rglob("meta.json"):
        meta = json.loads(path.read_text(encoding="utf-8"))
        meta["synthetic"] = synthetic
        path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return target


def shown_snapshots(docname: str = "reference_md") -> list[str]:
    """The snapshots a page shows: the pinned one and the older one (both pages have a cab-diff
    from it; the MyST page also a receipt and a provenance with ``:snapshot:``)."""
    assert docname in NUMBER_PAGES
    meta = json.loads((MINI / META).read_text(encoding="utf-8"))
    older = [s["snapshot_date"] for s in meta["snapshots"]]
    return sorted([meta["snapshot_date"], *older])


def test_the_mini_snapshot_is_synthetic() -> None:
    assert json.loads((MINI / META).read_text(encoding="utf-8"))["synthetic"] is True


def test_html_pages_with_numbers_say_it_once_near_the_top(tmp_path: Path) -> None:
    built = build("directives-all", tmp_path, "html")
    assert built.warnings == []
    for docname in NUMBER_PAGES:
        page = soup(built.page(docname))
        notices = page.select("div.admonition.cab-synthetic")
        assert len(notices) == 1, docname
        assert notices[0].select_one(".admonition-title").get_text() == NOTICE_TITLE  # type: ignore[union-attr]
        body = notices[0].select_one("p:not(.admonition-title)")
        assert body is not None
        assert flattened(body.get_text()) == notice_text(shown_snapshots(docname))
        section = page.select_one("section")
        assert section is not None
        # right under the page title, before any number
        assert section.find_all(recursive=False)[1] is notices[0]
    assert "cab-synthetic" not in built.page("index")


@pytest.mark.parametrize(
    ("builder", "output", "expected"),
    [
        ("text", "reference_md.txt", 1),
        ("text", "index.txt", 0),
        ("latex", "cab-test.tex", 2),
        ("man", "cab-test.1", 2),
    ],
)
def test_other_builders_write_it(builder: str, output: str, expected: int, tmp_path: Path) -> None:
    built = build("directives-all", tmp_path, builder)
    assert built.warnings == []
    written = flattened((built.outdir / output).read_text(encoding="utf-8"))
    assert written.count(NOTICE_TITLE) == expected
    if expected:
        assert notice_text(shown_snapshots()) in written


def test_a_snapshot_that_is_not_synthetic_gets_no_notice(tmp_path: Path) -> None:
    real = snapshot_marked(tmp_path, synthetic=False)
    built = build("directives-all", tmp_path, "html", snapshot=real)
    assert built.warnings == []
    for docname in (*NUMBER_PAGES, "index"):
        page = built.page(docname)
        assert NOTICE_TITLE not in page
        assert "cab-synthetic" not in page


def test_every_task_page_says_it_once(tmp_path: Path) -> None:
    built = build("taskpages", tmp_path, "html", confoverrides={"cab_snapshot_root": "snapshot"})
    assert built.warnings == []
    pages = sorted(built.outdir.glob("task/*/*/index.html"))
    tasks = json.loads((MINI / "site/src/data/tasks.json").read_text(encoding="utf-8"))
    assert len(pages) == len(tasks)
    for path in pages:
        notices = soup(path.read_text(encoding="utf-8")).select("div.admonition.cab-synthetic")
        assert len(notices) == 1, path
