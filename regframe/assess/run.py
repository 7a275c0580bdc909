"""The whole run: every setting assessed, sorted worst first, with provider groups and the evidence used.

:func:`assess` runs it once. :class:`IncrementalAssessment` keeps it open: when
more evidence arrives (one LA's new monthly return), it re-judges only the
settings the new records are about and gives the assessment a full run over
the extended evidence would give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from regframe._version import __version__
from regframe.assess import history_signals
from regframe.assess.facts import FrameworkFacts
from regframe.assess.mapping import EvidenceMapper
from regframe.assess.provenance import FileNames
from regframe.assess.rating import provider_groups
from regframe.assess.register import assessed_until, closed_as_at
from regframe.assess.results import Assessment, ClosedSetting, EvidenceUse, SettingAssessment
from regframe.assess.setting import SettingAssessor
from regframe.core.collector import collector_paused
from regframe.core.diagnostics import Diagnostic
from regframe.evidence.history import SettingHistory, build_histories
from regframe.evidence.model import EvidenceIndex, EvidenceItem, EvidenceSet
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import Framework


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
    return IncrementalAssessment(framework, evidence, as_at, progress=progress).assessment


class IncrementalAssessment:
    """An assessment that takes more evidence and re-judges only the settings it is about.

    ``IncrementalAssessment(framework, evidence, as_at).assessment`` is exactly
    ``assess(framework, evidence, as_at)``. :meth:`extend` merges a further evidence set into
    ``evidence`` (in place, by :meth:`~regframe.evidence.EvidenceSet.merge`: afterwards it holds
    what a full run would read) and re-assesses only the settings whose records it adds to: its
    settings, closures, items, placements, monthly figures and Ofsted history. When that changes
    a setting's standing under the provider-group rule, the other settings of its owner are
    re-assessed too (their provider-group indicator counts it). Nothing else is read again: the
    framework's plans and the mapping's routes, the other settings' results and the evidence
    already indexed are kept. The assessment it returns equals a full :func:`assess` over the
    extended set, finding for finding (a test compares their digests).
    """

    def __init__(self, framework: Framework | RequirementGraph, evidence: EvidenceSet, as_at: dt.date, *,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.graph = framework if isinstance(framework, RequirementGraph) else build_graph(framework)
        self.evidence = evidence
        self.as_at = as_at
        self.facts = FrameworkFacts(self.graph, as_at)
        self._mapper = EvidenceMapper(self.graph)
        self._assessors: dict[dt.date, SettingAssessor] = {as_at: SettingAssessor(self.facts, self._mapper)}
        self.index = EvidenceIndex(evidence)
        self._histories: dict[str, SettingHistory] = build_histories(evidence)
        self._failing = {urn for urn in evidence.settings if self._counts_against_owner(urn)}
        self._owner_failing = self._owners_failing()
        self._results: dict[str, SettingAssessment | ClosedSetting] = {}
        self._problems: dict[str, list[Diagnostic]] = {}
        self._uses: dict[str, tuple[EvidenceUse, ...]] = {}
        #: the URNs the last :meth:`extend` re-assessed (every setting, after the first run)
        self.reassessed: tuple[str, ...] = tuple(sorted(evidence.settings))
        self._assess(self.reassessed, progress)
        #: the assessment as it stands
        self.assessment: Assessment = self._assemble()

    def extend(self, more: EvidenceSet) -> Assessment:
        """Add ``more`` to the evidence, re-judge the settings it touches, and return the assessment as it now stands."""
        owners_before = {urn: history_signals.owner_key(self.evidence.settings[urn])
                         for urn in more.settings if urn in self.evidence.settings}
        self.evidence.merge(more)
        touched = self.index.add(more)
        if more.inspections or more.registrations or more.register:
            self._rebuild_histories(touched)
        settings = self.evidence.settings
        for urn in touched:
            if urn in settings and self._counts_against_owner(urn):
                self._failing.add(urn)
            else:
                self._failing.discard(urn)
        before, self._owner_failing = self._owner_failing, self._owners_failing()
        owners = {owner for owner in before.keys() | self._owner_failing.keys()
                  if before.get(owner) != self._owner_failing.get(owner)}
        owners.update(owner for urn, owner in owners_before.items()
                      if owner != history_signals.owner_key(settings[urn]))
        again = {urn for urn in touched if urn in settings}
        if owners:
            again.update(urn for urn, setting in settings.items() if history_signals.owner_key(setting) in owners)
        self.reassessed = tuple(sorted(again))
        self._assess(self.reassessed)
        self.assessment = self._assemble()
        return self.assessment

    # ---- the settings

    def _assessor(self, day: dt.date) -> SettingAssessor:
        if day not in self._assessors:  # a setting that closed inside the window is judged as at its closure
            self._assessors[day] = SettingAssessor(FrameworkFacts(self.graph, day), self._mapper)
        return self._assessors[day]

    def _assess(self, urns: Sequence[str], progress: Callable[[int, int], None] | None = None) -> None:
        with collector_paused():
            self._assess_each(urns, progress)

    def _assess_each(self, urns: Sequence[str], progress: Callable[[int, int], None] | None) -> None:
        index, settings, as_at = self.index, self.evidence.settings, self.as_at
        names = FileNames(())  # a record's own file is named by its name alone, whatever else was read
        for number, urn in enumerate(urns):
            setting = names.setting(settings[urn])
            items = index.items.get(urn, ())
            found = (items, index.placements.get(urn, ()), index.metrics.get(urn, ()), self._histories.get(urn),
                     self._owner_failing)
            problems: list[Diagnostic] = []
            used: dict[str, EvidenceItem] = {}
            result: SettingAssessment | ClosedSetting
            if closed_as_at(setting, as_at):
                until = assessed_until(setting, as_at)
                assessed = (self._assessor(until).assess(setting, *found, problems=problems, used=used)
                            if until is not None else None)
                result = ClosedSetting(setting, setting.registration_status, setting.closed_on, assessed)
            else:
                result = self._assessor(as_at).assess(setting, *found, problems=problems, used=used)
            self._results[urn] = result
            self._problems[urn] = problems
            self._uses[urn] = _uses(used, names)
            if progress is not None:
                progress(number + 1, len(urns))

    def _counts_against_owner(self, urn: str) -> bool:
        setting = self.evidence.settings[urn]
        return bool(history_signals.owner_key(setting)) and history_signals.counts_against_owner(
            setting, self.index.items.get(urn, ()), self._histories.get(urn), self.as_at)

    def _owners_failing(self) -> dict[str, tuple[str, ...]]:
        """THE provider-group rule's count (:func:`~regframe.assess.history_signals.owner_counts`), kept per setting."""
        settings = self.evidence.settings
        return history_signals.owner_counts([settings[urn] for urn in sorted(self._failing)], self.index.items,
                                            self._histories, self.as_at)

    def _rebuild_histories(self, urns: Iterable[str]) -> None:
        """The Ofsted histories of ``urns`` again, from their records (no other setting's is read)."""
        records = EvidenceSet()
        for urn in urns:
            records.inspections.extend(self.index.inspections.get(urn, ()))
            records.registrations.extend(self.index.registrations.get(urn, ()))
            records.register.extend(self.index.register.get(urn, ()))
        for urn in urns:
            self._histories.pop(urn, None)
        self._histories.update(build_histories(records))

    # ---- the whole

    def _assemble(self) -> Assessment:
        evidence, urns = self.evidence, sorted(self.evidence.settings)
        results: list[SettingAssessment] = []
        closed: list[ClosedSetting] = []
        for urn in urns:
            result = self._results[urn]
            (closed if isinstance(result, ClosedSetting) else results).append(result)  # type: ignore[arg-type]
        results.sort(key=lambda s: (s.rating.rank, s.assurance.rank, -s.risk_score, s.setting.urn))
        uses = tuple(use for urn in urns for use in self._uses[urn])
        names = FileNames.of(evidence.inputs, evidence.diagnostics)  # reports name files, never the user's folders
        orphans = sorted(set(self.index.items) - set(evidence.settings))
        notes = [names.text(note) for note in evidence.notes]
        if orphans:
            notes.append(f"{len(orphans)} setting URN(s) have evidence but no setting record and were not assessed: "
                         + ", ".join(orphans[:10]) + ("…" if len(orphans) > 10 else ""))
        problems = dict.fromkeys(problem for urn in urns for problem in self._problems[urn])
        diagnostics = [str(names.diagnostic(d)) for d in [*evidence.diagnostics, *problems]]
        return Assessment(
            framework=self.graph.framework.id, framework_version=self.graph.framework.version, as_at=self.as_at,
            regframe_version=__version__, inputs=tuple(names.input_file(i) for i in evidence.inputs),
            settings=tuple(results),
            groups=provider_groups(results, self._owner_failing, self.facts.provider_group_rule()),
            evidence=uses, notes=tuple(notes), diagnostics=tuple(diagnostics), closed=tuple(closed),
            input_errors=tuple(str(names.diagnostic(d)) for d in evidence.errors),
        )


def _uses(used: Mapping[str, EvidenceItem], names: FileNames) -> tuple[EvidenceUse, ...]:
    """The evidence one setting's findings rest on (by id: of two items with one id, the later read), by date
    and id."""
    return tuple(
        EvidenceUse(i.id, i.setting, i.kind, i.source._value_, i.observed,
                    names.location_text(i.provenance) if i.provenance else "")
        for i in sorted(used.values(), key=lambda i: (i.observed, i.id))
    )
