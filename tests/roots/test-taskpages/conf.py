"""A project with generated task pages; the test copies a snapshot into ``data/`` next to it."""

extensions = ["sphinxcontrib_cab"]
cab_snapshot_root = "data"
cab_task_pages = "task"
exclude_patterns = ["_build", "data"]
