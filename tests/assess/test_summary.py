"""Summaries add up: judging stretches put together gives what judging the whole sequence gives, ties included."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from regframe.assess.results import Reason, Status
from regframe.assess.status import Judgement, Seen, decide, describe, judge, polarity, window_start
from regframe.assess.summary import Polarity, Summary, combine, summarise
from regframe.evidence import Action, ActionKind, EvidenceItem, OfstedGrade, Outcome, OutcomeKind, Source
from regframe.framework.cadence import Duration, Unit

AS_AT = dt.date(2026, 10, 31)
YEAR = Duration(12, Unit.MONTH)
SIGNALS = frozenset({"ek.signal"})
OUTCOMES = [None, Outcome(OutcomeKind.MET), Outcome(OutcomeKind.NOT_MET), Outcome(OutcomeKind.RECORDED),
            Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD), Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE),
            Outcome(OutcomeKind.SCORE, score=2), Outcome(OutcomeKind.SCORE, score=4)]
SOURCES = [Source.OFSTED, Source.CQC, Source.PROVIDER, Source.PLACING_LA]
#: few dates, so that ties of dates (which the rules break by order) are common; some after as_at
DAYS = [dt.date(2025, 6, 1), dt.date(2026, 3, 1), dt.date(2026, 9, 1), dt.date(2026, 9, 1), dt.date(2026, 11, 5)]


@st.composite
def items(draw: st.DrawFn) -> EvidenceItem:
    source = draw(st.sampled_from(SOURCES))
    action = draw(st.sampled_from([None, Action(ActionKind.OFSTED_REQUIREMENT), Action(ActionKind.CQC_BREACH, closed=True)]))
    return EvidenceItem(f"e{draw(st.integers(0, 10**6))}", "SC1", source, draw(st.sampled_from(["ek.thing", "ek.signal"])),
                        draw(st.sampled_from(DAYS)), source.default_independence,
                        outcome=draw(st.sampled_from(OUTCOMES)), action=action)


def _seen(item: EvidenceItem, suspect: bool) -> Seen:
    return Seen(item, polarity(item, SIGNALS), suspect)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(items(), st.booleans()), max_size=6), min_size=1, max_size=4),
       st.sampled_from([YEAR, Duration(6, Unit.MONTH), Duration(3, Unit.MONTH)]))
def test_stretches_summarised_and_put_together_are_judged_as_the_whole(stretches, window):
    whole = [_seen(item, suspect) for stretch in stretches for item, suspect in stretch]
    start = window_start(AS_AT, window)
    parts: list[tuple[int, Summary, bool]] = []
    place = 0
    for segment, stretch in enumerate(stretches):
        entries = []
        for item, suspect in stretch:
            entries.append((place, item, polarity(item, SIGNALS), suspect))
            place += 1
        parts.append((segment, summarise(entries, AS_AT, start), False))
    expected = judge(whole, AS_AT, window, ("a deadline missed",))
    found = decide(combine(parts), AS_AT, window, ("a deadline missed",))
    assert (found.status, found.reasons, found.evidence, found.provider_contradicted, found.latest_by_regulator,
            found.suspect) == (expected.status, expected.reasons, expected.evidence, expected.provider_contradicted,
                               expected.latest_by_regulator, expected.suspect)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(items(), st.integers(0, 2)), min_size=1, max_size=10))
def test_classes_of_one_stretch_interleave_by_place(tagged):
    """Items of one stretch split into classes (any split) and put together by their places: the stretch."""
    start = window_start(AS_AT, YEAR)
    entries = [(place, item, polarity(item, SIGNALS), False) for place, (item, _) in enumerate(tagged)]
    by_class = {tag: [e for e, (_, t) in zip(entries, tagged, strict=True) if t == tag] for _, tag in tagged}
    parts = [(0, summarise(found, AS_AT, start), False) for found in by_class.values()]
    expected = judge([_seen(item, False) for item, _ in tagged], AS_AT, YEAR)
    found = decide(combine(parts), AS_AT, YEAR)
    assert (found.status, found.reasons, found.evidence, found.latest_by_regulator) == \
        (expected.status, expected.reasons, expected.evidence, expected.latest_by_regulator)


def test_a_suspect_link_marks_only_a_stretch_with_current_items():
    current = EvidenceItem("e1", "SC1", Source.OFSTED, "ek.thing", dt.date(2026, 9, 1), Source.OFSTED.default_independence,
                           outcome=Outcome(OutcomeKind.MET))
    future = EvidenceItem("e2", "SC1", Source.OFSTED, "ek.thing", dt.date(2026, 12, 1),
                          Source.OFSTED.default_independence, outcome=Outcome(OutcomeKind.MET))
    start = window_start(AS_AT, YEAR)

    def summary(item: EvidenceItem) -> Summary:
        return summarise([(0, item, polarity(item, SIGNALS), False)], AS_AT, start)

    assert decide(combine([(0, summary(current), True)]), AS_AT, YEAR).suspect
    assert not decide(combine([(0, summary(current), False), (1, summary(future), True)]), AS_AT, YEAR).suspect


def test_a_judgement_resting_on_one_item_reads_as_any_other():
    met = EvidenceItem("e1", "SC1", Source.OFSTED, "ek.thing", dt.date(2026, 9, 1), Source.OFSTED.default_independence,
                       outcome=Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD))
    entries = [(0, met, polarity(met, SIGNALS), False)]
    found = decide(summarise(entries, AS_AT, window_start(AS_AT, YEAR)), AS_AT, YEAR)
    assert type(found).__name__ == "_OneItemJudgement"  # the compact kind, which this test holds to the general one
    general = Judgement.to_word(found.status, [(Status.MET, lambda item: f"latest independent finding is positive: "
                                                f"{describe(item)}", met)], ("e1",), False,
                                found.latest_by_regulator, False)
    assert found == general
    assert (found.status, found.statuses, found.evidence) == (Status.MET, (Status.MET,), ("e1",))
    assert found.reasons == (Reason(Status.MET, "latest independent finding is positive: ofsted thing 2026-09-01 "
                                                "(e1): good"),)
    # a judgement worded and kept (as judge does) gives the same words
    assert judge([Seen(met, Polarity.POSITIVE, False)], AS_AT, YEAR).reasons == found.reasons


def test_a_judgement_resting_on_one_item_copies_and_pickles_as_any_other():
    import copy
    import pickle

    met = EvidenceItem("e1", "SC1", Source.OFSTED, "ek.thing", dt.date(2026, 9, 1), Source.OFSTED.default_independence,
                       outcome=Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD))
    found = decide(summarise([(0, met, polarity(met, SIGNALS), False)], AS_AT, window_start(AS_AT, YEAR)), AS_AT, YEAR)
    worded = judge([Seen(met, Polarity.POSITIVE, False)], AS_AT, YEAR)  # its reasons worded and kept
    for judgement in (found, worded):
        assert copy.copy(judgement) == judgement
        assert copy.deepcopy(judgement) == judgement
        assert pickle.loads(pickle.dumps(judgement)) == judgement


def test_a_requirements_missed_deadlines_are_a_reason_each_in_order():
    from regframe.assess.overdue import Miss, MissKind

    provider = EvidenceItem("p1", "SC1", Source.PROVIDER, "ek.thing", dt.date(2026, 9, 1),
                            Source.PROVIDER.default_independence, outcome=Outcome(OutcomeKind.MET))
    late = [Miss(MissKind.LATE, "restraint record", dt.date(2026, 8, 2), dt.date(2026, 8, 5), item="r1",
                 occurred=dt.date(2026, 8, 1), allowed="1 day"),
            "visit late"]
    summary = summarise([(0, provider, polarity(provider, SIGNALS), False)], AS_AT, window_start(AS_AT, YEAR))
    found = decide(summary, AS_AT, YEAR, late)
    late.clear()  # the judgement keeps its own record of them
    assert found.statuses == (Status.OVERDUE, Status.OVERDUE, Status.UNCORROBORATED)
    assert [reason.message for reason in found.reasons[:2]] == [
        "restraint record r1 made 2026-08-05, more than 1 day after 2026-08-01 (due by 2026-08-02)", "visit late"]
    assert found.status is Status.OVERDUE and found.evidence == ("p1",)


def test_a_judgement_with_missed_deadlines_copies_and_pickles_as_any_other():
    import copy
    import pickle

    from regframe.assess.overdue import Miss, MissKind

    late = [Miss(MissKind.INTERVAL, "reg44 report", dt.date(2026, 9, 30), last=dt.date(2026, 8, 20)), "visit late"]
    found = decide(summarise([], AS_AT, window_start(AS_AT, YEAR)), AS_AT, YEAR, late)
    for other in (copy.copy(found), copy.deepcopy(found), pickle.loads(pickle.dumps(found))):
        assert other == found
        assert other.statuses == found.statuses == (Status.OVERDUE, Status.OVERDUE, Status.NO_EVIDENCE)
        assert other.reasons == found.reasons
