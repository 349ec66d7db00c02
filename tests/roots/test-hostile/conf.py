"""Every cab directive on the hostile snapshot (tests/hostile/make_hostile.py writes ./data)."""

from __future__ import annotations

project = "cab hostile input"
author = "sphinxcontrib-cab tests"
copyright = "sphinxcontrib-cab tests"
version = release = "1"
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_cab"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "data"]
myst_enable_extensions = ["colon_fence"]
cab_snapshot_root = "data"
cab_task_pages = "task"
html_theme = "alabaster"
html_last_updated_fmt: str | None = None
# xelatex reads UTF-8 natively; pdflatex would need a declaration for every hostile code point.
latex_engine = "xelatex"
latex_documents = [("index", "hostile.tex", "cab hostile input", author, "manual")]
man_pages = [("index", "hostile", "cab hostile input", [author], 7)]
texinfo_documents = [("index", "hostile", "cab hostile input", author, "hostile", "", "", False)]
