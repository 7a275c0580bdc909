"""The complete findings as JSON Lines: every requirement at every setting, met ones included, one a line.

``regframe report --jsonl FILE`` writes one :class:`FindingLine` per line (schema
``finding.schema.json`` beside this module): the setting's URN, the requirement,
its status, every reason, its flags, the ids of its evidence and the run's id
(:mod:`regframe.report.runid`, the same as in the workbook and the JSON written with
it). The id is on every line, not in a header line, so the file stays one table for
DuckDB, pandas or a bulk load (a header line would be a row of another shape), and so
any line taken out of the file still says which run it came from. Settings come in
the assessment's order (worst first), then the closed settings assessed as at
their closure (``closed`` true); within a setting, the findings in the
assessment's order, then the requirements with no evidence at all (sorted).
Keys are sorted, flags in their fixed order and evidence ids sorted, so the same
assessment gives the same bytes. The lines are written as they are produced, a
megabyte at a time, to a temporary file renamed into place at the end: memory
does not grow with the number of findings, and a reader never sees half a file.

The JSON report (:mod:`regframe.report.json`) counts these lines in its
``totals`` and carries what they rest on (the inputs, the evidence cited); the
two are read together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from regframe.assess.results import Assessment, Finding, Flag, Reason, SettingAssessment, Status
from regframe.framework.converter import converter
from regframe.report.json import dumps, load_schema, sort_finding, write_text_atomically, write_text_into
from regframe.report.runid import run_id

SCHEMA_RESOURCE = "finding.schema.json"


@attrs.frozen
class FindingLine:
    """One requirement at one setting, as one line of the JSON Lines report."""

    setting: str  # the setting's URN
    requirement: str  # the requirement's stable id
    status: Status
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]
    evidence: tuple[str, ...]  # evidence item ids
    closed: bool  # the setting had left the register by as_at, and is assessed as at its closure
    run_id: str  # the run's id (regframe.report.runid): the same on every line and in the files written with it


def _setting_findings(assessed: SettingAssessment, closed: bool) -> Iterator[tuple[str, bool, Finding]]:
    urn = assessed.setting.urn
    for finding in assessed.findings:
        yield urn, closed, finding
    for requirement in sorted(assessed.no_evidence):
        yield urn, closed, Finding(requirement, Status.NO_EVIDENCE)


def complete_findings(assessment: Assessment) -> Iterator[tuple[str, bool, Finding]]:
    """Every finding of ``assessment`` as ``(urn, closed, finding)``, met ones and those with no evidence included.

    The one place the JSON Lines writer reads findings from: the assessment's results,
    setting by setting, in the order the module docstring gives.
    """
    for assessed in assessment.settings:
        yield from _setting_findings(assessed, False)
    for closed in assessment.closed:
        if closed.assessment is not None:
            yield from _setting_findings(closed.assessment, True)


def finding_lines(assessment: Assessment) -> Iterator[FindingLine]:
    """The JSON Lines report's records, in its order."""
    run = run_id(assessment)
    for urn, closed, finding in complete_findings(assessment):
        yield FindingLine(urn, finding.requirement, finding.status, finding.reasons, finding.flags, finding.evidence,
                          closed, run)


def iter_jsonl(lines: Iterable[FindingLine]) -> Iterator[str]:
    """Each record as one line of JSON (keys sorted, sets sorted), newline included."""
    unstructure = converter.unstructure
    for line in lines:
        yield dumps(sort_finding(unstructure(line))) + "\n"


def write_jsonl(assessment: Assessment, path: str | Path) -> Path:
    """Write every finding of ``assessment`` to ``path`` as JSON Lines, streamed and atomically; return the path."""
    return write_text_atomically(iter_jsonl(finding_lines(assessment)), path)


def write_jsonl_into(assessment: Assessment, path: Path) -> None:
    """The same into ``path`` as it is (for a temporary file the caller renames: see :mod:`regframe.report.pair`)."""
    write_text_into(iter_jsonl(finding_lines(assessment)), path)


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) each line follows, shipped with the package."""
    return load_schema(SCHEMA_RESOURCE)
