"""Static assets (``static/cab.css``, ``static/cab.js``), registered for HTML builders only.

On ``builder-inited``, when the builder writes HTML (html, dirhtml, singlehtml, epub), cab adds its
static folder to ``html_static_path``, links ``cab.css``, loads ``cab.js`` deferred, and adds a
two-line inline script to ``<head>`` that applies the reader's remembered view (or
``cab_default_view``) before the page is painted, so Nerds-only columns never flash. Other
builders get nothing: no files are copied and no markup changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .config import cab_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
VIEW_STORAGE_KEY = "cab-view"
"""The ``localStorage`` key holding the reader's view: ``normal`` or ``nerds``."""


def view_script(default_view: str) -> str:
    """The inline ``<head>`` script: sets ``cab-view-<view>`` and the default on ``<html>``."""
    default = json.dumps(default_view)
    key = json.dumps(VIEW_STORAGE_KEY)
    return (
        "(function(){var d=document.documentElement,v=null;"
        f"try{{v=localStorage.getItem({key})}}catch(e){{}}"
        f'if(v!=="normal"&&v!=="nerds")v={default};'
        f'd.setAttribute("data-cab-default-view",{default});'
        'd.classList.add("cab-view-"+v)})();'
    )


def _register(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
    app.add_css_file("cab.css")
    app.add_js_file(None, body=view_script(cab_config(app).default_view))
    app.add_js_file("cab.js", loading_method="defer")


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", _register)
