"""The register respected: closed, resigned or cancelled settings are not rated; a closure inside the window is judged up to that day."""

from __future__ import annotations

import datetime as dt

import pytest

import regframe
from regframe.assess import assess
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
from tests import small_inputs
from tests.conftest import SHARED_DATA

KEY = PseudonymKey.from_text("register-test-key-0123")
AS_AT = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def graph():
    return regframe.build_graph(regframe.load_framework())


def _run(graph, tmp_path, *rows, closures=(), as_at=AS_AT):
    paths = [small_inputs.register(tmp_path / "register.csv", *rows)]
    if closures:
        paths.append(small_inputs.closed_homes(tmp_path / "closed.csv", *closures))
    return assess(graph, load_evidence(paths, key=KEY), as_at)


def test_a_home_closed_before_as_at_is_not_rated_but_listed_apart_with_its_date(graph, tmp_path):
    result = _run(graph, tmp_path, small_inputs.ofsted_row("SC100001", "Acme Ltd"),
                  small_inputs.ofsted_row("SC100002", "Acme Ltd", grade="Requires improvement to be good", event="2"),
                  closures=[("SC100002", "Resigned", "01/02/2022")])
    assert [s.setting.urn for s in result.settings] == ["SC100001"]
    assert [(c.setting.urn, c.registration_status, c.closed_on, c.assessment) for c in result.closed] == [
        ("SC100002", "Resigned", dt.date(2022, 2, 1), None)]  # closed before the window: listed only
    assert [g.settings for g in result.groups] == [("SC100001",)]


def test_a_home_that_closed_inside_the_window_is_assessed_as_at_its_closure(graph, tmp_path):
    # an inspection dated after the closure (as a register can carry) is not evidence about the open home
    result = _run(graph, tmp_path, small_inputs.ofsted_row("SC100001", "Acme Ltd"),
                  small_inputs.ofsted_row("SC100002", "Acme Ltd", inspected="01/03/2024", grade="Inadequate", event="2"),
                  closures=[("SC100002", "Resigned", "01/02/2024")])
    (closed,) = result.closed
    assert closed.closed_on == dt.date(2024, 2, 1)
    assert closed.assessment is not None
    assert closed.assessment.rating.value == "green"  # as at 2024-06-30 the inadequate judgement would make it red
    assert not any("2024-03-01" in r.message for f in closed.assessment.findings for r in f.reasons)
    assert [s.setting.urn for s in result.settings] == ["SC100001"]
    opened = _run(graph, tmp_path, small_inputs.ofsted_row("SC100002", "Acme Ltd", inspected="01/03/2024",
                                                           grade="Inadequate", event="2"))
    assert [s.rating.value for s in opened.settings] == ["red"]


def test_a_status_that_has_left_the_register_without_a_date_is_listed_apart_and_a_suspension_is_rated(graph, tmp_path):
    result = _run(graph, tmp_path, small_inputs.ofsted_row("SC100001", "A", status="Cancelled"),
                  small_inputs.ofsted_row("SC100002", "B", status="Suspended"))
    assert [(c.setting.urn, c.registration_status, c.closed_on) for c in result.closed] == [
        ("SC100001", "Cancelled", None)]
    assert [(s.setting.urn, s.setting.registration_status) for s in result.settings] == [("SC100002", "Suspended")]


def test_a_closure_after_as_at_has_not_happened_yet(graph, tmp_path):
    result = _run(graph, tmp_path, small_inputs.ofsted_row("SC100001", "A"),
                  closures=[("SC100001", "Resigned", "01/09/2024")])
    assert [s.setting.urn for s in result.settings] == ["SC100001"] and result.closed == ()


def test_registration_status_and_dates_are_kept_from_each_ofsted_file(tmp_path):
    register = small_inputs.register(tmp_path / "register.csv", small_inputs.ofsted_row("SC100001", "A", status="Active"))
    in_year = tmp_path / "in-year.csv"
    in_year.write_text(register.read_text().replace("Latest full inspection ", "Inspection ").replace(
        "SC100001", "SC100003").replace("Active", "Suspended"))
    closed = small_inputs.closed_homes(tmp_path / "closed.csv", ("SC100001", "Resigned", "01/02/2024"))
    settings = load_evidence([register, in_year, closed], key=KEY).settings
    assert {urn: (s.registration_status, s.registered_on, s.closed_on) for urn, s in settings.items()} == {
        "SC100001": ("Resigned", dt.date(2015, 4, 1), dt.date(2024, 2, 1)),
        "SC100003": ("Suspended", dt.date(2015, 4, 1), None),
    }


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared data not present")
def test_real_register_and_closed_homes_file(graph):
    folder = SHARED_DATA / "ofsted"
    evidence = load_evidence([folder / "Provider_level_at_31_Aug_2023.csv", folder / "Closed_childrens_homes_31Mar23.csv"],
                             key=KEY)
    closed = {urn for urn, s in evidence.settings.items() if s.closed_on is not None}
    from regframe.assess.register import closed_as_at

    assert {urn for urn, s in evidence.settings.items() if closed_as_at(s, dt.date(2023, 8, 31))} >= closed
