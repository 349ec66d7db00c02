"""Sphinx configuration of the sphinxcontrib-cab documentation and sample benchmark site.

The site is built from the synthetic sample snapshot in ``../data``; every figure on it is read from
those files by the extension while Sphinx builds. Nothing here depends on what a hosting service
injects: the canonical URL is read from ``READTHEDOCS_CANONICAL_URL`` when it is set, and output is
reproducible (no build dates; Sphinx honours ``SOURCE_DATE_EPOCH`` for anything dated).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "sphinxcontrib-cab"
author = "sphinxcontrib-cab developers"
copyright = "sphinxcontrib-cab developers; sample data CC-BY-4.0"  # no year: reproducible output
release = "0.1.0"
version = "0.1"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib_cab",
    "furo_wrapper_ids",
    "toctree_caption_level",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
nitpicky = True

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# -- the benchmark data ---------------------------------------------------------------------------
cab_snapshot_root = "../data"
cab_task_pages = "task"
cab_default_view = "normal"
# Who may sign the sample's receipts: a throwaway key, its private half discarded after signing.
cab_allowed_signers = "allowed_signers"
cab_citation = {
    "authors": ["CodingAgentBench maintainers"],
    "title": "CodingAgentBench sample snapshot (synthetic data)",
    "url": "https://codingagentbench.com",
    "publisher": "CodingAgentBench",
}

# -- HTML -----------------------------------------------------------------------------------------
html_theme = "furo"
html_title = "sphinxcontrib-cab"
html_last_updated_fmt: str | None = None
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
html_copy_source = False
html_show_sourcelink = False

# -- other builders -------------------------------------------------------------------------------
epub_show_urls = "no"
latex_engine = "xelatex"
latex_documents = [
    ("index", "sphinxcontrib-cab.tex", "sphinxcontrib-cab", author, "manual"),
]
man_pages = [("index", "sphinxcontrib-cab", "sphinxcontrib-cab documentation", [author], 7)]


# -- the performance page -------------------------------------------------------------------------
# bench/results.md is written by `nox -s bench` and may be absent; the page includes a copy that
# falls back to a short notice, so the docs build never depends on having run the benchmark.
_BENCH_RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results.md"
_BENCH_COPY = Path(__file__).resolve().parent / "_generated" / "bench-results.md"
_BENCH_NOTICE = (
    "No benchmark results are checked in yet. Run `nox -s bench` to measure this machine; it "
    "writes `bench/results.md`, which appears here on the next build.\n"
)


def _refresh_bench_copy() -> None:
    text = _BENCH_RESULTS.read_text(encoding="utf-8") if _BENCH_RESULTS.is_file() else _BENCH_NOTICE
    if not _BENCH_COPY.is_file() or _BENCH_COPY.read_text(encoding="utf-8") != text:
        _BENCH_COPY.parent.mkdir(exist_ok=True)
        _BENCH_COPY.write_text(text, encoding="utf-8")


_refresh_bench_copy()
exclude_patterns.append("_generated")
