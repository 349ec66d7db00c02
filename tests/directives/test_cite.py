"""cab-cite: four citations with copy buttons, and a CITATION.cff to download, from the data."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

import bibtexparser
import pytest
import yaml
from cab_pages import pinned_snapshot, shared_build, soup

if TYPE_CHECKING:
    from cab_pages import Built


@pytest.fixture(scope="module")
def built() -> Built:
    return shared_build("parity")


def test_four_formats_each_with_a_copy_button(built: Built) -> None:
    page = soup(built.page("cite_rst"))
    blocks = page.select("div.cab-citation")
    labels = [b.select_one("p.cab-citation-label").get_text() for b in blocks]
    assert labels == ["BibTeX", "APA", "Chicago", "IEEE", "CITATION.cff (Citation File Format)"]
    for block in blocks:
        text = block.select_one("div.cab-citation-text pre").get_text()
        button = block.select_one("button.cab-copy")
        assert button is not None
        assert str(button["data-cab-copy"]).rstrip("\n") == text.rstrip("\n")
    snapshot = pinned_snapshot(built)
    bib = blocks[0].select_one("pre").get_text()
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    fields = {field.key: field.value for field in library.entries[0].fields}
    assert snapshot.digest.combined in fields["note"]
    assert snapshot.meta is not None
    assert fields["version"] == snapshot.meta.methodology_version
    for block in blocks[1:]:
        assert snapshot.digest.combined in block.get_text()


def test_citation_cff_is_downloadable(built: Built) -> None:
    page = soup(built.page("cite_rst"))
    link = page.select_one("p.cab-citation-file a.download")
    assert link is not None
    assert link["download"] == "CITATION.cff"
    prefix = "data:application/x-yaml;charset=utf-8,"
    assert str(link["href"]).startswith(prefix)
    text = unquote(str(link["href"]).removeprefix(prefix))
    assert text == page.select_one("div.cab-citation-cff pre").get_text()
    cff = yaml.safe_load(text)
    assert cff["cff-version"] == "1.2.0"
    assert cff["identifiers"][0]["value"] == f"sha256:{pinned_snapshot(built).digest.combined}"


def test_an_older_snapshot_with_chosen_formats(built: Built) -> None:
    page = soup(built.page("cite_older_rst"))
    labels = [p.get_text() for p in page.select("p.cab-citation-label")]
    assert labels == ["APA", "IEEE", "CITATION.cff (Citation File Format)"]
    assert "snapshot 2026-05-27" in page.select_one("div.cab-cite").get_text()
