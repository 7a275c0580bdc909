"""A fingerprint of what an assessment found, independent of any report format.

:func:`findings_digest` is the SHA-256 of :func:`canonical_lines`: one line of
canonical JSON per thing the assessment decided, so two assessments have the
same digest exactly when they found the same. It is how a change to the
assessment's machinery (an index, a cache, a lazy sequence) is shown to leave
its results alone: the digest of the demo is pinned by a test, and the
national benchmark checks its own (see :mod:`regframe.bench.assess`).

What is in it, per setting (live settings in the assessment's order, worst
first; then the closed ones in theirs): the URN; the risk rating, its reasons
and score; assurance and its reasons; the status counts and children placed;
**every finding**, met ones included, in the assessment's order (requirement,
status, every reason with its status, flags, evidence ids); the requirements
with no evidence; the indicators, the lens, the ranked reasons, the "rated
good, but …" flag, the regulators' latest judgements, coverage and independent
sources. Then the provider groups, and the evidence relied on (id, setting,
kind, source, date).

What is left out, because it is not a finding: the regframe version, the input
files (their paths and hashes), the evidence items' provenance, the notes and
the diagnostics (whose text names files by path, so would differ between two
checkouts of the same data). Collections that are sets in disguise (a
finding's flags and evidence ids, the unevidenced requirements, a lens entry's
ids, a group's settings) are sorted, as the JSON report writes them; ordered
ones keep their order.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

from regframe.assess.results import (
    Assessment,
    ClosedSetting,
    Coverage,
    Finding,
    IndicatorResult,
    LensEntry,
    ProviderGroup,
    RatedGoodBut,
    RegulatorJudgement,
    SettingAssessment,
    SettingReason,
)

#: bumped when what :func:`canonical_lines` writes changes shape, so an old pinned digest fails loudly
DIGEST_FORMAT = 1

#: what a canonical line is made of: JSON's values
_Plain = str | int | float | bool | None | Sequence["_Plain"] | Mapping[str, "_Plain"]


def findings_digest(assessment: Assessment) -> str:
    """The SHA-256 (hex) of :func:`canonical_lines`: equal exactly when two assessments found the same."""
    return digest_of_lines(canonical_lines(assessment))


def canonical_lines(assessment: Assessment) -> Iterator[str]:
    """What the assessment found, one canonical JSON line at a time (diff two runs' lines to see where they part)."""
    yield _line("assessment", DIGEST_FORMAT, assessment.framework, assessment.framework_version,
                assessment.as_at.isoformat())
    for setting in assessment.settings:
        yield from _setting_lines("setting", setting)
    for closed in assessment.closed:
        yield from _closed_lines(closed)
    for group in assessment.groups:
        yield _line("group", *_group(group))
    for use in assessment.evidence:
        yield _line("evidence", use.id, use.setting, use.kind, use.source, use.observed.isoformat())


def _closed_lines(closed: ClosedSetting) -> Iterator[str]:
    yield _line("closed", closed.setting.urn, closed.registration_status, _date(closed.closed_on),
                closed.assessment is not None)
    if closed.assessment is not None:
        yield from _setting_lines("closed-setting", closed.assessment)


def _setting_lines(tag: str, setting: SettingAssessment) -> Iterator[str]:
    urn = setting.setting.urn
    yield _line(tag, urn, setting.rating.value, list(setting.rating_reasons), setting.risk_score,
                setting.assurance.value, list(setting.assurance_reasons), dict(sorted(setting.counts.items())),
                setting.children)
    for finding in setting.findings:
        yield _line("finding", urn, *_finding(finding))
    yield _line("no-evidence", urn, sorted(setting.no_evidence))
    for indicator in setting.indicators:
        yield _line("indicator", urn, *_indicator(indicator))
    for entry in setting.lens:
        yield _line("lens", urn, *_lens(entry))
    for reason in setting.reasons:
        yield _line("reason", urn, *_reason(reason))
    yield _line("rated-good-but", urn, _rated_good_but(setting.rated_good_but))
    for judgement in setting.judgements:
        yield _line("judgement", urn, *_judgement(judgement))
    for cover in setting.coverage:
        yield _line("coverage", urn, *_coverage(cover))
    yield _line("sources", urn, list(setting.independent_sources))


def _finding(finding: Finding) -> list[_Plain]:
    return [finding.requirement, finding.status.value, [[r.status.value, r.message] for r in finding.reasons],
            sorted(flag.value for flag in finding.flags), sorted(finding.evidence)]


def _indicator(result: IndicatorResult) -> list[_Plain]:
    return [result.indicator, result.metric, result.value, _value(result.level), result.threshold, result.basis,
            result.axis.value]


def _lens(entry: LensEntry) -> list[_Plain]:
    return [entry.recommendation, entry.state.value, sorted(entry.failing), sorted(entry.at_risk),
            sorted(entry.indicators)]


def _reason(reason: SettingReason) -> list[_Plain]:
    return [reason.rule, reason.level.value, reason.text, reason.requirement, reason.ref, reason.title,
            list(reason.sources), _date(reason.observed), list(reason.evidence)]


def _rated_good_but(flag: RatedGoodBut | None) -> _Plain:
    if flag is None:
        return None
    return [flag.regulator, flag.verdict, flag.judged.isoformat(), list(flag.sources), flag.red_indicators]


def _judgement(judgement: RegulatorJudgement) -> list[_Plain]:
    return [judgement.regulator, judgement.verdict, judgement.observed.isoformat(), list(judgement.evidence),
            judgement.positive, judgement.worst]


def _coverage(cover: Coverage) -> list[_Plain]:
    return [cover.regulator, cover.applicable, cover.evidenced, cover.stale, cover.provider_only, cover.none]


def _group(group: ProviderGroup) -> list[_Plain]:
    return [group.owner, sorted(group.settings), dict(sorted(group.ratings.items())),
            sorted(group.settings_with_failings), group.stands_out, group.basis]


def _value(value: enum.Enum | None) -> _Plain:
    return None if value is None else value.value


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _line(tag: str, *parts: _Plain) -> str:
    return json.dumps([tag, *parts], ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def digest_of_lines(lines: Iterable[str]) -> str:
    """The digest of lines already written (as :func:`findings_digest` hashes them), for streamed checks."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
