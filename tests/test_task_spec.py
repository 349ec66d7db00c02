"""The task spec's two writers: finished HTML (html.py) and the generic tree (every other builder).

Both are written from one :class:`~sphinxcontrib_cab.directives.task.Spec`, so they must show the
same rows with the same text, whatever the data holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from cab_pages import MINI
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_cab.directives.task import spec_of, spec_table
from sphinxcontrib_cab.html import html_highlighter, spec_html
from sphinxcontrib_cab.loader import load_snapshot
from sphinxcontrib_cab.snapshot import SourcePaths

if TYPE_CHECKING:
    from sphinxcontrib_cab.models import Task

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


def html_rows(markup: str) -> list[str]:
    table = BeautifulSoup(markup, "html.parser").select_one("table.cab-task-spec")
    assert table is not None
    return [squeezed(row.get_text()) for row in table.select("tbody > tr")]


def generic_rows(table: nodes.table) -> list[str]:
    return [
        squeezed(row.astext()) for row in table.findall(nodes.row) if row.parent.tagname == "tbody"
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_html_and_generic_tree_show_the_same_rows(task: Task, value: str) -> None:
    spec = spec_of(hostile_task(task, value))
    markup = spec_html(spec, html_highlighter(), nodes.paragraph())
    page = BeautifulSoup(markup, "html.parser")
    assert page.find("script") is None
    assert page.select("table") == [page.select_one("table.cab-task-spec")]  # nothing broke out
    assert html_rows(markup) == generic_rows(spec_table(spec))
    caption = page.select_one("table.cab-task-spec > caption")
    assert caption is not None and caption.get_text() == spec_table(spec)[0].astext()


def test_every_field_is_a_row_in_the_catalogue_order(task: Task) -> None:
    spec = spec_of(task)
    names = [name for name, _value in spec.rows]
    assert names[:2] == ["id", "category"]
    assert len(names) == len(set(names)) == 13
    markup = spec_html(spec, html_highlighter(), nodes.paragraph())
    table = BeautifulSoup(markup, "html.parser").select_one("table.cab-task-spec")
    assert table is not None
    shown = [row.find("td").get_text() for row in table.select("tbody > tr")]  # type: ignore[union-attr]
    assert shown == names


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_value_reads_the_same_in_both_writers(task: Task, value: str) -> None:
    spec = spec_of(hostile_task(task, value))
    markup = spec_html(spec, html_highlighter(), nodes.paragraph())
    assert html_rows(markup) == generic_rows(spec_table(spec))
