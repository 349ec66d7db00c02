"""Static assets (``static/cab.css``, ``static/cab.js``), for the HTML pages that show cab content.

On ``builder-inited``, when the builder writes HTML (html, dirhtml, singlehtml, epub), cab adds its
static folder to ``html_static_path``. Each page is then given, on ``html-page-context`` (where
``app.add_css_file``/``app.add_js_file`` add to that page only), a link to ``cab.css``, ``cab.js``
loaded deferred, and a two-line inline script in ``<head>`` that applies the reader's remembered
view (or ``cab_default_view``) before the page is painted, so Nerds-only columns never flash. A
page gets them when it shows cab content (a node cab wrote: a ``cab-`` class or finished cab
HTML), or on every page when ``cab_assets_on = "all"``; the general index, the search page and a
page without cab content are left as the theme made them. Other builders get nothing: no files
are copied and no markup changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from .config import cab_config
from .html import cab_copy_button, cab_html

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
VIEW_STORAGE_KEY = "cab-view"
"""The ``localStorage`` key holding the reader's view: ``normal`` or ``nerds``."""

CLASS_PREFIX = "cab-"


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


def _is_cab_node(node: nodes.Node) -> bool:
    if isinstance(node, (cab_html, cab_copy_button)):
        return True
    if not isinstance(node, nodes.Element):
        return False
    classes: list[str] = node.get("classes", [])
    return any(name.startswith(CLASS_PREFIX) for name in classes)


def has_cab_content(doctree: nodes.Node | None) -> bool:
    """Whether a page's finished doctree holds anything cab wrote (``None``: a page Sphinx
    generates without a source, such as the general index or the search page)."""
    if doctree is None:
        return False
    return next(iter(doctree.findall(_is_cab_node)), None) is not None


def _register_static(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def _page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format != "html":
        return
    config = cab_config(app)
    if config.assets_on != "all" and not has_cab_content(doctree):
        return
    app.add_css_file("cab.css")
    app.add_js_file(None, body=view_script(config.default_view))
    app.add_js_file("cab.js", loading_method="defer")


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", _register_static)
    # before themes that read the page's asset lists in their own handlers (default 500)
    app.connect("html-page-context", _page_assets, priority=400)
