"""Every directive and role through every builder, and bad options as exact, located warnings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from cab_pages import build, pinned_snapshot, prepare, shared_build, soup

from sphinxcontrib_cab.snapshot.reproduce import reproduce_command

if TYPE_CHECKING:
    from pathlib import Path

    from cab_pages import Built
    from sphinx.testing.util import SphinxTestApp

BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "latex", "text", "man")
PLAIN_OUTPUT = {"latex": "cab-test.tex", "text": "reference_rst.txt", "man": "cab-test.1"}


@pytest.mark.parametrize("builder", BUILDERS)
def test_builder_sweep_has_no_warnings(builder: str, tmp_path: Path) -> None:
    built = build("directives-all", tmp_path, builder)
    assert built.warnings == []
    assert any(built.outdir.iterdir())


def example_cell_lines(built: Built) -> tuple[list[str], str]:
    """The nine values and the command of the first cell with all nine fields recorded."""
    snapshot = pinned_snapshot(built)
    cell = next(c for c in snapshot.cells if not c.key.missing())
    values = [v for v in cell.key.values() if v is not None]
    command = reproduce_command(cell.key, built.app.config.cab_command)
    return values, command


LATEX_ESCAPES = {
    "\\PYGZhy{}": "-",
    "\\PYGZsq{}": "'",
    "\\PYGZbs{}": "\\",
    "\\sphinxhyphen{}": "-",
    "\\_": "_",
}
MAN_ESCAPES = {"\\-": "-", "\\(aq": "'", "\\e": "\\"}


def plain_text(builder: str, output: str) -> str:
    """Undo the escapes the LaTeX (with Pygments) and man writers apply to these values."""
    if builder == "latex":
        for escaped, char in LATEX_ESCAPES.items():
            output = output.replace(escaped, char)
        output = re.sub(r"\\PYG\{[^}]*\}\{([^}]*)\}", r"\1", output)
    elif builder == "man":
        for escaped, char in MAN_ESCAPES.items():
            output = output.replace(escaped, char)
    return output


@pytest.mark.parametrize("builder", sorted(PLAIN_OUTPUT))
def test_plain_builders_carry_the_nine_values_and_the_command(builder: str, tmp_path: Path) -> None:
    built = build("directives-all", tmp_path, builder)
    output = plain_text(builder, (built.outdir / PLAIN_OUTPUT[builder]).read_text("utf-8"))
    values, command = example_cell_lines(built)
    assert len(values) == 9
    for value in values:
        assert value in output, (builder, value)
    lines = [line.strip() for line in output.splitlines()]
    expected = [line.strip() for line in command.splitlines()]
    start = lines.index(expected[0])
    assert lines[start : start + len(expected)] == expected


# -- bad options -------------------------------------------------------------------------------

EXPECTED_WARNINGS = {
    "bad_rst.rst": {
        4: ":status:",
        7: ":show:",
        10: "cell",
        15: "snapshot",
        18: "cab-count",
        19: "cab-meta",
        20: "cab-score cell",
        21: "cab-score metric",
        22: "snapshot",
    },
    "bad_md.md": {
        3: ":status:",
        7: ":show:",
        11: "cell",
        17: "snapshot",
        21: "cab-count",
        22: "cab-meta",
        23: "cab-score cell",
        24: "cab-score metric",
        25: "snapshot",
    },
}


def expected_bad_warnings(built: Built) -> list[str]:
    from sphinxcontrib_cab.roles import COUNT_NAMES, META_NAMES, METRIC_NAMES

    pinned = pinned_snapshot(built)
    older = pinned_snapshot(built, "2026-05-27")
    messages = {
        ":status:": "cab-exploits option :status: 'alive' is not one of live, patched, all; "
        "using 'all' [cab.option]",
        ":show:": "cab-provenance option :show: 'everything' is not one of fields, cell, all; "
        "using 'all' [cab.option]",
        "cell": f"no cell of snapshot {pinned.name} matches :tui: 'nosuchtui', "
        ":task: 'polyglot/python-two-sum' [cab.cell]",
        "snapshot": f"unknown snapshot '1999-01-01'; known snapshots: {pinned.name}, "
        f"{older.name} [cab.snapshot]",
        "cab-count": f"cab-count: unknown name 'widgets'; allowed: {', '.join(COUNT_NAMES)} "
        "[cab.option]",
        "cab-meta": f"cab-meta: unknown name 'colour'; allowed: {', '.join(META_NAMES)} "
        "[cab.option]",
        "cab-score cell": f"cab-score: no cell of snapshot {pinned.name} is "
        "'nobody/gpt-oss-120b/polyglot/python-two-sum' "
        "(write tui/model/task or tui/behavior_mode/model/task/plugin_stack) [cab.cell]",
        "cab-score metric": "cab-score: unknown metric 'speed'; allowed: "
        f"{', '.join(METRIC_NAMES)} [cab.option]",
    }
    return [
        f"<src>/{page}:{line}: WARNING: {messages[kind]}"
        for page in sorted(EXPECTED_WARNINGS)
        for line, kind in EXPECTED_WARNINGS[page].items()
    ]


@pytest.fixture(scope="module")
def bad() -> Built:
    return shared_build("directives-bad")


def test_bad_options_give_exact_located_warnings(bad: Built) -> None:
    assert bad.warnings == expected_bad_warnings(bad)


@pytest.mark.parametrize("docname", ["bad_rst", "bad_md"])
def test_bad_options_still_render(bad: Built, docname: str) -> None:
    page = soup(bad.page(docname))
    snapshot = pinned_snapshot(bad)
    # the exploit list falls back to all entries, the provenance directive to all parts
    assert len(page.select("div.cab-exploit")) == len(snapshot.exploits)
    assert page.select("dl.cab-key-fields") and page.select("div.cab-cell-provenance")
    markers = [span.get_text() for span in page.select("span.cab-problem")]
    assert markers == [
        "[snapshot 1999-01-01 is not available]",
        "[cab-count: widgets?]",
        "[cab-meta: colour?]",
        "[cab-score: nobody/gpt-oss-120b/polyglot/python-two-sum?]",
        "[cab-score: speed:aider/gpt-oss-120b/polyglot/python-two-sum?]",
        "[cab-count: rows@1999-01-01?]",
    ]


def test_bad_pages_render_the_same_in_rst_and_myst(bad: Built) -> None:
    # both pages list the exploit ledger; an exploit mark links to its one canonical entry (on
    # bad_md, the first page by name), which bad_md reaches without naming itself
    canonical = 'href="bad_md.html#cab-exploit-'
    assert canonical in bad.body("bad_rst")
    assert bad.body("bad_md") == bad.body("bad_rst").replace(canonical, 'href="#cab-exploit-')


# -- hostile data --------------------------------------------------------------------------------

HOSTILE_PAGES = ("index", "ledger", "cells", "history", "tasks", "downloads", "diff")


def hostile_srcdir(workdir: Path) -> Path:
    """The hostile root with the hostile snapshot, one cab-provenance and one cab-task per task
    of it."""
    import json
    import shutil

    from cab_pages import ROOTS
    from hostile.make_hostile import write_snapshot

    srcdir = workdir / "directives-hostile"
    shutil.copytree(ROOTS / "test-directives-hostile", srcdir)
    write_snapshot(srcdir / "snapshot")
    tasks = json.loads((srcdir / "snapshot/site/src/data/tasks.json").read_text("utf-8"))
    with (srcdir / "cells.rst").open("a", encoding="utf-8") as page:
        for task in tasks:
            page.write(f".. cab-provenance::\n   :show: cell\n   :task: {task['id']}\n\n")
    with (srcdir / "tasks.rst").open("a", encoding="utf-8") as page:
        for task in tasks:
            page.write(f".. cab-task:: {task['id']}\n\n")
    return srcdir


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    workdir = tmp_path_factory.mktemp("hostile")
    srcdir = hostile_srcdir(workdir)
    return {
        builder: build("directives-hostile", workdir, builder, srcdir=srcdir)
        # Not text: Sphinx's text writer wraps with textwrap, which takes seconds per paragraph
        # on the 10,000-character payload (about 100 s for this root); the sweep above covers it.
        for builder in ("html", "epub", "latex", "man")
    }


def test_hostile_data_builds_without_warnings(hostile: dict[str, Built]) -> None:
    for builder, built in hostile.items():
        assert built.warnings == [], builder
        assert not (built.srcdir / "cab-pwned").exists()


def test_hostile_epub_pages_are_well_formed_xml(hostile: dict[str, Built]) -> None:
    from xml.dom import minidom

    outdir = hostile["epub"].outdir
    for page in HOSTILE_PAGES:
        minidom.parse(str(outdir / f"{page}.xhtml"))  # raises on a control character


# (page, field tag, shown as a literal?) for the data the history, task and downloads directives
# put on the page; the meta field carries every payload at once
HOSTILE_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("tasks", "task.language", False),
    ("tasks", "task.version", True),
    ("tasks", "task.summary", False),
    ("tasks", "task.source", True),
    ("tasks", "task.grader.kind", True),
    ("tasks", "task.grader.command", True),
    ("tasks", "task.ground_truth[0]", True),
    ("tasks", "task.constraints[0].rule", True),
    ("tasks", "task.constraints[0].target", True),
    ("history", "history.version", True),
    ("history", "history.changes", False),
    ("history", "history.fields_introduced[0]", True),
)


def shown(value: str, literal: bool) -> str:
    """How a data value reads on the page: the value, hidden characters as escapes."""
    from sphinxcontrib_cab.render import value_literal, visible_text

    return value_literal(value).astext() if literal else visible_text(value)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_hostile_epub_pages_show_the_data_literally(hostile: dict[str, Built]) -> None:
    from xml.etree import ElementTree

    from hostile.make_hostile import PAYLOADS, joined, tagged

    outdir = hostile["epub"].outdir
    texts = {
        page: squeezed("".join(ElementTree.parse(outdir / f"{page}.xhtml").getroot().itertext()))
        for page in HOSTILE_PAGES
    }
    for page, tag, literal in HOSTILE_FIELDS:
        for name in PAYLOADS:
            assert squeezed(shown(tagged(name, tag), literal)) in texts[page], (tag, name)
    for name in PAYLOADS:  # the setup script is a code block: hidden characters as escapes
        assert squeezed(shown(tagged(name, "task.setup"), False)) in texts["tasks"], name
    version = squeezed(shown(joined("meta.methodology_version"), True))
    assert version in texts["downloads"]
    assert version in texts["history"]


def test_hostile_diff_shows_every_cell_name_literally(hostile: dict[str, Built]) -> None:
    from xml.etree import ElementTree

    from sphinxcontrib_cab.snapshot.index import full_name

    root = ElementTree.parse(hostile["epub"].outdir / "diff.xhtml").getroot()
    text = squeezed("".join(root.itertext()))
    cells = pinned_snapshot(hostile["epub"]).cells
    assert cells
    for cell in cells:
        assert squeezed(shown(full_name(cell), True)) in text


def test_hostile_latex_escapes_the_specials(hostile: dict[str, Built]) -> None:
    from hostile.make_hostile import tagged
    from sphinx.util import texescape

    texescape.init()  # the map the LaTeX builder escapes text with
    tex = (hostile["latex"].outdir / "cab-test.tex").read_text("utf-8")
    for _page, tag, literal in HOSTILE_FIELDS:
        escaped = texescape.escape(shown(tagged("latex", tag), literal))
        assert "\\textbackslash{}input\\{/etc/passwd\\}" in escaped
        assert escaped in tex, tag
    setup = "\\PYGZbs{}input\\PYGZob{}/etc/passwd\\PYGZcb{}"  # Pygments' escapes, code block
    assert setup in tex
    assert "\\input{/etc/passwd}" not in tex
    assert tex.count("\\end{document}") == 1


def test_hostile_html_carries_no_live_markup(hostile: dict[str, Built]) -> None:
    for page in HOSTILE_PAGES:
        html = hostile["html"].page(page)
        body = soup(html).select_one("div.body")
        assert body is not None
        assert body.select("script, img, svg, iframe") == []
        assert "javascript:" not in " ".join(str(a.get("href", "")) for a in body.select("a"))


def test_hostile_commands_give_back_the_cell_keys(
    hostile: dict[str, Built], tmp_path: Path
) -> None:
    """Every command on the page, run by bash, passes exactly one cell's recorded values."""
    from snapshot.test_reproduce import expected_arguments, run_in_bash

    built = hostile["html"]
    snapshot = pinned_snapshot(built)
    wanted = {tuple(expected_arguments(cell.key)) for cell in snapshot.cells}
    blocks = soup(built.page("cells")).select("div.cab-repro pre")
    assert len(blocks) == len(snapshot.tasks) + 1
    seen = set()
    for block in blocks:
        arguments = tuple(run_in_bash(block.get_text().rstrip("\n"), tmp_path))
        assert arguments in wanted
        seen.add(arguments)
    assert len(seen) == len(snapshot.tasks)


# -- incremental and parallel ------------------------------------------------------------------


def reread_docs(srcdir: Path, workdir: Path) -> tuple[list[str], Built]:
    """Rebuild ``srcdir`` (keeping its environment) and return the documents Sphinx re-read."""
    reread: list[str] = []

    def listen(app: SphinxTestApp) -> None:
        app.connect("env-before-read-docs", lambda _app, _env, docs: reread.extend(docs))

    built = build("directives", workdir, srcdir=srcdir, on_app=listen)
    return sorted(reread), built


def test_changing_an_older_snapshot_rereads_exactly_its_pages(tmp_path: Path) -> None:
    srcdir = prepare("directives", tmp_path)
    first, built = reread_docs(srcdir, tmp_path)
    assert len(first) == len(built.app.env.found_docs)
    unchanged, _ = reread_docs(srcdir, tmp_path)
    assert unchanged == []
    older = pinned_snapshot(built, "2026-05-27")
    catalog = older.sources.exploits.relative_to(built.srcdir)
    path = srcdir / catalog
    path.write_text(path.read_text("utf-8") + "# an edit\n", encoding="utf-8")
    reread, _ = reread_docs(srcdir, tmp_path)
    expected = sorted(
        f"{case}_{variant}"
        for case in ("receipt_older", "ledger_older", "provenance_older")
        for variant in ("rst", "backtick", "colon")
    )
    assert reread == expected


def test_parallel_build_matches_serial(tmp_path: Path) -> None:
    serial = build("directives", tmp_path / "serial")
    parallel = build("directives", tmp_path / "parallel", parallel=4)
    assert parallel.warnings == serial.warnings == []
    docs = sorted(serial.app.env.found_docs)
    assert len(docs) >= 6
    for docname in docs:
        assert parallel.body(docname) == serial.body(docname), docname
