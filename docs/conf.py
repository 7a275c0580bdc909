"""Sphinx configuration for the regframe documentation.

Pages under ``_generated/`` are written at build time by the extensions in
``_ext/rfdocs`` (hooked on ``builder-inited``) from the code, the catalogue
and the features, so they follow the code; they are never committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import regframe  # noqa: E402

project = "regframe"
author = "regframe developers"
copyright = "regframe developers"  # noqa: A001
release = regframe.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "rfdocs",
]

exclude_patterns = ["_build", "_generated/includes", "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []
html_static_path = ["_static"]
html_css_files = ["rfdocs.css"]
html_theme = "furo"
html_title = f"regframe {release}"
html_show_sourcelink = False

# -- autodoc: typed attrs classes and enums, hints in the description
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_preserve_defaults = False
python_use_unqualified_type_names = True

# -- nitpicky: every reference must resolve. The standard library resolves
# offline through rfdocs.pylinks (no network, so no intersphinx); these are
# third-party types with no inventory here.
nitpicky = True
nitpick_ignore_regex = [
    ("py:class", r"(networkx|nx)\..*"),
    ("py:class", r"(openpyxl|lxml|attrs|cattrs)\..*"),
]

# -- doctest: examples on the API pages run under `make test`
doctest_global_setup = """
import datetime as dt
import regframe
"""

# API objects stay out of the page tables of contents: the navigation stays
# readable and the build fast (furo renders the whole tree on every page).
toc_object_entries = False
# generated pages are large; typographic quotes are not worth a pass over every node
smartquotes = False
