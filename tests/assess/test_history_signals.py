"""History-based signals (downgrade, runs below good, suspension, overdue inspections) and THE provider-group rule."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from regframe.assess import assess
from regframe.evidence.model import OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework import load_framework
from regframe.framework.model import Comparison, Level, RequirementKind, SettingKind, Threshold
from regframe.ingest import load_evidence
from tests.assess.test_assess import AS_AT, evidence, framework, item, req
from tests.conftest import TESTS

ERAS = TESTS / "fixtures" / "evidence" / "ofsted-eras"
KEY = PseudonymKey.from_text("test-key-0123456789")
INADEQUATE = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE)
RI = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.REQUIRES_IMPROVEMENT)


def _with_group_rule(threshold: float = 2.0):
    base = framework()
    rule = req("ind.provider-group-inadequate-or-suspended", (), kind=RequirementKind.INDICATOR, thresholds=(
        Threshold("owner-settings-inadequate-or-suspended-12m", Comparison.GE, threshold, Level.RED),))
    panel = attrs.evolve(base.instruments[2], requirements=(*base.instruments[2].requirements, rule))
    return attrs.evolve(base, instruments=(base.instruments[0], base.instruments[1], panel))


A1 = Setting("SC1", SettingKind.CHILDRENS_HOME, owner="Group A")
A2 = Setting("SC2", SettingKind.CHILDRENS_HOME, owner="group  a")  # the same owner, spelt otherwise
A3 = Setting("SC3", SettingKind.CHILDRENS_HOME, owner="Group A")


def _overall(iid, urn, outcome, observed=dt.date(2026, 6, 1)):
    return item(iid, urn, Source.OFSTED, ("sccif-ch.overall",), outcome, observed=observed)


def test_an_owner_with_two_settings_judged_inadequate_in_the_window_stands_out():
    items = [_overall("o1", "SC1", INADEQUATE), _overall("o2", "SC2", INADEQUATE)]
    [group] = assess(_with_group_rule(), evidence([A1, A2, A3], items), AS_AT).groups
    assert (group.owner, group.settings, group.settings_with_failings, group.stands_out) == (
        "Group A", ("SC1", "SC2", "SC3"), ("SC1", "SC2"), True)
    assert group.basis == ("stands out with 2 or more settings judged inadequate by Ofsted or suspended in the 12 months "
                           "to 2026-10-31 (ind.provider-group-inadequate-or-suspended)")


def test_one_inadequate_and_one_suspended_setting_make_two():
    suspended = attrs.evolve(A2, registration_status="Suspended", status_as_at=dt.date(2026, 9, 30))
    [group] = assess(_with_group_rule(), evidence([A1, suspended], [_overall("o1", "SC1", INADEQUATE)]), AS_AT).groups
    assert (group.settings_with_failings, group.stands_out) == (("SC1", "SC2"), True)


@pytest.mark.parametrize("items, why", [
    ([_overall("o1", "SC1", RI), _overall("o2", "SC2", RI)], "requires improvement is not inadequate"),
    ([_overall("o1", "SC1", INADEQUATE), _overall("o2", "SC2", INADEQUATE, dt.date(2025, 10, 31))], "one outside the window"),
    ([_overall("o1", "SC1", INADEQUATE)], "only one"),
])
def test_an_owner_does_not_stand_out_short_of_the_rule(items, why):
    [group] = assess(_with_group_rule(), evidence([A1, A2], items), AS_AT).groups
    assert group.stands_out is False, why


def test_the_threshold_is_the_frameworks_so_a_revision_moves_it():
    items = [_overall("o1", "SC1", INADEQUATE)]
    [group] = assess(_with_group_rule(threshold=1), evidence([A1, A2], items), AS_AT).groups
    assert group.stands_out is True


def test_without_the_indicator_no_group_stands_out_and_the_basis_says_why():
    items = [_overall("o1", "SC1", INADEQUATE), _overall("o2", "SC2", INADEQUATE)]
    [group] = assess(framework(), evidence([A1, A2], items), AS_AT).groups
    assert (group.stands_out, group.basis) == (False, "the framework has no provider-group indicator")


# ---- the signals on the fixtures' home SC100001 (see tests/ingest/test_ofsted_eras.py), shipped framework

@pytest.fixture(scope="module")
def shipped():
    return load_framework()


@pytest.fixture(scope="module")
def fixtures_evidence():
    return load_evidence(sorted(ERAS.iterdir()), key=KEY)


def _signals(framework_, evidence_, as_at):
    setting = next(s for s in assess(framework_, evidence_, as_at).settings if s.setting.urn == "SC100001")
    return {r.indicator: (r.value, r.level.value if r.level else None, r.axis.value) for r in setting.indicators if r.indicator.startswith(
        ("ind.ofsted", "ind.full-inspection", "ind.inspection-overdue", "ind.provider-group"))}


def test_a_downgrade_from_good_to_inadequate_is_red(shipped, fixtures_evidence):
    assert _signals(shipped, fixtures_evidence, dt.date(2023, 6, 1))["ind.ofsted-downgrade"] == (2.0, "red", "risk")


def test_after_recovering_to_requires_improvement_two_judgements_below_good_in_a_row_and_a_suspension(
        shipped, fixtures_evidence):
    signals = _signals(shipped, fixtures_evidence, dt.date(2024, 6, 1))
    assert signals["ind.ofsted-downgrade"] == (0.0, None, "risk")  # inadequate, then requires improvement
    assert signals["ind.ofsted-below-good-run"] == (2.0, "amber", "risk")
    assert signals["ind.ofsted-suspension"] == (1.0, "red", "risk")  # the register of 31 March 2024


def test_overdue_inspections_are_assurance_signals_not_harm(shipped, fixtures_evidence):
    signals = _signals(shipped, fixtures_evidence, dt.date(2025, 3, 1))
    assert signals["ind.full-inspection-overdue"] == (15.5, "amber", "assurance")   # last full 14 Nov 2023
    assert signals["ind.inspection-overdue-twice-yearly"] == (15.5, "red", "assurance")  # last judged RI
    assert signals["ind.ofsted-suspension"] == (1.0, "red", "risk")  # the register of 31 March 2024


def test_a_home_that_left_the_register_is_not_overdue_for_inspection_it_is_listed_apart_unrated(shipped):
    # the register respected (regframe.assess.register): closed before the window, it is neither rated nor overdue
    evidence_ = load_evidence([ERAS / "joiners-leavers-2017.csv", ERAS / "closed-providers.csv"], key=KEY)
    result = assess(shipped, evidence_, dt.date(2024, 6, 1))
    assert "SC100007" not in {s.setting.urn for s in result.settings}
    [closed] = [c for c in result.closed if c.setting.urn == "SC100007"]
    assert (closed.closed_on, closed.assessment) == (dt.date(2016, 11, 30), None)


def test_a_home_on_no_recent_register_is_not_known_to_be_registered(shipped, fixtures_evidence):
    """SC100002, the secure home, is on no file after the register of 31 March 2024."""
    setting = next(s for s in assess(shipped, fixtures_evidence, dt.date(2026, 6, 1)).settings
                   if s.setting.urn == "SC100002")
    overdue = next(r for r in setting.indicators if r.indicator == "ind.full-inspection-overdue")
    assert (overdue.value, overdue.basis) == (
        None, "on no register dated in the 12 months to 2026-06-01 (last 2024-03-31): not known to be registered")
