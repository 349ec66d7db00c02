"""Citing a snapshot: BibTeX, APA, Chicago, IEEE and a ``CITATION.cff`` from one description.

The description (:class:`Work`: authors, title, URL, DOI when there is one, publisher) comes from
configuration; the snapshot supplies what makes the citation exact: its date, its methodology
version and its combined digest, which every format carries (BibTeX and IEEE in the note, APA and
Chicago in the description, CFF as an identifier). Each function returns finished text.

An author is written ``"Family, Given"`` for a person and as a plain name for an organisation
(kept whole in BibTeX by braces, so no parser splits it into given and family names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from .model import Snapshot


@dataclass(frozen=True, slots=True)
class Work:
    """What is cited, as configured."""

    authors: tuple[str, ...]
    title: str
    url: str = ""
    doi: str = ""
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class Cited:
    """One snapshot as cited: the work, the snapshot's date, methodology version and digest."""

    work: Work
    name: str
    date: dt.date | None
    methodology: str
    digest: str

    @property
    def link(self) -> str:
        """The DOI as a URL when there is one, else the configured URL."""
        return f"https://doi.org/{self.work.doi}" if self.work.doi else self.work.url

    @property
    def description(self) -> str:
        return f"snapshot {self.name}, methodology {self.methodology}"

    @property
    def note(self) -> str:
        return f"Snapshot {self.name}, methodology {self.methodology}, sha256 digest {self.digest}"


def cited(work: Work, snapshot: Snapshot) -> Cited:
    """The citation data of ``snapshot`` (a snapshot without meta.json is cited by its name)."""
    meta = snapshot.meta
    return Cited(
        work=work,
        name=snapshot.name,
        date=meta.snapshot_date if meta is not None else None,
        methodology=meta.methodology_version if meta is not None else "unknown",
        digest=snapshot.digest.combined,
    )


# -- names ------------------------------------------------------------------------------------


def _split(author: str) -> tuple[str, str]:
    """``(family, given)``; an organisation has no given name."""
    family, _, given = author.partition(",")
    return family.strip(), given.strip()


def _initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in given.replace("-", " ").split() if part)


def _join(names: list[str], last: str) -> str:
    """``a``, ``a <last> b``, ``a, b, <last> c``."""
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} {last} {names[1]}"
    return ", ".join(names[:-1]) + f", {last} {names[-1]}"


def _apa_name(author: str) -> str:
    family, given = _split(author)
    return f"{family}, {_initials(given)}" if given else family


def _ieee_name(author: str) -> str:
    family, given = _split(author)
    return f"{_initials(given)} {family}" if given else family


def _chicago_name(author: str, first: bool) -> str:
    family, given = _split(author)
    if not given:
        return family
    return f"{family}, {given}" if first else f"{given} {family}"


# -- formats ----------------------------------------------------------------------------------

_BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def _bib(value: str) -> str:
    return value.translate(_BIBTEX_SPECIAL)


def _bib_author(author: str) -> str:
    family, given = _split(author)
    return f"{_bib(family)}, {_bib(given)}" if given else f"{{{_bib(family)}}}"


def bibtex(entry: Cited) -> str:
    """A ``@misc`` entry keyed ``cab-<snapshot>``."""
    fields = [
        ("author", " and ".join(_bib_author(a) for a in entry.work.authors)),
        ("title", f"{{{_bib(entry.work.title)}}}: {_bib(entry.description)}"),
    ]
    if entry.date is not None:
        fields += [("year", str(entry.date.year)), ("month", str(entry.date.month))]
    if entry.work.publisher:
        fields.append(("publisher", _bib(entry.work.publisher)))
    if entry.work.url:
        fields.append(("url", entry.work.url.replace("}", "%7D").replace("{", "%7B")))
    if entry.work.doi:
        fields.append(("doi", _bib(entry.work.doi)))
    fields += [("version", _bib(entry.methodology)), ("note", _bib(entry.note))]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{cab-{entry.name},\n{body}}}\n"


def _long_date(date: dt.date | None) -> str:
    return f"{date:%B} {date.day}, {date.year}" if date is not None else "n.d."


def apa(entry: Cited) -> str:
    """APA 7 for a data set."""
    names = [_apa_name(a) for a in entry.work.authors]
    authors = _join(names, "&") if len(names) < 3 else ", ".join(names[:-1]) + f", & {names[-1]}"
    when = f"{entry.date.year}, {entry.date:%B} {entry.date.day}" if entry.date else "n.d."
    publisher = f" {entry.work.publisher}." if entry.work.publisher else ""
    link = f" {entry.link}" if entry.link else ""
    return (
        f"{authors} ({when}). {entry.work.title} ({entry.description}; sha256 {entry.digest}) "
        f"[Data set].{publisher}{link}"
    )


def chicago(entry: Cited) -> str:
    """Chicago (notes and bibliography), bibliography entry."""
    names = [_chicago_name(a, number == 0) for number, a in enumerate(entry.work.authors)]
    publisher = f"{entry.work.publisher}, " if entry.work.publisher else ""
    link = f" {entry.link}." if entry.link else ""
    return (
        f"{_join(names, 'and')}. \u201c{entry.work.title}.\u201d {entry.description.capitalize()}"
        f", sha256 {entry.digest}. {publisher}{_long_date(entry.date)}.{link}"
    )


def ieee(entry: Cited) -> str:
    """IEEE reference for a data set."""
    names = [_ieee_name(a) for a in entry.work.authors]
    authors = _join(names, "and")
    publisher = f" {entry.work.publisher}," if entry.work.publisher else ""
    when = f"{entry.date:%b}. {entry.date.day}, {entry.date.year}" if entry.date else "n.d."
    link = f" [Online]. Available: {entry.link}" if entry.link else ""
    return f"{authors}, \u201c{entry.work.title},\u201d{publisher} {when}.{link}. {entry.note}."


def citation_cff(entry: Cited) -> str:
    """A ``CITATION.cff`` (Citation File Format 1.2.0) for the snapshot; strings are written as
    JSON strings, which YAML reads as they are."""

    def quoted(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "cff-version: 1.2.0",
        f"message: {quoted('If you use this benchmark snapshot, please cite it as below.')}",
        "type: dataset",
        f"title: {quoted(f'{entry.work.title}: {entry.description}')}",
        "authors:",
    ]
    for author in entry.work.authors:
        family, given = _split(author)
        if given:
            lines += [f"  - family-names: {quoted(family)}", f"    given-names: {quoted(given)}"]
        else:
            lines.append(f"  - name: {quoted(family)}")
    lines.append(f"version: {quoted(entry.methodology)}")
    if entry.date is not None:
        lines.append(f"date-released: {quoted(entry.date.isoformat())}")
    if entry.work.url:
        lines.append(f"url: {quoted(entry.work.url)}")
    if entry.work.doi:
        lines.append(f"doi: {quoted(entry.work.doi)}")
    lines += [
        "identifiers:",
        "  - type: other",
        f"    value: {quoted('sha256:' + entry.digest)}",
        f"    description: {quoted('combined sha256 digest of the snapshot ' + entry.name)}",
    ]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, tuple[str, Callable[[Cited], str]]] = {
    "bibtex": ("BibTeX", bibtex),
    "apa": ("APA", apa),
    "chicago": ("Chicago", chicago),
    "ieee": ("IEEE", ieee),
}
"""Format name -> (label, writer), in the order they are shown."""
