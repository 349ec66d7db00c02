"""Every cab directive and role on the mini snapshot; tests pick the theme with -D html_theme."""

from __future__ import annotations

project = "cab every directive"
author = "sphinxcontrib-cab tests"
copyright = "sphinxcontrib-cab tests"
version = release = "1"
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_cab"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "data"]
myst_enable_extensions = ["colon_fence"]
nitpicky = True
cab_snapshot_root = "data"
cab_task_pages = "task"
html_theme = "alabaster"
html_last_updated_fmt: str | None = None
latex_documents = [("index", "cab.tex", "cab every directive", author, "manual")]
man_pages = [("index", "cab", "cab every directive", [author], 7)]
