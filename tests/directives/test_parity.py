"""Each directive renders the same page from reStructuredText and from MyST with either fence.

The pages come from one table (:mod:`directive_pages`), written in the three syntaxes."""

from __future__ import annotations

import pytest
from cab_pages import SYNTAXES, same_body_in_every_syntax, shared_build
from directive_pages import PAGES

CASES = [(root, page.name, page.directive) for root, (_, pages) in PAGES.items() for page in pages]


def test_every_directive_has_a_parity_case() -> None:
    """Every directive the extension registers has a page in the three syntaxes."""
    from sphinxcontrib_cab.domain import DIRECTIVES

    shared_build("parity")  # registration happens in setup()
    assert len(DIRECTIVES) >= 10
    assert set(DIRECTIVES) == {directive for _, _, directive in CASES}


@pytest.mark.parametrize(("root", "case", "directive"), CASES)
def test_the_three_syntaxes_render_alike(root: str, case: str, directive: str) -> None:
    built = shared_build(root)
    body = same_body_in_every_syntax(built, case)
    assert "cab-problem" not in body
    assert len(SYNTAXES) == 3 and len(body) > 500


@pytest.mark.parametrize("root", sorted(PAGES))
def test_the_pages_build_without_warnings(root: str) -> None:
    assert shared_build(root).warnings == []
