"""regframe: joint Ofsted-CQC gap assessment for residential settings for disabled children in England.

The public API, in the order data flows through it::

    framework = regframe.load_framework()            # standards/*.xml -> Framework
    graph = regframe.build_graph(framework)          # -> RequirementGraph (networkx)
    evidence = regframe.load_evidence(paths)         # evidence XML, Ofsted CSV, LA returns, SSDA903 -> EvidenceSet

Everything named in ``__all__`` is covered by the stability promise in the docs.
"""

from regframe._version import __version__
from regframe.core.diagnostics import Diagnostic, InputError, Location, Severity
from regframe.evidence import EvidenceItem, EvidenceSet, MetricValue, Placement, Setting
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework import FrameworkInvalid, check_framework, load_framework
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import (
    Citation,
    Confidence,
    EvidenceKind,
    Framework,
    Instrument,
    Link,
    Regulator,
    Rel,
    Relationship,
    Requirement,
    RequirementKind,
    SettingKind,
)
from regframe.ingest import load_evidence

__all__ = [
    "__version__",
    "Citation",
    "Confidence",
    "Diagnostic",
    "EvidenceItem",
    "EvidenceKind",
    "EvidenceSet",
    "Framework",
    "FrameworkInvalid",
    "InputError",
    "Instrument",
    "Link",
    "Location",
    "MetricValue",
    "Placement",
    "PseudonymKey",
    "Regulator",
    "Rel",
    "Relationship",
    "Requirement",
    "RequirementGraph",
    "RequirementKind",
    "Setting",
    "SettingKind",
    "Severity",
    "build_graph",
    "check_framework",
    "load_evidence",
    "load_framework",
]
