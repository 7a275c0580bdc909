"""Evidence as regframe holds it: settings, placements, evidence items, metric values; and pseudonymisation.

Every reader in :mod:`regframe.ingest` produces these records; the assessment reads nothing else.
"""

from regframe.evidence.model import (
    Action,
    ActionKind,
    Closure,
    CqcLink,
    EvidenceItem,
    EvidenceSet,
    InputFile,
    Metric,
    MetricValue,
    NotRead,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Placement,
    Setting,
    Source,
)

__all__ = [
    "Action",
    "ActionKind",
    "Closure",
    "CqcLink",
    "EvidenceItem",
    "EvidenceSet",
    "InputFile",
    "NotRead",
    "Metric",
    "MetricValue",
    "OfstedGrade",
    "Outcome",
    "OutcomeKind",
    "Placement",
    "Setting",
    "Source",
]
