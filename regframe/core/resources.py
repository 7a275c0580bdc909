"""Where the shipped data lives: ``standards/``, ``evidence/`` and ``features/``.

In a built wheel the three folders are packed inside the package as
``regframe/_data/...`` (see ``pyproject.toml``); in a source checkout or an
editable install they sit beside the package at the repository root. Callers
ask here and never build such paths themselves, so an installed regframe run
from any directory finds its framework.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    packed = Path(str(resources.files("regframe"))) / "_data" / name
    if packed.is_dir():
        return packed
    checkout = Path(str(resources.files("regframe"))).resolve().parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"regframe's bundled '{name}' folder is missing; reinstall the package")


def standards_dir() -> Path:
    """The folder of framework catalogues, manifests and their XSD schemas."""
    return _data_dir("standards")


def evidence_dir() -> Path:
    """The folder of evidence schemas, return templates and the demo dataset."""
    return _data_dir("evidence")


def features_dir() -> Path:
    """The folder of Gherkin features (the Panel's recommendations as acceptance tests)."""
    return _data_dir("features")


def default_framework_path() -> Path:
    """The manifest of the framework regframe ships and uses when none is named."""
    return standards_dir() / "framework.xml"


def catalogue_schema_path() -> Path:
    return standards_dir() / "schema" / "catalogue.xsd"
