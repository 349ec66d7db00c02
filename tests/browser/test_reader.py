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

from . import data, kit, sites

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

POPOVER = "details.cab-popover"
COPY = "button.cab-copy[data-cab-copy]"
TOGGLE = "button.cab-view-toggle"
NERD = ".cab-nerd"
SORTABLE = "th.cab-sortable"

LEADERBOARD = "leaderboard.html"
AUDITED_PAGES = ("provenance", "leaderboard", "security", "task")
MODES = ("light", "dark")


@pytest.fixture(scope="session")
def keys() -> set[data.Key]:
    return data.cell_keys(sites.DATA)


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
        """p => [...p.querySelectorAll('.cab-key-values dt')].map(dt => {
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
    content = popover.locator(".cab-key-values")
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
    expect(popover.locator(".cab-key-values")).to_be_visible()
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
    key = tuple(shown.get(f.name) for f in data.KEY_FIELDS)
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
        shown_key = tuple(popover_values(popover).get(f.name) for f in data.KEY_FIELDS)
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


def sort_values(table: Locator, column: int) -> list[str]:
    values: list[str] = table.evaluate(
        """(t, column) => [...t.tBodies[0].rows].map(r => {
             const cell = r.cells[column];
             return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
           })""",
        column,
    )
    return values


def row_identities(table: Locator) -> list[str]:
    ids: list[str] = table.evaluate(
        "t => [...t.tBodies[0].rows].map(r => r.textContent.replace(/\\s+/g, ' ').trim())"
    )
    return ids


def ordering_key(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)


def test_sorting_reorders_rows_and_sets_aria_sort(page: Page) -> None:
    page.goto(LEADERBOARD)
    table = page.locator(f"table:has({POPOVER})").first
    headers = table.locator(SORTABLE)
    assert headers.count() >= 2, "the leaderboard has fewer than two sortable columns"
    before = sorted(row_identities(table))
    checked = []
    for index in range(headers.count()):
        header = headers.nth(index)
        column = int(header.evaluate("th => th.cellIndex"))
        for _ in range(2):
            control = header.locator("button")
            (control.first if control.count() else header).click()
            state = header.get_attribute("aria-sort")
            assert state in ("ascending", "descending"), state
            values = [ordering_key(v) for v in sort_values(table, column)]
            expected = sorted(values, reverse=state == "descending")
            assert values == expected, f"column {column} is not {state}"
            others = [
                headers.nth(i).get_attribute("aria-sort")
                for i in range(headers.count())
                if i != index
            ]
            assert all(o in (None, "none") for o in others)
            checked.append((column, state))
        assert sorted(row_identities(table)) == before, "sorting lost or changed rows"
    assert {state for _, state in checked} == {"ascending", "descending"}


def test_sort_values_match_the_shown_numbers(page: Page) -> None:
    page.goto(LEADERBOARD)
    table = page.locator(f"table:has({POPOVER})").first
    pairs = table.evaluate(
        """t => [...t.tBodies[0].querySelectorAll('td[data-sort]')].map(
             c => [c.dataset.sort, c.textContent.trim()])"""
    )
    assert pairs, "no cell carries data-sort"
    for sort_value, text in pairs:
        number = re.match(r"^-?[\d,]*\.?\d+", text)
        if number and sort_value:
            shown = float(number.group(0).replace(",", ""))
            assert abs(float(sort_value) - shown) <= 0.005 + 1e-9 * abs(shown) or (
                abs(float(sort_value) * 100 - shown) <= 0.5
            ), (sort_value, text)


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
            expect(popover.locator(".cab-key-values")).to_be_visible()
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
            (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert severe == [], f"{name} ({mode}): {severe}"
    finally:
        context.close()
