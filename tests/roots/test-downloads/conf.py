"""cab-downloads in reST and MyST, for an older snapshot, and with one bad option value.

The test copies a snapshot into ``snapshot/`` next to this file."""

extensions = ["myst_parser", "sphinxcontrib_cab"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snapshot"]
cab_snapshot_root = "snapshot"
