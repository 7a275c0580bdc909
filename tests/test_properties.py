"""Properties that must hold for any input, checked with hypothesis."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from regframe.assess import Seen, judge, polarity
from regframe.assess.results import PRECEDENCE
from regframe.evidence import EvidenceItem, OfstedGrade, Outcome, OutcomeKind, Source
from regframe.framework.cadence import Duration, Unit, add_working_days
from regframe.framework.holidays import bank_holidays
from regframe.framework.model import Independence
from regframe.io.xlsxcells import safe_text

AS_AT = dt.date(2026, 10, 31)


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(list(Unit)))
def test_a_duration_reads_back_from_its_own_text(amount, unit):
    duration = Duration(amount, unit)
    assert Duration.parse(str(duration)) == duration


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)), st.integers(min_value=1, max_value=400))
def test_working_days_land_on_a_working_day_and_move_forward(start, days):
    end = add_working_days(start, days)
    assert end.weekday() < 5 and end not in bank_holidays(end.year)
    assert (end - start).days >= days
    assert add_working_days(start, days + 1) > end


OUTCOMES = st.one_of(
    st.none(),
    st.sampled_from([Outcome(k) for k in (OutcomeKind.MET, OutcomeKind.NOT_MET, OutcomeKind.PARTLY_MET,
                                          OutcomeKind.CONCERN, OutcomeKind.RECORDED)]),
    st.builds(lambda s: Outcome(OutcomeKind.SCORE, score=s), st.integers(1, 4)),
    st.builds(lambda g: Outcome(OutcomeKind.GRADE, grade=g), st.sampled_from(list(OfstedGrade))),
)
ITEMS = st.builds(
    lambda n, source, outcome, days: EvidenceItem(
        f"e{n}", "SC1", source, "ek.thing", AS_AT - dt.timedelta(days=days),
        {Source.OFSTED: Independence.REGULATOR, Source.CQC: Independence.REGULATOR,
         Source.PROVIDER: Independence.PROVIDER}.get(source, Independence.INDEPENDENT), outcome=outcome),
    st.integers(0, 10_000), st.sampled_from([Source.OFSTED, Source.CQC, Source.PROVIDER, Source.PLACING_LA]),
    OUTCOMES, st.integers(-30, 900),
)


@settings(max_examples=300)
@given(st.lists(ITEMS, max_size=12), st.lists(st.text(min_size=1, max_size=5), max_size=2))
def test_exactly_one_status_the_first_in_precedence_of_those_that_applied(items, overdue):
    judgement = judge([Seen(i, polarity(i, frozenset()), False) for i in items], AS_AT, Duration(12, Unit.MONTH), overdue)
    applied = {reason.status for reason in judgement.reasons}
    assert applied and judgement.status in applied
    assert judgement.status == next(status for status in PRECEDENCE if status in applied)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_no_text_ever_becomes_a_formula(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cells") / "cell.xlsx"
    book = Workbook()
    book.active["A1"] = safe_text(text)
    book.save(path)
    cell = load_workbook(path).active["A1"]
    assert cell.data_type != "f"
