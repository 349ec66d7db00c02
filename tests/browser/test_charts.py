"""The charts of the docs site in Chromium: visible, named for assistive technology, and a square
or point shows its values while it has keyboard focus, and a strip row its spread, with or without
JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from . import kit

if TYPE_CHECKING:
    from playwright.sync_api import Page

LEADERBOARD = "leaderboard.html"
TASK_PAGE = "task/polyglot/python-two-sum/index.html"


@pytest.mark.parametrize(
    ("url", "kinds"), [(LEADERBOARD, ("heatmap", "frontier")), (TASK_PAGE, ("strip",))]
)
def test_each_chart_is_visible_and_has_an_accessible_name(
    page: Page, url: str, kinds: tuple[str, ...]
) -> None:
    page.goto(url)
    for kind in kinds:
        figure = page.locator(f"figure.cab-chart-{kind}")
        expect(figure).to_have_count(1)
        svg = figure.locator("svg.cab-chart-svg")
        expect(svg).to_be_visible()
        title = figure.locator(".cab-chart-title").inner_text()
        # the name assistive technology reads comes from the SVG's own title
        expect(page.get_by_role("group", name=title, exact=True)).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60
        link = figure.locator("figcaption a")
        table = page.locator(str(link.get_attribute("href")))
        expect(table).to_have_count(1)


@pytest.mark.parametrize("kind", ["heatmap", "frontier"])
@pytest.mark.parametrize("javascript", [True, False])
def test_focus_on_a_mark_shows_its_values(kind: str, javascript: bool, docs_url: str) -> None:
    context = kit.new_context(docs_url, javascript=javascript)
    try:
        page = context.new_page()
        page.goto(LEADERBOARD)
        marks = page.locator(f"figure.cab-chart-{kind} g.cab-datum")
        assert marks.count() > 10
        for index in (0, marks.count() - 1):
            mark = marks.nth(index)
            tip = mark.locator("text.cab-tip")
            expect(tip).to_be_hidden()
            label = str(mark.get_attribute("aria-label"))
            figure = page.locator(f"figure.cab-chart-{kind}")
            expect(figure.get_by_role("img", name=label, exact=True)).to_have_count(1)
            mark.focus()
            expect(tip).to_be_visible()
            shown = tip.text_content() or ""
            assert str(mark.get_attribute("data-headline")) in shown
            assert shown.replace("Costs ", "; Costs ", 1) == label
            page.keyboard.press("Tab")  # focus moves on, and the values with it
            expect(tip).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_focus_on_a_strip_row_shows_its_spread(javascript: bool, docs_url: str) -> None:
    context = kit.new_context(docs_url, javascript=javascript)
    try:
        page = context.new_page()
        page.goto(TASK_PAGE)
        row = page.locator("figure.cab-chart-strip g.cab-strip-row")
        expect(row).to_have_count(1)
        tip = row.locator("text.cab-tip")
        expect(tip).to_be_hidden()
        label = str(row.get_attribute("aria-label"))
        page.keyboard.press("Tab")
        for _ in range(200):  # the page's links come first; Tab reaches the row in page order
            if row.evaluate("g => g === document.activeElement"):
                break
            page.keyboard.press("Tab")
        expect(row).to_be_focused()
        expect(tip).to_be_visible()
        task, _, spread = label.partition(": ")
        assert tip.locator("tspan").all_text_contents() == [f"{task}:", spread]
        box = tip.bounding_box()
        svg = page.locator("figure.cab-chart-strip svg").bounding_box()
        assert box is not None and svg is not None
        assert box["x"] >= svg["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"] + 1
        page.keyboard.press("Tab")
        expect(tip).to_be_hidden()
    finally:
        context.close()
