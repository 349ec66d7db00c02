"""The score in view: at 1280x800, in five themes, a leaderboard's Headline, Ships, Stays and
Costs columns are visible without scrolling sideways, and the page never scrolls sideways.

Each theme builds one page holding the overview and the cells leaderboard of the sample snapshot
(``data/``: its long model and task names are what pushed the scores out of view). Boxes are
measured in Chromium: the header cell and the first row's cell of each score column must lie
inside the viewport and inside the table's scroll wrapper, with the wrapper scrolled to its
start, as a reader first sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from . import kit, sites

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORT = (1280, 800)
SCORES = ("Headline", "Ships", "Stays", "Costs")
PAGE = """# Leaderboard

:::{cab-leaderboard}
:group: overview
:::

:::{cab-leaderboard}
:::
"""

MEASURE = """(table, labels) => {
  const wrapper = table.closest('.cab-scroll') || table.parentElement;
  const heads = [...table.tHead.rows[0].cells];
  const row = table.tBodies[0].rows[0];
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const cells = [];
  for (const label of labels) {
    const index = heads.findIndex(th => th.textContent.trim().startsWith(label));
    if (index < 0) { cells.push([label, null, null]); continue; }
    cells.push([label, box(heads[index]), box(row.cells[index])]);
  }
  return {wrapper: box(wrapper), scrollLeft: wrapper.scrollLeft, cells: cells,
          viewport: [window.innerWidth, window.innerHeight]};
}"""


def site(workdir: Path, theme: str) -> kit.Build:
    project = workdir / f"layout-{theme}"
    if not (workdir / f"out-layout-{theme}" / "index.html").exists():
        project.mkdir(parents=True, exist_ok=True)
        kit.install_snapshot(sites.DATA, project)
        (project / "conf.py").write_text(
            'extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_cab"]\n'
            'myst_enable_extensions = ["colon_fence"]\n'
            'exclude_patterns = ["data", "_build"]\n'
            'cab_snapshot_root = "data"\n'
            f'html_theme = "{sites.THEMES[theme]}"\n',
            encoding="utf-8",
        )
        (project / "index.md").write_text(PAGE, encoding="utf-8")
    return kit.require_clean(kit.sphinx_build(project, workdir / f"out-layout-{theme}", "html"))


def outside(inner: dict[str, float], outer: dict[str, float]) -> list[str]:
    """Which sides of ``inner`` stick out of ``outer`` (half a pixel of rounding allowed)."""
    sides = []
    if inner["left"] < outer["left"] - 0.5:
        sides.append("left")
    if inner["right"] > outer["right"] + 0.5:
        sides.append("right")
    if inner["top"] < outer["top"] - 0.5:
        sides.append("top")
    if inner["bottom"] > outer["bottom"] + 0.5:
        sides.append("bottom")
    return sides


def problems_of(page: Page) -> list[str]:
    found: list[str] = []
    tables = page.locator("table.cab-leaderboard")
    assert tables.count() == 2
    for index in range(tables.count()):
        table = tables.nth(index)
        # bring the table's top into view by scrolling the page vertically only
        top = table.evaluate("t => t.getBoundingClientRect().top + window.scrollY")
        page.evaluate("y => window.scrollTo(0, Math.max(0, y - 40))", top)
        measured = table.evaluate(MEASURE, list(SCORES))
        width, height = measured["viewport"]
        viewport = {"left": 0, "top": 0, "right": width, "bottom": height}
        if measured["scrollLeft"] != 0:
            found.append(f"table {index}: its wrapper starts scrolled")
        for label, head, cell in measured["cells"]:
            if head is None:
                found.append(f"table {index}: no {label} column")
                continue
            for what, box in (("header", head), ("first row", cell)):
                for name, outer in (("viewport", viewport), ("wrapper", measured["wrapper"])):
                    sides = outside(box, outer)
                    if sides:
                        found.append(f"table {index}: {label} {what} outside the {name} {sides}")
    return found


@pytest.mark.parametrize("theme", list(sites.THEMES))
def test_the_scores_are_in_view_at_1280_by_800(
    theme: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    build = site(tmp_path_factory.getbasetemp() / "cab-sites", theme)
    context = kit.new_context(kit.serve(build.outdir), viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto("index.html", timeout=60_000)
        page.wait_for_load_state("load")
        problems = problems_of(page)
        scroll = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if scroll[0] > scroll[1]:
            problems.append(f"the page scrolls sideways: {scroll[0]} px wide in {scroll[1]} px")
        shots = kit.ARTIFACTS / "screenshots" / "layout"
        shots.mkdir(parents=True, exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(shots / f"{theme}-1280x800.png"))
        assert problems == [], f"{theme}: {problems}"
    finally:
        context.close()
