"""A page using every cab directive, built under five themes and checked in Chromium.

Each theme: the build is clean with ``-nW``; in light and dark mode the leaderboard popover opens,
its copy button puts the value on the clipboard, and the popover's text has sufficient contrast
(WCAG 2 AA: 4.5:1, 3:1 for large text), measured two ways: axe-core's ``color-contrast`` rule on
the open popover, and our own computed colours.

Good manners, in each theme: no cab stylesheet, script or Normal / Nerds button on the general
index, the search page or a page without cab content; on a cab page the button sits among the
theme's own page controls and is no wider than a button; cab's controls are dark exactly when the
theme shows a dark page (alabaster and sphinx-rtd-theme stay light when only the reader's system
prefers dark); with sphinx-copybutton loaded every code block has one copy control.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import kit, sites

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = pytest.mark.slow

THEMES = list(sites.THEMES)
MODES = ["light", "dark"]
AA_NORMAL = 4.5
AA_LARGE = 3.0

TEXT_ELEMENTS = """
(root) => {
  const found = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || found.includes(element)) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    found.push(element);
  }
  return found.length;
}
"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "cab-sites"


@pytest.mark.parametrize("theme", THEMES)
def test_every_directive_builds_clean(theme: str, workdir: Path) -> None:
    build = sites.theme_build(workdir, theme)
    assert build.returncode == 0
    assert build.warnings == []
    page = (build.outdir / "directives.html").read_text(encoding="utf-8")
    assert "cab-popover" in page, "the leaderboard has no popover"
    assert "cab-copy" in page, "the page has no copy button"


def open_popover_page(theme: str, mode: str, workdir: Path) -> tuple[Page, Any]:
    build = sites.theme_build(workdir, theme)
    context = kit.new_context(kit.serve(build.outdir), dark=mode == "dark")
    if mode == "dark":
        context.add_init_script(kit.THEME_DARK_SETUP)
    page = context.new_page()
    page.goto("directives.html")
    if mode == "dark":
        page.evaluate(kit.THEME_DARK_APPLY)
    popover = page.locator("details.cab-popover").first
    popover.locator("summary").click()
    assert popover.evaluate("d => d.open") is True
    return page, popover


def element_contrasts(page: Page, selector: str) -> list[tuple[float, float, str]]:
    """(ratio, required ratio, description) for every visible element with text in ``selector``."""
    results: list[tuple[float, float, str]] = []
    handles = page.locator(f"{selector} *").element_handles()
    for handle in handles:
        if not handle.evaluate(
            "e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())"
            " && e.getClientRects().length > 0"
        ):
            continue
        colours = handle.evaluate(kit.EFFECTIVE_COLOURS)
        style = handle.evaluate(
            "e => { const s = getComputedStyle(e);"
            " return [parseFloat(s.fontSize), parseInt(s.fontWeight, 10), e.tagName,"
            " e.textContent.trim().slice(0, 40)]; }"
        )
        size, weight, tag, text = style
        large = size >= 24 or (size >= 18.66 and weight >= 700)
        ratio = kit.contrast_ratio(tuple(colours["fg"]), tuple(colours["bg"]))
        results.append((ratio, AA_LARGE if large else AA_NORMAL, f"<{tag.lower()}> {text!r}"))
    return results


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("theme", THEMES)
def test_popover_copy_and_contrast(theme: str, mode: str, workdir: Path) -> None:
    page, popover = open_popover_page(theme, mode, workdir)
    try:
        button = popover.locator("button.cab-copy[data-cab-copy]").first
        intended = button.get_attribute("data-cab-copy")
        assert intended
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == intended

        axe = Axe().run(
            page,
            context="details.cab-popover[open]",
            options={"runOnly": {"type": "rule", "values": ["color-contrast"]}},
        )
        violations = [
            (node["target"], node.get("any", [{}])[0].get("message", ""))
            for violation in axe.response["violations"]
            for node in violation["nodes"]
        ]
        assert violations == [], f"{theme} {mode}: axe color-contrast: {violations}"

        measured = element_contrasts(page, "details.cab-popover[open]")
        assert measured, "no text measured in the open popover"
        too_low = [m for m in measured if m[0] < m[1]]
        assert too_low == [], f"{theme} {mode}: computed contrast below AA: {too_low}"
        shots = kit.ARTIFACTS / "screenshots" / "themes"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{theme}-{mode}-popover.png"))
    finally:
        page.context.close()


# -- good manners: where cab shows up, where its control sits, which colours it takes -------------

PAGE_CONTROLS: dict[str, str] = {
    "alabaster": "div.body",
    "furo": ".content-icon-container",
    "pydata": ".bd-header-article .header-article-items__end",
    "rtd": ".wy-breadcrumbs .wy-breadcrumbs-aside",
    "book": ".article-header-buttons",
}
"""Where each theme keeps its page controls (alabaster has none: the toggle floats at the top
right of the page body)."""

THEMES_WITH_DARK_MODE = frozenset({"furo", "pydata", "book"})
"""Themes with a dark mode of their own; alabaster and sphinx-rtd-theme are always light."""

NOT_CAB_PAGES = ("genindex", "search", "plain")


def open_page(theme: str, mode: str, workdir: Path, docname: str) -> Page:
    """``docname`` in ``theme``; ``dark``: the reader's system prefers dark, and a theme with a
    dark mode of its own has been switched to it (alabaster and rtd only see the system);
    ``system-dark``: only the system prefers dark, each theme left at its default."""
    build = sites.theme_build(workdir, theme)
    context = kit.new_context(kit.serve(build.outdir), dark=mode in ("dark", "system-dark"))
    if mode == "dark" and theme in THEMES_WITH_DARK_MODE:
        context.add_init_script(kit.THEME_DARK_SETUP)
    page = context.new_page()
    page.goto(f"{docname}.html")
    if mode == "dark" and theme in THEMES_WITH_DARK_MODE:
        page.evaluate(kit.THEME_DARK_APPLY)
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("theme", THEMES)
def test_assets_only_on_cab_pages(theme: str, workdir: Path) -> None:
    build = sites.theme_build(workdir, theme)
    for docname in NOT_CAB_PAGES:
        html = (build.outdir / f"{docname}.html").read_text(encoding="utf-8")
        assert "cab.css" not in html and "cab.js" not in html, f"{theme} {docname}"
        assert "cab-view" not in html, f"{theme} {docname} has the view script"
    html = (build.outdir / "directives.html").read_text(encoding="utf-8")
    assert "_static/cab.css" in html and "_static/cab.js" in html and "cab-view" in html


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
def test_no_view_control_on_pages_without_cab(theme: str, workdir: Path) -> None:
    page = open_page(theme, "light", workdir, "plain")
    try:
        for docname in NOT_CAB_PAGES:
            page.goto(f"{docname}.html")
            page.wait_for_load_state("load")
            assert page.locator("button.cab-view-toggle").count() == 0, f"{theme} {docname}"
            assert not page.evaluate("document.documentElement.classList.contains('cab-js')")
        page.goto("directives.html")
        assert page.locator("button.cab-view-toggle").count() == 1
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("theme", THEMES)
def test_view_control_sits_among_the_theme_page_controls(
    theme: str, mode: str, workdir: Path
) -> None:
    page = open_page(theme, mode, workdir, "directives")
    try:
        toggle = page.locator("button.cab-view-toggle")
        assert toggle.count() == 1
        assert toggle.is_visible()
        inside = toggle.evaluate("(b, s) => !!b.closest(s)", PAGE_CONTROLS[theme])
        assert inside, f"{theme}: the toggle is not in {PAGE_CONTROLS[theme]}"
        box = toggle.bounding_box()
        content = page.locator("section > h1").first.bounding_box()
        assert box is not None and content is not None
        # a control, not a bar: narrow, and at the right-hand side of the content column
        assert box["width"] < 160, f"{theme}: the toggle is {box['width']}px wide"
        assert box["width"] < content["width"] / 3
        assert box["x"] + box["width"] / 2 > content["x"] + content["width"] / 2
        shots = kit.ARTIFACTS / "screenshots" / "themes"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{theme}-{mode}-toggle.png"))
    finally:
        page.context.close()


LUMINANCE_DARK = 0.2
"""Below this relative luminance a background reads as dark (white is 1, black 0)."""


@pytest.mark.browser
@pytest.mark.parametrize("mode", [*MODES, "system-dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_cab_colours_follow_the_theme_not_the_system(theme: str, mode: str, workdir: Path) -> None:
    """Dark pages where the theme is dark: switched to dark, or (furo, pydata, book) following a
    dark system by default; alabaster and rtd stay light either way, and so does cab."""
    page = open_page(theme, mode, workdir, "directives")
    try:
        article = page.locator("section > h1").first.evaluate(kit.EFFECTIVE_COLOURS)
        page_dark = kit.relative_luminance(tuple(article["bg"])) < LUMINANCE_DARK
        expected_dark = mode != "light" and theme in THEMES_WITH_DARK_MODE
        assert page_dark == expected_dark, f"{theme} {mode}: the page itself is not as set up"
        controls = {
            "toggle": page.locator("button.cab-view-toggle"),
            "copy": page.locator("div.cab-cell-provenance button.cab-copy").first,
            "popover icon": page.locator("details.cab-popover > summary").first,
        }
        for name, control in controls.items():
            colours = control.evaluate(kit.EFFECTIVE_COLOURS)
            dark = kit.relative_luminance(tuple(colours["bg"])) < LUMINANCE_DARK
            assert dark == page_dark, f"{theme} {mode}: the {name} is {'dark' if dark else 'light'}"
            ratio = kit.contrast_ratio(tuple(colours["fg"]), tuple(colours["bg"]))
            assert ratio >= AA_NORMAL, f"{theme} {mode}: the {name}'s text has {ratio:.2f}:1"
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
def test_with_copybutton_every_code_block_has_one_copy_control(theme: str, workdir: Path) -> None:
    project = sites.every_directive_root(workdir, f"copybutton-{theme}")
    build = kit.require_clean(
        kit.sphinx_build(
            project,
            workdir / f"out-copybutton-{theme}",
            extra=[
                "-D",
                f"html_theme={sites.THEMES[theme]}",
                "-D",
                "extensions=myst_parser,sphinx_design,sphinxcontrib_cab,sphinx_copybutton",
            ],
        )
    )
    context = kit.new_context(kit.serve(build.outdir))
    try:
        page = context.new_page()
        page.goto("directives.html")
        page.wait_for_selector("div.highlight button.copybtn", state="attached")
        controls = page.evaluate(
            """() => [...document.querySelectorAll('div.highlight')].map(block => {
                 const next = block.parentElement.nextElementSibling;
                 return block.querySelectorAll('button.copybtn').length
                   + (next && next.matches('button.cab-copy') ? 1 : 0);
               })"""
        )
        assert len(controls) >= 2, f"{theme}: the page has too few code blocks to check"
        assert controls == [1] * len(controls), f"{theme}: copy controls per block {controls}"
    finally:
        context.close()
