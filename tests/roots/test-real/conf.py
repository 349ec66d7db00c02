project = "cab-real"
copyright = "2026, sphinxcontrib-cab tests"
version = release = "0.1"
extensions = ["sphinxcontrib_cab", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snapshot"]
cab_snapshot_root = "snapshot"
latex_documents = [("index", "cab-real.tex", "cab on real shapes", "cab tests", "manual")]
man_pages = [("index", "cab-real", "cab on real shapes", ["cab tests"], 1)]
cab_task_pages = "task"
latex_engine = "xelatex"
