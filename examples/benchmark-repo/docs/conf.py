project = "My benchmark"
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_cab"]
myst_enable_extensions = ["colon_fence"]
cab_snapshot_root = "../data"
