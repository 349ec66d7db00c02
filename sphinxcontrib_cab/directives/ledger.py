"""``cab-ledger``: the trust ledger of the four sources (the exploit list is :mod:`.exploits`).

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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..design import card, card_grid, design_loaded, stat_tile
from ..directive_base import SnapshotDirective
from ..domain import add_directive
from ..render import SKIP, format_count, text_node, value_literal
from ..snapshot.formats import plural
from ..snapshot.keys import MISSING_MARK
from ..snapshot.model import format_timestamp

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..snapshot.model import Snapshot

LEDGER_COLUMNS: tuple[str, ...] = ("Source", "What was collected", "Counts", "When", "Audit path")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    source: str
    collected: str
    counts: str
    when: str
    audit_path: str


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


def setup(app: Sphinx) -> None:
    skip = SKIP
    app.add_node(cab_ledger, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(LedgerCards)
    app.add_post_transform(ExpandLedgers)
    add_directive(app, "cab-ledger", LedgerDirective)
