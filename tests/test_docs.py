"""The documentation site, built the way the README builds it, and checked against the data.

One HTML build per session (``sphinx-build -nW --keep-going -b html docs <tmp>``); the other
builders reuse its doctrees, so the sweep only pays for writing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import MagicMock

import pytest
from bs4 import BeautifulSoup
from cab_pages import make_pdf
from docutils import nodes

from sphinxcontrib_cab.config import CONFIG_VALUES
from sphinxcontrib_cab.directives.reference.directive import schema_text
from sphinxcontrib_cab.render import format_count
from sphinxcontrib_cab.snapshot.contract import SCHEMAS, RunRecord
from sphinxcontrib_cab.snapshot.export import CSV_PROVENANCE
from sphinxcontrib_cab.snapshot.keys import KEY_FIELDS, PROVENANCE_FIELDS
from sphinxcontrib_cab.snapshot.load import load_snapshot_cached
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.warnings_ import Subtype

if TYPE_CHECKING:
    from bs4 import Tag

    from sphinxcontrib_cab.snapshot.model import Snapshot

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"

PUBLISHED_RECEIPT = {
    "tasks": 25,
    "categories": 3,
    "methodology_version": "0.1",
    "snapshot_date": "2026-06-20",
}
"""What the public CodingAgentBench receipt shows; the sample snapshot must reproduce it. Not its
3,465 rows: the sample's cells hold one to three runs, as published cells do, so its row count is
its own (``meta.json`` pins it and the loader counts it)."""

STATIC_PAGES = (
    "index",
    "provenance",
    "leaderboard",
    "security",
    "methodology",
    "downloads",
    "performance",
    "snapshots/2026-05-27",
    "guide/getting-started",
    "guide/reference",
    "guide/data-contract",
    "guide/verify-receipt",
    "guide/recipes",
    "task/index",
)

SWEEP_BUILDERS = ("latex", "text", "man", "dirhtml", "singlehtml", "epub")
"""Slowest first, so the two workers finish together."""


@dataclass(frozen=True)
class Build:
    outdir: Path
    doctrees: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def sphinx_build(builder: str, outdir: Path, doctrees: Path) -> Build:
    """``sphinx-build -nW --keep-going -b <builder> docs <outdir>`` with this interpreter."""
    command = [sys.executable, "-m", "sphinx", "-nW", "--keep-going", "-b", builder]
    command += [str(DOCS), str(outdir), "-d", str(doctrees)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    return Build(outdir, doctrees, done.returncode, done.stdout, done.stderr, seconds)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("docs")
    build = sphinx_build("html", root / "html", root / "doctrees")
    print(f"docs html build: {build.seconds:.1f} s")
    return build


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return load_snapshot_cached(SourcePaths.under(REPO / "data"))


def page(site: Build, docname: str) -> BeautifulSoup:
    return BeautifulSoup((site.outdir / f"{docname}.html").read_text("utf-8"), "html.parser")


def test_build_is_clean(site: Build) -> None:
    assert site.returncode == 0, site.stderr
    assert "WARNING" not in site.stderr
    assert "ERROR" not in site.stderr
    assert site.stderr.strip() == ""


def test_every_page_exists(site: Build, snapshot: Snapshot) -> None:
    task_pages = [f"task/{task.id}/index" for task in snapshot.tasks]
    category_pages = [f"task/{category}/index" for category in snapshot.categories]
    assert len(task_pages) == PUBLISHED_RECEIPT["tasks"]
    missing = [
        docname
        for docname in (*STATIC_PAGES, *category_pages, *task_pages)
        if not (site.outdir / f"{docname}.html").is_file()
    ]
    assert missing == []
    # the generated task pages are what Sphinx read: no page of a task outside the catalogue
    generated = {
        p.relative_to(site.outdir).with_suffix("").as_posix()
        for p in (site.outdir / "task").rglob("index.html")
    }
    assert generated == {"task/index", *category_pages, *task_pages}
    # the catalogue index links every task page
    index = page(site, "task/index")
    linked = {
        (site.outdir / "task" / str(a["href"])).resolve()
        for a in index.select("table.cab-task-index a.reference")
    }
    assert linked == {(site.outdir / f"{docname}.html").resolve() for docname in task_pages}


def test_task_page_shows_the_spec_and_its_cells(site: Build, snapshot: Snapshot) -> None:
    task = snapshot.tasks[0]
    soup = page(site, f"task/{task.id}/index")
    spec = soup.select_one("table.cab-task-spec")
    assert spec is not None
    fields = {}
    for row in spec.select("tbody > tr"):
        name, value = row.find_all("td", recursive=False)
        fields[name.get_text(strip=True)] = value
    assert list(fields) == [
        "id",
        "category",
        "language",
        "version",
        "task_added_date",
        "summary",
        "source",
        "setup",
        "grader",
        "budget",
        "ground_truth",
        "expected_refusal",
        "constraints",
    ]
    assert fields["id"].get_text(strip=True) == task.id
    assert fields["summary"].get_text(strip=True) == " ".join(task.summary.split())
    assert task.grader.command in fields["grader"].get_text()
    cells = [c for c in snapshot.cells if c.key.task == task.id]
    board = soup.select_one("table.cab-leaderboard")
    assert board is not None
    assert len(board.select("tbody > tr")) == len(cells)


def _pairs(field_list: Tag) -> list[tuple[Tag, Tag]]:
    terms = field_list.find_all("dt", recursive=False)
    bodies = field_list.find_all("dd", recursive=False)
    return list(zip(terms, bodies, strict=True))


def test_provenance_figures_equal_the_snapshot_and_the_published_receipt(
    site: Build, snapshot: Snapshot
) -> None:
    assert snapshot.meta is not None
    assert snapshot.rows_read == snapshot.meta.row_count
    from_data = {
        "tasks": len(snapshot.tasks),
        "categories": len(snapshot.categories),
        "methodology_version": snapshot.meta.methodology_version,
        "snapshot_date": snapshot.meta.snapshot_date.isoformat(),
    }
    assert from_data == PUBLISHED_RECEIPT
    from_data["rows"] = snapshot.rows_read

    soup = page(site, "provenance")
    receipt = soup.select_one("dl.cab-receipt-fields")
    assert receipt is not None
    shown = {
        dt.get_text(strip=True).rstrip(":"): dd.get_text(strip=True) for dt, dd in _pairs(receipt)
    }
    assert shown["methodology_version"] == from_data["methodology_version"]
    assert shown["snapshot_date"] == from_data["snapshot_date"]
    assert shown["row_count"] == format_count(from_data["rows"])
    assert shown["digest"] == snapshot.digest.combined

    ledger = soup.select_one(".cab-ledger")  # source cards: the docs load sphinx-design
    assert ledger is not None
    ledger_text = " ".join(ledger.get_text(" ", strip=True).split())
    assert f"{format_count(from_data['rows'])} rows" in ledger_text
    assert f"{from_data['tasks']} tasks in {from_data['categories']} categories" in ledger_text
    for category in snapshot.categories:
        assert category in ledger_text

    # the prose cites the same figures through roles, never typed by hand
    counts = [span.get_text(strip=True) for span in soup.select(".cab-count")]
    metas = [span.get_text(strip=True) for span in soup.select(".cab-meta")]
    assert format_count(from_data["rows"]) in counts
    assert from_data["methodology_version"] in metas
    assert from_data["snapshot_date"] in metas

    # a real cell of the snapshot, with its reproduce command
    example = soup.select_one(".cab-cell-provenance")
    assert example is not None
    anchors = {cell.anchor for cell in snapshot.cells}
    assert example.get("id") in anchors
    assert "codingagentbench run" in example.get_text()


def test_field_timeline_counts_what_the_data_lacks_and_calls_required_only_what_is(
    site: Build, snapshot: Snapshot
) -> None:
    """The sample's token split is optional and absent from most rows: the timeline must not
    call it required."""
    timeline = page(site, "methodology").select_one("table.cab-field-timeline")
    assert timeline is not None
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in timeline("tr")]
    lacking = {row[0]: row[-1] for row in rows if row}
    assert "prompt_tokens" in lacking
    cells = format_count(len(snapshot.cells))
    for name, text in lacking.items():
        field = RunRecord.model_fields.get(name)
        if name in PROVENANCE_FIELDS:
            count = sum(getattr(cell.key, name) is None for cell in snapshot.cells)
            assert text == f"{format_count(count)} of {cells}", name
        elif field is not None and field.is_required():
            assert text == "none: required in every run", name
        else:
            assert text == "optional, not counted", name


def test_downloads_match_their_sha256_and_the_receipt(site: Build, snapshot: Snapshot) -> None:
    soup = page(site, "downloads")
    table = soup.select_one("table.cab-downloads")
    assert table is not None
    rows = table.select("tbody > tr")
    assert len(rows) == 2
    blobs: dict[str, bytes] = {}
    for row in rows:
        link = row.select_one("a.cab-download")
        assert link is not None
        data = (site.outdir / str(link["href"])).read_bytes()
        shown_sha = row.select("td")[2].get_text(strip=True)
        assert hashlib.sha256(data).hexdigest() == shown_sha
        assert row.select("td")[1].get_text(strip=True) == format_count(len(data))
        blobs[Path(str(link["href"])).name] = data
    assert sorted(blobs) == ["leaderboard.csv", "leaderboard.json"]

    check = soup.select_one(".cab-downloads-check")
    assert check is not None
    expected = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(blobs.items())
    )
    assert check.get_text().strip() + "\n" == expected

    document = json.loads(blobs["leaderboard.json"])
    assert document["receipt"]["snapshot_digest"] == snapshot.digest.combined
    assert document["receipt"]["row_count"] == snapshot.rows_read
    assert len(document["rows"]) == len(snapshot.cells)

    table_rows = list(csv.reader(io.StringIO(blobs["leaderboard.csv"].decode("utf-8"))))
    assert table_rows[0] == [*document["columns"], *CSV_PROVENANCE]
    assert len(table_rows) - 1 == len(snapshot.cells)
    receipt = document["receipt"]
    assert {tuple(row[-4:]) for row in table_rows[1:]} == {
        (receipt["snapshot"], snapshot.digest.combined, receipt["extension_version"], "include")
    }
    # the second pair leaves the failed runs out, and says so in both files
    tables = soup.select("table.cab-downloads")
    assert len(tables) == 2
    links = [a["href"] for a in tables[1].select("a.cab-download")]
    assert links == ["leaderboard-without-failures.csv", "leaderboard-without-failures.json"]
    without = json.loads((site.outdir / str(links[1])).read_bytes())
    assert without["receipt"]["failed_runs"].startswith("exclude: ")
    assert len(without["rows"]) == len(snapshot.cells)
    assert without["rows"] != document["rows"]


def test_output_has_no_build_date(site: Build) -> None:
    html = (site.outdir / "index.html").read_text("utf-8")
    assert "Last updated" not in html


@pytest.fixture(scope="module")
def sweep(site: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """Every other builder, each on its own copy of the HTML build's doctrees (the read phase is
    shared), two at a time: this machine has two cores."""
    assert site.returncode == 0, site.stderr
    root = tmp_path_factory.mktemp("sweep")

    def run(builder: str) -> Build:
        doctrees = root / f"{builder}.doctrees"
        shutil.copytree(site.doctrees, doctrees)
        return sphinx_build(builder, root / builder, doctrees)

    with ThreadPoolExecutor(max_workers=2) as pool:
        builds = dict(zip(SWEEP_BUILDERS, pool.map(run, SWEEP_BUILDERS), strict=True))
    for builder, build in builds.items():
        print(f"docs {builder} build: {build.seconds:.1f} s")
    return builds


@pytest.mark.slow
@pytest.mark.parametrize("builder", SWEEP_BUILDERS)
def test_builder_sweep_is_clean(sweep: dict[str, Build], builder: str) -> None:
    build = sweep[builder]
    assert build.returncode == 0, build.stderr
    assert build.stderr.strip() == ""


@pytest.mark.slow
def test_dirhtml_serves_task_pages_at_their_folder(
    sweep: dict[str, Build], snapshot: Snapshot
) -> None:
    outdir = sweep["dirhtml"].outdir
    for task in snapshot.tasks:
        assert (outdir / "task" / task.category / task.slug / "index.html").is_file()


@pytest.mark.slow
def test_latex_compiles_to_pdf(sweep: dict[str, Build]) -> None:
    latex = sweep["latex"].outdir
    done = make_pdf(latex, halt_on_error=True)
    assert done.returncode == 0, done.stdout[-4000:]
    assert (latex / "sphinxcontrib-cab.pdf").stat().st_size > 0


def _registered_names() -> tuple[set[str], set[str]]:
    """The directive and role names sphinxcontrib_cab registers, recorded from its setup code."""
    from sphinxcontrib_cab.directives import setup_directives
    from sphinxcontrib_cab.roles import setup_roles

    app = MagicMock()
    setup_directives(app)
    setup_roles(app)
    directives = {c.args[0] for c in app.add_directive.call_args_list}
    roles = {c.args[0] for c in app.add_role.call_args_list}
    return directives, roles


def test_reference_is_generated_from_the_code(site: Build) -> None:
    soup = page(site, "guide/reference")
    text = soup.get_text(" ")
    directives, roles = _registered_names()
    assert {"cab-leaderboard", "cab-receipt", "cab-task", "cab-downloads"} <= directives
    shown_directives = {
        str(tag["id"]).removeprefix("cab-directive-") for tag in soup.select("[id^=cab-directive-]")
    }
    shown_roles = {
        str(tag["id"]).removeprefix("cab-role-") for tag in soup.select("[id^=cab-role-]")
    }
    assert shown_directives == directives
    assert shown_roles == roles
    for value in CONFIG_VALUES:
        assert value.name in text
    for subtype in Subtype:
        assert subtype.qualified in text
    for field in KEY_FIELDS:
        assert field.flag in text
    history = soup.select_one("#cab-directive-cab-history")
    assert history is not None
    options = history.find_next("table")
    assert options is not None
    assert "versions" in options.get_text() and "snapshots" in options.get_text()


def _registered_objects() -> tuple[dict[str, Any], dict[str, Any]]:
    """name -> directive class and name -> role object, as sphinxcontrib_cab's setup registers
    them (and cab-reference, registered by its own module)."""
    from sphinxcontrib_cab.directives import setup_directives
    from sphinxcontrib_cab.directives.reference import ReferenceDirective
    from sphinxcontrib_cab.roles import setup_roles

    app = MagicMock()
    setup_directives(app)
    setup_roles(app)
    directives = {c.args[0]: c.args[1] for c in app.add_directive.call_args_list}
    directives["cab-reference"] = ReferenceDirective
    roles = {c.args[0]: c.args[1] for c in app.add_role.call_args_list}
    return directives, roles


def test_reference_lists_the_allowed_values_of_every_choice_option() -> None:
    from sphinxcontrib_cab.directives.chart.directive import KINDS
    from sphinxcontrib_cab.directives.diff.parts import PARTS as DIFF_PARTS
    from sphinxcontrib_cab.directives.exploits import STATUS_CHOICES
    from sphinxcontrib_cab.directives.history import PARTS
    from sphinxcontrib_cab.directives.provenance import SHOW_CHOICES
    from sphinxcontrib_cab.directives.reference.entries import directive_entries, role_entries
    from sphinxcontrib_cab.roles import COUNT_NAMES, META_NAMES, METRIC_NAMES
    from sphinxcontrib_cab.snapshot.contract import CATEGORIES
    from sphinxcontrib_cab.snapshot.metrics import DEFINITIONS
    from sphinxcontrib_cab.tables import data_table, generic_table

    directives, roles = _registered_objects()
    expected = {
        ("cab-exploits", "status"): STATUS_CHOICES,
        ("cab-provenance", "show"): SHOW_CHOICES,
        ("cab-history", "parts"): PARTS,
        ("cab-diff", "parts"): DIFF_PARTS,
        ("cab-chart", "kind"): KINDS,
        ("cab-task-index", "category"): ("all", *CATEGORIES),
        ("cab-reference", "schema"): ("all", *sorted(SCHEMAS)),
        ("cab-reference", "only"): tuple(DEFINITIONS),
    }
    declared = {
        (name, option): converter.choices
        for name, cls in directives.items()
        for option, converter in (getattr(cls, "option_spec", None) or {}).items()
        if getattr(converter, "choices", ())
    }
    assert expected.items() <= declared.items()
    for (name, option), values in declared.items():
        entries = directive_entries({name: directives[name]})
        table = next(
            generic_table(node["table"]) for node in entries if isinstance(node, data_table)
        )
        rows = {
            row[0].astext(): row[1].astext() for row in table.findall(nodes.row) if len(row) == 2
        }
        accepts = rows[f":{option}:"]
        for value in values:
            assert value in accepts, (name, option, value)
    role_choices = {"cab-count": COUNT_NAMES, "cab-meta": META_NAMES, "cab-score": METRIC_NAMES}
    for name, values in role_choices.items():
        text = " ".join(node.astext() for node in role_entries({name: roles[name]}))
        assert all(f"{value}," in text or f"{value}." in text for value in values), name


def test_provenance_page_describes_the_quoting_the_code_does() -> None:
    """The examples on the page are what shell_quote writes for them, in both forms."""
    from sphinxcontrib_cab.snapshot.reproduce import octal_bytes, shell_quote

    text = (DOCS / "provenance.md").read_text("utf-8")
    plain, hidden = shell_quote("it's"), shell_quote("left\u202eright")
    assert not plain.startswith("$") and hidden.startswith("$'")
    assert f"`it's` becomes `{plain}`" in text
    assert f"become `{hidden}`" in text
    assert octal_bytes("!") in shell_quote("!\t")
    assert f"`!` becomes `{octal_bytes('!')}`" in text
    assert "Every value is single-quoted" not in text


def test_data_contract_shows_every_schema(site: Build) -> None:
    soup = page(site, "guide/data-contract")
    for name in SCHEMAS:
        heading = soup.select_one(f"#cab-schema-{name}")
        assert heading is not None
        block = heading.find_next("pre")
        assert block is not None
        assert json.loads(block.get_text()) == json.loads(schema_text(name))


@pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("sha256sum") is None,
    reason="the documented commands need bash and sha256sum, which are not installed",
)
def test_the_documented_shell_commands_recompute_the_receipt_digest(
    site: Build, snapshot: Snapshot, tmp_path: Path
) -> None:
    soup = page(site, "guide/verify-receipt")
    blocks = [pre.get_text() for pre in soup.select("div.highlight-sh pre")]
    script = next(block for block in blocks if "sha256sum" in block)
    # the page writes its list to /tmp; the test keeps its own copy apart
    script = script.replace("/tmp/cab-files.sha256", str(tmp_path / "files.sha256"))
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    combined = done.stdout.strip().splitlines()[-1].split()[0]
    assert combined == snapshot.digest.combined


def test_no_page_repeats_an_id(site: Build) -> None:
    repeated = {}
    for path in sorted(site.outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        ids = [str(tag["id"]) for tag in soup.find_all(id=True)]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            repeated[path.relative_to(site.outdir).as_posix()] = duplicates
    assert repeated == {}


def test_the_methodology_page_shows_what_changed_between_the_two_snapshots(site: Build) -> None:
    diff = page(site, "methodology").select_one("div.cab-diff")
    assert diff is not None
    links = {a.get_text(): str(a["href"]) for a in diff.select("p.cab-diff-summary a.reference")}
    assert set(links) == {"2026-05-27", "2026-06-20"}
    for name, href in links.items():
        target, anchor = href.split("#")
        assert anchor == f"cab-snapshot-{name}"
        receipt = page(site, target.removesuffix(".html")).select_one(f"#{anchor}")
        assert receipt is not None and "cab-receipt" in receipt["class"]
    for part in ("methodology", "pairs", "cells", "added"):
        assert diff.select_one(f"table.cab-diff-{part} tbody tr") is not None, part


def test_the_reference_shows_cab_diff_with_its_options(site: Build) -> None:
    from sphinxcontrib_cab.directives.diff import DiffDirective

    entry = page(site, "guide/reference").select_one("#cab-directive-cab-diff")
    assert entry is not None
    options = entry.find_next("table")
    assert options is not None
    shown = {code.get_text() for code in options.select("tbody tr > td:first-child")}
    assert shown == {f":{name}:" for name in DiffDirective.option_spec}
    assert {":from:", ":to:", ":tui:", ":model:", ":task:", ":category:"} <= shown
