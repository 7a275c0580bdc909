"""regframe verify: the shipped features pass on the shipped framework and bite on a revision that withdraws advocacy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from regframe.cli import main
from regframe.revisions.verify import verify
from tests.conftest import REPO

STANDARDS = REPO / "standards"
WITHDRAW = STANDARDS / "revisions" / "withdraw-advocacy.xml"
PROPOSAL = STANDARDS / "revisions" / "joint-inspection-proposal.xml"
PANEL_PROPOSALS = STANDARDS / "revisions" / "csprp2023-proposals.xml"
RECOMMENDATIONS = [f"R{n}" for n in range(1, 10)] + [f"S{n}" for n in range(1, 9)]


@pytest.fixture(scope="module")
def shipped():
    return verify()


@pytest.fixture(scope="module")
def withdrawn():
    return verify(WITHDRAW)


def test_every_shipped_scenario_passes_on_the_shipped_framework(shipped):
    assert shipped.ok and shipped.failed == []
    assert [g.group for g in shipped.groups()] == [*RECOMMENDATIONS, "framework/coverage.feature"]


def test_withdrawing_advocacy_fails_r1_and_nothing_else(withdrawn):
    assert not withdrawn.ok
    assert [(g.group, g.failed) for g in withdrawn.groups() if not g.ok] == [("R1", 2)]
    assert [s.scenario for s in withdrawn.failed] == [
        "A child with no advocate is a failing of R1 at the school [2027-05-01]",
        "Children's homes and residential special schools must both give advocacy",
    ]
    assert withdrawn.failed[0].failure == (
        'Then "CHR 2015 reg 7(2)(b)(iii)" is not_met at "SC1": AssertionError: CHR 2015 reg 7(2)(b)(iii) at SC1 is '
        "not_applicable, not not_met (not in force on the report date, or not for this setting)")


def test_the_joint_inspection_proposal_passes_every_feature():
    assert verify(PROPOSAL).failed == []


def test_the_panels_proposals_answer_what_the_law_does_not_when_verified_themselves():
    """Run against the proposals revision, its own (not yet in force) additions still count as proposals:
    they were once discounted for being already in the framework under test, failing 12 scenarios."""
    result = verify(PANEL_PROPOSALS)
    assert result.failed == []
    assert result.ok


def test_cli_verify_names_the_failing_scenario_and_exits_1(capsys, tmp_path):
    report = tmp_path / "cucumber.json"
    code = main(["verify", "--revision", str(WITHDRAW), "--cucumber-json", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    assert "  R1         FAIL  10/12 scenarios" in out
    assert "      failed: A child with no advocate is a failing of R1 at the school [2027-05-01]" in out
    assert "  R2         pass  3/3 scenarios" in out
    assert out.splitlines()[-2] == "57 scenarios: 55 passed, 2 failed"
    features = json.loads(report.read_text(encoding="utf-8"))
    assert {f["uri"] for f in features} >= {"recommendations/r1_advocacy.feature", "framework/coverage.feature"}


def test_cli_verify_on_the_shipped_framework_exits_0(capsys):
    assert main(["verify"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "57 scenarios: 57 passed, 0 failed"


def test_a_policy_teams_own_feature_runs_with_the_same_vocabulary(capsys, tmp_path):
    (tmp_path / "ours.feature").write_text("""@coverage
Feature: Our own check
  Scenario: R6 keeps Level 3 qualifications
    Given the framework under test
    Then recommendation R6 is addressed on 2026-10-31 by "CHR 2015 reg 32(4)"

  Scenario: R2 is already law (it is not)
    Given the framework under test
    Then recommendation R2 is addressed by requirements in force on 2026-10-31
""", encoding="utf-8")
    code = main(["verify", "--features", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "  ours.feature  FAIL  1/2 scenarios" in out
    assert "      failed: R2 is already law (it is not)" in out


def test_cli_verify_refuses_a_feature_with_lint_problems(capsys, tmp_path):
    (tmp_path / "bad.feature").write_text("""Feature: Bad
  Scenario: Asserts nothing
    Given the framework under test
""", encoding="utf-8")
    assert main(["verify", "--features", str(tmp_path)]) == 1
    assert "has no Then: it asserts nothing" in capsys.readouterr().err


def test_cli_verify_missing_revision_is_a_usage_error(capsys, tmp_path):
    assert main(["verify", "--revision", str(tmp_path / "nope.xml")]) == 2


def test_the_plugin_imports_cleanly_without_pytest_bdd():
    code = ("import sys; sys.modules['pytest_bdd'] = None; import importlib.util as u; "
            "u.find_spec = lambda name, *a: None if name == 'pytest_bdd' else None; "
            "import regframe.bdd.plugin as p; print(p.HAS_PYTEST_BDD, p.pytest_plugins)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False []"
