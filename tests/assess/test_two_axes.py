"""The two axes: risk (signs of harm or failure, the one RAG) and assurance (how much is independently known).

Each test states one clause of RATING_RULE, ASSURANCE_RULE or RATED_GOOD_BUT_RULE with a small input.
"""

from __future__ import annotations

import datetime as dt

from regframe.assess.assurance import assure, coverage, coverage_class, independent_sources
from regframe.assess.rating import latest_judgements, rate, rated_good_but
from regframe.assess.results import (
    Assurance,
    Coverage,
    Finding,
    IndicatorResult,
    Rating,
    Reason,
    RegulatorJudgement,
    Status,
)
from regframe.evidence.model import Action, ActionKind, EvidenceItem, OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.framework.model import Axis, Level, Regulator, SettingKind

AS_AT = dt.date(2026, 11, 1)
HOME = Setting("SC1", SettingKind.CHILDRENS_HOME, "Home")
DUAL = Setting("SC2", SettingKind.CHILDRENS_HOME, "Dual", cqc_location_id="1-2")


def item(iid, source, observed, outcome=None, kind="ek.thing", action=None):
    return EvidenceItem(id=iid, setting="SC1", source=source, kind=kind, observed=observed,
                        independence=source.default_independence, outcome=outcome, action=action)


def grade(value):
    return Outcome(OutcomeKind.GRADE, grade=value)


def ofsted(iid, observed, value):
    return item(iid, Source.OFSTED, observed, grade(value), kind="ek.ofsted-judgement")


def indicator(name, level, axis=Axis.RISK):
    return IndicatorResult(name, name, 1.0, Level(level) if level else None, 1.0, "", axis)


def finding(rid, *statuses):
    return Finding(rid, statuses[0], tuple(Reason(s, "") for s in statuses))


# ---- risk


def test_an_inadequate_judgement_older_than_the_window_still_makes_risk_red():
    old = ofsted("o1", dt.date(2021, 3, 1), OfstedGrade.INADEQUATE)
    rating, reasons, _ = rate([finding("chr.r12", Status.STALE)], [], [old], AS_AT)
    assert rating is Rating.RED
    assert reasons == ("Ofsted's latest judgement is inadequate (2021-03-01); it stands until a newer one replaces it",)


def test_a_newer_judgement_replaces_an_inadequate_one():
    items = [ofsted("o1", dt.date(2021, 3, 1), OfstedGrade.INADEQUATE), ofsted("o2", dt.date(2022, 3, 1), OfstedGrade.GOOD)]
    assert rate([], [], items, AS_AT)[:2] == (Rating.GREEN, ())


def test_requires_improvement_however_old_makes_risk_amber():
    rating, reasons, _ = rate([], [], [ofsted("o1", dt.date(2019, 6, 5), OfstedGrade.REQUIRES_IMPROVEMENT)], AS_AT)
    assert (rating, reasons) == (Rating.AMBER, ("Ofsted's latest judgement is requires improvement (2019-06-05)",))


def test_missing_or_old_evidence_never_raises_risk():
    findings = [finding("a", Status.STALE), finding("b", Status.UNCORROBORATED), finding("c", Status.NO_EVIDENCE)]
    assert rate(findings, [], [], AS_AT)[:2] == (Rating.GREEN, ())


def test_an_assurance_indicator_never_raises_risk():
    results = [indicator("ind.inspection-overdue", "red", Axis.ASSURANCE)] * 3
    assert rate([finding("a", Status.NOT_MET)], results, [], AS_AT)[:2] == (Rating.AMBER, ("1 requirement not met",))


def test_two_amber_risk_indicators_make_amber_and_three_red_ones_red():
    amber = rate([], [indicator("a", "amber"), indicator("b", "amber")], [], AS_AT)
    red = rate([], [indicator("a", "red"), indicator("b", "red"), indicator("c", "red")], [], AS_AT)
    assert amber[:2] == (Rating.AMBER, ("2 amber risk indicators",))
    assert red[:2] == (Rating.RED, ("3 red risk indicators",))


def test_the_latest_inspection_is_judged_by_its_worst_part():
    day = dt.date(2026, 3, 1)
    items = [ofsted("o1", day, OfstedGrade.GOOD), ofsted("o2", day, OfstedGrade.INADEQUATE),
             ofsted("o0", dt.date(2025, 1, 1), OfstedGrade.OUTSTANDING)]
    assert latest_judgements(items, AS_AT) == (
        RegulatorJudgement("ofsted", "inadequate", day, ("o1", "o2"), False, True),)


# ---- assurance


def covered(evidenced, stale=0, none=0):
    return ([finding(f"e{i}", Status.MET) for i in range(evidenced)]
            + [finding(f"s{i}", Status.STALE) for i in range(stale)]), [f"n{i}" for i in range(none)]


def judged(day):
    return (RegulatorJudgement("ofsted", "good", day, ("o1",), True, False),)


def test_no_regulator_judgement_makes_assurance_low():
    findings, none = covered(8, none=2)
    level, why = assure(HOME, findings, none, (), ("lado", "placing-la", "independent-person"), [], AS_AT)
    assert (level, why) == (Assurance.LOW, ("no regulator's judgement on record",))


def test_a_judgement_older_than_twelve_months_makes_assurance_low():
    findings, none = covered(8, none=2)
    level, why = assure(HOME, findings, none, judged(dt.date(2025, 10, 1)), ("lado", "ofsted", "placing-la"), [], AS_AT)
    assert (level, why) == (Assurance.LOW, ("the latest regulator's judgement is from 2025-10-01, more than twelve "
                                            "months ago",))


def test_one_independent_source_makes_assurance_low():
    findings, none = covered(8, none=2)
    level, why = assure(HOME, findings, none, judged(dt.date(2026, 5, 1)), ("ofsted",), [], AS_AT)
    assert (level, why) == (Assurance.LOW, ("1 independent source (ofsted) in the last twelve months",))


def test_less_than_a_quarter_evidenced_makes_assurance_low():
    findings, none = covered(2, stale=3, none=5)
    level, why = assure(HOME, findings, none, judged(dt.date(2026, 5, 1)), ("lado", "ofsted", "placing-la"), [], AS_AT)
    assert (level, why) == (Assurance.LOW, ("2 of 10 requirements (20%) independently evidenced in their window",))


def test_high_assurance_needs_coverage_sources_and_a_recent_judgement():
    findings, none = covered(6, none=4)
    level, why = assure(HOME, findings, none, judged(dt.date(2026, 5, 1)), ("lado", "ofsted", "placing-la"), [], AS_AT)
    assert level is Assurance.HIGH
    assert why == ("6 of 10 requirements (60%) independently evidenced; 3 independent sources (lado, ofsted, "
                   "placing-la) in the last twelve months",)


def test_a_dual_registered_setting_cqc_has_not_looked_at_is_medium():
    findings, none = covered(6, none=4)
    level, why = assure(DUAL, findings, none, judged(dt.date(2026, 5, 1)), ("lado", "ofsted", "placing-la"), [], AS_AT)
    assert (level, why) == (Assurance.MEDIUM, ("registered with both regulators, but CQC has no evidence in the last "
                                               "twelve months",))


def test_assurance_indicators_lower_assurance():
    findings, none = covered(6, none=4)
    args = (HOME, findings, none, judged(dt.date(2026, 5, 1)), ("lado", "ofsted", "placing-la"))
    assert assure(*args, [indicator("i", "amber", Axis.ASSURANCE)], AS_AT)[0] is Assurance.MEDIUM
    assert assure(*args, [indicator("i", "red", Axis.ASSURANCE)], AS_AT)[0] is Assurance.LOW
    assert assure(*args, [indicator("i", "red", Axis.RISK)], AS_AT)[0] is Assurance.HIGH  # a risk sign, not assurance


def test_coverage_classes_in_order_and_per_regulator():
    assert [coverage_class(f) for f in (finding("a", Status.OVERDUE, Status.MET), finding("b", Status.STALE),
                                        finding("c", Status.UNCORROBORATED, Status.STALE),
                                        finding("d", Status.UNCORROBORATED), finding("e", Status.NO_EVIDENCE))] + \
        [coverage_class(None)] == ["evidenced", "stale", "stale", "provider_only", "none", "none"]
    held = {"a": (Regulator.OFSTED, Regulator.PROVIDER), "b": (Regulator.CQC,), "c": (Regulator.PLACING_LA,),
            "d": (Regulator.OFSTED, Regulator.CQC)}
    rows = coverage([finding("a", Status.MET), finding("b", Status.STALE), finding("d", Status.UNCORROBORATED)], ["c"],
                    held.__getitem__)
    assert rows == (Coverage("ofsted", 2, 1, 0, 1, 0), Coverage("cqc", 2, 0, 1, 1, 0), Coverage("other", 1, 0, 0, 0, 1))


def test_independent_sources_count_the_window_and_leave_out_the_provider():
    items = [item("a", Source.LADO, dt.date(2026, 10, 1)), item("b", Source.PROVIDER, dt.date(2026, 10, 1)),
             item("c", Source.PLACING_LA, dt.date(2025, 10, 1)), item("d", Source.OFSTED, dt.date(2026, 11, 2))]
    assert independent_sources(items, AS_AT) == ("lado",)


# ---- rated good, but …

CONCERN = Outcome(OutcomeKind.CONCERN)


def test_rated_good_but_when_other_independent_sources_show_red_signs():
    items = [ofsted("o1", dt.date(2024, 3, 1), OfstedGrade.GOOD),
             item("w1", Source.WHISTLEBLOWER, dt.date(2026, 10, 12), CONCERN),
             item("l1", Source.PLACING_LA, dt.date(2026, 9, 1), Outcome(OutcomeKind.NOT_MET))]
    flag = rated_good_but(latest_judgements(items, AS_AT), items, [], AS_AT)
    assert (flag.regulator, flag.verdict, flag.judged, flag.sources, flag.red_indicators) == (
        "ofsted", "good", dt.date(2024, 3, 1), ("placing-la", "whistleblower"), 0)


def test_not_rated_good_but_when_the_signs_are_old_the_regulators_own_or_the_providers():
    items = [ofsted("o1", dt.date(2026, 3, 1), OfstedGrade.OUTSTANDING),
             item("w1", Source.WHISTLEBLOWER, dt.date(2025, 10, 1), CONCERN),  # older than the window
             item("o2", Source.OFSTED, dt.date(2026, 3, 1), Outcome(OutcomeKind.NOT_MET), kind="ek.ofsted-action"),
             item("p1", Source.PROVIDER, dt.date(2026, 9, 1), Outcome(OutcomeKind.NOT_MET))]
    assert rated_good_but(latest_judgements(items, AS_AT), items, [indicator("a", "amber")], AS_AT) is None


def test_rated_good_but_by_a_red_risk_indicator_or_the_other_regulators_open_action():
    good = [ofsted("o1", dt.date(2026, 3, 1), OfstedGrade.GOOD)]
    by_indicator = rated_good_but(latest_judgements(good, AS_AT), good, [indicator("a", "red")], AS_AT)
    assert (by_indicator.sources, by_indicator.red_indicators) == ((), 1)
    notice = item("c1", Source.CQC, dt.date(2026, 6, 1), kind="ek.cqc-action",
                  action=Action(ActionKind.CQC_REQUIREMENT_NOTICE, due=dt.date(2026, 12, 1)))
    by_cqc = rated_good_but(latest_judgements(good, AS_AT), [*good, notice], [], AS_AT)
    assert by_cqc.sources == ("cqc",)


def test_not_rated_good_but_when_the_latest_judgement_is_not_good():
    items = [ofsted("o1", dt.date(2024, 3, 1), OfstedGrade.GOOD),
             ofsted("o2", dt.date(2026, 3, 1), OfstedGrade.REQUIRES_IMPROVEMENT),
             item("w1", Source.WHISTLEBLOWER, dt.date(2026, 10, 12), CONCERN)]
    assert rated_good_but(latest_judgements(items, AS_AT), items, [], AS_AT) is None
