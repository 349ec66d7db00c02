"""Hostile input: every free string field of a snapshot carries an attack; every builder runs.

The snapshot comes from ``tests/hostile/make_hostile.py`` (HTML and script, ``javascript:`` links,
quotes, shell syntax, newlines, control characters, bidi and zero-width characters, 10k strings,
LaTeX specials, reST and Markdown syntax). Checks: every builder finishes without a crash or a
warning; in Chromium no payload runs and the text shows literally; LaTeX output escapes it; every
reproduce command round-trips through bash; options that name files cannot leave the project
without a warning.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest
from browser import data, kit
from cab_pages import make_pdf, tex_errors
from hostile import make_hostile
from sphinx.util import texescape

from sphinxcontrib_cab.snapshot.reproduce import shell_quote

if TYPE_CHECKING:
    from pathlib import Path

    from hostile.make_hostile import Case
    from playwright.sync_api import Dialog


pytestmark = pytest.mark.slow

BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "latex", "text", "man")
SHOWN_IN_HTML_REQUIRED = (
    "run.tui",
    "run.behavior_mode",
    "run.model",
    "run.plugin_stack",
    "run.model_endpoint_sha",
    "run.sampling_profile",
    "exploit.title",
    "exploit.trigger",
    "exploit.grader_call",
    "meta.source",
    "meta.methodology_version",
)
"""Fields every page set must show somewhere (the key values, the exploit ledger, the receipt)."""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def cases(workdir: Path) -> list[Case]:
    return make_hostile.write_snapshot(workdir / "snapshot")


def hostile_project(workdir: Path, name: str) -> Path:
    project = workdir / name
    kit.copy_tree(kit.ROOTS / "test-hostile", project)
    kit.install_snapshot(workdir / "snapshot", project)
    return project


@pytest.fixture(scope="module")
def builds(workdir: Path, cases: list[Case]) -> dict[str, kit.Build]:
    """Every builder, each on its own copy (generated task pages are written into the sources)."""

    def one(builder: str) -> kit.Build:
        project = hostile_project(workdir, f"project-{builder}")
        return kit.sphinx_build(project, workdir / f"out-{builder}", builder, strict=False)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(BUILDERS, pool.map(one, BUILDERS), strict=True))


def normalise(text: str) -> str:
    """What HTML parsing does to text: CR and CRLF become LF; Sphinx protects runs of spaces in
    literals with no-break spaces."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


HIDDEN = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"})
PROSE_KEEPS = frozenset("\t\n\u200c\u200d")
INLINE_KEEPS = frozenset("\u200c\u200d")


def hidden(char: str) -> bool:
    return char != " " and unicodedata.category(char) in HIDDEN


def display_forms(value: str) -> set[str]:
    """The ways a data value may literally appear: as itself; in prose with each hidden
    character (control, format, separator) written ``\\u{hex}`` (tab, newline and the joiners
    kept); inside a line (a role, a heading) the same with tab and newline escaped too; or as a
    literal in the shell word the reproduce command uses."""
    forms = {value}
    for kept in (PROSE_KEEPS, INLINE_KEEPS):
        escaped = (f"\\u{{{ord(c):x}}}" if hidden(c) and c not in kept else c for c in value)
        forms.add("".join(escaped))
    if any(hidden(c) for c in value):
        forms.add(shell_quote(value))
    return forms


# -- the snapshot --------------------------------------------------------------------------------


def test_case_count(cases: list[Case]) -> None:
    per_payload = (
        len(make_hostile.RUN_FIELDS)
        + len(make_hostile.TASK_FIELDS)
        + len(make_hostile.EXPLOIT_FIELDS)
        + len(make_hostile.HISTORY_FIELDS)
    )
    short = [name for name in make_hostile.PAYLOADS if not name.startswith("long")]
    joined = len(make_hostile.META_FIELDS) * len(short)
    assert len(cases) == len(make_hostile.PAYLOADS) * per_payload + joined
    assert len({(c.source, c.field, c.payload) for c in cases}) == len(cases)
    print(f"\nhostile cases: {len(cases)} ({len(make_hostile.PAYLOADS)} payloads)")


def test_snapshot_passes_the_project_checker(workdir: Path, cases: list[Case]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_cab", "check", str(workdir / "snapshot")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- every builder ---------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", BUILDERS)
def test_builder_survives(builds: dict[str, kit.Build], builder: str) -> None:
    build = builds[builder]
    assert "Traceback" not in build.stderr and "Exception occurred" not in build.stderr, (
        build.stderr[-4000:]
    )
    assert build.returncode == 0, build.stderr[-4000:]
    # A payload parsed as markup would show up as a reST/MyST warning (unknown role, raw
    # directive, bad target...). The snapshot is valid, so no cab warning is expected either.
    assert build.warnings == []


# -- HTML: nothing runs, everything shows -------------------------------------------------------


def html_pages(build: kit.Build) -> list[Path]:
    return [
        p for p in kit.html_files(build.outdir) if p.name not in ("genindex.html", "search.html")
    ]


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml", "epub"])
def test_no_active_markup_from_data(builds: dict[str, kit.Build], builder: str) -> None:
    from bs4 import BeautifulSoup

    outdir = builds[builder].outdir
    pages = sorted(
        p for p in outdir.rglob("*") if p.suffix in (".html", ".xhtml") and "_static" not in p.parts
    )
    assert pages
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.find(id="cab-evil") is None, path
        for script in soup.find_all("script"):
            assert "__pwned" not in script.get_text(), path
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not attribute.lower().startswith("on"), (path, tag.name, attribute)
                text = " ".join(value) if isinstance(value, list) else str(value)
                if attribute in ("href", "src", "action", "formaction", "data"):
                    assert (
                        not re.sub(r"[\s\x00-\x1f]", "", text).lower().startswith("javascript:")
                    ), (path, tag.name, text[:80])


OPEN_ALL_AND_COPY = """() => {
  for (const details of document.querySelectorAll('details.cab-popover')) {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  }
  for (const button of document.querySelectorAll('button.cab-copy')) button.click();
}"""
"""Open every popover (cab.js builds its list of values from the data) and press every copy
button: their handlers see the hostile data too."""

SHOWN_TEXT = """() => {
  for (const details of document.querySelectorAll('details.cab-popover')) {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  }
  // Commands are checked through bash; copy buttons carry their text in an attribute.
  for (const node of document.querySelectorAll('pre.cab-repro, .cab-repro pre, button')) {
    node.remove();
  }
  return document.body.textContent;
}"""


def record_dialog(dialog: Dialog, seen: list[str]) -> None:
    seen.append(dialog.message)
    dialog.dismiss()


@pytest.mark.browser
def test_no_payload_runs_in_chromium(builds: dict[str, kit.Build]) -> None:
    dialogs: list[str] = []
    errors: list[str] = []
    for builder in ("html", "singlehtml"):
        build = builds[builder]
        base = kit.serve(build.outdir)
        context = kit.new_context(base)
        context.add_init_script(kit.PWNED_TRAP)
        try:
            page = context.new_page()
            page.on("dialog", lambda dialog: record_dialog(dialog, dialogs))
            page.on("pageerror", lambda error: errors.append(str(error)))
            for path in html_pages(build):
                page.goto(path.relative_to(build.outdir).as_posix())
                page.wait_for_load_state("load")
                # Open every popover and press every copy button: their handlers see the data too.
                page.evaluate(OPEN_ALL_AND_COPY)
                page.wait_for_timeout(50)
                state = page.evaluate(
                    "[typeof window.__pwned, window.__cab_alerts.length,"
                    " document.querySelectorAll('#cab-evil, img[onerror], svg[onload]').length]"
                )
                assert state == ["undefined", 0, 0], (builder, path.name, state)
            assert dialogs == []
            assert errors == []
        finally:
            context.close()


@pytest.mark.browser
def test_html_shows_hostile_text_literally(builds: dict[str, kit.Build], cases: list[Case]) -> None:
    build = builds["html"]
    context = kit.new_context(kit.serve(build.outdir))
    texts: list[str] = []
    try:
        page = context.new_page()
        for path in html_pages(build):
            page.goto(path.relative_to(build.outdir).as_posix())
            texts.append(page.evaluate(SHOWN_TEXT))
    finally:
        context.close()
    corpus = normalise("\n".join(texts))
    shown_fields = set()
    mangled = []
    for case in cases:
        tag = "#" + case.value.rsplit("#", 1)[1]
        if tag not in corpus:
            continue
        shown_fields.add(tag[1:])
        if not any(normalise(form) in corpus for form in display_forms(case.value)):
            mangled.append((case.field, case.payload))
    assert mangled == [], f"shown, but not literally: {mangled}"
    missing = sorted(set(SHOWN_IN_HTML_REQUIRED) - shown_fields)
    assert missing == [], f"fields never shown in HTML: {missing}"
    print(f"\nfields shown in HTML: {sorted(shown_fields)}")


# -- other builders -------------------------------------------------------------------------------


def test_latex_escapes_the_specials(builds: dict[str, kit.Build], cases: list[Case]) -> None:
    tex_files = sorted(builds["latex"].outdir.glob("*.tex"))
    assert tex_files
    tex = "\n".join(p.read_text(encoding="utf-8") for p in tex_files)
    assert tex.count("\\end{document}") == 1, "a payload closed the document"
    assert "\\input{/etc/passwd}" not in tex
    assert "\\def\\x{}" not in tex
    texescape.init()
    latex_cases = [c for c in cases if c.payload == "latex" and c.source != "meta"]
    escaped = [c for c in latex_cases if texescape.escape(c.value) in tex]
    # Each LaTeX-special value that reaches the document is there in escaped form.
    assert escaped, "no LaTeX-special value appears escaped in the .tex"


def test_latex_compiles(builds: dict[str, kit.Build], tmp_path: Path) -> None:
    """xelatex compiles the hostile document as emitted, with no TeX error: the unbroken
    2,000-character token included (cab gives long tokens break points)."""
    outdir = tmp_path / "latex"
    shutil.copytree(builds["latex"].outdir, outdir)
    token = make_hostile.PAYLOADS["long-token"]
    tex = "\n".join(p.read_text(encoding="utf-8") for p in outdir.glob("*.tex"))
    assert token[:40] + r"\allowbreak{}" + token[40:80] in tex
    done = make_pdf(outdir)
    errors = tex_errors(outdir)
    assert errors == [], errors[:10]
    assert done.returncode == 0, done.stdout[-4000:]
    assert [p.stat().st_size > 0 for p in outdir.glob("*.pdf")] == [True]


def test_text_builder_keeps_values(builds: dict[str, kit.Build], cases: list[Case]) -> None:
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(builds["text"].outdir.rglob("*.txt"))
    )
    for field in ("run.tui", "exploit.title"):
        values = [c.value for c in cases if f"#{field}" in c.value and c.payload == "script"]
        assert values and all(v in text for v in values), field


def test_man_page_has_no_injected_requests(builds: dict[str, kit.Build]) -> None:
    pages = sorted(builds["man"].outdir.rglob("*.7"))
    assert pages
    for line in pages[0].read_text(encoding="utf-8").splitlines():
        # A data line starting with '.' or "'" would be a roff request.
        assert not line.startswith((".. raw", "'''", "'\\''")), line


# -- reproduce commands ---------------------------------------------------------------------------


def test_every_reproduce_command_round_trips(builds: dict[str, kit.Build], workdir: Path) -> None:
    from bs4 import BeautifulSoup

    keys = data.cell_keys(workdir / "snapshot")
    commands: list[str] = []
    for path in html_pages(builds["html"]):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        commands += [block.get_text() for block in soup.select("pre.cab-repro, .cab-repro pre")]
        commands += [
            html.unescape(str(button["data-cab-copy"]))
            for button in soup.select("button.cab-copy[data-cab-copy]")
            if str(button["data-cab-copy"]).startswith("codingagentbench")
        ]
    assert commands
    results = kit.bash_arguments_many(commands, workdir / "bash")
    assert None not in results
    seen = set()
    for arguments in results:
        assert arguments is not None
        key = data.key_from_arguments(arguments)
        assert key in keys, arguments[:4]
        assert arguments == data.expected_arguments(key)
        seen.add(key)
    assert seen == keys, "some hostile cell has no reproduce command"


# -- options that name files ----------------------------------------------------------------------


def escape_project(workdir: Path, name: str, conf_extra: str) -> Path:
    """A copy of the every-directive root on the mini snapshot, with a decoy snapshot outside it."""
    project = workdir / "escapes" / name / "project"
    kit.copy_tree(kit.ROOTS / "test-themes", project)
    kit.install_snapshot(kit.MINI_SNAPSHOT, project)
    kit.install_snapshot(kit.MINI_SNAPSHOT, project.parent, folder="outside")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\n" + conf_extra + "\n")
    return project


def source_warnings(build: kit.Build) -> list[str]:
    return [w for w in build.warnings if "[cab.source]" in w or "[cab.config]" in w]


@pytest.mark.parametrize(
    ("name", "conf_extra"),
    [
        ("runs-climbs", 'cab_runs_path = "../../outside/results/published"'),
        (
            "tasks-absolute",
            "cab_tasks_path = str(__import__('pathlib').Path("
            "__file__).parent.parent / 'outside/site/src/data/tasks.json')",
        ),
        ("meta-climbs", 'cab_meta_path = "../../outside/site/src/data/meta.json"'),
        ("task-pages-climb", 'cab_task_pages = "../../outside-pages"'),
    ],
)
def test_configured_paths_cannot_leave_the_project(
    workdir: Path, name: str, conf_extra: str
) -> None:
    project = escape_project(workdir, name, conf_extra)
    build = kit.sphinx_build(project, project.parent / "out", strict=False)
    assert build.returncode == 0, build.stderr[-3000:]
    assert source_warnings(build), f"no cab.source/cab.config warning: {build.warnings}"
    assert not (project.parent.parent / "outside-pages").exists()


@pytest.mark.parametrize("root", ["/etc", "../missing"])
def test_snapshot_root_outside_the_project_warns(workdir: Path, root: str) -> None:
    name = "root-" + re.sub(r"\W", "", root)
    project = escape_project(workdir, name, f"cab_snapshot_root = {root!r}")
    build = kit.sphinx_build(project, project.parent / "out", strict=False)
    assert "Traceback" not in build.stderr
    assert source_warnings(build), f"read {root} without a cab.source warning"


def test_snapshot_root_is_trusted_configuration(workdir: Path) -> None:
    """``cab_snapshot_root`` is set in conf.py, which is code with the reader's full file access,
    and a benchmark repo keeps docs/ beside its results (our own docs use ``../data``): a root
    outside the conf.py folder is read as configured. What the data and the directive options
    name (sub-paths, older snapshots, ``:snapshot:``) stays confined, as the tests around this
    one check."""
    project = escape_project(workdir, "root-trusted", "cab_snapshot_root = '../outside'")
    build = kit.sphinx_build(project, project.parent / "out", strict=False)
    assert "Traceback" not in build.stderr
    assert source_warnings(build) == []


def test_older_snapshot_path_cannot_leave_the_snapshot(workdir: Path) -> None:
    project = escape_project(workdir, "older-climbs", "")
    meta_path = project / "data" / kit.SNAPSHOT_LAYOUT["meta"]
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["snapshots"][0]["path"] = "../../outside"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    build = kit.sphinx_build(project, project.parent / "out", strict=False)
    assert build.returncode == 0
    assert any("leads outside the snapshot" in w and "[cab.source]" in w for w in build.warnings)


def test_snapshot_option_is_a_name_not_a_path(workdir: Path) -> None:
    project = escape_project(workdir, "option-path", "")
    (project / "older.md").write_text(
        "# Older\n\n```{cab-receipt}\n:snapshot: ../../outside\n```\n", encoding="utf-8"
    )
    build = kit.sphinx_build(project, project.parent / "out", strict=False)
    assert build.returncode == 0
    hits = [w for w in build.warnings if "[cab.snapshot]" in w]
    assert len(hits) == 1 and "older.md" in hits[0], build.warnings


def test_download_basename_cannot_leave_the_output(workdir: Path) -> None:
    project = escape_project(workdir, "download-path", "")
    (project / "plain.md").write_text(
        "# Plain\n\n```{cab-downloads}\n:basename: ../../escaped\n```\n", encoding="utf-8"
    )
    out = project.parent / "out"
    build = kit.sphinx_build(project, out, strict=False)
    assert build.returncode == 0
    assert any("plain.md" in w for w in build.warnings), build.warnings
    assert not list(project.parent.rglob("escaped*"))
