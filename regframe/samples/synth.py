"""Synthetic national-scale data for the benchmark: settings, children, a year of evidence and signals.

``regframe synth --settings 3500 --children 15000 --items 1000000 -o DIR`` writes

* ``DIR/evidence.xml``: the settings, a year of monthly figures, and the evidence items
  (inspections, regulator actions, CQC scores, reg 44/45 reports, restraint records,
  LADO referrals, complaints, notifications, provider self-assessments, and each child's
  statutory visits, reviews and advocacy contacts);
* ``DIR/la-return.xlsx``: one regframe LA oversight return listing every placed child.

The mix of setting kinds follows the Ofsted register at 31 August 2023 roughly
(children's homes dominate; a few per cent are residential special schools and
dual-registered schools). Everything is generated from a seed, so a run is
repeatable; nothing is real. Items are generated lazily and streamed to disk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import attrs

from regframe.evidence.model import (
    Action,
    ActionKind,
    EvidenceItem,
    Metric,
    MetricValue,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Setting,
    Source,
)
from regframe.framework.model import Independence, SettingKind

KIND_MIX = (
    (SettingKind.CHILDRENS_HOME, 0.86),
    (SettingKind.SECURE_CHILDRENS_HOME, 0.004),
    (SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, 0.05),
    (SettingKind.RSS_CHILDRENS_HOME, 0.04),
    (SettingKind.CQC_HEALTH_PROVISION, 0.046),
)
GRADES = (OfstedGrade.OUTSTANDING, OfstedGrade.GOOD, OfstedGrade.REQUIRES_IMPROVEMENT, OfstedGrade.INADEQUATE)
GRADE_WEIGHTS = (0.18, 0.62, 0.16, 0.04)
RECORDED = Outcome(OutcomeKind.RECORDED)
MET = Outcome(OutcomeKind.MET)
NOT_MET = Outcome(OutcomeKind.NOT_MET)
_GRADE_OUTCOMES = {g: Outcome(OutcomeKind.GRADE, grade=g) for g in GRADES}
_SCORE_OUTCOMES = {s: Outcome(OutcomeKind.SCORE, score=s) for s in (1, 2, 3, 4)}
CQC_STATEMENTS = ("cqc-saf.safe.safeguarding", "cqc-saf.safe.involving-people-to-manage-risks",
                  "cqc-saf.safe.safe-and-effective-staffing", "cqc-saf.well-led.governance-management-and-sustainability",
                  "cqc-saf.responsive.listening-to-and-involving-people")
ACTION_REFS = ("Regulation 12", "Regulation 13(2)(h)", "Regulation 35(3)(a)", "Regulation 44(4)", "Regulation 32(3)(d)",
               "Regulation 7(2)(b)(iii)", "Regulation 34(2)(b)")
OWNER_GROUPS = 400


@attrs.frozen
class Plan:
    settings: int
    children: int
    items: int
    as_at: dt.date
    seed: int = 20261122


@attrs.frozen
class Child:
    id: str
    la: str
    setting: str
    start: dt.date
    weeks: int
    miles: float
    looked_after: bool
    advocate: bool


def _day(rng: random.Random, as_at: dt.date, within_days: int) -> dt.date:
    return as_at - dt.timedelta(days=rng.randrange(within_days))


def make_settings(plan: Plan, rng: random.Random) -> list[Setting]:
    kinds = [k for k, _ in KIND_MIX]
    weights = [w for _, w in KIND_MIX]
    settings = []
    for index in range(plan.settings):
        kind = rng.choices(kinds, weights)[0]
        number = 100000 + index
        urn = f"1-{number:09d}" if kind is SettingKind.CQC_HEALTH_PROVISION else (
            f"{2000000 + index}" if kind is SettingKind.RESIDENTIAL_SPECIAL_SCHOOL else f"SC{number:06d}")
        dual = kind is SettingKind.CQC_HEALTH_PROVISION or (kind is SettingKind.RSS_CHILDRENS_HOME and rng.random() < 0.3)
        settings.append(Setting(
            urn=urn, kind=kind, name=f"Synthetic setting {index + 1}", provision_type=kind.value,
            education_urn=f"{800000 + index}" if kind in (SettingKind.RSS_CHILDRENS_HOME, SettingKind.RESIDENTIAL_SPECIAL_SCHOOL) else None,
            cqc_location_id=f"1-{number:09d}" if dual else None, local_authority=f"LA {index % 152 + 1:03d}",
            sector=rng.choice(("Private", "Local Authority", "Voluntary")), places=rng.choice((2, 3, 4, 5, 6, 8, 12, 24, 40)),
            owner=f"Synthetic Group {rng.randrange(OWNER_GROUPS) + 1}", registration_status="Active",
            registered_on=plan.as_at - dt.timedelta(days=rng.randrange(365, 365 * 15)),
        ))
    return settings


def make_children(plan: Plan, settings: list[Setting], rng: random.Random) -> list[Child]:
    residential = [s for s in settings if s.kind is not SettingKind.CQC_HEALTH_PROVISION]
    children = []
    for index in range(plan.children):
        setting = rng.choice(residential)
        school = setting.kind in (SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, SettingKind.RSS_CHILDRENS_HOME)
        children.append(Child(
            id=f"X{index + 1:07d}", la=f"{800 + index % 150}", setting=setting.urn,
            start=plan.as_at - dt.timedelta(days=rng.randrange(30, 365 * 4)),
            weeks=rng.choice((38, 52)) if setting.kind is SettingKind.RESIDENTIAL_SPECIAL_SCHOOL else 52,
            miles=round(rng.expovariate(1 / (60 if school else 25)), 1),
            looked_after=rng.random() < (0.6 if school else 0.95), advocate=rng.random() < 0.55,
        ))
    return children


def make_metrics(plan: Plan, settings: list[Setting], rng: random.Random) -> Iterator[MetricValue]:
    first = plan.as_at.replace(day=1)
    months = []
    for back in range(12, 0, -1):
        index = first.month - 1 - back
        months.append(dt.date(first.year + index // 12, index % 12 + 1, 1))
    for setting in settings:
        if setting.kind is SettingKind.CQC_HEALTH_PROVISION:
            continue
        base = rng.random() * 1.5
        for offset, month in enumerate(months):
            children = max(1, (setting.places or 4) - rng.randrange(2))
            yield MetricValue(setting.urn, month, Metric.CHILDREN_RESIDENT, children)
            yield MetricValue(setting.urn, month, Metric.RESTRAINT_INCIDENTS, round(children * base * (1 + offset / 24) * rng.random() * 2))
            yield MetricValue(setting.urn, month, Metric.STAFF_VACANCIES, rng.randrange(0, 1 + (setting.places or 4) // 2))
            yield MetricValue(setting.urn, month, Metric.STAFF_LEAVERS, rng.randrange(0, 3))
            yield MetricValue(setting.urn, month, Metric.AGENCY_SHARE, round(rng.random() * 40, 1))
            yield MetricValue(setting.urn, month, Metric.LADO_REFERRALS, int(rng.random() < 0.08))


class _ItemMaker:
    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.count = 0

    def item(self, setting: str, source: Source, kind: str, observed: dt.date, outcome: Outcome | None,
             references: tuple[str, ...] = (), child: str | None = None, occurred: dt.date | None = None,
             action: Action | None = None) -> EvidenceItem:
        self.count += 1
        independence = {Source.OFSTED: Independence.REGULATOR, Source.CQC: Independence.REGULATOR,
                        Source.PROVIDER: Independence.PROVIDER}.get(source, Independence.INDEPENDENT)
        return EvidenceItem(f"S{self.count:08d}", setting, source, kind, observed, independence, child=child,
                            occurred=occurred, references=references, outcome=outcome, action=action)


def make_items(plan: Plan, settings: list[Setting], children: list[Child], rng: random.Random) -> Iterator[EvidenceItem]:
    """Exactly ``plan.items`` items: the realistic mix, cut short or topped up with restraint records."""
    maker = _ItemMaker(plan, rng)
    for item in _mix(plan, settings, children, rng, maker):
        if maker.count > plan.items:
            return
        yield item
    providers = [s for s in settings if s.kind is not SettingKind.CQC_HEALTH_PROVISION] or settings
    while maker.count < plan.items:
        setting = providers[maker.count % len(providers)]
        occurred = _day(rng, plan.as_at, 365)
        yield maker.item(setting.urn, Source.PROVIDER, "ek.restraint-record", occurred, RECORDED, occurred=occurred)


def _mix(plan: Plan, settings: list[Setting], children: list[Child], rng: random.Random,
         maker: _ItemMaker) -> Iterator[EvidenceItem]:
    """About a fifth of the items are children's visits, reviews and advocacy; the rest are setting-level."""
    as_at = plan.as_at
    per_child = max(1, min(13, plan.items // 5 // max(plan.children, 1)))
    for child in children:
        for visit in range(per_child):
            kind = ("ek.statutory-visit", "ek.statutory-visit", "ek.iro-review", "ek.advocacy-visit")[visit % 4]
            if kind == "ek.advocacy-visit" and not child.advocate:
                continue
            yield maker.item(child.setting, Source.PLACING_LA if kind != "ek.advocacy-visit" else Source.ADVOCATE,
                             kind, _day(rng, as_at, 200), RECORDED, child=child.id)
    remaining = plan.items - maker.count
    per_setting = max(1, remaining // max(len(settings), 1))
    for setting in settings:
        budget = per_setting
        if setting.kind is SettingKind.CQC_HEALTH_PROVISION:
            day = _day(rng, as_at, 500)
            for statement in CQC_STATEMENTS:
                yield maker.item(setting.urn, Source.CQC, "ek.cqc-score", day, _SCORE_OUTCOMES[rng.choice((2, 3, 3, 3, 4))], (statement,))
            budget -= len(CQC_STATEMENTS)
        else:
            framework = "sccif-rss" if setting.kind is SettingKind.RESIDENTIAL_SPECIAL_SCHOOL else "sccif-ch"
            for _inspection in range(2):
                day = _day(rng, as_at, 700)
                for judgement in ("overall", "protect", "leaders"):
                    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
                    yield maker.item(setting.urn, Source.OFSTED, "ek.ofsted-judgement", day, _GRADE_OUTCOMES[grade],
                                     (f"{framework}.{judgement}",))
                budget -= 3
            if rng.random() < 0.3:
                day = _day(rng, as_at, 300)
                yield maker.item(setting.urn, Source.OFSTED, "ek.ofsted-action", day, NOT_MET, (rng.choice(ACTION_REFS),),
                                 action=Action(ActionKind.OFSTED_REQUIREMENT, due=day + dt.timedelta(days=60),
                                               closed=rng.random() < 0.6))
                budget -= 1
            if setting.dual_registered:
                day = _day(rng, as_at, 500)
                for statement in CQC_STATEMENTS:
                    yield maker.item(setting.urn, Source.CQC, "ek.cqc-score", day, _SCORE_OUTCOMES[rng.choice((2, 3, 3, 4))], (statement,))
                budget -= len(CQC_STATEMENTS)
            if setting.kind is not SettingKind.RESIDENTIAL_SPECIAL_SCHOOL:
                stop = rng.choice((0, 0, 0, 0, 1, 2))
                for month in range(stop, 12):
                    yield maker.item(setting.urn, Source.INDEPENDENT_PERSON, "ek.reg44-report",
                                     as_at - dt.timedelta(days=30 * month + rng.randrange(5)), RECORDED)
                    budget -= 1
                for review in range(2):
                    done = as_at - dt.timedelta(days=180 * review + rng.randrange(10, 60))
                    yield maker.item(setting.urn, Source.PROVIDER, "ek.reg45-report",
                                     done + dt.timedelta(days=rng.randrange(10, 40)), MET, occurred=done)
                    budget -= 1
            for _ in range(4):
                yield maker.item(setting.urn, Source.PROVIDER, "ek.provider-self-assessment", _day(rng, as_at, 365), MET,
                                 ("Regulation 12", "Regulation 13"))
                budget -= 1
            for _ in range(rng.randrange(0, 3)):
                occurred = _day(rng, as_at, 365)
                yield maker.item(setting.urn, Source.LADO, "ek.lado-referral",
                                 occurred + dt.timedelta(days=rng.choice((0, 1, 1, 2, 5))), RECORDED, occurred=occurred)
                budget -= 1
            for kind in ("ek.complaint", "ek.reg40-notification"):
                for _ in range(rng.randrange(0, 4)):
                    yield maker.item(setting.urn, Source.COMPLAINANT if kind == "ek.complaint" else Source.PROVIDER,
                                     kind, _day(rng, as_at, 365), RECORDED)
                    budget -= 1
        # The bulk: restraint records, each with the time it was made after the incident.
        for _ in range(max(0, budget)):
            occurred = _day(rng, as_at, 365)
            yield maker.item(setting.urn, Source.PROVIDER, "ek.restraint-record",
                             occurred + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2))), RECORDED, occurred=occurred)


def write_la_return(path: Path, children: list[Child], as_at: dt.date) -> None:
    """The LA oversight return listing every child, written with openpyxl in write-only mode."""
    from openpyxl import Workbook

    from regframe.core.atomic import atomic_path
    from regframe.ingest.la_return_columns import AS_AT_LABEL, INSTRUCTIONS_SHEET, LA_CODE_LABEL, SHEETS
    from regframe.ingest.la_return_template import header_text

    children_spec = SHEETS[0]
    workbook = Workbook(write_only=True)
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for _ in range(3):
        instructions.append([])
    instructions.append([LA_CODE_LABEL, "800"])
    instructions.append([AS_AT_LABEL, as_at])
    sheet = workbook.create_sheet(children_spec.name)
    sheet.append([children_spec.title])
    sheet.append([header_text(c) for c in children_spec.columns])
    rng = random.Random(7)
    for child in children:
        values = {
            "child_id": child.id, "placing_la": child.la, "setting_urn": child.setting, "placement_start": child.start,
            "weeks_per_year": child.weeks, "distance_miles": child.miles,
            "looked_after": "Yes" if child.looked_after else "No", "legal_status": "V2" if child.looked_after else "NLA",
            "ehc_plan": "Yes", "last_sw_visit": as_at - dt.timedelta(days=rng.randrange(1, 80)),
            "last_iro_review": as_at - dt.timedelta(days=rng.randrange(1, 200)) if child.looked_after else None,
            "advocate_assigned": "Yes" if child.advocate else "No",
            "last_advocacy_contact": as_at - dt.timedelta(days=rng.randrange(1, 200)) if child.advocate else None,
            "last_family_contact": as_at - dt.timedelta(days=rng.randrange(1, 60)), "dol_authorised": "No",
            "dol_date": None,
        }
        sheet.append([values.get(c.name) for c in children_spec.columns])
    with atomic_path(path) as temporary:
        workbook.save(temporary)


def write_synthetic_evidence(path: Path, plan: Plan) -> tuple[list[Setting], list[Child], dict[str, int]]:
    """Write just the evidence XML of a plan; returns the settings and children made, and the counts written."""
    from regframe.ingest.evidence_xml_writer import write_evidence

    rng = random.Random(plan.seed)
    made_settings = make_settings(plan, rng)
    made_children = make_children(plan, made_settings, rng)
    counted = {"items": 0, "metrics": 0}

    def counting(iterator: Iterator, key: str) -> Iterator:
        for value in iterator:
            counted[key] += 1
            yield value

    write_evidence(
        path, made_settings, (),
        counting(make_items(plan, made_settings, made_children, rng), "items"),
        counting(make_metrics(plan, made_settings, rng), "metrics"),
        child_la={c.id: c.la for c in made_children}, producer="regframe synth", created=plan.as_at,
    )
    return made_settings, made_children, counted


def synthesise(folder: Path, settings: int, children: int, items: int, as_at: dt.date, seed: int = 20261122) -> dict[str, int]:
    """Write a synthetic dataset to ``folder``; returns the counts written."""
    folder.mkdir(parents=True, exist_ok=True)
    made_settings, made_children, counted = write_synthetic_evidence(
        folder / "evidence.xml", Plan(settings, children, items, as_at, seed))
    write_la_return(folder / "la-return.xlsx", made_children, as_at)
    return {"settings": len(made_settings), "children": len(made_children), **counted}
