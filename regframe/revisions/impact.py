"""What a revision would change for real settings: the same evidence assessed under two frameworks.

``impact(base, revised, evidence, as_at)`` assesses the evidence under each
framework and reports, setting by setting, every requirement whose status
would change, every flag gained or lost, the rating, and each recommendation
lens entry that would move. A requirement the framework does not hold, or that
is not in force for the setting, reads ``not_applicable``, so a proposed
requirement appears as ``not_applicable -> ...``. Settings with no change are
counted but not listed. Output is deterministic: settings by URN, requirements
and recommendations by stable id.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs

from regframe.assess import assess
from regframe.assess.results import SettingAssessment, Status
from regframe.core.text import natural_key
from regframe.evidence.model import EvidenceSet
from regframe.framework.converter import converter
from regframe.framework.graph import build_graph
from regframe.framework.model import Framework
from regframe.revisions.diff import FrameworkRef

ABSENT = "absent"  # a recommendation not on the lens at all (not in force, or not in that framework)


@attrs.frozen
class StatusChange:
    requirement: str
    before: str
    after: str


@attrs.frozen
class FlagChange:
    requirement: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]


@attrs.frozen
class LensChange:
    recommendation: str
    before: str
    after: str


@attrs.frozen
class SettingImpact:
    urn: str
    name: str
    rating_before: str
    rating_after: str
    statuses: tuple[StatusChange, ...] = ()
    flags: tuple[FlagChange, ...] = ()
    lens: tuple[LensChange, ...] = ()


@attrs.frozen
class Impact:
    base: FrameworkRef
    revised: FrameworkRef
    as_at: dt.date
    settings_assessed: int
    settings: tuple[SettingImpact, ...]  # only those that would change, by URN


def _statuses(assessed: SettingAssessment) -> dict[str, str]:
    found = {f.requirement: f.status.value for f in assessed.headlines()}
    found.update((rid, Status.NO_EVIDENCE.value) for rid in assessed.no_evidence)
    return found


def _flags(assessed: SettingAssessment) -> dict[str, set[str]]:
    return {f.requirement: {flag.value for flag in f.flags} for f in assessed.headlines()}


def compare(before: SettingAssessment, after: SettingAssessment) -> SettingImpact:
    """The changes between one setting's two assessments."""
    old, new = _statuses(before), _statuses(after)
    statuses = tuple(
        StatusChange(rid, old.get(rid, Status.NOT_APPLICABLE.value), new.get(rid, Status.NOT_APPLICABLE.value))
        for rid in sorted(set(old) | set(new), key=natural_key)
        if old.get(rid, Status.NOT_APPLICABLE.value) != new.get(rid, Status.NOT_APPLICABLE.value)
    )
    old_flags, new_flags = _flags(before), _flags(after)
    flags = tuple(
        FlagChange(rid, tuple(sorted(new_flags.get(rid, set()) - old_flags.get(rid, set()))),
                   tuple(sorted(old_flags.get(rid, set()) - new_flags.get(rid, set()))))
        for rid in sorted(set(old_flags) | set(new_flags), key=natural_key)
        if old_flags.get(rid, set()) != new_flags.get(rid, set())
    )
    old_lens = {e.recommendation: e.state.value for e in before.lens}
    new_lens = {e.recommendation: e.state.value for e in after.lens}
    lens = tuple(
        LensChange(rid, old_lens.get(rid, ABSENT), new_lens.get(rid, ABSENT))
        for rid in sorted(set(old_lens) | set(new_lens), key=natural_key)
        if old_lens.get(rid, ABSENT) != new_lens.get(rid, ABSENT)
    )
    return SettingImpact(before.setting.urn, before.setting.name, before.rating.value, after.rating.value,
                         statuses, flags, lens)


def impact(base: Framework, revised: Framework, evidence: EvidenceSet, as_at: dt.date) -> Impact:
    """Assess ``evidence`` under both frameworks as at ``as_at`` and keep the settings that would change."""
    before = {s.setting.urn: s for s in assess(build_graph(base), evidence, as_at).settings}
    after = {s.setting.urn: s for s in assess(build_graph(revised), evidence, as_at).settings}
    changed = []
    for urn in sorted(before):
        result = compare(before[urn], after[urn])
        if result.statuses or result.flags or result.lens or result.rating_before != result.rating_after:
            changed.append(result)
    return Impact(FrameworkRef(base.id, base.version), FrameworkRef(revised.id, revised.version), as_at,
                  len(before), tuple(changed))


def to_json(result: Impact) -> str:
    return json.dumps(converter.unstructure(result), indent=2, ensure_ascii=False) + "\n"


def to_text(result: Impact, refs: dict[str, str] | None = None) -> str:
    """A policy officer's reading: per setting, what would change and how."""
    refs = refs or {}

    def name(rid: str) -> str:
        ref = refs.get(rid)
        return f"{rid} ({ref})" if ref and ref != rid else rid

    lines = [
        f"Impact of {result.revised.id} {result.revised.version} against {result.base.id} {result.base.version}, "
        f"as at {result.as_at.isoformat()}",
        f"{result.settings_assessed} settings assessed; {len(result.settings)} would change.",
    ]
    for setting in result.settings:
        lines.append("")
        lines.append(f"{setting.urn}  {setting.name}".rstrip())
        if setting.rating_before != setting.rating_after:
            lines.append(f"  rating: {setting.rating_before} -> {setting.rating_after}")
        else:
            lines.append(f"  rating: {setting.rating_after} (unchanged)")
        for change in setting.lens:
            lines.append(f"  lens {name(change.recommendation)}: {change.before} -> {change.after}")
        for status in setting.statuses:
            lines.append(f"  {name(status.requirement)}: {status.before} -> {status.after}")
        for flags in setting.flags:
            moved = [f"+{f}" for f in flags.gained] + [f"-{f}" for f in flags.lost]
            lines.append(f"  flags on {name(flags.requirement)}: {' '.join(moved)}")
    return "\n".join(lines) + "\n"
