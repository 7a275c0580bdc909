"""Late records come as :class:`~regframe.assess.overdue.Misses`: read as the misses they stand for, made only when read.

A national run finds some 130,000 late records; the assessment keeps them as records and the misses are made
when a report reads them. Whatever reads them must see exactly the misses a list would hold.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest

from regframe import load_framework
from regframe.assess.overdue import Miss, Misses, MissKind, misses
from regframe.assess.reasons import overdue_phrases
from regframe.assess.status import decide
from regframe.assess.summary import summarise
from regframe.evidence import EvidenceItem, Outcome, OutcomeKind, Setting, Source
from regframe.framework.cadence import Cadence, Duration, Step, StepKind, Unit
from regframe.framework.graph import build_graph
from regframe.framework.model import (
    Citation,
    Confidence,
    Effective,
    EvidenceKind,
    Independence,
    Requirement,
    RequirementKind,
    SettingKind,
)

AS_AT = dt.date(2026, 11, 1)
SETTING = Setting("SC1", SettingKind.RSS_CHILDRENS_HOME)
#: a restraint record is due within 24 hours of the restraint; and a six-monthly review with a 28-day follow-up
WITHIN_A_DAY = Cadence("event", (Step(StepKind.WITHIN, Duration(24, Unit.HOUR)),), "ek.restraint-record")
#: the kind as the reasons name it (its title is not what a sentence says of it)
RESTRAINT = EvidenceKind("ek.restraint-record", "Restraint record", "A record.", Independence.PROVIDER,
                         noun="restraint record", plural="restraint records")
REVIEW = Cadence("previous-occurrence", (Step(StepKind.EVERY, Duration(6, Unit.MONTH)),
                                         Step(StepKind.FOLLOW_UP, Duration(28, Unit.DAY))), "ek.reg45-report")


def requirement(cadence: Cadence) -> Requirement:
    return Requirement(
        id="chr2015.x", ref="X", kind=RequirementKind.DUTY, title="X", statement="X",
        effective=Effective(dt.date(2015, 4, 1)), citation=Citation("X", "1", "https://x", AS_AT),
        confidence=Confidence.CONFIRMED, instrument="chr2015", cadence=cadence)


def record(iid: str, kind: str, occurred: dt.date, made: dt.date) -> EvidenceItem:
    return EvidenceItem(id=iid, setting="SC1", source=Source.PROVIDER, kind=kind, observed=made,
                        independence=Source.PROVIDER.default_independence, occurred=occurred,
                        outcome=Outcome(OutcomeKind.RECORDED))


RESTRAINTS = [record("r1", "ek.restraint-record", dt.date(2026, 9, 1), dt.date(2026, 9, 4)),  # 3 days: late
              record("r2", "ek.restraint-record", dt.date(2026, 9, 10), dt.date(2026, 9, 11)),  # next day: in time
              record("r0", "ek.restraint-record", dt.date(2026, 8, 1), dt.date(2026, 8, 6))]  # 5 days: late
LATE = [Miss(MissKind.LATE, "restraint record", dt.date(2026, 8, 2), dt.date(2026, 8, 6), None, "r0",
             dt.date(2026, 8, 1), "24 hours"),
        Miss(MissKind.LATE, "restraint record", dt.date(2026, 9, 2), dt.date(2026, 9, 4), None, "r1",
             dt.date(2026, 9, 1), "24 hours")]


def found_for(cadence: Cadence, records: list[EvidenceItem]) -> Misses:
    found = misses(requirement(cadence), SETTING, [], {cadence.evidence_kind or "": records}, AS_AT)
    assert isinstance(found, Misses)
    return found


def test_late_records_read_as_the_misses_they_stand_for_by_date_and_id():
    found = found_for(WITHIN_A_DAY, RESTRAINTS)
    assert len(found) == 2
    assert list(found) == LATE and found == LATE and LATE == list(found)
    assert found[0] == LATE[0] and found[-1] == LATE[1] and found[0:1] == LATE[:1]
    with pytest.raises(IndexError):
        found[2]
    assert found.records == (RESTRAINTS[2], RESTRAINTS[0])  # kept as the records, not as misses
    assert list(found.late_records()) == [(dt.date(2026, 8, 6), dt.date(2026, 8, 1), dt.date(2026, 8, 2), "r0"),
                                          (dt.date(2026, 9, 4), dt.date(2026, 9, 1), dt.date(2026, 9, 2), "r1")]


def test_no_late_record_is_a_plain_list():
    assert misses(requirement(WITHIN_A_DAY), SETTING, [], {"ek.restraint-record": RESTRAINTS[1:2]}, AS_AT) == []


def test_a_missed_interval_follows_the_late_records():
    # a review on 1 March followed up 40 days later (28 allowed); nothing since, so the next review was missed
    report = record("q1", "ek.reg45-report", dt.date(2026, 3, 1), dt.date(2026, 4, 10))
    found = found_for(REVIEW, [report])
    assert [miss.kind for miss in found] == [MissKind.LATE, MissKind.INTERVAL]
    assert found[0].item == "q1" and found[0].due == dt.date(2026, 3, 29)
    assert found[1] == found.others[0] and found[1].due == dt.date(2026, 10, 10)


def test_the_reasons_of_late_records_read_the_same_from_records_as_from_misses():
    found = found_for(WITHIN_A_DAY, RESTRAINTS)
    facts = _ReasonFacts()
    assert overdue_phrases(found, RESTRAINT.named, requirement(WITHIN_A_DAY), facts) == \
        overdue_phrases(list(found), RESTRAINT.named, requirement(WITHIN_A_DAY), facts) == [
            ("2 restraint records made late, 5 and 3 days after the event, where 24 hours is allowed",
             dt.date(2026, 9, 4), 4, ["r0", "r1"], MissKind.LATE)]


def _late_restraints(days: list[int]) -> list[EvidenceItem]:
    """One restraint record a month from January, each made ``days`` after its restraint."""
    return [record(f"r{n}", "ek.restraint-record", dt.date(2026, n + 1, 1), dt.date(2026, n + 1, 1 + delay))
            for n, delay in enumerate(days)]


@pytest.mark.parametrize(("days", "words"), [
    ([2], "One restraint record made late, 2 days after the event"),
    ([5, 3, 2], "3 restraint records made late, 5, 3 and 2 days after the event"),  # a few: each named
    ([2, 2, 2, 2], "4 restraint records made late, each 2 days after the event"),  # many alike: once
    ([2, 9, 3, 2, 19], "5 restraint records made late, between 2 and 19 days after the event"),  # many: the range
])
def test_the_reason_names_a_few_delays_and_gives_the_range_of_many(days, words):
    found = found_for(WITHIN_A_DAY, _late_restraints(days))
    [(text, _made, _late, evidence, kind)] = overdue_phrases(found, RESTRAINT.named, requirement(WITHIN_A_DAY),
                                                             _ReasonFacts())
    assert text == words + ", where 24 hours is allowed"
    assert evidence == [f"r{n}" for n in range(len(days))] and kind is MissKind.LATE  # every record still cited


def test_a_judgement_keeps_the_late_records_unmade_and_words_a_reason_each():
    found = found_for(WITHIN_A_DAY, RESTRAINTS)
    judgement = decide(summarise([], AS_AT, dt.date(2025, 11, 1)), AS_AT, Duration(12, Unit.MONTH), found)
    assert judgement._unworded[0][2] is found  # not copied into a tuple of misses
    assert judgement.statuses[:2] == (judgement.status,) * 2
    assert [reason.message for reason in judgement.reasons[:2]] == [miss.message for miss in LATE]
    for other in (copy.copy(judgement), copy.deepcopy(judgement), pickle.loads(pickle.dumps(judgement))):
        assert other == judgement and other.reasons == judgement.reasons


class _ReasonFacts:
    """What :func:`overdue_phrases` reads of a setting's reasons for late records: the as-at date."""

    as_at = AS_AT
    children = 2


def test_a_sentence_opening_with_the_kind_capitalises_it_and_one_naming_it_mid_sentence_does_not():
    kinds = build_graph(load_framework())
    visit = Miss(MissKind.CHILD, "statutory visit", dt.date(2026, 10, 1), child="c1", since=dt.date(2026, 6, 1))
    review = Miss(MissKind.INTERVAL, "location assessment", dt.date(2026, 9, 1), last=dt.date(2025, 9, 1))
    facts = _ReasonFacts()
    assert [text for text, *_ in overdue_phrases([visit], kinds.evidence_kind("ek.statutory-visit").named,
                                                 requirement(REVIEW), facts)] == [
        "Statutory visit by the child's social worker overdue for 1 of 2 children placed, waiting since 1 Jun 2026"]
    assert [text for text, *_ in overdue_phrases([review], kinds.evidence_kind("ek.location-assessment").named,
                                                 requirement(REVIEW), facts)] == [
        "No location and premises review since 1 Sep 2025; the next was due by 1 Sep 2026"]
    assert [text for text, *_ in overdue_phrases(found_for(WITHIN_A_DAY, _late_restraints([2, 3])),
                                                 kinds.evidence_kind("ek.restraint-record").named,
                                                 requirement(WITHIN_A_DAY), facts)] == [
        "2 restraint or behaviour-management records made late, 2 and 3 days after the event, where 24 hours "
        "is allowed"]
