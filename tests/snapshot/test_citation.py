"""Citations of a snapshot: every format names date, methodology and digest; BibTeX parses."""

from __future__ import annotations

import datetime as dt

import bibtexparser
import yaml

from sphinxcontrib_cab.snapshot.citation import (
    FORMATS,
    Cited,
    Work,
    apa,
    bibtex,
    chicago,
    citation_cff,
    ieee,
)

DIGEST = "3f44d017f4cebfe4169632f58a71ea76297d7ee4c0ca2e4ac35e872aae178d3c"
WORK = Work(
    authors=("Doe, Jane Ann", "Roe, Richard", "CodingAgentBench maintainers"),
    title="CodingAgentBench & friends_100%",
    url="https://codingagentbench.com",
    doi="10.5281/zenodo.1234567",
    publisher="CodingAgentBench",
)
ENTRY = Cited(WORK, "2026-06-20", dt.date(2026, 6, 20), "0.3", DIGEST)


def test_bibtex_parses_with_every_field() -> None:
    library = bibtexparser.parse_string(bibtex(ENTRY))
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.key == "cab-2026-06-20"
    assert entry.entry_type == "misc"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == ("Doe, Jane Ann and Roe, Richard and {CodingAgentBench maintainers}")
    assert fields["title"] == (
        r"{CodingAgentBench \& friends\_100\%}: snapshot 2026-06-20, methodology 0.3"
    )
    assert fields["year"] == "2026" and fields["month"] == "6"
    assert fields["doi"] == "10.5281/zenodo.1234567"
    assert fields["version"] == "0.3"
    assert DIGEST in fields["note"]


def test_the_text_formats() -> None:
    assert apa(ENTRY) == (
        "Doe, J. A., Roe, R., & CodingAgentBench maintainers (2026, June 20). "
        "CodingAgentBench & friends_100% (snapshot 2026-06-20, methodology 0.3; sha256 "
        f"{DIGEST}) [Data set]. CodingAgentBench. https://doi.org/10.5281/zenodo.1234567"
    )
    assert chicago(ENTRY) == (
        "Doe, Jane Ann, Richard Roe, and CodingAgentBench maintainers. "
        "\u201cCodingAgentBench & friends_100%.\u201d Snapshot 2026-06-20, methodology 0.3, "
        f"sha256 {DIGEST}. CodingAgentBench, June 20, 2026. https://doi.org/10.5281/zenodo.1234567."
    )
    assert ieee(ENTRY) == (
        "J. A. Doe, R. Roe, and CodingAgentBench maintainers, "
        "\u201cCodingAgentBench & friends_100%,\u201d CodingAgentBench, Jun. 20, 2026. "
        "[Online]. Available: https://doi.org/10.5281/zenodo.1234567. Snapshot 2026-06-20, "
        f"methodology 0.3, sha256 digest {DIGEST}."
    )
    assert list(FORMATS) == ["bibtex", "apa", "chicago", "ieee"]


def test_citation_cff_is_yaml_with_the_digest() -> None:
    cff = yaml.safe_load(citation_cff(ENTRY))
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["authors"] == [
        {"family-names": "Doe", "given-names": "Jane Ann"},
        {"family-names": "Roe", "given-names": "Richard"},
        {"name": "CodingAgentBench maintainers"},
    ]
    assert cff["date-released"] == "2026-06-20"
    assert cff["doi"] == "10.5281/zenodo.1234567"
    assert cff["identifiers"][0]["value"] == f"sha256:{DIGEST}"


def test_without_doi_the_url_is_the_link() -> None:
    plain = Cited(Work(("Doe, Jane",), "T", url="https://x.org"), "d", None, "0.1", DIGEST)
    assert plain.link == "https://x.org"
    assert "n.d." in apa(plain)
    assert bibtexparser.parse_string(bibtex(plain)).failed_blocks == []
