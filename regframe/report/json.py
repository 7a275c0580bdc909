"""The assessment as JSON, for inspection software: what a consumer acts on, deterministic, atomic, with a schema.

The document (:class:`JsonReport`, schema ``assessment.schema.json`` beside this
module) holds, per setting, its risk and assurance with their reasons, the
status counts, the flags counted, the red and amber indicators, the Panel
recommendations it is failing or at risk on, and **every failing finding**
(not met or overdue) with its reasons, flags and evidence; the evidence those
findings and reasons cite; the provider groups; and the run's provenance (the
framework, ``as_at``, every input file with its SHA-256 and the accounting of
its rows, the notes and every diagnostic). At national scale that is tens of
megabytes where the whole assessment is hundreds: the complete findings, met
ones included, one a line, are the JSON Lines report
(:mod:`regframe.report.findings`), which ``totals`` here counts line for line.

It is built as typed ``attrs`` records and unstructured by the shared
converter (:mod:`regframe.framework.converter`): dates as ISO strings, enums as
their values, ``None`` and empty lists kept so the shape never varies. Keys
are sorted; lists that are sets in disguise (a finding's flags and evidence
ids, a lens entry's ids, a provider group's settings) are written sorted, so
the same assessment gives the same bytes whatever order its builder collected
them in. Ordered lists (settings worst first, findings, reasons, inputs,
notes) keep the assessment's order. No timestamp is written; the top-level
``run_id`` (:mod:`regframe.report.runid`) is the same in the workbook written with it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from regframe.assess.results import (
    Assessment,
    ClosedSetting,
    Coverage,
    EvidenceUse,
    Finding,
    Flag,
    IndicatorResult,
    LensEntry,
    LensState,
    ProviderGroup,
    RatedGoodBut,
    RegulatorJudgement,
    SettingAssessment,
    SettingReason,
    Status,
)
from regframe.assess.status import FAILING_STATUSES
from regframe.core.atomic import atomic_path
from regframe.evidence.model import InputFile, Setting
from regframe.framework.converter import converter
from regframe.report.runid import run_id

SCHEMA_RESOURCE = "assessment.schema.json"
#: the document's format, also the schema's ``$id``; version 2 lists failing findings only (1 listed them all)
FORMAT = "urn:x-regframe:assessment:2"
_FLAG_ORDER = {flag.value: index for index, flag in enumerate(Flag)}
#: Panel recommendations a setting is listed against: the ones it fails or is at risk on
_LENS_LISTED = frozenset({LensState.FAILING, LensState.AT_RISK})


@attrs.frozen
class SettingSummary:
    """One setting as a consumer acts on it: its two axes and why, what it fails, and the counts behind them."""

    setting: Setting
    rating: str  # the risk rating (red, amber, green)
    rating_reasons: tuple[str, ...]
    risk_score: float
    assurance: str  # high, medium, low
    assurance_reasons: tuple[str, ...]
    reasons: tuple[SettingReason, ...]  # ranked, most serious first
    rated_good_but: RatedGoodBut | None
    counts: dict[str, int]  # requirements by status; all but not_applicable are its JSON Lines findings
    flags: dict[str, int]  # findings carrying each flag
    children: int
    judgements: tuple[RegulatorJudgement, ...]
    coverage: tuple[Coverage, ...]
    independent_sources: tuple[str, ...]
    indicators: tuple[IndicatorResult, ...]  # those at red or amber
    lens: tuple[LensEntry, ...]  # recommendations failing or at risk
    failing: tuple[Finding, ...]  # every finding not met or overdue, in the assessment's order


@attrs.frozen
class ClosedSummary:
    """A setting that had left the register by ``as_at``: not rated; summarised as at its closure if inside the window."""

    setting: Setting
    registration_status: str
    closed_on: str | None
    assessment: SettingSummary | None


@attrs.frozen
class Totals:
    """The accounting of the run: every setting, and every finding by status, as the JSON Lines report has them."""

    settings: int
    closed: int
    ratings: dict[str, int]
    assurance: dict[str, int]
    findings: dict[str, int]  # status -> findings, open and closed settings together
    failing: int  # findings listed in this document (not met or overdue)


@attrs.frozen
class JsonReport:
    """The JSON report: what a consumer needs, and where it came from."""

    format: str
    framework: str
    framework_version: str
    as_at: str
    regframe_version: str
    inputs: tuple[InputFile, ...]
    notes: tuple[str, ...]
    diagnostics: tuple[str, ...]
    input_errors: tuple[str, ...]
    totals: Totals
    settings: tuple[SettingSummary, ...]
    closed: tuple[ClosedSummary, ...]
    groups: tuple[ProviderGroup, ...]
    evidence: tuple[EvidenceUse, ...]  # every item the listed findings, reasons and judgements cite


def _flag_counts(assessed: SettingAssessment) -> dict[str, int]:
    counted = Counter(flag.value for finding in assessed.headlines() for flag in finding.flags)
    return dict(sorted(counted.items(), key=lambda pair: _FLAG_ORDER[pair[0]]))


def summarise(assessed: SettingAssessment) -> SettingSummary:
    """What the document says of one assessed setting."""
    return SettingSummary(
        setting=assessed.setting, rating=assessed.rating.value, rating_reasons=assessed.rating_reasons,
        risk_score=assessed.risk_score, assurance=assessed.assurance.value,
        assurance_reasons=assessed.assurance_reasons, reasons=tuple(assessed.reasons),
        rated_good_but=assessed.rated_good_but, counts=assessed.counts, flags=_flag_counts(assessed),
        children=assessed.children, judgements=assessed.judgements, coverage=assessed.coverage,
        independent_sources=assessed.independent_sources,
        indicators=tuple(i for i in assessed.indicators if i.level is not None),
        lens=tuple(e for e in assessed.lens if e.state in _LENS_LISTED),
        failing=tuple(assessed.findings_having(FAILING_STATUSES)),
    )


def _summarise_closed(closed: ClosedSetting) -> ClosedSummary:
    return ClosedSummary(closed.setting, closed.registration_status,
                         closed.closed_on.isoformat() if closed.closed_on else None,
                         summarise(closed.assessment) if closed.assessment is not None else None)


def _cited(assessed: Iterable[SettingAssessment]) -> set[str]:
    """The evidence ids the listed findings, reasons and judgements cite (no finding's reasons are worded)."""
    cited: set[str] = set()
    for setting in assessed:
        for finding in setting.headlines():
            if finding.status in FAILING_STATUSES:
                cited.update(finding.evidence)
        for reason in setting.reasons:
            cited.update(reason.evidence)
        for judgement in setting.judgements:
            cited.update(judgement.evidence)
    return cited


def _totals(assessment: Assessment, assessed: Iterable[SettingAssessment]) -> Totals:
    findings: Counter[str] = Counter()
    for setting in assessed:
        findings.update(f.status.value for f in setting.headlines())
        findings[Status.NO_EVIDENCE.value] += len(setting.no_evidence)
    return Totals(
        settings=len(assessment.settings), closed=len(assessment.closed),
        ratings=dict(Counter(s.rating.value for s in assessment.settings)),
        assurance=dict(Counter(s.assurance.value for s in assessment.settings)),
        findings={s.value: findings[s.value] for s in Status if findings[s.value]},
        failing=sum(findings[s.value] for s in FAILING_STATUSES),
    )


def _head(assessment: Assessment) -> JsonReport:
    """The document without its lists of settings, closed settings, groups and evidence (:func:`iter_json`
    streams those, one at a time)."""
    return JsonReport(
        format=FORMAT, framework=assessment.framework, framework_version=assessment.framework_version,
        as_at=assessment.as_at.isoformat(), regframe_version=assessment.regframe_version,
        inputs=assessment.inputs, notes=assessment.notes, diagnostics=assessment.diagnostics,
        input_errors=assessment.input_errors, totals=_totals(assessment, assessment.assessed()), settings=(),
        closed=(), groups=(), evidence=(),
    )


def _evidence(assessment: Assessment) -> Iterator[EvidenceUse]:
    cited = _cited(assessment.assessed())
    return (e for e in assessment.evidence if e.id in cited)


def build_report(assessment: Assessment) -> JsonReport:
    """The document for ``assessment``, whole: each setting summarised, and only the evidence it cites."""
    return attrs.evolve(
        _head(assessment), settings=tuple(summarise(s) for s in assessment.settings),
        closed=tuple(_summarise_closed(c) for c in assessment.closed), groups=assessment.groups,
        evidence=tuple(_evidence(assessment)),
    )


#: JSON as every regframe report writes it: keys sorted, UTF-8 text, no NaN, no spaces (one encoder, made once)
dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def sort_finding(data: dict[str, Any]) -> dict[str, Any]:
    """A finding's flags in the :class:`~regframe.assess.results.Flag` order and its evidence ids sorted."""
    data["flags"] = sorted(data["flags"], key=_FLAG_ORDER.__getitem__)
    data["evidence"] = sorted(data["evidence"])
    return data


def _normalise_setting(data: dict[str, Any]) -> dict[str, Any]:
    for finding in data["failing"]:
        sort_finding(finding)
    for entry in data["lens"]:
        for key in ("failing", "at_risk", "indicators"):
            entry[key] = sorted(entry[key])
    return data


def _normalise_closed(data: dict[str, Any]) -> dict[str, Any]:
    if data["assessment"] is not None:
        _normalise_setting(data["assessment"])
    return data


def _normalise_group(data: dict[str, Any]) -> dict[str, Any]:
    data["settings"] = sorted(data["settings"])
    data["settings_with_failings"] = sorted(data["settings_with_failings"])
    return data


def iter_json(assessment: Assessment) -> Iterator[str]:
    """The document in pieces, keys sorted, one setting (or evidence item) per line: no giant string is built."""
    head = converter.unstructure(_head(assessment))
    head["run_id"] = run_id(assessment)
    # each setting is summarised as it is written, so its failing findings' words are held one setting at a time
    streamed = {
        "settings": lambda: (_normalise_setting(converter.unstructure(summarise(s))) for s in assessment.settings),
        "closed": lambda: (_normalise_closed(converter.unstructure(_summarise_closed(c))) for c in assessment.closed),
        "groups": lambda: (_normalise_group(converter.unstructure(g)) for g in assessment.groups),
        "evidence": lambda: (converter.unstructure(e) for e in _evidence(assessment)),
    }
    yield "{"
    for index, key in enumerate(sorted(head)):
        yield ("," if index else "") + "\n" + dumps(key) + ":"
        if key in streamed:
            yield "["
            empty = True
            for position, item in enumerate(streamed[key]()):
                yield ("," if position else "") + "\n" + dumps(item)
                empty = False
            yield "]" if empty else "\n]"
        else:
            yield dumps(head[key])
    yield "\n}\n"


def assessment_to_json(assessment: Assessment) -> str:
    """The JSON document as one string (UTF-8 text, keys sorted, ending in a newline)."""
    return "".join(iter_json(assessment))


def write_text_into(pieces: Iterable[str], path: Path) -> None:
    """Write ``pieces`` of text into ``path`` in UTF-8, a megabyte at a time (not atomically: for a temporary
    file the caller renames)."""
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                stream.write("".join(buffer))
                buffer, size = [], 0
        stream.write("".join(buffer))


def write_text_atomically(pieces: Iterable[str], path: str | Path) -> Path:
    """Write ``pieces`` of text to ``path`` atomically in UTF-8; return the path.

    The text goes to a temporary file beside ``path``, renamed over it once every piece is
    written: a reader never sees half a report, and a failure leaves the old file as it was.
    """
    path = Path(path)
    with atomic_path(path) as temporary:
        write_text_into(pieces, temporary)
    return path


def write_json(assessment: Assessment, path: str | Path) -> Path:
    """Write the JSON document to ``path`` atomically, in UTF-8; return the path."""
    return write_text_atomically(iter_json(assessment), path)


def write_json_into(assessment: Assessment, path: Path) -> None:
    """Write the JSON document into ``path`` as it is (for a temporary file the caller renames)."""
    write_text_into(iter_json(assessment), path)


def load_schema(name: str) -> dict[str, Any]:
    """One of the JSON Schemas (draft 2020-12) shipped beside this module."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) the document follows, shipped with the package."""
    return load_schema(SCHEMA_RESOURCE)
