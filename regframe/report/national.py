"""The national run: an Ofsted register as at its date, each setting's history from Ofsted's other files, the few picked out.

A register lists every setting registered on its date; Ofsted's in-year files list
every inspection of a year, including those of settings that have since closed. Read
together, the in-year files give each registered setting its history (downgrades, runs
below good, suspensions, the provider-group rule), but they must not add settings of
their own: a home judged inadequate in 2015 and closed since would otherwise be rated
red in 2023. So the files a run reads have two roles:

* the **register** and any other evidence (``report --settings`` and ``--evidence``)
  say which settings there are;
* the **history** (``report --history``) adds evidence about those settings and
  never a setting: a setting that only history files name is not rated, and is
  counted apart (:func:`keep_described`).

:func:`national_counts` sums a run up the way the national figures are reported: every
row read accounted for, the settings rated by risk and by assurance, and the settings
of highest risk with their first reason in plain words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from regframe.assess.results import Assessment, Assurance, Rating, SettingAssessment
from regframe.evidence.model import EvidenceSet
from regframe.report.names import published


def keep_described(evidence: EvidenceSet, described: Iterable[str]) -> list[str]:
    """Keep in ``evidence`` only the settings in ``described``; return the others' URNs, sorted.

    The settings left out lose their evidence items, placements and monthly figures too (so the
    assessment does not report them as evidence without a setting); their inspections and
    register rows stay in the history, where nothing reads them. A note says how many were left
    out and why.
    """
    keep = set(described)
    dropped = sorted(urn for urn in evidence.settings if urn not in keep)
    if not dropped:
        return dropped
    gone = set(dropped)
    evidence.settings = {urn: s for urn, s in evidence.settings.items() if urn not in gone}
    evidence.items = [i for i in evidence.items if i.setting not in gone]
    evidence.placements = [p for p in evidence.placements if p.setting not in gone]
    evidence.metrics = [m for m in evidence.metrics if m.setting not in gone]
    evidence.notes.append(
        f"{len(dropped)} setting(s) named only by the history files were not rated (history adds evidence about the "
        f"settings of the register, never a setting): {', '.join(dropped[:10])}{'…' if len(dropped) > 10 else ''}")
    return dropped


@attrs.frozen
class Ranked:
    """One of the settings of highest risk, with the first of its reasons."""

    urn: str
    name: str  # "" where Ofsted does not publish it (REDACTED)
    owner: str
    kind: str
    risk: str
    assurance: str
    reason: str


@attrs.frozen
class NationalCounts:
    """A run summed up: rows, settings, risk and assurance, and the settings of highest risk.

    ``rows`` counts every row read, each in exactly one of ``accepted``, ``rejected``,
    ``skipped``, ``blank`` and ``unused`` (:attr:`accounted`); ``rated + closed`` settings
    were assessed, ``history_only`` settings were read but not rated.
    """

    as_at: str
    files: tuple[str, ...]
    rows: int
    accepted: int
    rejected: int
    skipped: int
    blank: int
    unused: int
    rated: int
    closed: int
    history_only: int
    risk: dict[str, int]
    assurance: dict[str, int]
    risk_by_assurance: dict[str, int]  # "red/low": count
    highest: tuple[Ranked, ...]

    @property
    def accounted(self) -> bool:
        return self.accepted + self.rejected + self.skipped + self.blank + self.unused == self.rows


def first_reason(assessed: SettingAssessment) -> str:
    """The first of a setting's reasons that weighs as much as its rating (the sign that makes a red setting red)."""
    same = [r for r in assessed.reasons if r.level is assessed.rating]
    chosen = same or list(assessed.reasons)
    return chosen[0].text if chosen else "; ".join(assessed.rating_reasons)


def national_counts(assessment: Assessment, history_only: Sequence[str] = (), top: int = 10) -> NationalCounts:
    """The counts of ``assessment`` and its ``top`` settings of highest risk (red or amber only), worst first."""
    inputs = assessment.inputs
    risk = Counter(s.rating.value for s in assessment.settings)
    assurance = Counter(s.assurance.value for s in assessment.settings)
    pairs = Counter(f"{s.rating.value}/{s.assurance.value}" for s in assessment.settings)
    highest = tuple(
        Ranked(s.setting.urn, published(s.setting.name), published(s.setting.owner), s.setting.kind.value,
               s.rating.value, s.assurance.value, first_reason(s))
        for s in assessment.settings[:top] if s.rating is not Rating.GREEN
    )
    return NationalCounts(
        as_at=assessment.as_at.isoformat(), files=tuple(i.path for i in inputs),
        rows=sum(i.rows for i in inputs), accepted=sum(i.accepted for i in inputs),
        rejected=sum(i.rejected for i in inputs), skipped=sum(i.skipped for i in inputs),
        blank=sum(i.blank for i in inputs), unused=sum(i.unused for i in inputs),
        rated=len(assessment.settings), closed=len(assessment.closed), history_only=len(history_only),
        risk={r.value: risk.get(r.value, 0) for r in Rating},
        assurance={a.value: assurance.get(a.value, 0) for a in Assurance},
        risk_by_assurance={f"{r.value}/{a.value}": pairs.get(f"{r.value}/{a.value}", 0)
                           for r in Rating for a in Assurance},
        highest=highest,
    )
