"""The three dated revisions of 2026 (CWSA 2026, CQC sector frameworks, RSS NMS May 2026): diff, impact and verify, pinned on the demo."""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest

from regframe.assess import assess
from regframe.assess.history_signals import PROVIDER_GROUP_INDICATOR
from regframe.cli import main
from regframe.evidence.model import OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework import load_framework
from regframe.framework.model import Confidence, Rel, SettingKind
from regframe.ingest import load_evidence
from regframe.revisions.diff import CoverageStatus, diff
from regframe.revisions.impact import impact
from regframe.revisions.revision import load_revision_framework
from regframe.revisions.verify import verify
from regframe.samples.demo import AS_AT, EXTRACT_LA, demo_paths
from tests.assess.test_assess import evidence, item
from tests.conftest import REPO

STANDARDS = REPO / "standards"
REVISIONS = STANDARDS / "revisions"
CWSA = REVISIONS / "cwsa2026.xml"
CQC = REVISIONS / "cqc-sector-frameworks-2026.xml"
RSS = REVISIONS / "rssnms-2026-05.xml"
TODAY = dt.date(2026, 12, 3)
CWSA_PLACEHOLDER = dt.date(2027, 4, 1)  # no commencement date is confirmed: a placeholder, marked unconfirmed
CQC_PLACEHOLDER = dt.date(2027, 1, 1)


@pytest.fixture(scope="module")
def base():
    return load_framework(STANDARDS / "framework.xml")


@pytest.fixture(scope="module")
def demo():
    return load_evidence(demo_paths(), key=PseudonymKey.from_text("revisions-2026-key-0123456789", "test"), la_code=EXTRACT_LA)


def _moved(result):
    return {c.id: (c.status, c.gained, c.lost) for c in result.coverage
            if c.status not in (CoverageStatus.UNCHANGED, CoverageStatus.UNADDRESSED)}


@pytest.mark.parametrize("revision", [CWSA, CQC, RSS], ids=lambda p: p.stem)
def test_every_shipped_feature_passes_under_each_2026_revision(revision):
    assert verify(revision).failed == []


# ------------------------------------------------------------------ CWSA 2026


def test_cwsa_adds_sections_13_14_16_17_all_unconfirmed_from_the_placeholder(base):
    revised = load_revision_framework(CWSA)
    result = diff(base, revised, today=TODAY)
    assert [a.id for a in result.added] == ["cwsa2026.s13", "cwsa2026.s14", "cwsa2026.s16", "cwsa2026.s17"]
    added = [r for r in revised.requirements() if r.instrument == "cwsa2026"]
    assert {r.confidence for r in added} == {Confidence.UNCONFIRMED}
    assert {r.effective.start for r in added} == {CWSA_PLACEHOLDER}
    assert result.as_at == CWSA_PLACEHOLDER
    assert _moved(result) == {"csprp2023.s1": (CoverageStatus.CHANGED, ("cwsa2026.s13",), ())}
    assert (len(result.withdrawn), len(result.changed)) == (0, 0)


def test_cwsa_changes_nothing_on_the_demo_date_and_every_childrens_home_once_in_force(base, demo):
    revised = load_revision_framework(CWSA)
    assert impact(base, revised, demo, AS_AT).settings == ()
    later = impact(base, revised, demo, dt.date(2027, 4, 30))
    assert [s.urn for s in later.settings] == [
        "SC900001", "SC900002", "SC900003", "SC900004", "SC900005", "SC900006", "SC900009", "SC900010", "SC900012"]
    assert all(s.rating_before == s.rating_after for s in later.settings)


def test_cwsa_s14_is_evaluated_by_the_provider_group_rule():
    """Under the revision, two homes of one owner judged inadequate in the window flag the group s.14 speaks of."""
    revised = load_revision_framework(CWSA)
    s14 = {r.id: r for r in revised.requirements()}["cwsa2026.s14"]
    assert (Rel.CROSS_REFERENCES, PROVIDER_GROUP_INDICATOR) in {(link.rel, link.target) for link in s14.links}
    as_at = dt.date(2027, 4, 30)  # after the placeholder start
    inadequate = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE)
    homes = [Setting(urn, SettingKind.CHILDRENS_HOME, owner="Group A") for urn in ("SC1", "SC2", "SC3")]

    def judged(*urns: str, on: dt.date = dt.date(2027, 2, 1)) -> list:
        return [item(f"o-{urn}", urn, Source.OFSTED, ("sccif-ch.overall",), inadequate, observed=on) for urn in urns]

    [flagged] = assess(revised, evidence(homes, judged("SC1", "SC2")), as_at).groups
    assert (flagged.settings_with_failings, flagged.stands_out) == (("SC1", "SC2"), True)
    assert flagged.basis.endswith(f"in the 12 months to 2027-04-30 ({PROVIDER_GROUP_INDICATOR})")
    # the Act's "two or more": one home is not enough, nor is a second judged before the window
    [one] = assess(revised, evidence(homes, judged("SC1")), as_at).groups
    [late] = assess(revised, evidence(homes, judged("SC1") + judged("SC2", on=dt.date(2026, 4, 1))), as_at).groups
    assert (one.stands_out, late.stands_out) == (False, False)


# ------------------------------------------------------------------ CQC sector frameworks


def test_cqc_revision_withdraws_all_34_statements_and_carries_their_links_to_the_draft_lines(base):
    revised = load_revision_framework(CQC)
    result = diff(base, revised, today=TODAY)
    assert len(result.withdrawn) == 34 and {w.id.split(".")[0] for w in result.withdrawn} == {"cqc-saf"}
    assert [a.id for a in result.added] == [f"cqc-sector.{kq}.kloe" for kq in ("caring", "effective", "responsive", "safe", "well-led")]
    assert {r.confidence for r in revised.requirements() if r.instrument == "cqc-sector"} == {Confidence.UNCONFIRMED}
    assert result.as_at == CQC_PLACEHOLDER
    assert (len(result.links_added), len(result.suspect_links)) == (66, 96)
    # what relied on a quality statement keeps a counterpart: S5 leans on the well-led lines instead
    assert _moved(result) == {
        "csprp2023.r1": (CoverageStatus.CHANGED, ("cqc-sector.responsive.kloe",), ("cqc-saf.responsive.listening-to-and-involving-people",)),
        "csprp2023.s5": (CoverageStatus.CHANGED, ("cqc-sector.well-led.kloe",),
                         ("cqc-saf.well-led.freedom-to-speak-up", "cqc-saf.well-led.shared-direction-and-culture")),
    }
    assert not any(c.status is CoverageStatus.LOST for c in result.coverage)


def test_cqc_revision_keeps_the_statements_until_the_placeholder_and_then_drops_their_evidence(base, demo):
    revised = load_revision_framework(CQC)
    assert impact(base, revised, demo, AS_AT).settings == ()
    later = impact(base, revised, demo, dt.date(2027, 1, 31))
    assert [s.urn for s in later.settings] == ["1-900000011", "SC900001", "SC900009"]  # the settings registered with CQC
    northgate = later.settings[0]
    assert ("cqc-saf.safe.safeguarding", "met", "not_applicable") in {
        (c.requirement, c.before, c.after) for c in northgate.statuses}
    assert ("cqc-sector.safe.kloe", "not_applicable", "no_evidence") in {
        (c.requirement, c.before, c.after) for c in northgate.statuses}


# ------------------------------------------------------------------ RSS NMS May 2026


def test_rss_revision_records_the_review_and_changes_no_statement(base, demo):
    revised = load_revision_framework(RSS)
    result = diff(base, revised, today=TODAY)
    assert [(c.id, [f.field for f in c.fields]) for c in result.changed] == [("rssnms2022.s1", ["citation", "note"])]
    before = {r.id: r for r in base.requirements()}["rssnms2022.s1"]
    after = {r.id: r for r in revised.requirements()}["rssnms2022.s1"]
    assert after.statement == before.statement and after.confidence is before.confidence is Confidence.SECONDARY
    assert after.citation.last_checked == TODAY
    assert impact(base, revised, demo, AS_AT).settings == ()


def test_cli_diff_and_impact_print_the_pinned_summaries(capsys):
    assert main(["diff", str(STANDARDS / "framework.xml"), str(CQC)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "5 added, 34 withdrawn, 0 changed, 0 renamed, 0 removed; 66 links added, 0 removed, 96 to re-review; "
        "recommendations: 0 lose all force, 0 gain force, 2 change, 11 without force")
    assert main(["impact", str(STANDARDS / "framework.xml"), str(CWSA), "--demo", "--as-at", "2027-04-30"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "Impact of cwsa2026 2026.12 against england-residential 2026.11, as at 2027-04-30",
        "12 settings assessed; 9 would change."]


@pytest.mark.parametrize("page", ["revision-cwsa2026", "revision-cqc-sector-frameworks-2026", "revision-rssnms-2026-05"])
def test_each_policy_page_shows_exactly_what_its_commands_print(page, capsys, monkeypatch):
    """Each ``regframe ...`` line on the page is followed by a text block: that block is the command's output."""
    monkeypatch.chdir(REPO)  # the page's commands name files relative to the repository root
    text = (REPO / "docs" / "policy" / f"{page}.rst").read_text(encoding="utf-8")
    blocks = re.findall(r"^``regframe ([^`]+)``:\n\n\.\. code-block:: text\n\n((?:   .*\n|\n)+)", text, flags=re.M)
    assert len(blocks) >= 2
    for command, shown in blocks:
        assert main(command.split()) == 0
        printed = capsys.readouterr().out.rstrip("\n")
        assert textwrap.dedent(shown).strip("\n") == printed, command


def test_the_shipped_revisions_warn_only_of_links_left_without_a_successor():
    """RF204 reads no clock: a withdrawal still to come is warned of now, unless the revision links a successor
    in force from that day. The CQC sector frameworks revision keeps each link into a quality statement until
    2027-01-01 beside one into the draft node from that day (96 such links, none warned of); the counterfactual
    that withdraws the advocacy duties leaves the Panel's R1 with no successor for them (4 warnings)."""
    from regframe.revisions.revision import check_revision

    def warned(name: str) -> list[str]:
        _, problems = check_revision(STANDARDS / "revisions" / name)
        return sorted(p.message for p in problems if p.code == "RF204")

    assert warned("cqc-sector-frameworks-2026.xml") == []
    assert warned("withdraw-advocacy.xml") == [
        f"csprp2023.r1 addresses {target}, which is not in force from 2027-04-01"
        for target in ("chr2015.r7.2.b.iii", "rssnms2022.part7.advocacy", "sccif-ch.overall.independent-advocate",
                       "sccif-rss.overall.independent-advocate")]
