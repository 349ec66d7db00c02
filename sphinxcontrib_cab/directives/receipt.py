"""``cab-receipt``: the receipt of one snapshot, with the digests a reader can verify.

Node tree::

    container.cab-receipt                (id cab-snapshot-<name>)
      paragraph.cab-receipt-pin          "This page is pinned to snapshot <date> (methodology <v>)."
      paragraph.cab-signature.cab-signature-<status>
                                         "Signed by <principal>, key SHA256:..., verified." or
                                         "Unsigned." or "Signed ..., not verified: ..." or
                                         "Signature not valid: <reason>." (status = verified,
                                         unsigned, unchecked or bad; a bad one is also an
                                         error-level cab.signature warning, from the store)
      field_list.cab-receipt-fields      methodology_version, snapshot_date, source, row_count,
                                         digest (field.cab-nerd), extension (the name and
                                         version that computed the numbers), estimators
                                         (field.cab-nerd: bullet_list.cab-estimators, each
                                         metric and its estimator)
      container.cab-receipt-verify.cab-nerd
        paragraph                        how to check the per-file digests with sha256sum
        literal_block.cab-digests        "<sha256>  <path>" per file (sha256sum -c format)
        paragraph                        the combined digest is sha256 of those lines

Hashes are Nerds-view content (``cab-nerd``); without JavaScript they stay visible.

Options: ``:snapshot:`` (an older snapshot's date; default the pinned one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from ..directive_base import SnapshotDirective
from ..domain import add_directive, cab_domain, index_entry
from ..render import (
    format_count,
    missing_mark,
    problem_marker,
    text_node,
    value_literal,
    visible_text,
    without_smartquotes,
)
from ..snapshot.digest import sha256sum_text
from ..snapshot.keys import MISSING_MARK
from ..snapshot.metrics import ESTIMATORS
from ..snapshot.signature import SIGNATURE_NAME, SignatureCheck, Status
from ..snapshot.version import DISTRIBUTION, extension_version

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..snapshot.model import Snapshot


def text_field(name: str, body: nodes.Node) -> nodes.field:
    return nodes.field(
        "", nodes.field_name(name, name), nodes.field_body("", nodes.paragraph("", "", body))
    )


def value_or_missing(value: str | None, *, literal: bool = False) -> nodes.Node:
    if value is None:
        return missing_mark()
    return value_literal(value) if literal else text_node(value)


def row_count_nodes(snapshot: Snapshot) -> nodes.inline:
    """The rows actually read; when meta.json states another number, that number too."""
    shown = nodes.inline(classes=["cab-row-count"])
    shown += nodes.Text(format_count(snapshot.rows_read))
    if snapshot.meta is not None and snapshot.meta.row_count != snapshot.rows_read:
        shown += nodes.Text(
            f" (valid rows read; meta.json states {format_count(snapshot.meta.row_count)})"
        )
    return shown


def pin_paragraph(snapshot: Snapshot, pinned: Snapshot | None) -> nodes.paragraph:
    version = snapshot.meta.methodology_version if snapshot.meta is not None else MISSING_MARK
    paragraph = nodes.paragraph(classes=["cab-receipt-pin"])
    if pinned is None or pinned.name == snapshot.name:
        paragraph += nodes.Text("This page is pinned to snapshot ")
        paragraph += nodes.strong(snapshot.name, snapshot.name)
        paragraph += text_node(f" (methodology {version}).")
    else:
        paragraph += nodes.Text("This receipt is for the older snapshot ")
        paragraph += nodes.strong(snapshot.name, snapshot.name)
        paragraph += text_node(f" (methodology {version}); the site is pinned to snapshot ")
        paragraph += nodes.strong(pinned.name, pinned.name)
        paragraph += nodes.Text(".")
    return paragraph


def signature_paragraph(check: SignatureCheck | None) -> nodes.paragraph:
    """What the snapshot's signature says, in one sentence a reader cannot mistake."""
    status = check.status if check is not None else Status.unsigned
    paragraph = nodes.paragraph(classes=["cab-signature", f"cab-signature-{status.value}"])
    fingerprint = check.fingerprint or "" if check is not None else ""
    key = nodes.literal(fingerprint, fingerprint)
    if check is None or status is Status.unsigned:
        paragraph += nodes.strong("Unsigned", "Unsigned")
        paragraph += nodes.Text(f": this snapshot carries no signature ({SIGNATURE_NAME}).")
    elif status is Status.verified:
        paragraph += nodes.Text("Signed by ")
        principal = check.principal or ""
        paragraph += nodes.strong(principal, principal)
        paragraph += nodes.Text(f", {check.key_type} key ")
        paragraph += key
        paragraph += nodes.Text(": ")
        paragraph += nodes.strong("verified", "verified")
        paragraph += nodes.Text(
            f" against the allowed signers of this site (namespace {check.namespace})."
        )
    elif status is Status.unchecked:
        paragraph += nodes.Text("Signed with key ")
        paragraph += key
        paragraph += nodes.Text(", ")
        paragraph += nodes.strong("not verified", "not verified")
        paragraph += nodes.Text(": this site names no allowed signers (cab_allowed_signers).")
    else:
        paragraph += problem_marker("Signature not valid")
        paragraph += text_node(f": {SIGNATURE_NAME} {check.reason}.")
    return paragraph


def receipt_fields(snapshot: Snapshot) -> nodes.field_list:
    meta = snapshot.meta
    fields = nodes.field_list(classes=["cab-receipt-fields"])
    fields += text_field(
        "methodology_version", value_or_missing(meta.methodology_version if meta else None)
    )
    fields += text_field(
        "snapshot_date", value_or_missing(meta.snapshot_date.isoformat() if meta else None)
    )
    fields += text_field("source", value_or_missing(meta.source if meta else None, literal=True))
    fields += text_field("row_count", row_count_nodes(snapshot))
    digest = text_field("digest", value_or_missing(snapshot.digest.combined, literal=True))
    digest["classes"].append("cab-nerd")
    fields += digest
    fields += text_field("extension", value_literal(f"{DISTRIBUTION} {extension_version()}"))
    fields += estimators_field()
    return fields


def estimators_field() -> nodes.field:
    """``estimators`` (Nerds view): each metric with the estimator that computed it."""
    items = without_smartquotes(nodes.bullet_list(classes=["cab-estimators"]))
    for name, estimator in ESTIMATORS.items():
        items += nodes.list_item(
            "", nodes.paragraph("", "", value_literal(name), nodes.Text(f": {estimator}"))
        )
    name = "estimators"
    body = nodes.field_body("", items)
    return nodes.field("", nodes.field_name(name, name), body, classes=["cab-nerd"])


def verification_nodes(snapshot: Snapshot) -> list[nodes.Node]:
    """How to check each file, the lines to check them with, and how those lines give the
    combined digest."""
    listing = visible_text(sha256sum_text(snapshot.digest.files))
    how = nodes.paragraph()
    how += nodes.Text("To verify, save the lines below as ")
    how += nodes.literal("SHA256SUMS", "SHA256SUMS")
    how += nodes.Text(" in the snapshot folder and run ")
    how += nodes.literal("sha256sum -c SHA256SUMS", "sha256sum -c SHA256SUMS")
    how += nodes.Text(": every file must report OK.")
    block = nodes.literal_block(
        listing.rstrip("\n"), listing.rstrip("\n"), classes=["cab-digests"], language="none"
    )
    combined = nodes.paragraph()
    combined += nodes.Text("The combined digest is the sha256 of those lines, each ending in a ")
    combined += nodes.Text("newline, so ")
    combined += nodes.literal("sha256sum SHA256SUMS", "sha256sum SHA256SUMS")
    combined += nodes.Text(" prints it.")
    return [how, block, combined]


class ReceiptDirective(SnapshotDirective):
    """The receipt that pins a page to its data: snapshot date, methodology version, source, rows
    read, the snapshot digest, the sphinxcontrib-cab version and each metric's estimator, and
    (in the Nerds view) the per-file sha256 lines a reader checks with ``sha256sum -c``.
    ``{cab:snapshot}`` links to it."""

    example: ClassVar[str] = ":::{cab-receipt}\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from ..store import signature_for

        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        pinned = snapshot if not self.options.get("snapshot") else self.pinned_snapshot()
        anchor = nodes.make_id(f"cab-snapshot-{snapshot.name}")
        container = nodes.container(classes=["cab-receipt"], ids=[anchor])
        self.set_source_info(container)
        cab_domain(self.env).note_object("snapshot", snapshot.name, anchor)
        entry = index_entry("snapshot", snapshot.name, anchor)
        container += pin_paragraph(snapshot, pinned)
        container += signature_paragraph(signature_for(self.env, snapshot.name))
        container += receipt_fields(snapshot)
        container += nodes.container(
            "", *verification_nodes(snapshot), classes=["cab-receipt-verify", "cab-nerd"]
        )
        return [*entry, container]

    def pinned_snapshot(self) -> Snapshot | None:
        from ..store import snapshot_for

        pinned: Snapshot | None = snapshot_for(self.env, name=None, location=self.get_location())
        return pinned


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-receipt", ReceiptDirective)
