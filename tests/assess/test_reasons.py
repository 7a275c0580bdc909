"""The reasons a director reads: one sentence per rule family, pinned word for word, and their ranking.

Each test assesses one children's home, Example House, as at 31 October 2026 against the shipped
framework, with a handful of items, and reads its ranked reasons.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from regframe.assess import assess
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
from regframe.framework import load_framework
from regframe.framework.graph import build_graph
from regframe.framework.model import SettingKind

AS_AT = dt.date(2026, 10, 31)
URN = "SC000001"


@cache
def graph():
    return build_graph(load_framework())


def item(iid, source, kind, observed, outcome=None, refs=(), summary="", occurred=None, child=None, action=None):
    return EvidenceItem(iid, URN, source, kind, observed, source.default_independence, child=child, occurred=occurred,
                        references=refs, outcome=outcome, summary=summary, action=action)


GOOD_2026 = item("o1", Source.OFSTED, "ek.ofsted-judgement", dt.date(2026, 3, 10),
                 Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD), refs=("sccif-ch.overall",))


def reasons(*items, placements=(), metrics=(), places=8):
    evidence = EvidenceSet()
    evidence.add_setting(Setting(URN, SettingKind.CHILDRENS_HOME, "Example House", places=places))
    for one in items:
        evidence.add_item(one)
    for placement in placements:
        evidence.add_placement(placement)
    for metric in metrics:
        evidence.add_metric(metric)
    setting = assess(graph(), evidence, AS_AT).settings[0]
    return setting, [r.text for r in setting.reasons]


def children(count, **fields):
    return [Placement(f"C-{n}", URN, "Northmoor", dt.date(2026, 1, 5), **fields) for n in range(count)]


def test_rated_good_but_heads_the_reasons_and_names_the_other_sources():
    concern = item("w1", Source.WHISTLEBLOWER, "ek.whistleblowing", dt.date(2026, 10, 12), Outcome(OutcomeKind.CONCERN),
                   refs=("Regulation 12",), summary="night staff asleep on shift")
    setting, texts = reasons(GOOD_2026, concern)
    assert texts == [
        "Rated good, but …: Ofsted judged it good on 10 Mar 2026, while in the last twelve months red signs came "
        "from a whistleblower",
        "A whistleblower raised a concern on 12 Oct 2026: night staff asleep on shift (CHR 2015 reg 12 The protection "
        "of children standard) — a whistleblower, Oct 2026",
    ]
    assert [(r.rule, r.level.value) for r in setting.reasons] == [("rated-good-but", "amber"), ("not-met", "amber")]
    assert (setting.reasons[1].requirement, setting.reasons[1].ref, setting.reasons[1].evidence) == (
        "chr2015.r12", "CHR 2015 reg 12", ("w1",))


def test_an_old_inadequate_judgement_is_a_reason_that_says_it_stands():
    old = item("o1", Source.OFSTED, "ek.ofsted-judgement", dt.date(2021, 6, 1),
               Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE), refs=("sccif-ch.overall",))
    setting, texts = reasons(old)
    assert setting.rating.value == "red" and setting.assurance.value == "low"
    assert texts == ["Ofsted's latest judgement is inadequate (1 Jun 2021); it is 65 months old and stands until a "
                     "newer inspection replaces it"]


def test_an_open_regulator_action_names_its_due_date_and_the_contradicted_provider():
    action = item("o2", Source.OFSTED, "ek.ofsted-action", dt.date(2026, 3, 10), refs=("Regulation 35(3)(a)",),
                  summary="restraint records not completed within 24 hours",
                  action=Action(ActionKind.OFSTED_REQUIREMENT, due=dt.date(2026, 4, 30)))
    claim = item("p1", Source.PROVIDER, "ek.provider-self-assessment", dt.date(2026, 9, 1), Outcome(OutcomeKind.MET),
                 refs=("Regulation 35(3)(a)",))
    _, texts = reasons(GOOD_2026, action, claim)
    assert texts[-1] == (
        "Ofsted's requirement of 10 Mar 2026 is still open, due 30 Apr 2026: restraint records not completed within "
        "24 hours; the provider's own word says met (CHR 2015 reg 35(3)(a) Record within 24 hours; CHR 2015 reg 35 "
        "Behaviour management policies and records; and 1 related requirement) — Ofsted, Mar 2026")


def test_a_stopped_monthly_duty_says_since_when_and_when_the_next_was_due():
    visits = [item(f"r{m}", Source.INDEPENDENT_PERSON, "ek.reg44-report", dt.date(2026, m, 14), Outcome(OutcomeKind.RECORDED))
              for m in range(5, 9)]
    _, texts = reasons(GOOD_2026, *visits)
    assert texts == ["No Regulation 44 independent person's report since 14 Aug 2026; the next was due by 30 Sep 2026 "
                     "(CHR 2015 reg 44 Independent person: visits and reports: once each calendar month) — the reg 44 independent "
                     "person, Aug 2026"]


def test_late_lado_referrals_give_the_delays_and_join_the_lado_indicator():
    referrals = [item(f"l{n}", Source.LADO, "ek.lado-referral", observed, Outcome(OutcomeKind.RECORDED), occurred=occurred)
                 for n, (occurred, observed) in enumerate([(dt.date(2026, 6, 19), dt.date(2026, 6, 26)),
                                                           (dt.date(2026, 9, 11), dt.date(2026, 9, 17)),
                                                           (dt.date(2026, 8, 3), dt.date(2026, 8, 4)),
                                                           (dt.date(2026, 10, 2), dt.date(2026, 10, 5))])]
    setting, texts = reasons(GOOD_2026, *referrals)
    assert texts[1] == (
        "4 LADO referrals about staff in twelve months, red at 4; 2 LADO referrals made late, 7 and 6 days after the "
        "allegation, where 1 working day is allowed (WT 2023 LADO referral Employers refer allegations to the LADO "
        "within one working day) — the LADO, Sep 2026")
    assert setting.reasons[1].level.value == "red"  # the red indicator joined it


def test_children_without_an_advocate_is_one_reason_naming_the_requirement():
    placed = children(10)
    seen = [item(f"a{n}", Source.PLACING_LA, "ek.advocacy-visit", dt.date(2026, 10, 31),
                 Outcome(OutcomeKind.NOT_MET if n < 9 else OutcomeKind.MET), child=f"C-{n}") for n in range(10)]
    _, texts = reasons(GOOD_2026, *seen, placements=placed)
    assert texts[1].startswith("9 of 10 children have had no independent advocate in the last twelve months, red at "
                               "50% (CHR 2015 reg 7(2)(b)(iii) Advocacy support; ")
    assert texts[1].endswith(" — placing authorities' returns, Oct 2026")
    assert sum("advocate" in t for t in texts) == 1  # the finding and the indicator are one sign, said once


def test_a_restraint_rise_gives_the_monthly_figures_and_the_thresholds():
    months = [dt.date(2026, m, 1) for m in range(4, 10)]
    figures = [MetricValue(URN, day, Metric.RESTRAINT_INCIDENTS, value, Source.PLACING_LA)
               for day, value in zip(months, (4, 4, 4, 8, 10, 12), strict=True)]
    _, texts = reasons(GOOD_2026, placements=children(4), metrics=figures)
    assert [t for t in texts if t.startswith("Restraint")] == ["Restraint rose from 4 incidents a month in Apr 2026 to 12 in Sep 2026, red at 1.5 times the "
                        "three months before; now 2.5 a child a month over Jul–Sep 2026, red at 2 a child a month "
                        "— placing authorities' returns, Sep 2026"]


def test_an_indicator_alone_is_its_own_reason_with_its_figure_as_a_percentage():
    figures = [MetricValue(URN, dt.date(2026, m, 1), Metric.AGENCY_SHARE, 0.45, Source.PLACING_LA) for m in (7, 8, 9)]
    setting, texts = reasons(GOOD_2026, metrics=figures)
    assert setting.rating.value == "amber"
    assert texts[1:] == ["45% of shifts worked by agency staff over the last three months, red at 40% — placing "
                         "authorities' returns, Sep 2026"]


def test_statutory_visits_overdue_for_children_say_how_many_and_since_when():
    placed = children(4, looked_after=True)
    visits = [item(f"v{n}", Source.PLACING_LA, "ek.statutory-visit", day, Outcome(OutcomeKind.RECORDED), child=f"C-{n}")
              for n, day in enumerate([dt.date(2026, 5, 2), dt.date(2026, 10, 1), dt.date(2026, 10, 2),
                                       dt.date(2026, 10, 3)])]
    _, texts = reasons(GOOD_2026, *visits, placements=placed)
    assert ("Statutory visit by the child's social worker overdue for 1 of 4 children placed, waiting since "
            "2 May 2026, red at 25% (CPPCR 2010 reg 28 Frequency of social worker visits) — placing authorities' "
            "returns, Oct 2026") in texts


def test_a_count_of_children_that_is_all_of_them_says_so():
    """Never "1 of 1 children" or "4 of 4 children": the one child, both, all of them; the verb agrees."""
    def overdue(count: int, total: int) -> list[str]:
        visits = [item(f"v{n}", Source.PLACING_LA, "ek.statutory-visit", dt.date(2026, 5, 2 + n),
                       Outcome(OutcomeKind.RECORDED), child=f"C-{n}") for n in range(count)]
        visits += [item(f"w{n}", Source.PLACING_LA, "ek.statutory-visit", dt.date(2026, 10, 2),
                        Outcome(OutcomeKind.RECORDED), child=f"C-{n}") for n in range(count, total)]
        _, texts = reasons(GOOD_2026, *visits, placements=children(total, looked_after=True))
        return [text.split(", red at")[0].split(" (CPPCR")[0] for text in texts if text.startswith("Statutory visit")]

    assert overdue(1, 1) == ["Statutory visit by the child's social worker overdue for the one child placed, "
                             "waiting since 2 May 2026"]
    assert overdue(2, 2) == ["Statutory visit by the child's social worker overdue for both children placed, "
                             "the longest waiting since 2 May 2026"]
    assert overdue(3, 3) == ["Statutory visit by the child's social worker overdue for all 3 children placed, "
                             "the longest waiting since 2 May 2026"]
    assert overdue(2, 3) == ["Statutory visit by the child's social worker overdue for 2 of 3 children placed, "
                             "the longest waiting since 2 May 2026"]
    _, texts = reasons(GOOD_2026, placements=children(1, looked_after=True))
    assert any(text.startswith("The one child has had no independent advocate in the last twelve months")
               for text in texts)


def test_the_settings_own_failing_duties_rank_before_other_bodies_and_indicators_alone():
    placed = children(4, looked_after=True)
    visits = [item(f"v{n}", Source.PLACING_LA, "ek.statutory-visit", dt.date(2026, 5, 2), Outcome(OutcomeKind.RECORDED),
                   child=f"C-{n}") for n in range(4)]
    reg44 = item("r1", Source.INDEPENDENT_PERSON, "ek.reg44-report", dt.date(2026, 8, 14), Outcome(OutcomeKind.RECORDED))
    agency = [MetricValue(URN, dt.date(2026, m, 1), Metric.AGENCY_SHARE, 0.45, Source.PLACING_LA) for m in (7, 8, 9)]
    setting, texts = reasons(GOOD_2026, reg44, *visits, placements=placed, metrics=agency)
    assert [r.rule for r in setting.reasons] == ["rated-good-but", "overdue", "overdue", "indicator", "indicator"]
    assert texts[1].startswith("No Regulation 44") and texts[2].startswith("Statutory visit")
    # the two red indicators after them, in the order of their words (the last tie-break)
    assert texts[3].startswith("45% of") and texts[4].startswith("All 4 children have had no independent advocate")


def test_a_green_setting_with_nothing_wrong_has_no_reasons():
    setting, texts = reasons(GOOD_2026)
    assert (setting.rating.value, texts) == ("green", [])


@pytest.mark.parametrize("text", ["chr2015.", "ind.", "ek."])
def test_no_sentence_carries_an_internal_id(text):
    placed = children(10)
    seen = [item(f"a{n}", Source.PLACING_LA, "ek.advocacy-visit", dt.date(2026, 10, 31), Outcome(OutcomeKind.NOT_MET),
                 child=f"C-{n}") for n in range(10)]
    _, texts = reasons(GOOD_2026, *seen, placements=placed)
    assert texts and not any(text in t for t in texts)
