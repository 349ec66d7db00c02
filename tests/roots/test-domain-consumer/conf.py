"""Another project linking to the cab-domain site through intersphinx (the test sets the path);
it loads only the cab domain, not the data."""

project = "consumer"
extensions = ["sphinx.ext.intersphinx", "sphinxcontrib_cab.domain"]
exclude_patterns = ["_build"]
