"""regframe impact and diff between the shipped framework and the joint inspection proposal, pinned on the demo."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from regframe.cli import main
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework import load_framework
from regframe.ingest import load_evidence
from regframe.revisions.diff import CoverageStatus, diff
from regframe.revisions.impact import LensChange, StatusChange, impact, to_json
from regframe.revisions.revision import load_revision_framework
from regframe.samples.demo import EXTRACT_LA, demo_paths
from tests.conftest import REPO

STANDARDS = REPO / "standards"
PROPOSAL = STANDARDS / "revisions" / "joint-inspection-proposal.xml"
AFTER_PROPOSAL = dt.date(2027, 5, 1)  # the proposal's requirements are in force from 2027-04-01


@pytest.fixture(scope="module")
def frameworks():
    return load_framework(STANDARDS / "framework.xml"), load_revision_framework(PROPOSAL)


@pytest.fixture(scope="module")
def demo():
    return load_evidence(demo_paths(), key=PseudonymKey.from_text("impact-test-key-0123456789", "test"), la_code=EXTRACT_LA)


@pytest.fixture(scope="module")
def proposal_impact(frameworks, demo):
    return impact(*frameworks, demo, AFTER_PROPOSAL)


def test_every_demo_setting_gains_the_advocacy_duty_with_the_status_its_evidence_gives(proposal_impact):
    gained = {s.urn: [c for c in s.statuses if c.requirement == "proposals.r1.advocacy"] for s in proposal_impact.settings}
    assert {urn: (c.before, c.after) for urn, (c,) in gained.items()} == {
        "1-900000011": ("not_applicable", "no_evidence"),
        "900007": ("not_applicable", "overdue"),
        "900008": ("not_applicable", "no_evidence"),
        "SC900001": ("not_applicable", "overdue"),
        "SC900002": ("not_applicable", "overdue"),
        "SC900003": ("not_applicable", "no_evidence"),
        "SC900004": ("not_applicable", "overdue"),
        "SC900005": ("not_applicable", "no_evidence"),
        "SC900006": ("not_applicable", "no_evidence"),
        "SC900009": ("not_applicable", "no_evidence"),
        "SC900010": ("not_applicable", "no_evidence"),
        "SC900012": ("not_applicable", "no_evidence"),
    }


def test_the_proposal_changes_only_its_own_requirements_never_an_existing_status(proposal_impact):
    changed = {c.requirement for s in proposal_impact.settings for c in s.statuses}
    assert changed == {"proposals.r1.advocacy", "proposals.r9b.evidence-sharing", "proposals.r9b.joint-inspection"}
    assert all(c.before == "not_applicable" for s in proposal_impact.settings for c in s.statuses)


def test_the_r1_and_r9_lens_moves_at_exactly_these_settings(proposal_impact):
    assert {s.urn: s.lens for s in proposal_impact.settings if s.lens} == {
        "900007": (LensChange("csprp2023.r1", "at_risk", "failing"), LensChange("csprp2023.r9", "not_applicable", "failing")),
        "900008": (LensChange("csprp2023.r9", "not_applicable", "failing"),),
        "SC900002": (LensChange("csprp2023.r9", "at_risk", "failing"),),
        "SC900003": (LensChange("csprp2023.r1", "ok", "at_risk"), LensChange("csprp2023.r9", "ok", "at_risk")),
        "SC900004": (LensChange("csprp2023.r1", "ok", "failing"), LensChange("csprp2023.r9", "ok", "at_risk")),
        "SC900005": (LensChange("csprp2023.r9", "at_risk", "failing"),),
        "SC900006": (LensChange("csprp2023.r1", "ok", "at_risk"), LensChange("csprp2023.r9", "ok", "at_risk")),
        "SC900012": (LensChange("csprp2023.r9", "at_risk", "failing"),),
    }


def test_only_the_proposal_s_own_overdue_duties_change_a_rating_and_no_flag_changes(proposal_impact):
    # Two schools rated green today turn amber only because the proposal's joint inspection is a duty they are
    # already behind on (risk rises on what is failing, never on what is unknown).
    assert proposal_impact.settings_assessed == 12
    assert [s.urn for s in proposal_impact.settings if s.flags] == []
    assert {s.urn: (s.rating_before, s.rating_after) for s in proposal_impact.settings
            if s.rating_before != s.rating_after} == {"900007": ("green", "amber"), "900008": ("green", "amber")}


def test_wilsic_grange_misses_the_proposed_advocacy_visits_but_was_already_failing_r1(proposal_impact):
    wilsic = next(s for s in proposal_impact.settings if s.urn == "SC900001")
    assert StatusChange("proposals.r1.advocacy", "not_applicable", "overdue") in wilsic.statuses
    assert (wilsic.rating_before, wilsic.rating_after, wilsic.lens) == ("red", "red", ())


def test_before_the_proposal_comes_into_force_nothing_changes(frameworks, demo):
    before = impact(*frameworks, demo, dt.date(2026, 10, 31))
    assert (before.settings_assessed, before.settings) == (12, ())


def test_impact_json_is_deterministic(frameworks, demo):
    first = to_json(impact(*frameworks, demo, AFTER_PROPOSAL))
    assert first == to_json(impact(*frameworks, demo, AFTER_PROPOSAL))
    data = json.loads(first)
    assert (data["base"]["id"], data["revised"]["id"], data["as_at"]) == (
        "england-residential", "joint-inspection-proposal", "2027-05-01")


def test_cli_impact_on_the_demo_prints_each_change(capsys):
    code = main(["impact", str(STANDARDS / "framework.xml"), str(PROPOSAL), "--demo", "--as-at", "2027-05-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[:2] == [
        "Impact of joint-inspection-proposal 2026.11 against england-residential 2026.11, as at 2027-05-01",
        "12 settings assessed; 12 would change.",
    ]
    assert "  lens csprp2023.r1 (CSPRP 2023 R1): ok -> failing" in out
    assert ("  proposals.r1.advocacy (Proposal R1.1: independent non-instructed advocacy): not_applicable -> overdue"
            in out)


def test_cli_impact_needs_evidence(capsys):
    assert main(["impact", str(STANDARDS / "framework.xml"), str(PROPOSAL)]) == 2
    assert "give --evidence PATH... or --demo" in capsys.readouterr().err


def test_diff_of_the_proposal_changes_the_force_of_r1_and_r9_only(frameworks):
    result = diff(*frameworks, today=dt.date(2026, 11, 22))
    assert result.as_at == dt.date(2027, 4, 1)
    assert [a.id for a in result.added] == [
        "proposals.r1.advocacy", "proposals.r9b.evidence-sharing", "proposals.r9b.joint-inspection"]
    moved = {c.id: (c.status, c.gained, c.lost) for c in result.coverage
             if c.status not in (CoverageStatus.UNCHANGED, CoverageStatus.UNADDRESSED)}
    assert moved == {
        "csprp2023.r1": (CoverageStatus.CHANGED, ("proposals.r1.advocacy",), ()),
        "csprp2023.r9": (CoverageStatus.CHANGED, ("proposals.r9b.evidence-sharing", "proposals.r9b.joint-inspection"), ()),
        "csprp2023.r9.b": (CoverageStatus.CHANGED, ("proposals.r9b.evidence-sharing", "proposals.r9b.joint-inspection"), ()),
    }
    assert sorted(c.id for c in result.coverage if c.status is CoverageStatus.UNADDRESSED) == [
        "csprp2023.r2", "csprp2023.r3", "csprp2023.r4", "csprp2023.r5", "csprp2023.r9.a",
        "csprp2023.s2", "csprp2023.s3", "csprp2023.s4", "csprp2023.s6", "csprp2023.s7", "csprp2023.s8"]
