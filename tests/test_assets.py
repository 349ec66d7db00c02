"""Good manners (assets.py, html.py): cab's assets only where cab content is, one copy control
per command block beside sphinx-copybutton.

The ``manners`` root has one cab page (``board``: a leaderboard, a cell's provenance with its
reproduce command, the citations) and two pages without cab content (``index``, ``plain``);
Sphinx adds ``genindex`` and ``search``. Page controls and colours in each theme are checked in
tests/test_themes.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from browser import kit
from cab_pages import Built, build, soup

from sphinxcontrib_cab.assets import view_script

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup

CAB_PAGES = ("board",)
OTHER_PAGES = ("index", "plain", "genindex", "search")
WITH_COPYBUTTON = ["sphinxcontrib_cab", "myst_parser", "sphinx_copybutton"]


def cab_assets(page: BeautifulSoup) -> list[str]:
    """What cab added to a page's ``<head>``: its stylesheet, its script, its view script."""
    found = [
        str(link["href"]).split("?")[0]
        for link in page.select('link[rel="stylesheet"]')
        if "cab.css" in str(link["href"])
    ]
    found += [
        str(script["src"]).split("?")[0]
        for script in page.select("script[src]")
        if "cab.js" in str(script["src"])
    ]
    found += ["view script" for s in page.select("script:not([src])") if "cab-view" in s.get_text()]
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build("manners", tmp_path_factory.mktemp("manners"))


def test_only_pages_with_cab_content_load_cab(site: Built) -> None:
    assert site.warnings == []
    for docname in CAB_PAGES:
        page = soup(site.page(docname))
        assert cab_assets(page) == ["_static/cab.css", "_static/cab.js", "view script"]
        assert page.select_one('script[src^="_static/cab.js"]').has_attr("defer")  # type: ignore[union-attr]
    for docname in OTHER_PAGES:
        assert cab_assets(soup(site.page(docname))) == [], f"{docname} loads cab's assets"


def test_a_site_can_ask_for_the_assets_on_every_page(tmp_path: Path) -> None:
    result = build("manners", tmp_path, confoverrides={"cab_assets_on": "all"})
    assert result.warnings == []
    for docname in CAB_PAGES + OTHER_PAGES:
        page = soup(result.page(docname))
        assert cab_assets(page) == ["_static/cab.css", "_static/cab.js", "view script"], docname
        inline = [s.get_text() for s in page.select("script:not([src])")]
        assert view_script("normal") in inline


def test_an_unknown_assets_setting_warns_and_keeps_the_default(tmp_path: Path) -> None:
    result = build("manners", tmp_path, confoverrides={"cab_assets_on": "everywhere"})
    assert result.warnings == [
        "WARNING: cab_assets_on = 'everywhere' is not one of 'cab-pages', 'all'; "
        "using 'cab-pages' [cab.config]"
    ]
    assert cab_assets(soup(result.page("plain"))) == []
    assert cab_assets(soup(result.page("board"))) != []


# -- copy controls on command blocks -------------------------------------------------------------


def block_controls(page: BeautifulSoup) -> list[int]:
    """For each code block of the page (``div.highlight``, where sphinx-copybutton puts its
    button): the cab copy buttons that follow its wrapper."""
    counts = []
    for block in page.select("div.highlight"):
        wrapper = block.parent
        after = wrapper.find_next_sibling() if wrapper is not None else None
        counts.append(int(after is not None and "cab-copy" in (after.get("class") or [])))
    return counts


@pytest.mark.parametrize(
    ("extensions", "setting", "expected"),
    [
        (None, "auto", 1),
        (WITH_COPYBUTTON, "auto", 0),
        (WITH_COPYBUTTON, "always", 1),
        (None, "never", 0),
    ],
    ids=["auto-alone", "auto-with-copybutton", "always-with-copybutton", "never"],
)
def test_cab_block_buttons_follow_the_setting(
    extensions: list[str] | None, setting: str, expected: int, tmp_path: Path
) -> None:
    overrides: dict[str, object] = {"cab_copy_buttons": setting}
    if extensions:
        overrides["extensions"] = extensions
    result = build("manners", tmp_path, confoverrides=overrides)
    assert result.warnings == []
    page = soup(result.page("board"))
    reproduce, *citations = block_controls(page)
    assert len(citations) >= 4  # BibTeX, APA, Chicago, IEEE and CITATION.cff
    assert [reproduce, *citations] == [expected] * (1 + len(citations))
    # the buttons beside each recorded value never depend on it
    values = page.select("div.cab-cell-provenance dl.cab-key-values code")
    buttons = page.select("div.cab-cell-provenance dl.cab-key-values button.cab-copy")
    assert values and [b["data-cab-copy"] for b in buttons] == [v.get_text() for v in values]
    assert block_controls(soup(result.page("plain"))) == [0]


COPY_CONTROLS = """
() => [...document.querySelectorAll('div.highlight')].map(block => {
  const wrapper = block.parentElement;
  const own = block.querySelectorAll('button.copybtn').length;
  const next = wrapper.nextElementSibling;
  return own + (next && next.matches('button.cab-copy') ? 1 : 0);
})
"""
"""Per code block, the copy controls a reader sees: sphinx-copybutton's, inside the block, and
cab's, right after it."""


@pytest.mark.browser
@pytest.mark.parametrize("setting", ["auto", "never"])
def test_with_copybutton_each_command_block_has_one_copy_control(
    setting: str, tmp_path: Path
) -> None:
    result = build(
        "manners",
        tmp_path,
        confoverrides={"extensions": WITH_COPYBUTTON, "cab_copy_buttons": setting},
    )
    context = kit.chromium().new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for docname in ("board", "plain"):
            page.goto((result.outdir / f"{docname}.html").as_uri())
            page.wait_for_selector("button.copybtn", state="attached")
            controls = page.evaluate(COPY_CONTROLS)
            assert controls, f"{docname} has no code block"
            assert controls == [1] * len(controls), f"{docname}: {controls}"
        assert errors == []
    finally:
        context.close()
