"""Data tables' two writers: finished HTML (html.py) and the generic tree (every other builder).

Both are written from one :class:`~sphinxcontrib_cab.tables.DataTable`, so they must show the
same rows with the same text, whatever the data holds. The task spec is the table under test: it
holds every kind of part (words, values, missing marks, a code block, bullet lists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from cab_pages import MINI
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx import addnodes

from sphinxcontrib_cab.directives.task import spec_fields, spec_table
from sphinxcontrib_cab.html import cab_html, cab_search_text
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.tables import DataTable, Link, Value, generic_table, table_nodes, words

if TYPE_CHECKING:
    from sphinxcontrib_cab.snapshot.contract import Task

HOSTILE = (
    "<script>alert(1)</script>",
    "\"quoted\" & 'single' </td></tr></table>",
    "two  spaces and\ttab",
    "line\nbreak\rreturn",
    "\u202eevil\u200bhidden",
)


@pytest.fixture(scope="module")
def task() -> Task:
    snapshot = load_snapshot(SourcePaths.under(MINI))
    return snapshot.tasks[0]


def hostile_task(task: Task, value: str) -> Task:
    """``task`` with ``value`` in every text field the spec shows (not validated: the writers
    must cope with anything)."""
    grader = task.grader.model_copy(update={"kind": value, "command": value})
    constraints = [c.model_copy(update={"rule": value, "target": value}) for c in task.constraints]
    return task.model_copy(
        update={
            "language": value,
            "version": value,
            "summary": value,
            "source": value,
            "setup": value,
            "grader": grader,
            "ground_truth": (value,),
            "constraints": tuple(constraints),
        }
    )


def squeezed(text: str) -> str:
    return " ".join(text.split())


def markup_of(table: DataTable) -> str:
    written = table_nodes(table, nodes.paragraph())
    assert [type(node) for node in written] == [cab_html, cab_search_text]  # no link: one fragment
    return str(written[0]["html"])


def html_rows(markup: str) -> list[str]:
    table = BeautifulSoup(markup, "html.parser").select_one("table.cab-table")
    assert table is not None
    return [squeezed(row.get_text()) for row in table.select("tbody > tr")]


def generic_rows(table: nodes.table) -> list[str]:
    return [
        squeezed(row.astext()) for row in table.findall(nodes.row) if row.parent.tagname == "tbody"
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_html_and_generic_tree_show_the_same_rows(task: Task, value: str) -> None:
    table = spec_table(hostile_task(task, value))
    markup = markup_of(table)
    page = BeautifulSoup(markup, "html.parser")
    assert page.find("script") is None
    assert page.select("table") == [page.select_one("table.cab-task-spec")]  # nothing broke out
    assert html_rows(markup) == generic_rows(generic_table(table))
    caption = page.select_one("table.cab-task-spec > caption")
    assert caption is not None and caption.get_text() == generic_table(table)[0].astext()


def test_every_field_is_a_row_in_the_catalogue_order(task: Task) -> None:
    names = [field for field, _value in spec_fields(task)]
    assert names[:2] == ["id", "category"]
    assert len(names) == len(set(names)) == 13
    table = BeautifulSoup(markup_of(spec_table(task)), "html.parser").select_one("table")
    assert table is not None
    shown = [row.find("td").get_text() for row in table.select("tbody > tr")]  # type: ignore[union-attr]
    assert shown == names


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_value_reads_the_same_in_both_writers(task: Task, value: str) -> None:
    table = spec_table(hostile_task(task, value))
    assert html_rows(markup_of(table)) == generic_rows(generic_table(table))


def test_a_link_is_a_real_cross_reference_between_fragments() -> None:
    table = DataTable("Tasks", ("Task",), (100,), ("cab-prose",), ((words(Link("a/b", "t/a/b")),),))
    written = table_nodes(table, nodes.paragraph())
    assert [type(node) for node in written] == [cab_html, nodes.inline, cab_html, cab_search_text]
    (xref,) = written[1].children
    assert isinstance(xref, addnodes.pending_xref)
    assert (xref["refdomain"], xref["reftype"], xref["reftarget"]) == ("std", "doc", "/t/a/b")
    assert xref.astext() == "a/b"
    # the generic tree links the same way
    (generic,) = generic_table(table).findall(addnodes.pending_xref)
    assert generic["reftarget"] == "/t/a/b"
    # the fragments around the link are the table's own markup, cut at the link
    markup = written[0]["html"] + "LINK" + written[2]["html"]
    assert html_rows(markup) == ["LINK"]


@pytest.mark.parametrize("value", HOSTILE)
def test_caption_and_header_from_data_are_escaped_alike(value: str) -> None:
    table = DataTable(
        value, (value, "Value"), (50, 50), ("cab-prose",), ((words(Value("x")),) * 2,)
    )
    page = BeautifulSoup(markup_of(table), "html.parser")
    generic = generic_table(table)
    assert page.find("script") is None
    assert page.select_one("caption").get_text() == generic[0].astext()  # type: ignore[union-attr]
    header = [squeezed(th.get_text()) for th in page.select("thead th")]
    thead = next(generic.findall(nodes.thead))
    assert header == [squeezed(entry.astext()) for entry in thead.findall(nodes.entry)]
    assert "\u202e" not in markup_of(table) and "\u202e" not in generic.astext()


def test_the_search_index_gets_the_words_not_the_markup(task: Task) -> None:
    table = spec_table(hostile_task(task, "a && b <c>"))
    (search,) = [n for n in table_nodes(table, nodes.paragraph()) if isinstance(n, cab_search_text)]
    words = search.astext()
    assert "a && b <c>" in words and task.id in words and "Spec of task" in words
    assert "&amp;" not in words and "<p>" not in words and "span" not in words
