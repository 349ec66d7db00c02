"""A site whose pages render every kind of cab object and link them with the cab roles."""

project = "cab-domain"
extensions = ["sphinxcontrib_cab", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snapshot"]
cab_snapshot_root = "snapshot"
