"""A setting's inspection history across years of Ofsted files: inspections once each, dated changes."""

from __future__ import annotations

import datetime as dt

from regframe.evidence.history import Change, StatusPoint, build_histories, once_each
from regframe.evidence.model import InspectionKind, OfstedGrade, RegistrationEventKind
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
from tests.conftest import TESTS, shared_data

ERAS = TESTS / "fixtures" / "evidence" / "ofsted-eras"
KEY = PseudonymKey.from_text("test-key-0123456789")
G, RI, BAD = OfstedGrade.GOOD, OfstedGrade.REQUIRES_IMPROVEMENT, OfstedGrade.INADEQUATE


def _overall(history) -> list[tuple[dt.date, str, object]]:
    result = []
    for inspection in history.inspections:
        judgement = inspection.judgement("overall")
        result.append((inspection.date, inspection.kind.value,
                       None if judgement is None else judgement.grade or judgement.outcome))
    return result


def _fixture_history(order=None):
    paths = sorted(ERAS.iterdir()) if order is None else order
    return build_histories(load_evidence(paths, key=KEY))["SC100001"]


def test_several_years_build_one_history_with_every_inspection_once_in_date_order():
    history = _fixture_history()
    assert _overall(history) == [
        (dt.date(2014, 1, 8), "full", RI), (dt.date(2014, 3, 17), "interim", "declined"),
        (dt.date(2015, 1, 27), "full", RI), (dt.date(2017, 5, 10), "full", G),
        (dt.date(2019, 6, 12), "full", BAD),  # in the 2019-20 file and as the 2024 register's previous inspection
        (dt.date(2019, 8, 1), "monitoring", None), (dt.date(2020, 3, 3), "interim", "declined"),
        (dt.date(2023, 11, 14), "full", RI),
    ]


def test_owner_and_status_changes_are_dated_between_the_registers_that_show_them():
    history = _fixture_history()
    assert history.changes_of("owner") == (
        Change("owner", "Acme Care Ltd", "Beta Homes Ltd", dt.date(2020, 3, 3), dt.date(2018, 3, 1)),
        Change("owner", "Beta Homes Ltd", "Gamma Care Ltd", dt.date(2024, 3, 31), dt.date(2020, 3, 3)),
    )
    assert history.suspended_between(dt.date(2020, 1, 1), dt.date(2024, 12, 31)) == [
        StatusPoint(dt.date(2020, 3, 3), "Suspended", False), StatusPoint(dt.date(2020, 3, 31), "Suspended", False),
        StatusPoint(dt.date(2024, 3, 31), "Suspended", False)]
    assert history.status_on(dt.date(2019, 1, 1)) == "Active"
    assert history.changes_of("registration_status") == (
        Change("registration_status", "Active", "Suspended", dt.date(2020, 3, 3), dt.date(2018, 3, 1)),)


def test_the_history_does_not_depend_on_the_order_of_files():
    paths = sorted(ERAS.iterdir())
    assert _fixture_history(paths) == _fixture_history(list(reversed(paths)))


def test_a_registration_event_gives_an_exact_status_change():
    history = build_histories(load_evidence([ERAS / "joiners-leavers-2020.csv"], key=KEY))["SC100009"]
    assert history.changes_of("registration_status") == (
        Change("registration_status", "Active", "Cancelled", dt.date(2020, 2, 14)),)
    assert [r.kind for r in history.registrations] == [RegistrationEventKind.REGISTERED, RegistrationEventKind.CANCELLED]


def test_two_copies_of_one_inspection_keep_the_later_files_copy_whatever_the_order():
    evidence = load_evidence([ERAS / "2019-20-in-year.csv", ERAS / "2024-register-previous.csv"], key=KEY)
    inspections = [i for i in evidence.inspections if i.event == "10090001"]
    assert [i.reported for i in inspections] == [dt.date(2024, 3, 31)]
    assert once_each(list(reversed(evidence.inspections))) == once_each(evidence.inspections)
    assert [d.code for d in evidence.diagnostics] == ["RF303"]  # both repeated inspections, counted once


def test_a_real_childrens_home_followed_across_every_year():
    """SC423617 (Birmingham) in the shared Ofsted files 2013-14 to 2025: 25 inspections, a suspension."""
    folders = [shared_data("ofsted", name) for name in ("history", "in_year_history", "joiners_leavers")]
    history = build_histories(load_evidence(folders, key=KEY))["SC423617"]
    full = [(i.date, i.judgement("overall").grade) for i in history.full_inspections]
    assert full == [
        (dt.date(2014, 6, 20), G), (dt.date(2015, 10, 15), G), (dt.date(2016, 4, 26), BAD),
        (dt.date(2016, 8, 23), RI), (dt.date(2017, 6, 14), RI), (dt.date(2018, 4, 9), G),
        (dt.date(2019, 5, 7), RI), (dt.date(2022, 11, 23), G), (dt.date(2023, 7, 10), RI),
        (dt.date(2024, 6, 24), BAD), (dt.date(2024, 10, 9), RI),
    ]
    kinds = [i.kind for i in history.inspections]
    assert (len(kinds), kinds.count(InspectionKind.INTERIM), kinds.count(InspectionKind.MONITORING),
            kinds.count(InspectionKind.ASSURANCE)) == (25, 6, 7, 1)
    assert history.inspections[0].judgement("overall").outcome == "declined"  # 2013-14's interim code 4
    # the owner's name as each register spells it: one rename, dated between the 2018 and 2019 registers
    assert history.changes_of("owner") == (Change(
        "owner", "Adecyn Children's Home Ltd", "Adecyn Childrens Homes Ltd", dt.date(2019, 3, 25), dt.date(2018, 3, 27)),)
    assert history.changes_of("registration_status") == (Change(
        "registration_status", "Active", "Suspended", dt.date(2025, 3, 26), dt.date(2024, 3, 31)),)
