"""The ``cab`` domain: roles resolve to the objects' anchors, objects.inv lists them, another
project links to them through intersphinx, and incremental and parallel builds agree with clean
serial ones."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup
from cab_pages import ROOTS, build, prepare
from sphinx.util.inventory import InventoryFile

from sphinxcontrib_cab.domain import cab_domain

if TYPE_CHECKING:
    from pathlib import Path

    from cab_pages import Built

CELL = "aider/conv/llama-3.3-70b-instruct/polyglot/python-two-sum/conv-vanilla"
BOARD_CELL = "opencode/conv/gpt-oss-120b/polyglot/python-two-sum/conv-vanilla"


def links(built: Built, docname: str) -> dict[str, str | None]:
    """Text of each item of the page's list -> the href its link has (``None``: no link)."""
    soup = BeautifulSoup(built.page(docname), "html.parser")
    result: dict[str, str | None] = {}
    for item in soup.select("div.body li"):
        anchor = item.find("a")
        href = anchor.get("href") if anchor is not None else None
        result[item.get_text(" ", strip=True)] = None if href is None else str(href)
    return result


def history_link(built: Built) -> str | None:
    """The href of the older snapshot's date in the history table, or ``None`` when plain."""
    soup = BeautifulSoup(built.page("history"), "html.parser")
    table = soup.select_one("table.cab-snapshots")
    assert table is not None
    cell = next(td for td in table.select("td") if "2026-05-27" in td.get_text())
    anchor = cell.find("a")
    return None if anchor is None else str(anchor.get("href"))


def test_roles_link_to_the_objects_anchors(tmp_path: Path) -> None:
    built = build("domain", tmp_path)
    assert built.warnings == []
    found = links(built, "refs")
    assert found == {
        "task polyglot/python-two-sum": "task.html#cab-task-polyglot-python-two-sum",
        f"cell {CELL}": "cell.html#cab-cell-f802b0af514a",
        f"board cell {BOARD_CELL}": "board.html",
        "exploit CAB-X-001": "exploits.html#cab-exploit-cab-x-001",
        "snapshot 2026-06-20": "receipt.html#cab-snapshot-2026-06-20",
        "other task mutations/python-comparator-swap": None,
    }
    task = BeautifulSoup(built.page("task"), "html.parser")
    assert task.select_one("table#cab-task-polyglot-python-two-sum.cab-task-spec") is not None
    exploits = BeautifulSoup(built.page("exploits"), "html.parser")
    assert exploits.select_one("#cab-exploit-cab-x-001") is not None
    # the snapshot page does not exist: the date is plain text, without a warning
    assert history_link(built) is None
    assert "genindex" in built.page("refs")
    index = BeautifulSoup((built.outdir / "genindex.html").read_text("utf-8"), "html.parser")
    entries = {a.get_text(): a["href"] for a in index.select("a") if "(" in a.get_text()}
    assert entries["polyglot/python-two-sum (task)"] == "task.html#cab-task-polyglot-python-two-sum"
    assert entries["CAB-X-001 (exploit)"] == "exploits.html#cab-exploit-cab-x-001"
    assert entries["2026-06-20 (snapshot)"] == "receipt.html#cab-snapshot-2026-06-20"


def test_objects_inv_lists_every_kind(tmp_path: Path) -> None:
    built = build("domain", tmp_path)
    inventory = InventoryFile.loads((built.outdir / "objects.inv").read_bytes(), uri="")
    data = inventory.data
    assert data["cab:task"]["polyglot/python-two-sum"].uri == (
        "task.html#cab-task-polyglot-python-two-sum"
    )
    assert data["cab:cell"][CELL].uri == "cell.html#cab-cell-f802b0af514a"
    assert data["cab:cell"][BOARD_CELL].uri == "board.html"
    assert len(data["cab:cell"]) == 12
    assert set(data["cab:exploit"]) == {"CAB-X-001", "CAB-X-002", "CAB-X-003"}
    assert data["cab:snapshot"]["2026-06-20"].uri == "receipt.html#cab-snapshot-2026-06-20"


def test_another_project_links_through_intersphinx(tmp_path: Path) -> None:
    site = build("domain", tmp_path)
    consumer = tmp_path / "consumer"
    shutil.copytree(ROOTS / "test-domain-consumer", consumer)
    built = build(
        "domain-consumer",
        tmp_path,
        srcdir=consumer,
        confoverrides={"intersphinx_mapping": {"bench": (str(site.outdir), None)}},
    )
    assert built.warnings == []
    soup = BeautifulSoup(built.page("index"), "html.parser")
    hrefs = [str(a["href"]) for a in soup.select("div.body a.reference.external")]
    assert hrefs == [
        f"{site.outdir}/task.html#cab-task-polyglot-python-two-sum",
        f"{site.outdir}/cell.html#cab-cell-f802b0af514a",
    ]


SNAPSHOT_PAGE = """\
:orphan:

Snapshot 2026-05-27
===================

.. cab-receipt::
   :snapshot: 2026-05-27
"""


def test_added_snapshot_page_is_linked_by_an_incremental_build(tmp_path: Path) -> None:
    srcdir = prepare("domain", tmp_path)
    assert history_link(build("domain", tmp_path, srcdir=srcdir)) is None
    (srcdir / "snapshots").mkdir()
    (srcdir / "snapshots" / "2026-05-27.rst").write_text(SNAPSHOT_PAGE)
    incremental = build("domain", tmp_path, srcdir=srcdir)
    assert incremental.warnings == []
    assert history_link(incremental) == "snapshots/2026-05-27.html"
    clean = build("domain", tmp_path / "clean", srcdir=_copy_source(srcdir, tmp_path / "clean"))
    assert history_link(clean) == "snapshots/2026-05-27.html"
    assert clean.body("history") == incremental.body("history")
    # and removed again: plain text, as before
    (srcdir / "snapshots" / "2026-05-27.rst").unlink()
    assert history_link(build("domain", tmp_path, srcdir=srcdir)) is None


def test_task_page_added_and_removed_between_builds(tmp_path: Path) -> None:
    srcdir = prepare("domain", tmp_path)
    other = "other task mutations/python-comparator-swap"
    assert links(build("domain", tmp_path, srcdir=srcdir), "refs")[other] is None
    page = srcdir / "swap.rst"
    page.write_text("Swap\n====\n\n.. cab-task:: mutations/python-comparator-swap\n")
    added = build("domain", tmp_path, srcdir=srcdir)
    assert added.warnings == []
    assert links(added, "refs")[other] == "swap.html#cab-task-mutations-python-comparator-swap"
    page.unlink()
    removed = build("domain", tmp_path, srcdir=srcdir)
    assert links(removed, "refs")[other] is None
    assert ("task", "mutations/python-comparator-swap") not in cab_domain(removed.app.env).objects


def test_parallel_build_gives_the_same_domain_data(tmp_path: Path) -> None:
    serial = build("domain", tmp_path / "serial")
    parallel = build("domain", tmp_path / "parallel", parallel=4)
    assert len(serial.app.env.found_docs) >= 6
    assert cab_domain(parallel.app.env).data == cab_domain(serial.app.env).data
    assert parallel.body("refs") == serial.body("refs")


def _copy_source(srcdir: Path, target: Path) -> Path:
    copy = target / srcdir.name
    shutil.copytree(srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    return copy
