"""The whole run: every setting assessed, sorted worst first, with provider groups and the evidence used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from regframe._version import __version__
from regframe.assess import history_signals
from regframe.assess.facts import FrameworkFacts
from regframe.assess.mapping import EvidenceMapper
from regframe.assess.provenance import FileNames
from regframe.assess.rating import provider_groups
from regframe.assess.register import assessed_until, closed_as_at
from regframe.assess.results import Assessment, ClosedSetting, EvidenceUse
from regframe.assess.setting import SettingAssessor
from regframe.core.diagnostics import Diagnostic
from regframe.evidence.history import build_histories
from regframe.evidence.model import EvidenceItem, EvidenceSet
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import Framework, SettingKind


def assess(
    framework: Framework | RequirementGraph,
    evidence: EvidenceSet,
    as_at: dt.date,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Assessment:
    """Assess every setting in ``evidence`` against ``framework`` as at ``as_at``.

    Settings appear in the result sorted worst first: by risk (red before amber
    before green), then lowest assurance first, then by risk score, then by URN
    (so output is deterministic).
    Settings that had left the register by ``as_at`` are not rated but listed
    apart (``closed``), assessed as at their closure if it fell inside the
    window (:mod:`regframe.assess.register`).
    Every input is named by its file name, never its folder
    (:mod:`regframe.assess.provenance`).
    """
    graph = framework if isinstance(framework, RequirementGraph) else build_graph(framework)
    names = FileNames.of(evidence.inputs, evidence.diagnostics)  # reports name files, never the user's folders
    framework_facts = FrameworkFacts(graph, as_at)
    mapper = EvidenceMapper(graph)
    problems: list[Diagnostic] = []

    def targets(item: EvidenceItem, kind: SettingKind) -> list:
        found, diagnostics = mapper.targets(item, kind)
        problems.extend(diagnostics)
        return found

    assessors: dict[dt.date, SettingAssessor] = {as_at: SettingAssessor(framework_facts, targets)}

    def assessor(day: dt.date) -> SettingAssessor:
        if day not in assessors:  # a setting that closed inside the window is judged as at its closure
            assessors[day] = SettingAssessor(FrameworkFacts(graph, day), targets)
        return assessors[day]

    items = evidence.items_by_setting()
    placements = evidence.placements_by_setting()
    metrics = evidence.metrics_by_setting()
    urns = sorted(evidence.settings)
    histories = build_histories(evidence)
    owner_failing = history_signals.owner_counts([evidence.settings[u] for u in urns], items, histories, as_at)
    results = []
    closed = []
    for index, urn in enumerate(urns):
        setting = names.setting(evidence.settings[urn])
        found = (items.get(urn, ()), placements.get(urn, ()), metrics.get(urn, ()), histories.get(urn),
                 owner_failing)
        if closed_as_at(setting, as_at):
            until = assessed_until(setting, as_at)
            closed.append(ClosedSetting(setting, setting.registration_status, setting.closed_on,
                                        assessor(until).assess(setting, *found) if until is not None else None))
        else:
            results.append(assessor(as_at).assess(setting, *found))
        if progress is not None:
            progress(index + 1, len(urns))
    results.sort(key=lambda s: (s.rating.rank, s.assurance.rank, -s.risk_score, s.setting.urn))

    used = {e for s in [*results, *(c.assessment for c in closed if c.assessment)] for f in s.findings for e in f.evidence}
    by_id = {i.id: i for i in evidence.items if i.id in used}
    evidence_uses = tuple(
        EvidenceUse(i.id, i.setting, i.kind, i.source.value, i.observed,
                    str(names.location(i.provenance)) if i.provenance else "")
        for i in sorted(by_id.values(), key=lambda i: (i.setting, i.observed, i.id))
    )
    orphans = sorted(set(items) - set(evidence.settings))
    notes = [names.text(note) for note in evidence.notes]
    if orphans:
        notes.append(f"{len(orphans)} setting URN(s) have evidence but no setting record and were not assessed: "
                     + ", ".join(orphans[:10]) + ("…" if len(orphans) > 10 else ""))
    diagnostics = [str(names.diagnostic(d)) for d in [*evidence.diagnostics, *_unique(problems)]]
    return Assessment(
        framework=graph.framework.id, framework_version=graph.framework.version, as_at=as_at,
        regframe_version=__version__, inputs=tuple(names.input_file(i) for i in evidence.inputs),
        settings=tuple(results),
        groups=provider_groups(results, owner_failing, framework_facts.provider_group_rule()), evidence=evidence_uses, notes=tuple(notes), diagnostics=tuple(diagnostics),
        closed=tuple(closed), input_errors=tuple(str(names.diagnostic(d)) for d in evidence.errors),
    )


def _unique(problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(problems))
