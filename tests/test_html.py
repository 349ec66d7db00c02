"""The HTML-only step (html.py), the assets (assets.py) and cab.js/cab.css in a real browser.

Unit tests feed hostile values straight into the leaderboard writer and read the markup back with
an HTML parser; build tests check what HTML and non-HTML builders get; the browser tests (marked
``browser``) drive Chromium over a built page: Normal/Nerds toggle, sorting, popovers, copying.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import kit
from bs4 import BeautifulSoup
from cab_pages import build, pinned_snapshot, soup
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_cab.assets import view_script
from sphinxcontrib_cab.directives.leaderboard.board import Board, BoardColumn, BoardRow
from sphinxcontrib_cab.directives.leaderboard.html import (
    board_html,
)
from sphinxcontrib_cab.render import value_literal
from sphinxcontrib_cab.snapshot.keys import KEY_FIELDS, MISSING_MARK
from sphinxcontrib_cab.snapshot.model import CellKey
from sphinxcontrib_cab.snapshot.reproduce import reproduce_command

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cab_pages import Built
    from playwright.sync_api import Browser, Page

HOSTILE = (
    "<script>alert(1)</script>",
    "\"quoted\" & 'single' </td></tr></table>",
    "$(touch /tmp/pwned) `id`",
    "line one\nline two\r\nline three",
    "unicode ✓ — ü 😀",
    '"><img src=x onerror=alert(1)>',
)
COLUMNS = (
    BoardColumn("tui", "TUI <b>", False, False),
    BoardColumn("model", "Model", False, False),
    BoardColumn("tui_image_sha", "Image", False, True),
    BoardColumn("headline", "Headline", True, False),
)


def key_with(value: str, missing: bool = False) -> CellKey:
    return CellKey(
        tui=value,
        behavior_mode="conv",
        model=value + "-model",
        task="polyglot/" + value,
        plugin_stack="conv-vanilla",
        tui_image_sha=None if missing else "sha256:" + "a" * 64,
        model_endpoint_sha=value,
        sampling_profile=None if missing else "default",
        task_added_date="2026-05-01",
    )


def board_for(keys: list[CellKey], caption: str = "Caption <i>&</i>") -> Board:
    rows = tuple(
        BoardRow(
            texts=(key.tui, key.model, key.tui_image_sha or MISSING_MARK, f"0.{i} [0.0, 1.0]"),
            sort_values=(None, None, None, i / 10),
            key_values=key.values(),
            anchor=f"cab-cell-{i:012x}",
        )
        for i, key in enumerate(keys)
    )
    return Board(
        caption=caption,
        group="cells",
        columns=COLUMNS,
        sort_column=3,
        order="descending",
        rows=rows,
        command="codingagentbench run",
        missing_notes=(("sampling_profile", "not recorded <here>"),),
        has_missing_scores=False,
    )


def parse(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


# -- escaping ----------------------------------------------------------------------------------


def test_hostile_values_come_back_as_text_only() -> None:
    keys = [key_with(value) for value in HOSTILE]
    page = parse(board_html(board_for(keys, caption=HOSTILE[0])))
    assert page.find("script") is None
    assert page.find("img") is None
    table = page.select_one("table.cab-leaderboard")
    assert table is not None
    assert table.select_one("caption").get_text() == HOSTILE[0]  # type: ignore[union-attr]
    rows = table.select("tbody > tr")
    assert len(rows) == len(keys)
    for row, key in zip(rows, keys, strict=True):
        cells = row.find_all(["th", "td"], recursive=False)
        assert cells[0].get_text() == key.tui
        assert cells[1].get_text() == key.model
        pre = row.select_one("details.cab-popover > pre.cab-repro")
        assert pre is not None and pre.get_text() == reproduce_command(key)


def test_carriage_returns_survive_an_html_parser() -> None:
    key = key_with("a\rb")
    markup = board_html(board_for([key]))
    assert "\r" not in markup  # a parser would normalise a raw CR to LF
    assert "&#13;" in markup


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_value_round_trips_through_the_markup(value: str) -> None:
    """Read back the way a browser does: the markup between the tags, character references
    resolved (an HTML parser library may tidy whitespace, so the raw markup is read here)."""
    key = key_with(value)
    markup = board_html(board_for([key]))
    assert markup.count("<tr>") == 2 and markup.count("</tr>") == 2  # header row + one row
    header = re.search(r'<th scope="row">(.*?)</th>', markup, re.S)
    assert header is not None and unescape(header.group(1)) == value
    pre = re.search(r'<pre class="cab-repro" tabindex="0">(.*?)</pre>', markup, re.S)
    assert pre is not None and unescape(pre.group(1)) == reproduce_command(key)


def test_table_data_is_json_said_once() -> None:
    markup = board_html(board_for([key_with("x"), key_with("y", missing=True)]))
    table = parse(markup).select_one("table")
    assert table is not None
    assert json.loads(str(table["data-cab-fields"])) == [
        [f.name, f.label, f.flag] for f in KEY_FIELDS
    ]
    assert json.loads(str(table["data-cab-missing"])) == {"sampling_profile": "not recorded <here>"}
    assert markup.count("data-cab-fields") == 1


def test_rows_carry_no_per_row_ids_classes_or_labels() -> None:
    markup = board_html(board_for([key_with(str(i)) for i in range(5)]))
    body = parse(markup).select_one("tbody")
    assert body is not None
    assert body.select("[id]") == []
    assert body.select("td[class], th[class]") == []
    table_classes = parse(markup).select_one("table")["class"]  # type: ignore[index]
    assert "cab-nerd-3" in table_classes and "cab-num-4" in table_classes
    assert "cab-nerd-1" not in table_classes


def test_unreproducible_cell_shows_its_values_instead_of_a_command() -> None:
    key = key_with("nul\x00byte")
    page = parse(board_html(board_for([key])))
    details = page.select_one("details.cab-popover")
    assert details is not None
    assert details.select_one("pre") is None
    assert details.select_one("p.cab-unreproducible") is not None
    names = [dt.get_text() for dt in details.select("dl.cab-key-values > dt")]
    assert names == [f.name for f in KEY_FIELDS]
    copies = [b["data-cab-copy"] for b in details.select("button.cab-copy")]
    # a value with hidden characters is shown and copied as its unambiguous shell word
    assert value_literal(key.tui).astext() == "$'nul\\000byte'"
    assert value_literal(key.tui).astext() in copies
    assert "\x00" not in str(details)


# -- builds: assets and copy buttons -----------------------------------------------------------


@pytest.fixture(scope="module")
def html_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build("leaderboard-html", tmp_path_factory.mktemp("html"))


def test_cab_pages_load_the_assets_and_the_view_script(html_build: Built) -> None:
    assert html_build.warnings == []
    page = soup(html_build.page("index"))
    assert page.select_one('link[href^="_static/cab.css"]') is not None
    script = page.select_one('script[src^="_static/cab.js"]')
    assert script is not None and script.has_attr("defer")
    inline = [s.get_text() for s in page.select("script:not([src])")]
    assert view_script("normal") in inline
    # "second" has no cab content: tests/test_assets.py checks such pages in full
    assert "cab.css" not in html_build.page("second")
    static = html_build.outdir / "_static"
    package = Path(__file__).parents[1] / "sphinxcontrib_cab" / "static"
    for name in ("cab.css", "cab.js"):
        assert (static / name).read_bytes() == (package / name).read_bytes()


def test_default_view_comes_from_config(tmp_path: Path) -> None:
    result = build("leaderboard-html", tmp_path, confoverrides={"cab_default_view": "nerds"})
    inline = [s.get_text() for s in soup(result.page("index")).select("script:not([src])")]
    assert view_script("nerds") in inline


@pytest.mark.parametrize("builder", ["text", "latex", "man"])
def test_other_builders_get_no_assets(builder: str, tmp_path: Path) -> None:
    result = build("leaderboard-html", tmp_path, builder)
    assert result.warnings == []
    assert not list(result.outdir.rglob("cab.js")) and not list(result.outdir.rglob("cab.css"))
    output = "".join(
        p.read_text(encoding="utf-8")
        for p in result.outdir.glob("*.*")
        if p.suffix in {".txt", ".tex", ".1"}
    )
    assert "cab-copy" not in output and "<details" not in output


def test_provenance_containers_get_copy_buttons(html_build: Built) -> None:
    snapshot = pinned_snapshot(html_build)
    container = soup(html_build.page("index")).select_one("div.cab-cell-provenance")
    assert container is not None
    values = [code.get_text() for code in container.select("dl.cab-key-values code")]
    buttons = container.select("button.cab-copy[type=button]")
    copies = [str(b["data-cab-copy"]) for b in buttons]
    assert copies[:-1] == values
    cell = next(
        c
        for c in snapshot.cells
        if c.key.tui == "aider"
        and c.key.task == "polyglot/python-two-sum"
        and c.key.model == "gpt-oss-120b"
    )
    assert copies[-1] == reproduce_command(cell.key, html_build.app.config.cab_command)


def test_epub_pages_carry_no_copy_buttons(tmp_path: Path) -> None:
    """EPUB readers run no script, so a copy button there would do nothing."""
    result = build("leaderboard-html", tmp_path, "epub")
    pages = "".join(p.read_text(encoding="utf-8") for p in result.outdir.rglob("*.xhtml"))
    assert "cab-cell-provenance" in pages
    assert "cab-copy" not in pages


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Browser:
    """The session's one Chromium (tests/browser/kit.py): a second Playwright driver in the same
    thread would fail, and a missing /usr/bin/chromium fails the test instead of skipping it."""
    return kit.chromium()


@pytest.fixture
def page(browser: Browser, html_build: Built) -> Iterator[Page]:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((html_build.outdir / "index.html").as_uri())
    yield page
    context.close()
    assert errors == []


def nerd_cell_visible(page: Page) -> bool:
    return page.locator("table.cab-leaderboard tbody tr").first.locator("td").first.is_visible()


@pytest.mark.browser
def test_view_toggle_defaults_to_normal_and_is_remembered(page: Page, html_build: Built) -> None:
    toggle = page.locator("button.cab-view-toggle")
    assert toggle.count() == 1
    assert toggle.get_attribute("aria-pressed") == "false"
    assert not nerd_cell_visible(page)  # behavior_mode is a Nerds column
    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert nerd_cell_visible(page)
    page.goto((html_build.outdir / "index.html").as_uri())
    assert page.locator("button.cab-view-toggle").get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('cab-view-nerds')")


@pytest.mark.browser
def test_sorting_is_numeric_stable_and_updates_aria_sort(page: Page) -> None:
    table = page.locator("table.cab-leaderboard")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    costs = next(i for i, h in enumerate(headers) if h.startswith("Costs"))
    table.locator("button.cab-sort", has_text="Costs").click()

    def column() -> list[float]:
        texts = page.evaluate(
            "i => Array.from(document.querySelector('table.cab-leaderboard').tBodies[0].rows)"
            ".map(r => r.cells[i].textContent)",
            costs,
        )
        return [float(t.split(" ")[0].replace(",", "")) for t in texts]

    assert column() == sorted(column(), reverse=True)
    assert table.locator("th[aria-sort]").count() == 1
    assert table.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    table.locator("button.cab-sort", has_text="Costs").click()
    assert column() == sorted(column())
    assert table.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"


@pytest.mark.browser
def test_popover_lists_nine_values_copies_and_closes_on_escape(page: Page) -> None:
    summary = page.locator("details.cab-popover > summary").first
    label = summary.get_attribute("aria-label") or ""
    assert label.startswith("Provenance of ")
    command = page.locator("details.cab-popover > pre.cab-repro").first.text_content() or ""
    summary.focus()
    page.keyboard.press("Enter")
    pop = page.locator("details.cab-popover[open] .cab-pop")
    pop.locator("dl.cab-keys").wait_for()  # built by the (asynchronous) toggle event
    assert pop.count() == 1
    names = pop.locator("dl.cab-keys > dt").all_inner_texts()
    assert names == [f.name for f in KEY_FIELDS]
    tui = pop.locator("dl.cab-keys > dd").first.locator("code").inner_text()
    assert f"--tui '{tui}'" in command
    pop.locator("button.cab-copy").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == tui
    assert pop.locator("button.cab-copy").first.inner_text() == "Copied"
    pop.locator("button.cab-copy", has_text="Copy command").click()
    assert page.evaluate("navigator.clipboard.readText()") == command
    page.keyboard.press("Escape")
    assert page.locator("details.cab-popover[open]").count() == 0
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


@pytest.mark.browser
def test_only_one_popover_is_open(page: Page) -> None:
    summaries = page.locator("details.cab-popover > summary")
    summaries.nth(0).click()
    page.locator("details.cab-popover[open] .cab-pop").wait_for()
    # The open popover is placed below its row and covers the next row's icon, so a pointer
    # click there may land on the popover; the keyboard opens the second one deterministically.
    summaries.nth(1).focus()
    page.keyboard.press("Enter")
    page.locator("details.cab-popover").nth(1).locator(".cab-pop").wait_for()
    page.wait_for_function("document.querySelectorAll('details.cab-popover[open]').length === 1")
    assert page.locator("details.cab-popover").nth(1).evaluate("d => d.open")


@pytest.mark.browser
def test_without_javascript_everything_is_visible(browser: Browser, html_build: Built) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((html_build.outdir / "index.html").as_uri())
    assert nerd_cell_visible(page)
    assert page.locator("button.cab-copy").first.is_visible() is False
    page.locator("details.cab-popover > summary").first.click()
    pre = page.locator("details.cab-popover[open] > pre.cab-repro")
    assert pre.is_visible()
    context.close()


BROWSER_HOSTILE = (
    'it\'s "quoted" \\ back\\slash',
    "$(touch /tmp/pwned) `id` !!",
    "two\nlines\ttab",
    "rtl \u202eevil\u202c end",
    "emoji 😀 and ü",
    "<b>&amp;</b>",
)


@pytest.mark.browser
def test_popover_lists_hostile_values_exactly(browser: Browser, tmp_path: Path) -> None:
    keys = [key_with(value) for value in BROWSER_HOSTILE]
    static = Path(__file__).parents[1] / "sphinxcontrib_cab" / "static"
    page_file = tmp_path / "hostile.html"
    page_file.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{(static / 'cab.css').as_uri()}'>"
        f"<script defer src='{(static / 'cab.js').as_uri()}'></script></head>"
        f"<body><div role='main'>{board_html(board_for(keys))}</div></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    for index, key in enumerate(keys):
        page.locator("details.cab-popover > summary").nth(index).click()
        pop = page.locator("details.cab-popover[open] .cab-pop")
        pop.locator("dl.cab-keys").wait_for()  # built by the (asynchronous) toggle event
        shown = pop.locator("dl.cab-keys > dd code").all_text_contents()
        expected = [value_literal(v).astext() for v in key.values() if v is not None]
        assert shown == expected, key
        pop.locator("button.cab-copy").first.click()
        assert page.evaluate("navigator.clipboard.readText()") == expected[0]
        page.keyboard.press("Escape")
    assert errors == []
    context.close()
