"""cab-provenance and the shared provenance nodes: field explanations, cell values, command."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest
from cab_pages import (
    check_regression,
    pinned_snapshot,
    same_body_in_every_syntax,
    shared_build,
    soup,
)
from docutils import nodes

from sphinxcontrib_cab.render import (
    cell_provenance,
    format_count,
    format_estimate,
    format_number,
    introducing_version,
    key_values_field_list,
    missing_value_nodes,
    repro_block,
)
from sphinxcontrib_cab.snapshot.aggregate import version_sort_key
from sphinxcontrib_cab.snapshot.keys import (
    IDENTITY_FIELDS,
    KEY_FIELDS,
    MISSING_MARK,
    PROVENANCE_FIELDS,
)
from sphinxcontrib_cab.snapshot.model import NOT_APPLICABLE, Estimate
from sphinxcontrib_cab.snapshot.reproduce import reproduce_command

if TYPE_CHECKING:
    from bs4 import Tag
    from cab_pages import Built

    from sphinxcontrib_cab.snapshot.model import Cell, Snapshot

CASES = ("provenance", "provenance_fields", "provenance_cell", "provenance_older")
COMMAND = "codingagentbench run"


@pytest.fixture(scope="module")
def built() -> Built:
    return shared_build("directives")


@pytest.mark.parametrize("case", CASES)
def test_rst_and_both_myst_fences_render_the_same_body(built: Built, case: str) -> None:
    check_regression(f"directives/{case}.html", same_body_in_every_syntax(built, case))


def test_fields_are_explained_in_canonical_order(built: Built) -> None:
    page = soup(built.page("provenance_fields_rst"))
    assert page.select("div.cab-cell-provenance") == []
    groups = {"cab-key-fields": IDENTITY_FIELDS, "cab-provenance-fields": PROVENANCE_FIELDS}
    for css_class, names in groups.items():
        terms = [dt.get_text(strip=True) for dt in page.select(f"dl.{css_class} > dt")]
        assert terms == list(names)
        for dd, name in zip(page.select(f"dl.{css_class} > dd"), names, strict=True):
            field = next(f for f in KEY_FIELDS if f.name == name)
            shown = dd.get_text(strip=True).replace("\u2019", "'")  # docutils smart quotes
            assert shown == f"{field.label}. {field.meaning}"
    rubrics = [p.get_text() for p in page.select("p.rubric")]
    assert rubrics == ["Key fields", "Provenance fields"]


def shown_values(container: Tag) -> dict[str, str]:
    """Field name -> shown text, without the copy buttons the HTML step adds."""
    for button in container.select("button"):
        button.decompose()
    names = [t.get_text(strip=True).rstrip(":") for t in container.select("dl.cab-key-values > dt")]
    values = [d.get_text(strip=True) for d in container.select("dl.cab-key-values > dd")]
    return dict(zip(names, values, strict=True))


def check_cell(built: Built, docname: str, cell: Cell, snapshot: Snapshot) -> Tag:
    container = soup(built.page(docname)).select_one("div.cab-cell-provenance")
    assert container is not None
    assert container["id"] == cell.anchor
    values = shown_values(container)
    assert list(values) == [f.name for f in KEY_FIELDS]
    for name, value in cell.key.items():
        if value is None:
            assert values[name].startswith(MISSING_MARK)
            entry = introducing_version(name, snapshot)
            if entry is not None:
                assert f"methodology {entry.version}" in values[name]
        else:
            assert values[name] == value
    block = container.select_one("div.cab-repro pre")
    assert block is not None
    assert block.get_text().rstrip("\n") == reproduce_command(cell.key, COMMAND)
    unpinned = container.select_one("p.cab-unpinned")
    missing = cell.key.missing()
    if missing:
        assert unpinned is not None
        assert [c.get_text() for c in unpinned.select("code")] == list(missing)
    else:
        assert unpinned is None
    return container


def test_example_cell_is_the_first_with_all_nine_fields(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    example = next(c for c in snapshot.cells if not c.key.missing())
    check_cell(built, "provenance_rst", example, snapshot)


def test_chosen_cell_with_missing_fields(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    cell = next(
        c
        for c in snapshot.cells
        if (c.key.tui, c.key.model, c.key.task)
        == ("aider", "gpt-oss-120b", "polyglot/python-two-sum")
    )
    assert cell.key.missing(), "the mini snapshot records this cell without provenance fields"
    container = check_cell(built, "provenance_cell_rst", cell, snapshot)
    assert "--tui-image-sha" not in container.get_text()
    assert "None" not in container.get_text()


def test_older_snapshot_cell(built: Built) -> None:
    older = pinned_snapshot(built, "2026-05-27")
    candidates = [c for c in older.cells if not c.key.missing()] or list(older.cells)
    check_cell(built, "provenance_older_rst", candidates[0], older)
    caption = soup(built.page("provenance_older_rst")).select_one("p.cab-cell-caption")
    assert caption is not None and "snapshot 2026-05-27" in caption.get_text()


# -- render.py unit checks on the loaded snapshot ------------------------------------------------


def test_missing_value_nodes_explain_per_cell_version(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    assert snapshot.meta is not None
    entries = sorted(snapshot.meta.history, key=lambda e: version_sort_key(e.version))
    introduced = {name: entry for entry in reversed(entries) for name in entry.fields_introduced}
    for name in PROVENANCE_FIELDS:
        entry = introduced[name]
        for cell_version in (e.version for e in entries):
            dash, note = missing_value_nodes(name, snapshot, cell_version)
            assert isinstance(dash, nodes.inline) and dash.astext() == MISSING_MARK
            assert dash["classes"] == ["cab-missing"]
            if version_sort_key(cell_version) < version_sort_key(entry.version):
                assert note.astext() == (
                    f" (this cell predates methodology {entry.version} "
                    f"({entry.date.isoformat()}), which introduced it)"
                )
            else:
                assert note.astext() == " (not published for this cell)"


def test_missing_value_without_history_still_explains(built: Built) -> None:
    older = pinned_snapshot(built, "2026-05-27")
    dash, note = missing_value_nodes("tui_image_sha", older)
    assert dash.astext() == MISSING_MARK
    assert "names no version" in note.astext()


def test_field_list_and_block_structure(built: Built) -> None:
    snapshot = pinned_snapshot(built)
    cell = next(c for c in snapshot.cells if c.key.missing())
    field_list = key_values_field_list(cell.key, snapshot)
    assert field_list["classes"] == ["cab-key-values"]
    names = [f[0].astext() for f in field_list.children]
    assert names == [f.name for f in KEY_FIELDS]
    block, unpinned = repro_block(cell.key, COMMAND)
    assert isinstance(block, nodes.literal_block)
    assert block["classes"] == ["cab-repro"] and block["language"] == "shell"
    assert unpinned["classes"] == ["cab-unpinned"]  # type: ignore[index]
    container = cell_provenance(cell, snapshot, COMMAND)
    assert container["ids"] == [cell.anchor]
    assert [type(c) for c in container.children] == [
        nodes.field_list,
        nodes.literal_block,
        nodes.paragraph,
    ]


def test_unreproducible_value_gives_an_explanation_not_a_command(built: Built) -> None:
    from dataclasses import replace

    snapshot = pinned_snapshot(built)
    key = replace(snapshot.cells[0].key, task="bad\x00task")
    (paragraph,) = repro_block(key, COMMAND)
    assert paragraph["classes"] == ["cab-unreproducible"]  # type: ignore[index]
    assert "NUL byte" in paragraph.astext()


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (3465, "3,465"), (1_000_000, "1,000,000")],
)
def test_format_count(value: int, text: str) -> None:
    assert format_count(value) == text


def test_format_number_and_estimate() -> None:
    assert format_number(-0.0001) == "0.00"
    assert format_number(1234.5, 1) == "1,234.5"
    assert format_estimate(None) == MISSING_MARK
    assert format_estimate(Estimate(0.5, None, None, 1)) == "0.500 (one run)"
    assert format_estimate(Estimate(0.5, None, None, 2)) == "0.500 (no spread in 2 runs)"
    assert format_estimate(Estimate(0.5, None, None, 1), interval=False) == "0.500"
    assert (
        format_estimate(Estimate(0.5, None, None, 4), unit="task") == "0.500 (no spread in 4 tasks)"
    )
    assert format_estimate(Estimate(0.951, 0.9, 0.999, 3)) == "0.951 [0.900, 0.999]"
    assert format_estimate(Estimate(0.951, 0.9, 0.999, 3), 2) == "0.95 [0.90, 1.00]"
    assert format_estimate(NOT_APPLICABLE) == "n/a"
    assert format_estimate(Estimate(math.nan, None, None, 1, "one run")) == "n/a (one run)"
