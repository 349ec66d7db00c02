"""sphinxcontrib-cab: render CodingAgentBench snapshots into methodology documentation.

``setup()`` only orchestrates: each concern registers itself from its own module. Importing the
package imports no Sphinx: :mod:`.snapshot` works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .snapshot.version import __version__ as __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

ENV_VERSION = 6
"""Bump whenever anything cab stores in the build environment changes shape."""


def setup(app: Sphinx) -> ExtensionMetadata:
    from .assets import setup_assets
    from .config import register_config
    from .design import setup_design
    from .directives import setup_directives
    from .domain import setup_domain
    from .html import setup_html
    from .latex import setup_latex
    from .notice import setup_notice
    from .roles import setup_roles
    from .store import setup_store
    from .tables import setup_tables
    from .taskpages import setup_task_pages
    from .unbroken import setup_unbroken

    register_config(app)
    setup_domain(app)
    setup_store(app)
    setup_tables(app)
    setup_directives(app)
    setup_roles(app)
    setup_notice(app)
    setup_html(app)
    setup_design(app)
    setup_latex(app)
    setup_unbroken(app)
    setup_assets(app)
    setup_task_pages(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
