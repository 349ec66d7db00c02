"""Fixtures for the browser tests: the docs site built once, served on 127.0.0.1, and Chromium."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from . import kit, sites

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    yield kit.chromium()
    kit.stop_chromium()


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> kit.Build:
    """The documentation site, built once (html, ``-nW``) from a copy of the project."""
    return sites.docs_build(tmp_path_factory.getbasetemp() / "cab-sites")


@pytest.fixture(scope="session")
def docs_url(docs_site: kit.Build) -> str:
    return kit.serve(docs_site.outdir)


@pytest.fixture
def context(browser: Browser, docs_url: str) -> Iterator[BrowserContext]:
    ctx = kit.new_context(docs_url)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"JavaScript errors on {page.url}: {errors}"
