"""``cab-ledger`` (the trust ledger of the four sources) and ``cab-exploits`` (the exploit list).

``cab-ledger`` returns one :class:`cab_ledger` node holding plain data (the four rows and the
headline figures). In HTML with sphinx-design loaded it becomes stat tiles and four source cards
(:mod:`..design` gives them sphinx-design's classes)::

    container.cab-ledger
      rubric                                "Trust ledger of snapshot <date>"
      container.cab-cards.cab-cards-4       stat tiles: runs, tasks, live exploits, methodology
      container.cab-cards.cab-cards-2       one card per source: title, what was collected,
                                            counts, when, the audit path as a literal

Everywhere else (other builders, or no sphinx-design) it becomes the table::

    table.cab-table.cab-ledger            title "Trust ledger of snapshot <date>"
      thead: Source | What was collected | Counts | When | Audit path
      tbody: one row per source, in the order run records, task catalogue, exploit ledger,
             methodology pin; the audit path is a literal of the configured path

``cab-exploits`` node tree::

    container.cab-exploits
      container.cab-exploit.cab-exploit-<status>  (id cab-exploit-<id>), one per entry
        rubric                             "<id>: <title>"
        field_list.cab-exploit-fields      id, severity, status, trigger, grader_call, reported,
                                           patched, affected_cells, then credit and notes if given;
                                           severity and status as badges (:func:`..design.badge`)
      paragraph.cab-exploits-none          when no entry passes the filter

Entries are ordered live first, then by severity (critical first), then newest report first,
then by id. Options: ``:status: live|patched|all`` (default ``all``) and ``:snapshot:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..design import badge, card, card_grid, design_loaded, stat_tile
from ..domain import add_directive, cab_domain, exploit_anchor, index_entry
from ..options import choice_option
from ..render import (
    SKIP,
    SnapshotDirective,
    format_count,
    text_node,
    value_literal,
    visible_inline,
    without_smartquotes,
)
from ..snapshot.keys import MISSING_MARK
from ..snapshot.model import format_timestamp
from ..snapshot.vocabulary import SEVERITIES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot.contract import CellSelector, Exploit
    from ..snapshot.model import Snapshot

LEDGER_COLUMNS: tuple[str, ...] = ("Source", "What was collected", "Counts", "When", "Audit path")
STATUS_CHOICES: tuple[str, ...] = ("live", "patched", "all")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    source: str
    collected: str
    counts: str
    when: str
    audit_path: str


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{format_count(count)} {word}"


def date_span(label: str, dates: list[str], snapshot_date: str) -> str:
    """``"<label> <first> to <last>; snapshot <date>"``, or just the snapshot date when empty."""
    if not dates:
        return f"snapshot {snapshot_date}"
    first, last = min(dates), max(dates)
    span = first if first == last else f"{first} to {last}"
    return f"{label} {span}; snapshot {snapshot_date}"


def run_dates(snapshot: Snapshot) -> list[str]:
    started = snapshot.runs.started_us
    if not started:
        return []
    return [format_timestamp(min(started))[:10], format_timestamp(max(started))[:10]]


def ledger_rows(snapshot: Snapshot) -> tuple[LedgerRow, ...]:
    """The four sources with what they hold, counted from the data."""
    meta = snapshot.meta
    when = meta.snapshot_date.isoformat() if meta is not None else snapshot.name
    version = meta.methodology_version if meta is not None else MISSING_MARK
    categories = snapshot.categories
    live = len(snapshot.live_exploits)
    paths = snapshot.sources
    return (
        LedgerRow(
            "Run records",
            "One row per run: the nine-field canonical key, the per-axis scores and the sha256 "
            "of the prompt, of the agent\u2019s stdout and of the verifier\u2019s grade.",
            plural(snapshot.rows_read, "row"),
            date_span("runs started", run_dates(snapshot), when),
            paths.runs_audit,
        ),
        LedgerRow(
            "Task catalogue",
            "One spec per task: category, language, setup script, grader command and budget.",
            f"{plural(len(snapshot.tasks), 'task')} in "
            + plural(len(categories), "category", "categories")
            + (f" ({', '.join(categories)})" if categories else ""),
            date_span("tasks added", [t.added for t in snapshot.tasks if t.added], when),
            paths.tasks_audit,
        ),
        LedgerRow(
            "Exploit ledger",
            "Attempts that broke the bench: the trigger, the grader call that was fooled, the "
            "severity, and the dates reported and patched.",
            f"{plural(len(snapshot.exploits), 'exploit')}, {format_count(live)} live",
            date_span("reported", [e.reported.isoformat() for e in snapshot.exploits], when),
            paths.exploits_audit,
        ),
        LedgerRow(
            "Methodology pin",
            "The methodology version and snapshot date every number is stamped with, and the "
            "history of which fields each version introduced.",
            f"methodology {version}, "
            + plural(len(meta.history) if meta is not None else 0, "version")
            + " in the history",
            f"snapshot {when}",
            paths.meta_audit,
        ),
    )


def entry(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


PROSE_WIDTHS: tuple[int, ...] = (16, 34, 22, 24)
"""Character widths of the Source, What was collected, Counts and When columns (the text
builder lays columns out at exactly these widths; LaTeX and HTML size columns themselves)."""
AUDIT_WIDTH_RANGE: tuple[int, int] = (12, 60)


def ledger_widths(rows: tuple[LedgerRow, ...]) -> tuple[int, ...]:
    """Column widths: the prose columns fixed, the audit-path column as wide as the longest
    path plus its quotes (within :data:`AUDIT_WIDTH_RANGE`), so a path stays on one line."""
    longest = max((len(value_literal(row.audit_path).astext()) for row in rows), default=0)
    low, high = AUDIT_WIDTH_RANGE
    return (*PROSE_WIDTHS, min(max(longest + 2, low), high))


def ledger_title(snapshot: Snapshot) -> str:
    return f"Trust ledger of snapshot {snapshot.name}"


def ledger_table(snapshot: Snapshot) -> nodes.table:
    return ledger_table_of(ledger_title(snapshot), ledger_rows(snapshot))


def ledger_table_of(title: str, rows: tuple[LedgerRow, ...]) -> nodes.table:
    table = nodes.table(classes=["cab-table", "cab-ledger"])
    table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(LEDGER_COLUMNS))
    table += group
    for width in ledger_widths(rows):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *(entry(nodes.Text(c)) for c in LEDGER_COLUMNS))
    group += head
    body = nodes.tbody()
    for row in rows:
        body += nodes.row(
            "",
            entry(nodes.strong(row.source, row.source)),
            entry(nodes.Text(row.collected)),
            entry(text_node(row.counts)),
            entry(nodes.Text(row.when)),
            entry(value_literal(row.audit_path)),
        )
    group += body
    return table


class cab_ledger(nodes.General, nodes.Element):
    """A trust ledger as plain data: ``title``, ``rows`` (:class:`LedgerRow`) and ``stats``
    (``(figure, label)`` pairs), written by :class:`LedgerCards` or :class:`ExpandLedgers`."""


def ledger_stats(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    """The headline figures of the stat tiles, counted from the data."""
    meta = snapshot.meta
    live = len(snapshot.live_exploits)
    return (
        (format_count(snapshot.rows_read), "runs" if snapshot.rows_read != 1 else "run"),
        (format_count(len(snapshot.tasks)), "tasks" if len(snapshot.tasks) != 1 else "task"),
        (format_count(live), "live exploits" if live != 1 else "live exploit"),
        (meta.methodology_version if meta is not None else MISSING_MARK, "methodology"),
    )


def ledger_cards(node: cab_ledger) -> nodes.container:
    title = str(node["title"])
    container = nodes.container(classes=["cab-ledger"])
    container += nodes.rubric(title, title)
    tiles = [stat_tile(figure, label) for figure, label in node["stats"]]
    container += card_grid(tiles, 4, ("cab-ledger-stats",))
    cards = []
    for row in node["rows"]:
        cards.append(
            card(
                row.source,
                nodes.paragraph("", row.collected),
                nodes.paragraph("", "", nodes.strong(row.counts, text_node(row.counts))),
                nodes.paragraph("", row.when),
                nodes.paragraph("", "", value_literal(row.audit_path)),
                classes=("cab-ledger-source",),
            )
        )
    container += card_grid(cards, 2, ("cab-ledger-sources",))
    return container


class LedgerCards(SphinxPostTransform):
    """Stat tiles and source cards, for HTML with sphinx-design loaded."""

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if not design_loaded(self.config):
            return
        for node in list(self.document.findall(cab_ledger)):
            cards = ledger_cards(node)
            cards.source, cards.line, cards["ids"] = node.source, node.line, node["ids"]
            node.replace_self(cards)


class ExpandLedgers(SphinxPostTransform):
    """The ledger table, for every other case."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(cab_ledger)):
            table = ledger_table_of(str(node["title"]), node["rows"])
            table.source, table.line, table["ids"] = node.source, node.line, node["ids"]
            node.replace_self(table)


class LedgerDirective(SnapshotDirective):
    """The trust ledger: one row per source of the snapshot (run records, task catalogue, exploit
    ledger, methodology pin) saying what was collected, how much, when, and how to audit it."""

    example: ClassVar[str] = ":::{cab-ledger}\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        node = cab_ledger(
            title=ledger_title(snapshot), rows=ledger_rows(snapshot), stats=ledger_stats(snapshot)
        )
        self.set_source_info(node)
        self.state.document.set_id(node)  # the table's or the cards' anchor
        return [node]


# -- the exploit list --------------------------------------------------------------------------


def exploit_order(exploit: Exploit) -> tuple[int, int, int, str]:
    """Live first, then critical..low, then the newest report first, then id."""
    return (
        0 if exploit.status == "live" else 1,
        SEVERITIES.index(exploit.severity),
        -exploit.reported.toordinal(),
        exploit.id,
    )


def selector_nodes(selector: CellSelector) -> list[nodes.Node]:
    """``tui opencode, model ...`` with each value as a literal; an empty selector matches all."""
    given = [(name, value) for name, value in selector if value is not None]
    if not given:
        return [nodes.Text("every cell")]
    result: list[nodes.Node] = []
    for position, (name, value) in enumerate(given):
        if position:
            result.append(nodes.Text(", "))
        result.append(nodes.Text(f"{name} "))
        result.append(value_literal(value))
    return result


def affected_cells_body(exploit: Exploit, snapshot: Snapshot) -> list[nodes.Node]:
    matched = len(snapshot.exploit_cells.get(exploit.id, ()))
    summary = nodes.paragraph(
        "", f"{plural(matched, 'cell')} of this snapshot match", classes=["cab-exploit-matches"]
    )
    if not exploit.affected_cells:
        summary += nodes.Text(" (no selectors given).")
        return [summary]
    summary += nodes.Text(":")
    selectors = nodes.bullet_list()
    for selector in exploit.affected_cells:
        selectors += nodes.list_item("", nodes.paragraph("", "", *selector_nodes(selector)))
    return [summary, selectors]


def field(name: str, *body: nodes.Node) -> nodes.field:
    return nodes.field("", nodes.field_name(name, name), nodes.field_body("", *body))


def text_field(name: str, text: str, *, literal: bool = False) -> nodes.field:
    content = value_literal(text) if literal else text_node(text)
    return field(name, nodes.paragraph("", "", content))


# Only tones whose text meets WCAG AA contrast on sphinx-design's own colours (axe checks the
# security page in light and dark): its "info" and "success" do not.
SEVERITY_TONES: dict[str, str] = {
    "critical": "danger",
    "high": "warning",
    "medium": "secondary",
    "low": "light",
}
STATUS_TONES: dict[str, str] = {"live": "danger", "patched": "secondary"}


def severity_badge(severity: str) -> nodes.inline:
    return badge(severity, SEVERITY_TONES.get(severity, "secondary"))


def status_badge(status: str) -> nodes.inline:
    return badge(status, STATUS_TONES.get(status, "secondary"))


def exploit_node(exploit: Exploit, snapshot: Snapshot) -> nodes.container:
    container = nodes.container(
        classes=["cab-exploit", f"cab-exploit-{exploit.status}"],
        ids=[exploit_anchor(exploit.id)],
    )
    heading = visible_inline(f"{exploit.id}: {exploit.title}")
    container += nodes.rubric(heading, heading)
    fields = nodes.field_list(classes=["cab-exploit-fields"])
    fields += text_field("id", exploit.id, literal=True)
    fields += field("severity", nodes.paragraph("", "", severity_badge(exploit.severity)))
    fields += field("status", nodes.paragraph("", "", status_badge(exploit.status)))
    fields += text_field("trigger", exploit.trigger)
    fields += text_field("grader_call", exploit.grader_call, literal=True)
    fields += text_field("reported", exploit.reported.isoformat())
    patched = exploit.patched.isoformat() if exploit.patched else "not patched (live)"
    fields += text_field("patched", patched)
    fields += field("affected_cells", *affected_cells_body(exploit, snapshot))
    if exploit.credit:
        fields += text_field("credit", exploit.credit)
    if exploit.notes:
        fields += text_field("notes", exploit.notes)
    container += fields
    return container


def exploit_list(snapshot: Snapshot, status: str) -> nodes.container:
    chosen = sorted(
        (e for e in snapshot.exploits if status == "all" or e.status == status), key=exploit_order
    )
    container = without_smartquotes(nodes.container(classes=["cab-exploits"]))
    if not chosen:
        kind = "" if status == "all" else f"{status} "
        container += nodes.paragraph(
            "", f"Snapshot {snapshot.name} lists no {kind}exploits.", classes=["cab-exploits-none"]
        )
    for exploit in chosen:
        container += exploit_node(exploit, snapshot)
    return container


class ExploitsDirective(SnapshotDirective):
    """The exploit ledger: each known way a run scored without doing the work, with its severity,
    what it fooled, the cells it touches and when it was patched; ``:status:`` keeps only the
    live or the patched ones. Each entry can be linked with ``{cab:exploit}``."""

    example: ClassVar[str] = ":::{cab-exploits}\n:status: live\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "status": choice_option("which exploits to list", STATUS_CHOICES, "all", required=False),
    }

    def run(self) -> list[nodes.Node]:
        status = self.choice("status")
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        container = exploit_list(snapshot, status)
        self.set_source_info(container)
        shown = {anchor for child in container.findall(nodes.container) for anchor in child["ids"]}
        rank = 1 if self.options.get("snapshot") else 0
        domain = cab_domain(self.env)
        entries: list[nodes.Node] = []
        for exploit in snapshot.exploits:
            anchor = exploit_anchor(exploit.id)
            if anchor in shown:
                domain.note_object("exploit", exploit.id, anchor, rank)
                if not rank:
                    entries.extend(index_entry("exploit", exploit.id, anchor))
        return [*entries, container]


def setup(app: Sphinx) -> None:
    skip = SKIP
    app.add_node(cab_ledger, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(LedgerCards)
    app.add_post_transform(ExpandLedgers)
    add_directive(app, "cab-ledger", LedgerDirective)
    add_directive(app, "cab-exploits", ExploitsDirective)
