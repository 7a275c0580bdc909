"""The status rules, one small hand-built case each: precedence, window, cadences, polarity, rating."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.assess import Polarity, Seen, cadence_misses, judge, polarity, rate
from regframe.assess.results import Finding, IndicatorResult, Rating, Status
from regframe.evidence import (
    Action,
    ActionKind,
    EvidenceItem,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Placement,
    Setting,
    Source,
)
from regframe.framework import load_framework
from regframe.framework.cadence import Cadence, Duration, Step, StepKind, Unit
from regframe.framework.model import (
    Citation,
    Confidence,
    Effective,
    Level,
    Requirement,
    RequirementKind,
    SettingKind,
)

#: the evidence kinds the shipped framework marks as signals
SIGNALS = frozenset(k.id for k in load_framework().evidence_kinds() if k.signal)

AS_AT = dt.date(2026, 11, 1)
YEAR = Duration(12, Unit.MONTH)


def item(iid, source, observed, outcome=None, kind="ek.thing", action=None, child=None, occurred=None):
    return EvidenceItem(id=iid, setting="SC1", source=source, kind=kind, observed=observed,
                        independence=source.default_independence, child=child, occurred=occurred,
                        outcome=outcome, action=action)


MET = Outcome(OutcomeKind.MET)
NOT_MET = Outcome(OutcomeKind.NOT_MET)
RECORDED_OUTCOME = Outcome(OutcomeKind.RECORDED)
GOOD = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD)


def seen(*items):
    return [Seen(i, polarity(i, SIGNALS), False) for i in items]


def statuses(judgement):
    return [r.status for r in judgement.reasons]


def test_nothing_at_all_is_no_evidence():
    judgement = judge([], AS_AT, YEAR)
    assert judgement.status is Status.NO_EVIDENCE and [r.message for r in judgement.reasons] == ["no evidence at all"]


def test_a_positive_independent_finding_in_the_window_is_met():
    judgement = judge(seen(item("e1", Source.OFSTED, dt.date(2026, 6, 1), GOOD)), AS_AT, YEAR)
    assert judgement.status is Status.MET
    assert judgement.reasons[0].message == "latest independent finding is positive: ofsted thing 2026-06-01 (e1): good"
    assert judgement.evidence == ("e1",)


def test_the_latest_independent_finding_decides_between_met_and_not_met():
    earlier_bad = item("e1", Source.PLACING_LA, dt.date(2026, 3, 1), NOT_MET)
    later_good = item("e2", Source.OFSTED, dt.date(2026, 6, 1), GOOD)
    assert judge(seen(earlier_bad, later_good), AS_AT, YEAR).status is Status.MET
    later_bad = item("e3", Source.PLACING_LA, dt.date(2026, 9, 1), NOT_MET)
    judgement = judge(seen(earlier_bad, later_good, later_bad), AS_AT, YEAR)
    assert judgement.status is Status.NOT_MET and judgement.evidence == ("e3",)


def test_an_open_regulator_action_is_not_met_even_after_a_good_judgement():
    action = item("a1", Source.OFSTED, dt.date(2026, 2, 1), kind="ek.ofsted-action",
                  action=Action(ActionKind.OFSTED_REQUIREMENT, due=dt.date(2026, 4, 1)))
    good = item("e2", Source.OFSTED, dt.date(2026, 6, 1), GOOD)
    judgement = judge(seen(action, good), AS_AT, YEAR)
    assert judgement.status is Status.NOT_MET
    assert statuses(judgement) == [Status.NOT_MET, Status.MET]  # every status that applied is kept
    assert judgement.reasons[0].message == "ofsted requirement still open, due 2026-04-01 (a1)"


def test_a_closed_action_no_longer_counts():
    action = item("a1", Source.OFSTED, dt.date(2026, 2, 1), action=Action(
        ActionKind.OFSTED_REQUIREMENT, closed=True, closed_on=dt.date(2026, 5, 1)))
    assert judge(seen(action), AS_AT, YEAR).status is Status.NO_EVIDENCE


def test_only_the_providers_word_in_the_window_is_uncorroborated():
    judgement = judge(seen(item("p1", Source.PROVIDER, dt.date(2026, 10, 1), MET)), AS_AT, YEAR)
    assert judgement.status is Status.UNCORROBORATED
    assert judgement.reasons[0].message.startswith("only the provider's own evidence in the last 12 months (1 item(s)")


def test_independent_evidence_all_older_than_the_window_is_stale():
    old = item("e1", Source.OFSTED, dt.date(2025, 10, 31), GOOD)
    judgement = judge(seen(old), AS_AT, YEAR)
    assert judgement.status is Status.STALE


def test_the_window_boundary_is_twelve_calendar_months():
    on_the_edge = item("e1", Source.OFSTED, dt.date(2025, 11, 1), GOOD)
    just_inside = item("e2", Source.OFSTED, dt.date(2025, 11, 2), GOOD)
    assert judge(seen(on_the_edge), AS_AT, YEAR).status is Status.STALE
    assert judge(seen(just_inside), AS_AT, YEAR).status is Status.MET


def test_a_cadence_window_replaces_the_twelve_months():
    visit = item("v1", Source.PLACING_LA, dt.date(2026, 7, 1), Outcome(OutcomeKind.RECORDED), kind="ek.statutory-visit")
    assert judge(seen(visit), AS_AT, YEAR).status is Status.MET
    assert judge(seen(visit), AS_AT, Duration(3, Unit.MONTH)).status is Status.STALE


def test_precedence_not_met_over_overdue_over_uncorroborated():
    bad = item("e1", Source.PLACING_LA, dt.date(2026, 9, 1), NOT_MET)
    judgement = judge(seen(bad), AS_AT, YEAR, overdue=["visit late"])
    assert judgement.status is Status.NOT_MET and statuses(judgement) == [Status.NOT_MET, Status.OVERDUE]
    provider = item("p1", Source.PROVIDER, dt.date(2026, 9, 1), MET)
    judgement = judge(seen(provider), AS_AT, YEAR, overdue=["visit late"])
    assert judgement.status is Status.OVERDUE and statuses(judgement) == [Status.OVERDUE, Status.UNCORROBORATED]


def test_provider_contradicted_when_the_provider_says_met_and_an_independent_source_says_not():
    provider = item("p1", Source.PROVIDER, dt.date(2026, 10, 1), MET)
    independent = item("e1", Source.PLACING_LA, dt.date(2026, 9, 1), NOT_MET)
    assert judge(seen(provider, independent), AS_AT, YEAR).provider_contradicted
    assert not judge(seen(provider), AS_AT, YEAR).provider_contradicted


def test_future_evidence_is_ignored():
    assert judge(seen(item("e1", Source.OFSTED, dt.date(2027, 1, 1), GOOD)), AS_AT, YEAR).status is Status.NO_EVIDENCE


@pytest.mark.parametrize("outcome, expected", [
    (Outcome(OutcomeKind.SCORE, score=3), Polarity.POSITIVE), (Outcome(OutcomeKind.SCORE, score=2), Polarity.NEGATIVE),
    (Outcome(OutcomeKind.GRADE, grade=OfstedGrade.REQUIRES_IMPROVEMENT), Polarity.NEGATIVE),
    (Outcome(OutcomeKind.PARTLY_MET), Polarity.NEGATIVE), (Outcome(OutcomeKind.CONCERN), Polarity.NEGATIVE),
    (Outcome(OutcomeKind.RECORDED), Polarity.POSITIVE), (None, Polarity.NEUTRAL),
])
def test_polarity_of_outcomes(outcome, expected):
    assert polarity(item("e", Source.CQC, AS_AT, outcome), SIGNALS) is expected


def test_a_recorded_lado_referral_is_a_signal_not_a_finding():
    referral = item("l1", Source.LADO, AS_AT, Outcome(OutcomeKind.RECORDED), kind="ek.lado-referral")
    assert polarity(referral, SIGNALS) is Polarity.NEUTRAL
    # what makes it a signal is the framework's word (signal="true" in the vocabulary), not regframe's code
    assert polarity(referral, frozenset()) is Polarity.POSITIVE


def test_the_shipped_vocabulary_marks_the_signal_kinds():
    assert SIGNALS == {"ek.lado-referral", "ek.complaint", "ek.whistleblowing", "ek.reg40-notification",
                       "ek.restraint-record"}


# ---- cadences at a setting


def requirement(cadence, instrument="cppcr2010"):
    return Requirement(
        id=f"{instrument}.x", ref="X", kind=RequirementKind.DUTY, title="X", statement="X",
        effective=Effective(dt.date(2010, 1, 1)), citation=Citation("X", "1", "https://x", AS_AT),
        confidence=Confidence.CONFIRMED, instrument=instrument, cadence=cadence)


VISITS = Cadence("placement-start", (Step(StepKind.WITHIN, Duration(1, Unit.WEEK)),
                                     Step(StepKind.EVERY, Duration(6, Unit.WEEK), until=Duration(1, Unit.YEAR)),
                                     Step(StepKind.EVERY, Duration(3, Unit.MONTH))), "ek.statutory-visit", children="looked-after")
SETTING = Setting("SC1", SettingKind.RSS_CHILDRENS_HOME)


def visits(*days):
    return {"ek.statutory-visit": [item(f"v{i}", Source.PLACING_LA, d, Outcome(OutcomeKind.RECORDED),
                                        kind="ek.statutory-visit", child="C-1") for i, d in enumerate(days)]}


def placement(start=dt.date(2026, 6, 1), looked_after=True):
    return Placement(child="C-1", setting="SC1", placing_la="LA1", start=start, looked_after=looked_after)


def test_a_statutory_visit_on_day_42_is_in_time_and_day_43_is_overdue():
    last = dt.date(2026, 9, 1)
    on_time, _ = cadence_misses(requirement(VISITS), SETTING, [placement()], visits(last), last + dt.timedelta(days=42))
    late, children = cadence_misses(requirement(VISITS), SETTING, [placement()], visits(last), last + dt.timedelta(days=43))
    assert on_time == []
    assert late == ["child C-1: last statutory visit 2026-09-01; next was due by 2026-10-13"] and children == {"C-1"}


def test_a_child_never_visited_is_overdue_a_week_after_placement_where_visits_are_reported():
    other_child_visit = {"ek.statutory-visit": [item("v9", Source.PLACING_LA, dt.date(2026, 6, 2), RECORDED_OUTCOME,
                                                      kind="ek.statutory-visit", child="C-2")]}
    messages, _ = cadence_misses(requirement(VISITS), SETTING, [placement()], other_child_visit, dt.date(2026, 6, 9))
    assert messages == ["child C-1: no statutory visit since the placement began 2026-06-01; next was due by 2026-06-08"]


def test_no_visits_reported_at_a_setting_is_missing_data_not_a_missed_visit():
    assert cadence_misses(requirement(VISITS), SETTING, [placement()], {}, dt.date(2026, 9, 1)) == ([], set())


def test_cppcr_visits_do_not_apply_to_children_who_are_not_looked_after():
    messages, _ = cadence_misses(requirement(VISITS), SETTING, [placement(looked_after=False)],
                                 visits(dt.date(2026, 6, 2)), dt.date(2026, 9, 1))
    assert messages == []


def test_a_lado_referral_more_than_one_working_day_after_the_allegation_is_overdue():
    lado = Cadence("allegation", (Step(StepKind.WITHIN, Duration(1, Unit.WORKING_DAY)),), "ek.lado-referral")
    friday = dt.date(2026, 10, 2)
    in_time = item("l1", Source.LADO, dt.date(2026, 10, 5), kind="ek.lado-referral", occurred=friday)
    late = item("l2", Source.LADO, dt.date(2026, 10, 6), kind="ek.lado-referral", occurred=friday)
    messages, _ = cadence_misses(requirement(lado, "wt2023"), SETTING, [],
                                 {"ek.lado-referral": [in_time, late]}, AS_AT)
    assert messages == ["lado referral l2 made 2026-10-06, more than 1 working day after 2026-10-02 (due by 2026-10-05)"]


def test_a_lado_referral_on_the_first_working_day_after_christmas_is_in_time():
    lado = Cadence("allegation", (Step(StepKind.WITHIN, Duration(1, Unit.WORKING_DAY)),), "ek.lado-referral")
    christmas_eve = dt.date(2026, 12, 24)  # then Christmas Day, a weekend and Boxing Day's Monday substitute
    in_time = item("l1", Source.LADO, dt.date(2026, 12, 29), kind="ek.lado-referral", occurred=christmas_eve)
    late = item("l2", Source.LADO, dt.date(2026, 12, 30), kind="ek.lado-referral", occurred=christmas_eve)
    messages, _ = cadence_misses(requirement(lado, "wt2023"), SETTING, [],
                                 {"ek.lado-referral": [in_time, late]}, dt.date(2027, 1, 31))
    assert messages == ["lado referral l2 made 2026-12-30, more than 1 working day after 2026-12-24 (due by 2026-12-29)"]


def test_a_monthly_report_missing_for_more_than_a_month_is_overdue():
    monthly = Cadence("previous-occurrence", (Step(StepKind.EVERY, Duration(1, Unit.MONTH)),), "ek.reg44-report")
    reports = {"ek.reg44-report": [item("r1", Source.PLACING_LA, dt.date(2026, 9, 20), kind="ek.reg44-report")]}
    assert cadence_misses(requirement(monthly, "chr2015"), SETTING, [], reports, dt.date(2026, 10, 20))[0] == []
    assert cadence_misses(requirement(monthly, "chr2015"), SETTING, [], reports, dt.date(2026, 10, 21))[0] == [
        "last reg44 report 2026-09-20; the next was due by 2026-10-20"]


def test_no_reports_on_record_is_not_called_overdue():
    monthly = Cadence("previous-occurrence", (Step(StepKind.EVERY, Duration(1, Unit.MONTH)),), "ek.reg44-report")
    assert cadence_misses(requirement(monthly, "chr2015"), SETTING, [], {}, AS_AT) == ([], set())


def test_a_review_report_sent_more_than_28_days_after_the_review_is_overdue():
    review = Cadence("previous-occurrence", (Step(StepKind.EVERY, Duration(6, Unit.MONTH)),
                                             Step(StepKind.FOLLOW_UP, Duration(28, Unit.DAY))), "ek.reg45-report")
    report = item("q1", Source.PROVIDER, dt.date(2026, 8, 30), kind="ek.reg45-report", occurred=dt.date(2026, 8, 1))
    messages, _ = cadence_misses(requirement(review, "chr2015"), SETTING, [], {"ek.reg45-report": [report]}, AS_AT)
    assert messages == ["reg45 report q1 made 2026-08-30, more than 28 days after 2026-08-01 (due by 2026-08-29)"]


# ---- rating


def finding(rid, status):
    return Finding(rid, status)


def indicator(name, level):
    return IndicatorResult(name, name, 1.0, Level(level) if level else None, 1.0, "")


def test_rating_red_for_a_red_indicator_with_an_unmet_requirement():
    rating, reasons, _ = rate([finding("chr2015.r12", Status.NOT_MET)], [indicator("ind.restraint-rate", "red")], [], AS_AT)
    assert rating is Rating.RED
    assert reasons == ("1 red risk indicator together with 1 requirement not met",)


def test_rating_amber_for_a_single_overdue_duty():
    rating, reasons, _ = rate([finding("chr2015.r44", Status.OVERDUE)], [], [], AS_AT)
    assert (rating, reasons) == (Rating.AMBER, ("1 overdue",))


def test_rating_green_when_everything_is_met():
    rating, reasons, score = rate([finding("chr2015.r12", Status.MET)], [indicator("ind.x", None)], [], AS_AT)
    assert (rating, reasons, score) == (Rating.GREEN, (), 0.0)


def test_rating_red_for_an_inadequate_judgement_in_the_window():
    inadequate = item("e1", Source.OFSTED, dt.date(2026, 5, 1), Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE))
    rating, reasons, _ = rate([], [], [inadequate], AS_AT)
    assert rating is Rating.RED
    assert reasons == ("Ofsted's latest judgement is inadequate (2026-05-01); it stands until a newer one replaces it",)


def test_rating_red_for_three_red_indicators_says_how_many():
    reds = [indicator(f"ind.{name}", "red") for name in ("agency-share", "restraint-rate", "staff-turnover")]
    rating, reasons, _ = rate([], reds, [], AS_AT)
    assert (rating, reasons) == (Rating.RED, ("3 red risk indicators",))


def test_rating_red_for_requirements_not_met_on_the_word_of_two_independent_sources():
    advocate = item("a1", Source.ADVOCATE, dt.date(2026, 9, 1), Outcome(OutcomeKind.NOT_MET))
    placing = item("p1", Source.PLACING_LA, dt.date(2026, 9, 2), Outcome(OutcomeKind.NOT_MET))
    provider = item("s1", Source.PROVIDER, dt.date(2026, 9, 3), Outcome(OutcomeKind.NOT_MET))
    findings = [Finding("chr2015.r7", Status.NOT_MET, evidence=("a1", "s1")), Finding("chr2015.r12", Status.NOT_MET, evidence=("p1",))]
    rating, reasons, _ = rate(findings, [], [advocate, placing, provider], AS_AT)
    assert (rating, reasons) == (Rating.RED, (
        "requirements not met on the independent word of 2 different sources",))


def test_rating_amber_for_two_amber_indicators_names_them():
    ambers = [indicator("ind.restraint-rate", "amber"), indicator("ind.agency-share", "amber")]
    rating, reasons, _ = rate([finding("chr2015.r12", Status.MET)], ambers, [], AS_AT)
    assert (rating, reasons) == (Rating.AMBER, ("2 amber risk indicators",))


def test_stale_or_uncorroborated_evidence_never_raises_risk_by_itself():
    # Missing or old evidence is a fact about what we know (assurance), not a sign of harm (issue 16).
    findings = [finding("chr2015.r12", Status.STALE), finding("chr2015.r13", Status.UNCORROBORATED),
                finding("chr2015.r14", Status.MET)]
    assert rate(findings, [], [], AS_AT)[:2] == (Rating.GREEN, ())


def test_a_working_day_window_reaches_back_over_christmas():
    as_at = dt.date(2026, 12, 29)  # Tuesday; Friday 25 and Monday 28 December are bank holidays
    two_working_days = Duration(2, Unit.WORKING_DAY)
    on_christmas_eve = item("e1", Source.OFSTED, dt.date(2026, 12, 24), GOOD)
    the_day_before = item("e2", Source.OFSTED, dt.date(2026, 12, 23), GOOD)
    assert judge(seen(on_christmas_eve), as_at, two_working_days).status is Status.MET
    assert judge(seen(the_day_before), as_at, two_working_days).status is Status.STALE


MONTHLY = Cadence("previous-occurrence", (Step(StepKind.EACH, Duration(1, Unit.MONTH)),), "ek.reg44-report")


def reg44_reports(*days):
    return {"ek.reg44-report": [item(f"r{i}", Source.PROVIDER,
                                     d, RECORDED_OUTCOME, kind="ek.reg44-report") for i, d in enumerate(days)]}


def test_reg_44_visits_are_counted_by_calendar_month_not_a_rolling_30_days():
    reports = reg44_reports(dt.date(2026, 1, 2), dt.date(2026, 2, 27))
    assert cadence_misses(requirement(MONTHLY, "chr2015"), SETTING, [], reports, dt.date(2026, 3, 31)) == ([], set())
    late, _ = cadence_misses(requirement(MONTHLY, "chr2015"), SETTING, [], reports, dt.date(2026, 4, 1))
    assert late == ["last reg44 report 2026-02-27; the next was due by 2026-03-31"]


REVIEWS = Cadence("looked-after-start", (Step(StepKind.WITHIN, Duration(20, Unit.WORKING_DAY)),
                                         Step(StepKind.EVERY, Duration(3, Unit.MONTH), times=1),
                                         Step(StepKind.EVERY, Duration(6, Unit.MONTH))), "ek.iro-review")


def reviews(*days):
    return {"ek.iro-review": [item(f"i{n}", Source.PLACING_LA, d, RECORDED_OUTCOME, kind="ek.iro-review", child="C-1")
                              for n, d in enumerate(days)]}


def test_the_second_review_is_due_3_months_after_the_first_and_later_ones_6_months_after_the_last():
    start = placement(start=dt.date(2026, 1, 5))
    first_late = dt.date(2026, 4, 20)
    messages, _ = cadence_misses(requirement(REVIEWS), SETTING, [start], reviews(first_late), dt.date(2026, 7, 21))
    assert messages == ["child C-1: last iro review 2026-04-20; next was due by 2026-07-20"]
    messages, _ = cadence_misses(requirement(REVIEWS), SETTING, [start], reviews(first_late, dt.date(2026, 7, 20)),
                                 dt.date(2026, 12, 1))
    assert messages == []
