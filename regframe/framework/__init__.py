"""The framework: requirements, their cadences, the catalogues they are read from, and the graph.

Pipeline: catalogue XML (:mod:`~regframe.framework.catalogue`) -> checks
(:mod:`~regframe.framework.checks`) -> a :class:`~regframe.framework.model.Framework`
(:mod:`~regframe.framework.loading`) -> a requirement graph
(:mod:`~regframe.framework.graph`). This package knows nothing about evidence.
"""

from regframe.framework.loading import (
    Documents,
    FrameworkInvalid,
    catalogue_files,
    check_framework,
    load_framework,
    manifest_files,
    read_documents,
    route_problems,
    semantic_problems,
)

__all__ = [
    "Documents",
    "FrameworkInvalid",
    "catalogue_files",
    "check_framework",
    "load_framework",
    "manifest_files",
    "read_documents",
    "route_problems",
    "semantic_problems",
]
