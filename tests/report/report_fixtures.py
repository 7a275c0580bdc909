"""Hand-built assessments for the report tests: the reports read nothing but an Assessment and the graph.

:func:`hesley_assessment` is three settings as at 31 March 2025. The first is
red with the Hesley pattern: Ofsted judged it good and the provider's own
returns say all is well, but an advocate found children without advocacy,
the independent person's visits are overdue, restraint and staff turnover
are at red. Its owner runs a second setting that is also failing, so the
group stands out. The third setting, another owner's, is green.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence

from regframe.assess.results import (
    Assessment,
    Assurance,
    Coverage,
    EvidenceUse,
    Finding,
    Flag,
    IndicatorResult,
    LensEntry,
    LensState,
    ProviderGroup,
    RatedGoodBut,
    Rating,
    Reason,
    SettingAssessment,
    SettingReason,
    Status,
)
from regframe.core.diagnostics import Location
from regframe.evidence import InputFile, Setting
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import (
    Citation,
    Confidence,
    Effective,
    Framework,
    Instrument,
    Level,
    Link,
    Manifest,
    Regulator,
    Rel,
    Requirement,
    RequirementKind,
    SettingKind,
)

AS_AT = dt.date(2025, 3, 31)
_CHECKED = dt.date(2026, 11, 22)
_HOMES = (SettingKind.CHILDRENS_HOME, SettingKind.RSS_CHILDRENS_HOME, SettingKind.SECURE_CHILDRENS_HOME)
_ALL = (*_HOMES, SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, SettingKind.CQC_HEALTH_PROVISION)

# (id, ref, kind, title, parent, regulators, applies to)
_REQUIREMENTS: dict[str, list[tuple]] = {
    "chr2015": [
        ("chr2015.r7", "CHR 2015 reg 7", RequirementKind.OUTCOME,
         "The children's views, wishes and feelings standard", None, ("ofsted",), _HOMES),
        ("chr2015.r7.2", "CHR 2015 reg 7(2)", RequirementKind.DUTY, "What the registered person must do",
         "chr2015.r7", ("ofsted", "provider"), _HOMES),
        ("chr2015.r7.2.b", "CHR 2015 reg 7(2)(b)", RequirementKind.DUTY, "Help children to express views",
         "chr2015.r7.2", ("ofsted", "provider"), _HOMES),
        ("chr2015.r7.2.b.iii", "CHR 2015 reg 7(2)(b)(iii)", RequirementKind.DUTY, "Advocacy support",
         "chr2015.r7.2.b", ("ofsted", "provider"), _HOMES),
        ("chr2015.r12", "CHR 2015 reg 12", RequirementKind.OUTCOME, "The protection of children standard", None,
         ("ofsted",), _HOMES),
        ("chr2015.r12.2", "CHR 2015 reg 12(2)", RequirementKind.DUTY, "What the registered person must do",
         "chr2015.r12", ("ofsted", "provider"), _HOMES),
        ("chr2015.r12.2.a", "CHR 2015 reg 12(2)(a)", RequirementKind.DUTY, "Staff duties on protection",
         "chr2015.r12.2", ("ofsted", "provider"), _HOMES),
        ("chr2015.r20", "CHR 2015 reg 20", RequirementKind.DUTY, "Restraint and deprivation of liberty", None,
         ("ofsted", "provider"), _HOMES),
        ("chr2015.r20.1", "CHR 2015 reg 20(1)", RequirementKind.DUTY, "Permitted purposes of restraint",
         "chr2015.r20", ("ofsted", "provider"), _HOMES),
        ("chr2015.r44", "CHR 2015 reg 44", RequirementKind.DUTY, "Independent person: visits and reports", None,
         ("ofsted", "provider"), _HOMES),
        ("chr2015.r44.1", "CHR 2015 reg 44(1)", RequirementKind.DUTY, "Monthly visits", "chr2015.r44",
         ("ofsted", "provider"), _HOMES),
    ],
    "cqc-ra2014": [
        ("cqc-ra2014.r12", "HSCA RA 2014 reg 12", RequirementKind.OUTCOME, "Safe care and treatment", None,
         ("cqc",), _ALL),
        ("cqc-ra2014.r12.2.a", "HSCA RA 2014 reg 12(2)(a)", RequirementKind.DUTY,
         "Assess risks to health and safety", "cqc-ra2014.r12", ("cqc",), _ALL),
        ("cqc-ra2014.r13", "HSCA RA 2014 reg 13", RequirementKind.OUTCOME,
         "Safeguarding service users from abuse and improper treatment", None, ("cqc",), _ALL),
        ("cqc-ra2014.r13.4.b", "HSCA RA 2014 reg 13(4)(b)", RequirementKind.DUTY,
         "No control or restraint that is unnecessary or disproportionate", "cqc-ra2014.r13", ("cqc",), _ALL),
    ],
    "rssnms2022": [
        ("rssnms2022.std9", "RSS NMS 2022 std 9", RequirementKind.OUTCOME, "Promoting positive behaviour", None,
         ("ofsted", "provider"), (SettingKind.RESIDENTIAL_SPECIAL_SCHOOL,)),
        ("rssnms2022.std9.3", "RSS NMS 2022 std 9.3", RequirementKind.DUTY, "Records of restraint",
         "rssnms2022.std9", ("ofsted", "provider"), (SettingKind.RESIDENTIAL_SPECIAL_SCHOOL,)),
    ],
    "csprp2023": [
        ("csprp2023.r1", "CSPRP 2023 R1", RequirementKind.RECOMMENDATION,
         "Independent non-instructed advocacy for every child", None, ("government",), ()),
        ("csprp2023.r6", "CSPRP 2023 R6", RequirementKind.RECOMMENDATION,
         "Joint Ofsted and CQC oversight of dual-registered settings", None, ("ofsted", "cqc"), ()),
    ],
    "indicators": [
        ("ind.restraint-rate", "Indicator: restraint rate", RequirementKind.INDICATOR,
         "Restraint incidents per child per month", None, ("host-la",), ()),
        ("ind.staff-turnover", "Indicator: staff turnover", RequirementKind.INDICATOR,
         "Staff leavers in 12 months over headcount", None, ("host-la",), ()),
    ],
}
_TITLES = {
    "chr2015": ("The Children's Homes (England) Regulations 2015", "CHR 2015"),
    "cqc-ra2014": ("Health and Social Care Act 2008 (Regulated Activities) Regulations 2014", "HSCA RA 2014"),
    "rssnms2022": ("Residential special schools: national minimum standards 2022", "RSS NMS 2022"),
    "csprp2023": ("Child Safeguarding Practice Review Panel: Safeguarding children with disabilities", "CSPRP 2023"),
    "indicators": ("regframe risk indicators", "Indicators"),
}
_ADDRESSES = {"csprp2023.r1": ("chr2015.r7.2.b.iii",), "csprp2023.r6": ("cqc-ra2014.r13.4.b", "chr2015.r20.1")}


def _requirement(instrument: str, row: tuple) -> Requirement:
    rid, ref, kind, title, parent, regulators, applies = row
    links = [Link(rid, Rel.PART_OF, parent)] if parent else []
    links += [Link(rid, Rel.ADDRESSES, target) for target in _ADDRESSES.get(rid, ())]
    return Requirement(
        id=rid, ref=ref, kind=kind, title=title, statement=f"{title}.", effective=Effective(dt.date(2015, 4, 1)),
        citation=Citation(instrument, ref, "https://example.org/" + rid, _CHECKED), confidence=Confidence.CONFIRMED,
        instrument=instrument, regulators=tuple(Regulator(r) for r in regulators), applies_to=applies,
        links=tuple(links),
    )


def fixture_framework(extra: dict[str, Sequence[tuple]] | None = None) -> Framework:
    requirements = {k: list(v) for k, v in _REQUIREMENTS.items()}
    for instrument, rows in (extra or {}).items():
        requirements.setdefault(instrument, []).extend(rows)
    instruments = tuple(
        Instrument(
            id=instrument, version="1", title=_TITLES.get(instrument, (instrument, instrument))[0],
            short_title=_TITLES.get(instrument, (instrument, instrument))[1], publisher="test",
            effective=Effective(dt.date(2015, 4, 1)),
            citation=Citation(instrument, "whole", "https://example.org/" + instrument, _CHECKED),
            requirements=tuple(_requirement(instrument, row) for row in rows),
        )
        for instrument, rows in requirements.items()
    )
    return Framework(manifest=Manifest(id="report-fixture", version="2025.1", title="Report fixture"),
                     instruments=instruments)


def fixture_graph() -> RequirementGraph:
    return build_graph(fixture_framework())


def _counts(findings: Sequence[Finding], no_evidence: Sequence[str]) -> dict[str, int]:
    counts = Counter(f.status.value for f in findings)
    if no_evidence:
        counts[Status.NO_EVIDENCE.value] += len(no_evidence)
    return dict(counts)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def hesley_assessment() -> Assessment:
    """Three settings, worst first; the first is red with the Hesley pattern."""
    owner = "Hollin Care Group Ltd"
    fenwick = Setting(
        urn="SC900001", kind=SettingKind.CHILDRENS_HOME, name="Fenwick Lodge", cqc_location_id="1-900001",
        local_authority="Doncaster", region="Yorkshire and The Humber", owner=owner, places=8,
        provenance=Location(file="evidence/demo.xml", line=12),
    )
    cottage = Setting(
        urn="SC900002", kind=SettingKind.RSS_CHILDRENS_HOME, name="Fenwick Cottage", local_authority="Doncaster",
        owner=owner, places=4, provenance=Location(file="evidence/demo.xml", line=40),
    )
    beacon = Setting(
        urn="SC900003", kind=SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, name="Beacon View School",
        local_authority="Leeds", owner="Northfield Education Trust", places=20,
        provenance=Location(file="evidence/demo.xml", line=71),
    )
    red_findings = (
        Finding("chr2015.r7.2.b.iii", Status.NOT_MET, (
            Reason(Status.NOT_MET, "Advocate's visit on 2025-01-20 found two children with no advocacy support"),
            Reason(Status.UNCORROBORATED, "Provider's self-assessment of 2025-01-05 says met"),
        ), (Flag.PROVIDER_CONTRADICTED,), ("ev-0004", "ev-0003")),
        Finding("chr2015.r44.1", Status.OVERDUE, (
            Reason(Status.OVERDUE, "No independent person's visit since 2024-11-28; the next was due by 2024-12-31"),
        ), (), ("ev-0005",)),
        Finding("chr2015.r20.1", Status.NOT_MET, (
            Reason(Status.NOT_MET, "LADO referral on 2025-02-11 about restraint of a non-verbal child"),
        ), (Flag.REGULATORS_DISAGREE, Flag.PROVIDER_CONTRADICTED), ("ev-0006",)),
        Finding("cqc-ra2014.r13.4.b", Status.UNCORROBORATED, (
            Reason(Status.UNCORROBORATED, "Only the provider's monthly return says restraint is proportionate"),
        ), (Flag.SINGLE_REGULATOR,), ("ev-0007",)),
        Finding("chr2015.r12.2.a", Status.MET, (
            Reason(Status.MET, "Ofsted full inspection on 2024-06-12 judged the home good"),
        ), (), ("ev-0001",)),
    )
    red = SettingAssessment(
        setting=fenwick, rating=Rating.RED,
        rating_reasons=(
            "Ofsted judged it good on 2024-06-12, but independent evidence since contradicts the provider",
            "Advocacy support not met (advocate's visit 2025-01-20)",
            "Independent person's visits overdue since 2024-12-31",
            "Restraint 5.2 per child-month and staff turnover 48%: both red",
            "Its owner's other setting is also failing",
        ),
        risk_score=87.5, counts=_counts(red_findings, ("cqc-ra2014.r12.2.a",)), findings=red_findings,
        no_evidence=("cqc-ra2014.r12.2.a",),
        indicators=(
            IndicatorResult("ind.restraint-rate", "restraint-rate", 5.2, Level.RED, 4.5,
                            "26 restraint incidents over 5 child-months, Oct 2024 to Feb 2025"),
            IndicatorResult("ind.staff-turnover", "staff-turnover", 0.48, Level.RED, 0.4,
                            "12 leavers in 12 months against a headcount of 25"),
        ),
        lens=(
            LensEntry("csprp2023.r1", LensState.FAILING, failing=("chr2015.r7.2.b.iii",)),
            LensEntry("csprp2023.r6", LensState.FAILING, failing=("chr2015.r20.1",), at_risk=("cqc-ra2014.r13.4.b",),
                      indicators=("ind.restraint-rate",)),
        ),
        children=6,
        assurance=Assurance.MEDIUM,
        assurance_reasons=("registered with both regulators, but CQC has no evidence in the last twelve months",),
        reasons=(
            SettingReason("rated-good-but", Rating.RED, "Rated good, but …: Ofsted judged it good on 12 Jun 2024, "
                          "while in the last twelve months red signs came from advocates and the LADO",
                          sources=("advocate", "lado"), observed=dt.date(2024, 6, 12)),
            SettingReason("not-met", Rating.RED, "2 of 6 children have had no independent advocate in the last "
                          "twelve months, red at 25% (CHR 2015 reg 7(2)(b)(iii) Advocacy support) — advocates, Jan 2025",
                          "chr2015.r7.2.b.iii", "CHR 2015 reg 7(2)(b)(iii)", "Advocacy support", ("advocate",),
                          dt.date(2025, 1, 20), ("ev-0004",)),
            SettingReason("overdue", Rating.AMBER, "No independent person's report since 28 Nov 2024 (CHR 2015 reg "
                          "44(1): every month)", "chr2015.r44.1", "CHR 2015 reg 44(1)", "Monthly visits"),
        ),
        rated_good_but=RatedGoodBut("ofsted", "good", dt.date(2024, 6, 12), ("advocate", "lado"), 2),
        coverage=(Coverage("ofsted", 3, 2, 0, 1, 0), Coverage("cqc", 2, 0, 0, 1, 1)),
        independent_sources=("advocate", "lado", "ofsted"),
    )
    amber_findings = (
        Finding("chr2015.r44.1", Status.OVERDUE, (
            Reason(Status.OVERDUE, "No independent person's visit since 2025-01-14; the next was due by 2025-02-28"),
        ), (), ("ev-0008",)),
        Finding("chr2015.r7.2.b.iii", Status.STALE, (
            Reason(Status.STALE, "Latest advocacy evidence is from 2023-09-02"),
        ), (), ("ev-0009",)),
        Finding("chr2015.r12.2.a", Status.MET, (Reason(Status.MET, "Reg 44 report of 2025-01-14 says met"),), (),
                ("ev-0008",)),
    )
    amber = SettingAssessment(
        setting=cottage, rating=Rating.AMBER,
        rating_reasons=("Independent person's visits overdue since 2025-02-28", "Advocacy evidence is stale"),
        risk_score=41.0, counts=_counts(amber_findings, ()), findings=amber_findings, no_evidence=(),
        indicators=(
            IndicatorResult("ind.restraint-rate", "restraint-rate", 2.4, Level.AMBER, 2.0,
                            "12 incidents over 5 child-months"),
            IndicatorResult("ind.staff-turnover", "staff-turnover", None, None, None, "no staffing return received"),
        ),
        lens=(
            LensEntry("csprp2023.r1", LensState.AT_RISK, at_risk=("chr2015.r7.2.b.iii",)),
            LensEntry("csprp2023.r6", LensState.NOT_APPLICABLE),
        ),
        children=3,
        assurance=Assurance.LOW,
        assurance_reasons=("1 independent source (independent-person) in the last twelve months",),
        reasons=(SettingReason("overdue", Rating.AMBER, "No independent person's report since 14 Jan 2025"),),
        coverage=(Coverage("ofsted", 3, 1, 1, 0, 1),),
    )
    green_findings = (
        Finding("rssnms2022.std9.3", Status.MET, (Reason(Status.MET, "Ofsted inspection 2024-11-05: met"),), (),
                ("ev-0010",)),
        Finding("cqc-ra2014.r13.4.b", Status.STALE, (
            Reason(Status.STALE, "Latest CQC evidence is from 2022-10-01"),
        ), (), ("ev-0011",)),
    )
    green = SettingAssessment(
        setting=beacon, rating=Rating.GREEN, rating_reasons=("No requirement not met or overdue",),
        risk_score=8.0, counts=_counts(green_findings, ()), findings=green_findings, no_evidence=(),
        indicators=(IndicatorResult("ind.restraint-rate", "restraint-rate", 0.3, None, None,
                                    "2 incidents over 7 child-months"),),
        lens=(LensEntry("csprp2023.r1", LensState.OK), LensEntry("csprp2023.r6", LensState.AT_RISK,
                                                                  at_risk=("cqc-ra2014.r13.4.b",))),
        children=14,
        assurance=Assurance.HIGH,
        coverage=(Coverage("ofsted", 1, 1, 0, 0, 0), Coverage("cqc", 1, 0, 1, 0, 0)),
    )
    evidence = (
        EvidenceUse("ev-0001", "SC900001", "ek.ofsted-judgement", "ofsted", dt.date(2024, 6, 12),
                    "ofsted/inspections.csv:row 118"),
        EvidenceUse("ev-0003", "SC900001", "ek.provider-self-assessment", "provider", dt.date(2025, 1, 5),
                    "/home/analyst/cases/evidence/demo.xml:88"),
        EvidenceUse("ev-0004", "SC900001", "ek.advocacy-visit", "advocate", dt.date(2025, 1, 20),
                    "returns/doncaster-2025.xlsx!Evidence!A14"),
        EvidenceUse("ev-0005", "SC900001", "ek.reg44-report", "independent-person", dt.date(2024, 11, 28),
                    "evidence/demo.xml:102"),
        EvidenceUse("ev-0006", "SC900001", "ek.lado-referral", "lado", dt.date(2025, 2, 11),
                    "returns/doncaster-2025.xlsx!Evidence!A15"),
        EvidenceUse("ev-0007", "SC900001", "ek.staffing-return", "provider", dt.date(2025, 2, 28),
                    "evidence/demo.xml:131"),
        EvidenceUse("ev-0008", "SC900002", "ek.reg44-report", "independent-person", dt.date(2025, 1, 14),
                    "evidence/demo.xml:160"),
        EvidenceUse("ev-0009", "SC900002", "ek.advocacy-visit", "advocate", dt.date(2023, 9, 2),
                    "evidence/demo.xml:171"),
        EvidenceUse("ev-0010", "SC900003", "ek.ofsted-judgement", "ofsted", dt.date(2024, 11, 5),
                    "ofsted/inspections.csv:row 402"),
        EvidenceUse("ev-0011", "SC900003", "ek.cqc-score", "cqc", dt.date(2022, 10, 1), "cqc/ratings.csv:row 77"),
    )
    return Assessment(
        framework="report-fixture", framework_version="2025.1", as_at=AS_AT, regframe_version="0.1.0",
        inputs=(
            InputFile("/home/analyst/cases/evidence/demo.xml", _sha("demo evidence"), "evidence-xml", accepted=42,
                      rejected=1),
            InputFile("returns/doncaster-2025.xlsx", _sha("doncaster return"), "la-return", accepted=12, skipped=3),
        ),
        settings=(red, amber, green),
        groups=(
            ProviderGroup(owner, ("SC900001", "SC900002"), {"red": 1, "amber": 1}, ("SC900001", "SC900002"), True),
            ProviderGroup("Northfield Education Trust", ("SC900003",), {"green": 1}, (), False),
        ),
        evidence=evidence,
        notes=("Ofsted and CQC data last refreshed on 2025-03-01.",),
        diagnostics=("returns/doncaster-2025.xlsx!Placements!C7: warning RF310: date of birth column ignored",),
    )
