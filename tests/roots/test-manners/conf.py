"""A site where one page shows cab content and the others do not (tests/test_assets.py)."""

project = "cab manners"
copyright = "2026, sphinxcontrib-cab tests"
version = release = "0.1"
extensions = ["sphinxcontrib_cab", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snapshot"]
cab_snapshot_root = "snapshot"
