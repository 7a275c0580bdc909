"""Step definitions: the words a feature may use, each parsed into typed values.

A scenario builds a small situation (a framework, some settings, children and
evidence), produces the gap report as at a date, and says what it must show.
Dates in evidence that depend on the report date ("in the last six months")
are made when the report is produced, so a scenario reads the same whatever
its date. Every step's docstring is its entry in the glossary
(:func:`regframe.bdd.glossary`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from pytest_bdd import given, parsers, then, when

from regframe.assess import assess
from regframe.assess.results import Assessment, Flag, LensState, Rating, SettingAssessment, Status
from regframe.evidence.model import (
    Action,
    ActionKind,
    EvidenceItem,
    EvidenceSet,
    Metric,
    MetricValue,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Placement,
    Setting,
    Source,
)
from regframe.framework.cadence import add_months
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import Framework, Level, Regulator, Requirement, RequirementKind, SettingKind

#: The environment variable (and pytest option ``--regframe-framework``) naming the framework under test.
FRAMEWORK_ENV = "REGFRAME_FRAMEWORK"

#: (keyword, pattern, docstring) for every step, in definition order: the glossary.
GLOSSARY: list[tuple[str, str, str]] = []

#: Kinds that never give a recommendation force (as in :mod:`regframe.revisions.diff`): they measure or record.
NOT_FORCE = frozenset({RequirementKind.INDICATOR, RequirementKind.RECOMMENDATION, RequirementKind.FINDING})
#: The residential setting kinds Ofsted registers: where a disabled child can be placed to live.
RESIDENTIAL = frozenset({SettingKind.CHILDRENS_HOME, SettingKind.SECURE_CHILDRENS_HOME,
                         SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, SettingKind.RSS_CHILDRENS_HOME})


# ---------------------------------------------------------------------------- typed values


def _typed(pattern: str) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    def decorate(function: Callable[[str], Any]) -> Callable[[str], Any]:
        function.pattern = pattern  # type: ignore[attr-defined]
        return function

    return decorate


@_typed(r"\d{4}-\d{2}-\d{2}")
def to_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@_typed(r"\d+")
def to_count(text: str) -> int:
    return int(text)


@_typed(r"\d+(?:\.\d+)?")
def to_number(text: str) -> float:
    return float(text)


@_typed(r"\d+(?:\.\d+)?%")
def to_percent(text: str) -> float:
    return float(text.rstrip("%")) / 100


_KINDS = {
    "children's home": SettingKind.CHILDRENS_HOME,
    "secure children's home": SettingKind.SECURE_CHILDRENS_HOME,
    "residential special school registered as a children's home": SettingKind.RSS_CHILDRENS_HOME,
    "residential special school": SettingKind.RESIDENTIAL_SPECIAL_SCHOOL,
    "CQC-registered health provision": SettingKind.CQC_HEALTH_PROVISION,
}


@_typed("|".join(re.escape(k) for k in sorted(_KINDS, key=len, reverse=True)))
def to_setting_kind(text: str) -> SettingKind:
    return _KINDS[text]


@_typed("|".join(s.value for s in Status))
def to_status(text: str) -> Status:
    return Status(text)


@_typed("|".join(f.value for f in Flag))
def to_flag(text: str) -> Flag:
    return Flag(text)


@_typed("|".join(s.value for s in LensState))
def to_lens(text: str) -> LensState:
    return LensState(text)


@_typed("|".join(r.value for r in Rating))
def to_rating(text: str) -> Rating:
    return Rating(text)


@_typed(r"red|amber|not raised")
def to_level(text: str) -> str | None:
    return None if text == "not raised" else text


@_typed(r"[RS][1-9](?:\([ab]\))?")
def to_recommendation(text: str) -> str:
    """``R1`` is ``csprp2023.r1``, ``R9(b)`` is ``csprp2023.r9.b``, ``S5`` is ``csprp2023.s5``."""
    match = re.fullmatch(r"([RS])([1-9])(?:\(([ab])\))?", text)
    assert match is not None
    letter, number, part = match.groups()
    return f"csprp2023.{letter.lower()}{number}" + (f".{part}" if part else "")


_OUTCOMES = {
    "met": Outcome(OutcomeKind.MET),
    "not met": Outcome(OutcomeKind.NOT_MET),
    "partly met": Outcome(OutcomeKind.PARTLY_MET),
    "a concern": Outcome(OutcomeKind.CONCERN),
    **{grade.value.replace("-", " "): Outcome(OutcomeKind.GRADE, grade=grade) for grade in OfstedGrade},
    **{f"score {n}": Outcome(OutcomeKind.SCORE, score=n) for n in range(1, 5)},
}


@_typed("|".join(re.escape(k) for k in sorted(_OUTCOMES, key=len, reverse=True)))
def to_outcome(text: str) -> Outcome:
    return _OUTCOMES[text]


_SOURCES = {
    "Ofsted": Source.OFSTED, "CQC": Source.CQC, "the provider": Source.PROVIDER,
    "the placing authority": Source.PLACING_LA, "the host authority": Source.HOST_LA,
    "the independent person": Source.INDEPENDENT_PERSON, "an advocate": Source.ADVOCATE,
    "a whistleblower": Source.WHISTLEBLOWER,
}


@_typed("|".join(re.escape(k) for k in _SOURCES))
def to_source(text: str) -> Source:
    return _SOURCES[text]


_REGULATORS = {
    "Ofsted": Regulator.OFSTED, "CQC": Regulator.CQC, "the placing authority": Regulator.PLACING_LA,
    "the host authority": Regulator.HOST_LA, "the ICB": Regulator.ICB, "the provider": Regulator.PROVIDER,
    "government": Regulator.GOVERNMENT,
}


@_typed("|".join(re.escape(k) for k in _REGULATORS))
def to_regulator(text: str) -> Regulator:
    return _REGULATORS[text]


@_typed(r"\d+(?:\.\d+)?(?:, \d+(?:\.\d+)?)*")
def to_numbers(text: str) -> list[float]:
    return [float(part) for part in text.split(", ")]


TYPES: dict[str, Callable[[str], Any]] = {
    "Date": to_date, "Count": to_count, "Number": to_number, "Percent": to_percent, "SettingKind": to_setting_kind,
    "Status": to_status, "Flag": to_flag, "Lens": to_lens, "Rating": to_rating, "Level": to_level,
    "Rec": to_recommendation, "Outcome": to_outcome, "Source": to_source, "Regulator": to_regulator,
    "Numbers": to_numbers,
}


def _step(keyword: str, pattern: str, target_fixture: str | None = None) -> Callable[[Callable], Callable]:
    """Define a step with typed values (``{day:Date}``) and put it in the glossary."""
    decorator = {"given": given, "when": when, "then": then}[keyword]

    def register(function: Callable) -> Callable:
        GLOSSARY.append((keyword.capitalize(), pattern, inspect.getdoc(function) or ""))
        parser = parsers.cfparse(pattern, extra_types=TYPES)
        return decorator(parser, target_fixture=target_fixture, stacklevel=2)(function)

    return register


# ---------------------------------------------------------------------------- the world a scenario builds


@attrs.define
class World:
    """What one scenario has said so far: a framework, settings, evidence, and the report once produced."""

    framework: Framework | None = None
    graph: RequirementGraph | None = None
    evidence: EvidenceSet = attrs.field(factory=EvidenceSet)
    here: str | None = None
    later: list[Callable[[dt.date], None]] = attrs.field(factory=list)
    report: Assessment | None = None
    as_at: dt.date | None = None
    counter: int = 0
    children: dict[str, int] = attrs.field(factory=dict)

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter:03d}"

    def use(self, framework: Framework) -> None:
        self.framework, self.graph = framework, _graph(framework)

    def require_graph(self) -> RequirementGraph:
        if self.graph is None:
            raise AssertionError("no framework yet: start with 'Given the framework under test' or similar")
        return self.graph

    def setting(self, urn: str | None = None) -> Setting:
        urn = urn or self.here
        if urn is None or urn not in self.evidence.settings:
            raise AssertionError(f"no setting {urn!r} has been described")
        return self.evidence.settings[urn]

    def assessed(self, urn: str) -> SettingAssessment:
        if self.report is None:
            raise AssertionError("the gap report has not been produced: add 'When the gap report is produced as at ...'")
        for assessed in self.report.settings:
            if assessed.setting.urn == urn:
                return assessed
        raise AssertionError(f"the gap report has no setting {urn!r}")


_FRAMEWORKS: dict[tuple[str, float], Framework] = {}
_GRAPHS: dict[int, tuple[Framework, RequirementGraph]] = {}


def load_any_framework(path: str | Path | None) -> Framework:
    """A framework manifest or a revision file (applied to its base); None is the shipped framework."""
    from regframe.core.resources import default_framework_path
    from regframe.revisions.revision import load_framework_or_revision

    resolved = Path(path).resolve() if path is not None else default_framework_path()
    key = (str(resolved), resolved.stat().st_mtime if resolved.exists() else 0.0)
    cached = _FRAMEWORKS.get(key)
    if cached is None:
        cached = _FRAMEWORKS[key] = load_framework_or_revision(resolved)
    return cached


def _graph(framework: Framework) -> RequirementGraph:
    found = _GRAPHS.get(id(framework))
    if found is None or found[0] is not framework:
        found = (framework, build_graph(framework))
        _GRAPHS[id(framework)] = found
    return found[1]


def revision_path(name: str) -> Path:
    """A revision named in a feature: a path that exists, else a file in the shipped ``standards/revisions``."""
    from regframe.core.resources import standards_dir

    given_path = Path(name)
    if given_path.is_file():
        return given_path
    shipped = standards_dir() / "revisions" / name
    if shipped.is_file():
        return shipped
    raise AssertionError(f"no revision {name!r} (looked in the current folder and in {shipped.parent})")


def framework_under_test(config: pytest.Config | None) -> str | None:
    """The framework ``regframe verify`` (or ``--regframe-framework``) names; None for the shipped one."""
    chosen = config.getoption("regframe_framework", default=None) if config is not None else None
    return chosen or os.environ.get(FRAMEWORK_ENV) or None


@pytest.fixture
def regframe_world() -> World:
    """A fresh, empty situation for each scenario."""
    return World()


def _requirement(world: World, ref: str) -> Requirement:
    graph = world.require_graph()
    if ref in graph and "requirement" in graph.graph.nodes[ref]:
        return graph.requirement(ref)
    found = graph.find_by_ref(ref)
    if found is None:
        raise AssertionError(f"the framework has no requirement {ref!r} (give its stable id or its reference)")
    return found


def _indicator(world: World, name: str) -> Requirement:
    graph = world.require_graph()
    for candidate in (name, f"ind.{name.replace(' ', '-')}", f"regframe indicator: {name}"):
        if candidate in graph and "requirement" in graph.graph.nodes[candidate]:
            return graph.requirement(candidate)
        found = graph.find_by_ref(candidate)
        if found is not None:
            return found
    raise AssertionError(f"the framework has no indicator {name!r}")


def _recommendation(world: World, rid: str) -> Requirement:
    graph = world.require_graph()
    if rid not in graph:
        raise AssertionError(f"the framework has no recommendation {rid}")
    return graph.requirement(rid)


def _force(graph: RequirementGraph, rid: str, day: dt.date) -> list[Requirement]:
    """Requirements in force on ``day`` that give a recommendation (or its parts) force."""
    return [r for r in graph.addressed_by(rid) if r.kind not in NOT_FORCE and r.in_force(day)]


# ---------------------------------------------------------------------------- Given: the framework


@_step("given", "the framework under test")
def _(regframe_world: World, request: pytest.FixtureRequest) -> None:
    """The framework being verified: the shipped one, or the one ``regframe verify --framework/--revision`` names."""
    regframe_world.use(load_any_framework(framework_under_test(request.config)))


@_step("given", "the shipped framework")
def _(regframe_world: World) -> None:
    """The framework regframe ships (standards/framework.xml), whatever framework is under test."""
    regframe_world.use(load_any_framework(None))


@_step("given", 'the framework revised by "{name}"')
def _(regframe_world: World, name: str) -> None:
    """The shipped framework with a revision applied (a file in standards/revisions, or a path)."""
    regframe_world.use(load_any_framework(revision_path(name)))


# ---------------------------------------------------------------------------- Given: settings and children


def _add_setting(world: World, setting: Setting) -> None:
    world.evidence.add_setting(setting)
    world.here = setting.urn


@_step("given", 'a dual-registered residential special school "{urn}"')
def _(regframe_world: World, urn: str) -> None:
    """A residential special school registered as a children's home with Ofsted and also with CQC, as the
    Hesley settings were; it has 12 places."""
    _add_setting(regframe_world, Setting(urn, SettingKind.RSS_CHILDRENS_HOME, urn, cqc_location_id=f"1-{urn}", places=12))


@_step("given", 'a {kind:SettingKind} "{urn}"')
def _(regframe_world: World, kind: SettingKind, urn: str) -> None:
    """A setting of one kind (children's home, secure children's home, residential special school, residential
    special school registered as a children's home, CQC-registered health provision), registered with Ofsted only
    (CQC only for health provision); it has 12 places."""
    cqc = f"1-{urn}" if kind is SettingKind.CQC_HEALTH_PROVISION else None
    _add_setting(regframe_world, Setting(urn, kind, urn, cqc_location_id=cqc, places=12))


@_step("given", 'a {kind:SettingKind} "{urn}" also registered with CQC')
def _(regframe_world: World, kind: SettingKind, urn: str) -> None:
    """A setting registered with Ofsted and with CQC (dual-registered); it has 12 places."""
    _add_setting(regframe_world, Setting(urn, kind, urn, cqc_location_id=f"1-{urn}", places=12))


@_step("given", "it has {places:Count} places")
def _(regframe_world: World, places: int) -> None:
    """The number of places at the setting last named."""
    regframe_world.evidence.settings[regframe_world.setting().urn] = attrs.evolve(regframe_world.setting(), places=places)


def _children(world: World, count: int, weeks: int, miles: int, advocate: bool, last_visit: dt.date | None = None) -> None:
    urn = world.setting().urn
    first = world.children.get(urn, 0)
    world.children[urn] = first + count

    def place(as_at: dt.date) -> None:
        start = add_months(as_at, -6)
        for n in range(first, first + count):
            child = f"{urn}-child-{n + 1}"
            world.evidence.add_placement(Placement(child, urn, "900", start, weeks_per_year=weeks,
                                                   distance_miles=float(miles), looked_after=True))
            recent = as_at - dt.timedelta(days=14)
            for kind in ("ek.statutory-visit", "ek.iro-review"):
                _item(world, urn, Source.PLACING_LA, kind, recent, Outcome(OutcomeKind.RECORDED), child=child)
            _item(world, urn, Source.PLACING_LA, "ek.placement-notification", start, Outcome(OutcomeKind.RECORDED),
                  child=child)
            if advocate:
                _item(world, urn, Source.ADVOCATE, "ek.advocacy-visit", last_visit or recent, Outcome(OutcomeKind.RECORDED),
                      child=child)
            else:  # as the LA oversight return records "advocate assigned: No"
                _item(world, urn, Source.PLACING_LA, "ek.advocacy-visit", as_at, Outcome(OutcomeKind.NOT_MET), child=child,
                      summary="no advocate assigned")

    world.later.append(place)


def _item(world: World, urn: str, source: Source, kind: str, observed: dt.date, outcome: Outcome | None,
          references: tuple[str, ...] = (), child: str | None = None, occurred: dt.date | None = None,
          action: Action | None = None, summary: str = "") -> None:
    world.evidence.add_item(EvidenceItem(
        id=world.next_id("bdd"), setting=urn, source=source, kind=kind, observed=observed,
        independence=source.default_independence, child=child, occurred=occurred, references=references,
        outcome=outcome, action=action, summary=summary,
    ))


@_step("given", "a child placed there for {weeks:Count} weeks a year, {miles:Count} miles from home, with no advocate")
def _(regframe_world: World, weeks: int, miles: int) -> None:
    """A looked-after child placed six months before the report date, whose placing authority says no advocate is
    assigned (recorded as advocacy not met on the report date). Statutory visits, reviews and the host-authority
    notification are in time, so only advocacy is in question."""
    _children(regframe_world, 1, weeks, miles, advocate=False)


@_step("given", "a child placed there for {weeks:Count} weeks a year, {miles:Count} miles from home, with an advocate")
def _(regframe_world: World, weeks: int, miles: int) -> None:
    """As above, but an independent advocate visited the child two weeks before the report date."""
    _children(regframe_world, 1, weeks, miles, advocate=True)


@_step("given", "a child placed there for {weeks:Count} weeks a year, {miles:Count} miles from home, "
                "whose advocate last visited on {day:Date}")
def _(regframe_world: World, weeks: int, miles: int, day: dt.date) -> None:
    """As above, with the advocate's last visit on a given date."""
    _children(regframe_world, 1, weeks, miles, advocate=True, last_visit=day)


@_step("given", "{count:Count} children placed there for {weeks:Count} weeks a year, {miles:Count} miles from home, "
                "with no advocate")
def _(regframe_world: World, count: int, weeks: int, miles: int) -> None:
    """Several children placed as in 'a child placed there ... with no advocate'."""
    _children(regframe_world, count, weeks, miles, advocate=False)


@_step("given", "{count:Count} children placed there for {weeks:Count} weeks a year, {miles:Count} miles from home, "
                "with an advocate")
def _(regframe_world: World, count: int, weeks: int, miles: int) -> None:
    """Several children placed as in 'a child placed there ... with an advocate'."""
    _children(regframe_world, count, weeks, miles, advocate=True)


# ---------------------------------------------------------------------------- Given: evidence


_KIND_BY_SOURCE = {
    Source.OFSTED: "ek.ofsted-judgement", Source.PROVIDER: "ek.provider-self-assessment",
    Source.PLACING_LA: "ek.la-oversight-return", Source.HOST_LA: "ek.la-oversight-return",
    Source.INDEPENDENT_PERSON: "ek.reg44-report", Source.ADVOCATE: "ek.advocacy-visit",
    Source.WHISTLEBLOWER: "ek.whistleblowing",
}


def _finding(world: World, source: Source, ref: str, outcome: Outcome, day: dt.date) -> None:
    requirement = _requirement(world, ref)
    kind = _KIND_BY_SOURCE.get(source)
    if source is Source.CQC:
        kind = "ek.cqc-score" if outcome.kind is OutcomeKind.SCORE else "ek.cqc-breach"
    _item(world, world.setting().urn, source, kind or "ek.provider-self-assessment", day, outcome,
          references=(requirement.id,))


@_step("given", '{source:Source} found "{ref}" {outcome:Outcome} on {day:Date}')
def _(regframe_world: World, source: Source, ref: str, outcome: Outcome, day: dt.date) -> None:
    """A finding about one requirement at the setting last named, by Ofsted, CQC, the provider, the placing or host
    authority, the independent person, an advocate or a whistleblower. Outcomes: met, not met, partly met,
    a concern, an Ofsted grade (good, outstanding, requires improvement, inadequate) or a CQC score 1-4."""
    _finding(regframe_world, source, ref, outcome, day)


@_step("given", 'the provider reported "{ref}" {outcome:Outcome} on {day:Date}')
def _(regframe_world: World, ref: str, outcome: Outcome, day: dt.date) -> None:
    """The provider's own word about one requirement (a self-assessment): never independent evidence."""
    _finding(regframe_world, Source.PROVIDER, ref, outcome, day)


@_step("given", 'Ofsted set a requirement on "{ref}" on {day:Date}, due {due:Date}, still open')
def _(regframe_world: World, ref: str, day: dt.date, due: dt.date) -> None:
    """An Ofsted requirement (action) citing a requirement, not yet closed."""
    requirement = _requirement(regframe_world, ref)
    _item(regframe_world, regframe_world.setting().urn, Source.OFSTED, "ek.ofsted-action", day,
          Outcome(OutcomeKind.NOT_MET), references=(requirement.id,),
          action=Action(ActionKind.OFSTED_REQUIREMENT, due=due))


def _month(as_at: dt.date, back: int) -> dt.date:
    return add_months(as_at.replace(day=1), -back)


def _monthly(world: World, metric: Metric, values: list[float]) -> None:
    """Figures for the months before the report's month, oldest first, ending with the month before it."""
    urn = world.setting().urn

    def add(as_at: dt.date) -> None:
        for back, value in zip(range(len(values), 0, -1), values, strict=False):
            world.evidence.add_metric(MetricValue(urn, _month(as_at, back), metric, value))

    world.later.append(add)


@_step("given", "restraint incidents there in each of the last {months:Count} months, oldest first, were {values:Numbers}")
def _(regframe_world: World, months: int, values: list[float]) -> None:
    """Monthly restraint counts for the months before the report's month (the month of the report is never used)."""
    assert len(values) == months, f"{months} months named but {len(values)} figures given"
    _monthly(regframe_world, Metric.RESTRAINT_INCIDENTS, values)


@_step("given", "{count:Count} children were resident there in each of the last {months:Count} months")
def _(regframe_world: World, count: int, months: int) -> None:
    """Monthly children-resident figures, the divisor of the restraint rate."""
    _monthly(regframe_world, Metric.CHILDREN_RESIDENT, [float(count)] * months)


@_step("given", "a restraint rate there of {rate:Number} restraints per child a month over the last 3 months")
def _(regframe_world: World, rate: float) -> None:
    """Ten children resident in each of the last three months and restraints at exactly this rate per child-month."""
    _monthly(regframe_world, Metric.CHILDREN_RESIDENT, [10.0] * 3)
    _monthly(regframe_world, Metric.RESTRAINT_INCIDENTS, [rate * 10] * 3)


@_step("given", "{count:Count} allegations against staff there were referred to the LADO in the last {months:Count} months")
def _(regframe_world: World, count: int, months: int) -> None:
    """LADO referrals spread over the months before the report, each made the working day after the allegation."""
    urn = regframe_world.setting().urn

    def add(as_at: dt.date) -> None:
        for n in range(count):
            referred = as_at - dt.timedelta(days=1 + (n * 28 * months) // max(count, 1))
            while referred.weekday() >= 5:
                referred -= dt.timedelta(days=1)
            occurred = referred - dt.timedelta(days=1 if referred.weekday() > 0 else 3)
            _item(regframe_world, urn, Source.LADO, "ek.lado-referral", referred, Outcome(OutcomeKind.RECORDED),
                  occurred=occurred, summary="allegation against a member of staff")

    regframe_world.later.append(add)


# ---------------------------------------------------------------------------- When


@_step("when", "the gap report is produced as at {day:Date}")
def _(regframe_world: World, day: dt.date) -> None:
    """Assess every setting described against the framework, as at a date."""
    world = regframe_world
    graph = world.require_graph()
    for make in world.later:
        make(day)
    world.later.clear()
    world.as_at = day
    world.report = assess(graph, world.evidence, day)


# ---------------------------------------------------------------------------- Then: one setting


def _status_at(world: World, ref: str, urn: str) -> tuple[Status, str]:
    requirement = _requirement(world, ref)
    assessed = world.assessed(urn)
    for finding in assessed.findings:
        if finding.requirement == requirement.id:
            why = "; ".join(r.message for r in finding.reasons)
            return finding.status, why
    if requirement.id in assessed.no_evidence:
        return Status.NO_EVIDENCE, "no evidence at all"
    return Status.NOT_APPLICABLE, "not in force on the report date, or not for this setting"


@_step("then", '"{ref}" is {status:Status} at "{urn}"')
def _(regframe_world: World, ref: str, status: Status, urn: str) -> None:
    """The status of one requirement (stable id or reference) at one setting: not_applicable, not_met, overdue,
    uncorroborated, stale, no_evidence or met."""
    found, why = _status_at(regframe_world, ref, urn)
    assert found is status, f"{ref} at {urn} is {found.value}, not {status.value} ({why})"


def _flags(world: World, ref: str, urn: str) -> tuple[Flag, ...]:
    requirement = _requirement(world, ref)
    for finding in world.assessed(urn).findings:
        if finding.requirement == requirement.id:
            return finding.flags
    return ()


@_step("then", '"{ref}" is flagged {flag:Flag} at "{urn}"')
def _(regframe_world: World, ref: str, flag: Flag, urn: str) -> None:
    """A flag on one requirement at one setting: regulators_disagree, provider_contradicted, single_regulator,
    suspect_mapping."""
    flags = _flags(regframe_world, ref, urn)
    assert flag in flags, f"{ref} at {urn} is not flagged {flag.value} (flags: {', '.join(f.value for f in flags) or 'none'})"


@_step("then", '"{ref}" is not flagged {flag:Flag} at "{urn}"')
def _(regframe_world: World, ref: str, flag: Flag, urn: str) -> None:
    """The flag is absent."""
    flags = _flags(regframe_world, ref, urn)
    assert flag not in flags, f"{ref} at {urn} is flagged {flag.value}"


def _lens(world: World, rid: str, urn: str):
    for entry in world.assessed(urn).lens:
        if entry.recommendation == rid:
            return entry
    raise AssertionError(f"{rid} is not on the recommendation lens (not in force on the report date?)")


@_step("then", 'recommendation {rec:Rec} is {state:Lens} at "{urn}"')
def _(regframe_world: World, rec: str, state: LensState, urn: str) -> None:
    """How a setting stands on the recommendation lens: failing, at_risk, ok or not_applicable."""
    entry = _lens(regframe_world, rec, urn)
    assert entry.state is state, (
        f"{rec} at {urn} is {entry.state.value}, not {state.value} (failing: {', '.join(entry.failing) or 'none'}; "
        f"at risk: {', '.join(entry.at_risk) or 'none'}; indicators: {', '.join(entry.indicators) or 'none'})")


@_step("then", 'the "{name}" indicator is {level:Level} at "{urn}"')
def _(regframe_world: World, name: str, level: str | None, urn: str) -> None:
    """A risk indicator's level at a setting: red, amber, or not raised."""
    indicator = _indicator(regframe_world, name)
    results = [r for r in regframe_world.assessed(urn).indicators if r.indicator == indicator.id]
    assert results, f"{indicator.id} was not evaluated at {urn}"
    levels = {r.level for r in results}
    worst = "red" if Level.RED in levels else "amber" if Level.AMBER in levels else None
    basis = "; ".join(r.basis for r in results)
    assert worst == level, f"{indicator.id} at {urn} is {worst or 'not raised'}, not {level or 'not raised'} ({basis})"


@_step("then", '"{urn}" is rated {rating:Rating}')
def _(regframe_world: World, urn: str, rating: Rating) -> None:
    """The setting's overall rating: red, amber or green."""
    assessed = regframe_world.assessed(urn)
    assert assessed.rating is rating, f"{urn} is rated {assessed.rating.value}, not {rating.value}: {assessed.rating_reasons}"


def _host_flag(world: World, urn: str) -> tuple[bool, str]:
    entry = _lens(world, "csprp2023.r8", urn)
    red = [r.indicator for r in world.assessed(urn).indicators if r.level is Level.RED and r.indicator in entry.indicators]
    return entry.state is LensState.FAILING and bool(red), (
        f"R8 is {entry.state.value}; red indicators R8 relies on: {', '.join(sorted(set(red))) or 'none'}")


@_step("then", '"{urn}" is flagged for its host authority')
def _(regframe_world: World, urn: str) -> None:
    """R8 (host-authority oversight) is failing at the setting on at least one red indicator: the host authority
    should look now."""
    flagged, why = _host_flag(regframe_world, urn)
    assert flagged, f"{urn} is not flagged for its host authority: {why}"


@_step("then", '"{urn}" is not flagged for its host authority')
def _(regframe_world: World, urn: str) -> None:
    """No red indicator puts R8 failing at the setting."""
    flagged, why = _host_flag(regframe_world, urn)
    assert not flagged, f"{urn} is flagged for its host authority: {why}"


# ---------------------------------------------------------------------------- Then: the framework itself


@_step("then", "recommendation {rec:Rec} is addressed by requirements in force on {day:Date}")
def _(regframe_world: World, rec: str, day: dt.date) -> None:
    """Some requirement in force on the date (not an indicator, finding or another recommendation) gives the
    recommendation, or one of its parts, force through an 'addresses' link."""
    graph = regframe_world.require_graph()
    _recommendation(regframe_world, rec)
    assert _force(graph, rec, day), f"nothing in force on {day} gives {rec} force"


@_step("then", 'recommendation {rec:Rec} is addressed on {day:Date} by "{ref}"')
def _(regframe_world: World, rec: str, day: dt.date, ref: str) -> None:
    """One named requirement in force on the date gives the recommendation force."""
    requirement = _requirement(regframe_world, ref)
    force = {r.id for r in _force(regframe_world.require_graph(), rec, day)}
    assert requirement.id in force, (
        f"{requirement.id} does not give {rec} force on {day} (what does: {', '.join(sorted(force)) or 'nothing'})")


@_step("then", "recommendation {rec:Rec} is addressed on {day:Date} by a requirement held by {who:Regulator}")
def _(regframe_world: World, rec: str, day: dt.date, who: Regulator) -> None:
    """A requirement in force giving the recommendation force is held by (inspected by, or owed by) this body."""
    force = _force(regframe_world.require_graph(), rec, day)
    assert any(who in r.regulators for r in force), f"nothing in force on {day} held by {who.value} gives {rec} force"


def _added_by(path: Path) -> frozenset[str]:
    """The ids of the requirements a revision file adds (its ``<add>`` changes)."""
    from regframe.revisions.revision import Add, read_revision

    revision, _ = read_revision(path)
    changes = revision.changes if revision is not None else ()
    return frozenset(change.requirement.id for change in changes if isinstance(change, Add))


def _addressed_or_proposed(world: World, rec: str, day: dt.date, proposals: str) -> str | None:
    """None if addressed in force or by the proposal revision, else why not."""
    graph = world.require_graph()
    if _force(graph, rec, day):
        return None
    proposed = _graph(load_any_framework(revision_path(proposals)))
    # What the revision itself adds, whether or not the framework under test already carries it (``verify
    # --revision`` of the proposals runs against them: they are there, but not in force on the date).
    added = _added_by(revision_path(proposals))
    if rec in proposed and any(r.id in added and r.kind not in NOT_FORCE for r in proposed.addressed_by(rec)):
        return None
    return f"{rec}: nothing in force on {day} gives it force, and {proposals} proposes nothing for it"


@_step("then", 'recommendation {rec:Rec} is addressed on {day:Date} by a requirement in force or by a proposal in "{proposals}"')
def _(regframe_world: World, rec: str, day: dt.date, proposals: str) -> None:
    """Either something in force gives the recommendation force, or the named revision proposes a requirement
    that would (the honest state of a recommendation the law does not yet answer)."""
    problem = _addressed_or_proposed(regframe_world, rec, day, proposals)
    assert problem is None, problem


@_step("then", 'every recommendation is addressed on {day:Date} by a requirement in force or by a proposal in "{proposals}"')
def _(regframe_world: World, day: dt.date, proposals: str) -> None:
    """The same, for every recommendation in force on the date (R9's parts each on their own)."""
    graph = regframe_world.require_graph()
    recommendations = sorted(r.id for r in graph.requirements(kind=RequirementKind.RECOMMENDATION) if r.in_force(day))
    problems = [p for rid in recommendations if (p := _addressed_or_proposed(regframe_world, rid, day, proposals))]
    assert not problems, "\n".join(problems)


@_step("then", 'recommendation {rec:Rec} relies on the "{name}" indicator')
def _(regframe_world: World, rec: str, name: str) -> None:
    """The recommendation looks to a risk indicator (an 'addresses' link to it)."""
    indicator = _indicator(regframe_world, name)
    linked = {r.id for r in regframe_world.require_graph().addressed_by(rec)}
    assert indicator.id in linked, f"{rec} does not rely on {indicator.id}"


@_step("then", "the indicators recommendation {rec:Rec} relies on have amber and red thresholds in force on {day:Date}")
def _(regframe_world: World, rec: str, day: dt.date) -> None:
    """Every indicator the recommendation looks to has both an amber and a red threshold in force on the date, and
    it looks to at least one."""
    graph = regframe_world.require_graph()
    indicators = [r for r in graph.addressed_by(rec) if r.kind is RequirementKind.INDICATOR and r.in_force(day)]
    assert indicators, f"{rec} relies on no indicator in force on {day}"
    missing = []
    for indicator in indicators:
        levels = {t.level.value for t in indicator.thresholds if t.in_force(day)}
        if not {"amber", "red"} <= levels:
            missing.append(f"{indicator.id} has {', '.join(sorted(levels)) or 'no'} thresholds")
    assert not missing, "; ".join(missing)


@_step("then", '"{ref}" is in force on {day:Date}')
def _(regframe_world: World, ref: str, day: dt.date) -> None:
    """The requirement exists and is in force on the date."""
    requirement = _requirement(regframe_world, ref)
    assert requirement.in_force(day), f"{requirement.id} is not in force on {day} ({requirement.effective})"


@_step("then", "no requirement in force on {day:Date} lacks a regulator")
def _(regframe_world: World, day: dt.date) -> None:
    """Every requirement in force names who holds it (findings excepted: they record, they oblige nobody)."""
    graph = regframe_world.require_graph()
    orphans = sorted(r.id for r in graph.requirements()
                     if r.in_force(day) and not r.regulators and r.kind is not RequirementKind.FINDING)
    assert not orphans, "in force with no regulator: " + ", ".join(orphans)


@_step("then", "every cadence in force on {day:Date} that names an evidence kind can be reached from that evidence kind")
def _(regframe_world: World, day: dt.date) -> None:
    """A time-bound duty's cadence names an evidence kind the vocabulary declares, and the requirement (or one it
    is part of) is evidenced-by that kind, so evidence of that kind reaches it."""
    graph = regframe_world.require_graph()
    declared = {k.id for k in graph.evidence_kinds()}
    problems = []
    for requirement in graph.requirements():
        cadence = requirement.cadence
        if cadence is None or not cadence.evidence_kind or not requirement.in_force(day):
            continue
        if cadence.evidence_kind not in declared:
            problems.append(f"{requirement.id}: {cadence.evidence_kind} is not in the evidence-kind vocabulary")
        elif cadence.evidence_kind not in {k.id for k in graph.evidenced_by(requirement.id)}:
            problems.append(f"{requirement.id}: its cadence needs {cadence.evidence_kind} but it is not evidenced by it")
    assert not problems, "\n".join(problems)


def _strict_advocacy(world: World, day: dt.date) -> list[Requirement]:
    graph = world.require_graph()
    return [
        r for r in _force(graph, "csprp2023.r1", day)
        if r.cadence is not None and r.cadence.evidence_kind == "ek.advocacy-visit"
        and r.cadence.anchor in ("placement-start", "looked-after-start") and RESIDENTIAL <= set(r.applies_to)
    ]


_STRICT = ("every disabled child placed in a residential setting has independent non-instructed advocacy required "
           "by a requirement in force on {day:Date} with an advocacy-visit cadence")


@_step("then", _STRICT)
def _(regframe_world: World, day: dt.date) -> None:
    """R1 in its strict sense: a requirement in force that gives R1 force, applies to every residential setting
    kind, and has a per-child cadence evidenced by advocacy visits."""
    assert _strict_advocacy(regframe_world, day), (
        f"no requirement in force on {day} giving R1 force applies to every residential setting kind with a "
        "per-child advocacy-visit cadence")


@_step("then", "not " + _STRICT)
def _(regframe_world: World, day: dt.date) -> None:
    """The strict sense of R1 is not met by the framework (the baseline's known gap)."""
    found = _strict_advocacy(regframe_world, day)
    assert not found, f"{', '.join(r.id for r in found)} already require it on {day}"
