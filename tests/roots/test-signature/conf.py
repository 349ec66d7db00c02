"""Receipts of a signed copy of the mini snapshot (signed in the test with a fresh key)."""

extensions = ["sphinxcontrib_cab"]
cab_snapshot_root = "data"
cab_allowed_signers = "allowed_signers"
exclude_patterns = ["_build", "data"]
