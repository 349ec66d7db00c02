"""What a reader does on the built documentation site, in Debian's Chromium.

The site is the real docs (``docs/`` on the sample snapshot in ``data/``), built once per session
and served from 127.0.0.1. Expected values come from the raw data files, not from the extension.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sphinxcontrib_cab.snapshot.keys import KEY_FIELDS

from . import data, kit

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

POPOVER = "details.cab-popover"
COPY = "button.cab-copy[data-cab-copy]"
TOGGLE = "button.cab-view-toggle"
NERD = ".cab-nerd"
SORTABLE = "th.cab-sortable"
KEY_LIST = ".cab-keys"
"""The nine values in an open popover (cab.js builds it from the row's command on first open)."""

LEADERBOARD = "leaderboard.html"
AUDITED_PAGES = ("provenance", "leaderboard", "security", "task", "methodology")
MODES = ("light", "dark")


@pytest.fixture(scope="session")
def site_data(docs_site: kit.Build) -> Path:
    """The data folder the built site was read from (the build's own copy of ``data/``)."""
    return docs_site.srcdir.parent / "data"


@pytest.fixture(scope="session")
def keys(site_data: Path) -> set[data.Key]:
    return data.cell_keys(site_data)


def task_page(site: kit.Build) -> str:
    pages = sorted(site.outdir.glob("task/*/*/index.html"))
    assert pages, "the docs have no task pages"
    return pages[0].relative_to(site.outdir).as_posix()


def page_path(site: kit.Build, name: str) -> str:
    return task_page(site) if name == "task" else f"{name}.html"


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("e => e === document.activeElement"))


def popover_values(popover: Locator) -> dict[str, str | None]:
    """Field name -> shown value (``None`` for the missing mark) of the popover's field list."""
    pairs = popover.evaluate(
        """p => [...p.querySelectorAll('.cab-keys dt')].map(dt => {
             const dd = dt.nextElementSibling;
             const code = dd.querySelector('code');
             return [dt.textContent.replace(/:$/, '').trim(),
                     dd.querySelector('.cab-missing') ? null : (code ? code.textContent : null)];
           })"""
    )
    return {name: value for name, value in pairs}


# -- the popover ---------------------------------------------------------------------------------


def test_popover_opens_by_mouse_and_escape_returns_focus(page: Page) -> None:
    page.goto(LEADERBOARD)
    popover = page.locator(POPOVER).first
    icon = popover.locator("summary")
    assert popover.evaluate("d => d.open") is False
    content = popover.locator(KEY_LIST)
    expect(content).to_be_hidden()
    icon.click()
    assert popover.evaluate("d => d.open") is True
    expect(content).to_be_visible()
    # Move focus into the popover, as a reader who tabs to a copy button would.
    popover.locator(COPY).first.focus()
    page.keyboard.press("Escape")
    assert popover.evaluate("d => d.open") is False
    assert is_focused(icon), "Escape did not return focus to the row icon"


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_popover_opens_by_keyboard(page: Page, key: str) -> None:
    page.goto(LEADERBOARD)
    popover = page.locator(POPOVER).nth(1)
    icon = popover.locator("summary")
    icon.focus()
    page.keyboard.press(key)
    assert popover.evaluate("d => d.open") is True
    expect(popover.locator(KEY_LIST)).to_be_visible()
    page.keyboard.press("Escape")
    assert popover.evaluate("d => d.open") is False
    assert is_focused(icon)


def test_icon_is_reachable_with_tab(page: Page) -> None:
    page.goto(LEADERBOARD)
    first_icon = page.locator(f"{POPOVER} > summary").first
    for _ in range(400):
        page.keyboard.press("Tab")
        if is_focused(first_icon):
            break
    else:
        pytest.fail("Tab never reached the first row icon")
    assert first_icon.get_attribute("aria-label") or first_icon.inner_text().strip(), (
        "the row icon has no accessible name"
    )


# -- copy buttons ----------------------------------------------------------------------------------


def test_copy_buttons_copy_each_key_value(page: Page, keys: set[data.Key]) -> None:
    page.goto(LEADERBOARD)
    popover = page.locator(POPOVER).first
    popover.locator("summary").click()
    shown = popover_values(popover)
    key = tuple(shown.get(f.name) for f in KEY_FIELDS)
    assert key in keys, f"the popover's key is not a cell of the data: {shown}"
    copied: list[str] = []
    buttons = popover.locator(COPY)
    for index in range(buttons.count()):
        button = buttons.nth(index)
        intended = button.get_attribute("data-cab-copy")
        assert intended is not None
        button.click()
        clipboard = page.evaluate("navigator.clipboard.readText()")
        assert clipboard == intended
        copied.append(clipboard)
    recorded = [v for v in key if v is not None]
    for value in recorded:
        assert value in copied, f"no copy button copies {value!r}"


def test_copy_reproduce_command_round_trips_through_bash(
    page: Page, keys: set[data.Key], tmp_path: Path
) -> None:
    page.goto(LEADERBOARD)
    checked = 0
    popovers = page.locator(POPOVER)
    for index in (0, popovers.count() // 2, popovers.count() - 1):
        popover = popovers.nth(index)
        popover.locator("summary").click()
        command_button = popover.locator(f"{COPY}[data-cab-copy^='codingagentbench']")
        expect(command_button).to_have_count(1)
        command_button.click()
        clipboard = page.evaluate("navigator.clipboard.readText()")
        shown = popover.locator("pre").inner_text()
        assert clipboard.strip() == shown.strip()
        arguments = kit.bash_arguments(clipboard, tmp_path / str(index))
        key = data.key_from_arguments(arguments)
        assert key in keys
        assert arguments == data.expected_arguments(key)
        shown_key = tuple(popover_values(popover).get(f.name) for f in KEY_FIELDS)
        assert key == shown_key
        page.keyboard.press("Escape")
        checked += 1
    assert checked == 3


# -- Normal / Nerds --------------------------------------------------------------------------------


def nerd_visibility(page: Page) -> list[bool]:
    return [
        bool(v)
        for v in page.locator(NERD).evaluate_all(
            "els => els.map(e => e.getClientRects().length > 0)"
        )
    ]


def test_view_toggle_switches_and_is_remembered(page: Page, context: BrowserContext) -> None:
    page.goto(LEADERBOARD)
    assert page.locator(NERD).count() > 0, "the leaderboard has no Nerds-only content"
    assert not any(nerd_visibility(page)), "Nerds content shows in the default Normal view"
    toggle = page.locator(TOGGLE).first
    expect(toggle).to_be_visible()
    toggle.click()
    assert all(nerd_visibility(page)), "Nerds content stays hidden after the toggle"
    assert page.evaluate("localStorage.getItem('cab-view')") == "nerds"
    page.goto("provenance.html")
    if page.locator(NERD).count():
        assert all(nerd_visibility(page))
    page.goto(LEADERBOARD)
    assert all(nerd_visibility(page)), "the Nerds view was not remembered on the next page"
    toggle = page.locator(TOGGLE).first
    toggle.focus()
    page.keyboard.press("Enter")
    assert not any(nerd_visibility(page)), "Enter on the toggle did not switch back to Normal"
    page.keyboard.press("Space")
    assert all(nerd_visibility(page)), "Space on the toggle did not switch to Nerds"
    pressed = toggle.get_attribute("aria-pressed")
    assert pressed in ("true", "false"), "the toggle does not expose its state (aria-pressed)"


# -- sorting ---------------------------------------------------------------------------------------


COLUMN_TEXT = """(t, column) => [...t.tBodies[0].rows].map(r => {
  const cell = r.cells[column];
  return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
})"""

TEXT_ORDER_BREAKS = """([values, sign]) => {
  const collator = new Intl.Collator(undefined, {numeric: true});
  const breaks = [];
  for (let i = 1; i < values.length; i++) {
    if (sign * collator.compare(values[i - 1], values[i]) > 0) {
      breaks.push([values[i - 1], values[i]]);
    }
  }
  return breaks;
}"""
"""Adjacent pairs out of order under the locale's collation (how a reader expects text sorted)."""

LEADING_NUMBER = re.compile(r"^-?[\d,]*\.?\d+(?:[eE][-+]?\d+)?")


def number_or_none(text: str) -> float | None:
    match = LEADING_NUMBER.match(text)
    return float(match.group(0).replace(",", "")) if match else None


def order_problems(page: Page, values: list[str], numeric: bool, state: str) -> list[object]:
    """Why ``values`` are not in ``state`` order (empty when they are)."""
    sign = -1 if state == "descending" else 1
    if not numeric:
        problems: list[object] = page.evaluate(TEXT_ORDER_BREAKS, [values, sign])
        return problems
    numbers = [number_or_none(v) for v in values]
    present = [n for n in numbers if n is not None]
    problems = []
    if numbers[: len(present)] != present:
        problems.append("rows without a value are not last")
    if present != sorted(present, reverse=state == "descending"):
        problems.append(f"numbers not {state}: {present[:12]}...")
    return problems


def row_identities(table: Locator) -> list[str]:
    ids: list[str] = table.evaluate(
        "t => [...t.tBodies[0].rows].map(r => r.textContent.replace(/\\s+/g, ' ').trim())"
    )
    return ids


def check_built_order(page: Page, table: Locator) -> None:
    """As built, the rows come in the order of the one column marked with aria-sort."""
    initial = table.locator("th[aria-sort]")
    expect(initial).to_have_count(1)
    column = int(initial.evaluate("th => th.cellIndex"))
    numeric = "cab-num" in (initial.get_attribute("class") or "")
    state = initial.get_attribute("aria-sort") or ""
    assert order_problems(page, table.evaluate(COLUMN_TEXT, column), numeric, state) == []


def check_sorting(page: Page, table: Locator, headers: list[Locator]) -> set[str]:
    """Click each header twice: rows follow, aria-sort says how, no row is lost."""
    before = sorted(row_identities(table))
    seen_states = set()
    for header in headers:
        column = int(header.evaluate("th => th.cellIndex"))
        numeric = "cab-num" in (header.get_attribute("class") or "")
        first_order = None
        for _ in range(2):
            control = header.locator("button")
            (control.first if control.count() else header).click()
            state = header.get_attribute("aria-sort") or ""
            assert state in ("ascending", "descending"), state
            assert state != first_order, "a second click did not reverse the order"
            first_order = state
            values = table.evaluate(COLUMN_TEXT, column)
            problems = order_problems(page, values, numeric, state)
            assert problems == [], f"column {column} ({state}): {problems[:5]}"
            expect(table.locator("thead th[aria-sort]")).to_have_count(1)
            seen_states.add(state)
    assert sorted(row_identities(table)) == before, "sorting lost or changed rows"
    return seen_states


def visible_sortable(table: Locator) -> list[Locator]:
    headers = table.locator(SORTABLE)
    return [headers.nth(i) for i in range(headers.count()) if headers.nth(i).is_visible()]


def test_sorting_the_overview_by_every_column(page: Page) -> None:
    page.goto(LEADERBOARD)
    table = page.locator(f"table.cab-leaderboard:not(:has({POPOVER}))").first
    check_built_order(page, table)
    headers = visible_sortable(table)
    assert len(headers) >= 2, "fewer than two sortable columns are visible in the Normal view"
    assert check_sorting(page, table, headers) == {"ascending", "descending"}


def test_sorting_the_cell_table(page: Page) -> None:
    """The 1,155-row table: built order, then one text and one number column (each sort of the
    whole table takes about a second here, so not every column)."""
    page.goto(LEADERBOARD)
    table = page.locator(f"table:has({POPOVER})").first
    check_built_order(page, table)
    headers = visible_sortable(table)
    text = [h for h in headers if "cab-num" not in (h.get_attribute("class") or "")]
    numbers = [h for h in headers if "cab-num" in (h.get_attribute("class") or "")]
    assert text and numbers
    assert check_sorting(page, table, [text[-1], numbers[-1]]) == {"ascending", "descending"}


def test_rows_agree_with_the_data(page: Page, site_data: Path, tmp_path: Path) -> None:
    """Each row's command names a cell of the data, and its Runs column counts that cell's runs."""
    page.goto(LEADERBOARD)
    table = page.locator(f"table:has({POPOVER})").first
    headers = table.locator("thead th").all_text_contents()
    runs_column = [h.strip() for h in headers].index("Runs")
    rows = table.evaluate(
        """(t, column) => [...t.tBodies[0].rows].map(r => [
             r.cells[column].textContent.trim(), r.querySelector('pre').textContent])""",
        runs_column,
    )
    counts: dict[data.Key, int] = {}
    for record in data.run_records(site_data):
        key = tuple(None if record.get(f.name) is None else str(record[f.name]) for f in KEY_FIELDS)
        counts[key] = counts.get(key, 0) + 1
    arguments = kit.bash_arguments_many([command for _, command in rows], tmp_path)
    shown = {}
    for (runs_text, _), args in zip(rows, arguments, strict=True):
        assert args is not None
        key = data.key_from_arguments(args)
        shown[key] = int(runs_text.replace(",", ""))
    assert shown == {key: counts[key] for key in shown}
    assert len(shown) == len(rows), "two rows show the same cell"
    assert set(shown) == set(counts), "the leaderboard does not show every cell of the data"


# -- without JavaScript ------------------------------------------------


def test_without_javascript_everything_is_reachable(
    docs_url: str, keys: set[data.Key], tmp_path: Path
) -> None:
    context = kit.new_context(docs_url, javascript=False)
    try:
        page = context.new_page()
        page.goto(LEADERBOARD)
        nerd = page.locator(NERD)
        for index in range(min(nerd.count(), 20)):
            expect(nerd.nth(index)).to_be_visible()
        popovers = page.locator(POPOVER)
        count = popovers.count()
        assert count > 0
        commands = page.locator(f"{POPOVER} pre").all_text_contents()
        assert len(commands) == count, "a popover has no reproduce command"
        results = kit.bash_arguments_many(commands, tmp_path)
        seen = {data.key_from_arguments(args) for args in results if args is not None}
        assert None not in results
        assert seen <= keys
        assert len(seen) == count, "two rows carry the same command"
        # <details> opens natively: the values become visible without any script.
        for index in (0, count - 1):
            popover = popovers.nth(index)
            popover.locator("summary").click()
            expect(popover.locator("pre")).to_be_visible()
    finally:
        context.close()


# -- accessibility and screenshots ---------------------------------------------------------------

AXE_RESULTS: dict[str, Any] = {}
AXE_SAMPLE_ROWS = 40
PRUNE_ROWS = """
(keep) => {
  let removed = 0;
  for (const body of document.querySelectorAll('table.cab-leaderboard > tbody')) {
    for (const row of [...body.rows].slice(keep)) { row.remove(); removed += 1; }
  }
  return removed;
}
"""
"""axe-core needs minutes for the 1,155-row table; every row comes from the same template, so
after the screenshot the audit drops all but the first rows of each leaderboard table (the number
dropped is recorded with the results) and checks the whole rest of the page."""


@pytest.fixture(scope="module", autouse=True)
def write_axe_results() -> Any:
    yield
    if AXE_RESULTS:
        kit.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (kit.ARTIFACTS / "axe-results.json").write_text(
            json.dumps(AXE_RESULTS, indent=1, sort_keys=True), encoding="utf-8"
        )


def test_toctree_captions_have_a_heading_level(page: Page) -> None:
    """Sphinx writes toctree captions with role=heading but no aria-level (sphinx#14030); the
    docs' toctree_caption_level extension adds it, in the sidebar and in the page body."""
    page.goto("index.html")
    captions = page.locator("[role=heading]:not(h1, h2, h3, h4, h5, h6)")
    assert captions.count() > 0
    levels = [captions.nth(i).get_attribute("aria-level") for i in range(captions.count())]
    assert None not in levels


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", AUDITED_PAGES)
def test_axe_and_screenshot(docs_site: kit.Build, docs_url: str, name: str, mode: str) -> None:
    context = kit.new_context(docs_url, dark=mode == "dark")
    if mode == "dark":
        context.add_init_script(kit.THEME_DARK_SETUP)
    try:
        page = context.new_page()
        page.goto(page_path(docs_site, name))
        if mode == "dark":
            assert page.evaluate("document.body.dataset.theme") == "dark"
        shots = kit.ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{name}-{mode}.png"))
        pruned = page.evaluate(PRUNE_ROWS, AXE_SAMPLE_ROWS)
        results = Axe().run(page)
        violations = results.response["violations"]
        AXE_RESULTS[f"{name}/{mode}"] = {
            "rows_left_out": pruned,
            "violations": [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "nodes": len(v["nodes"]),
                    "targets": [n["target"] for n in v["nodes"][:5]],
                }
                for v in violations
            ],
        }
        severe = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert severe == [], f"{name} ({mode}): {severe}"
    finally:
        context.close()
