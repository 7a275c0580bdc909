"""The national run on a fixture: a register as at its date, the in-year files as history, the few picked out.

``tests/fixtures/ofsted-national`` holds a register and two in-year files in Ofsted's layouts, one setting
for each rule (its README lists them). The counts, the order and every red and amber setting's reasons
are pinned: signs of harm (inadequate or requires-improvement judgements, a downgrade, a suspension, an
owner with two failing settings) make a setting red or amber; an old judgement stands; an overdue
inspection lowers assurance and never raises risk; everything else is green with low assurance, since
Ofsted alone is one source.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import pytest

import regframe
from regframe.assess import assess
from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
from regframe.report.national import keep_described, national_counts
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "ofsted-national"
REGISTER = FOLDER / "provider_level_at_31_Aug_2023.csv"
HISTORY = [FOLDER / "provider_level_in_year_2022-23.csv", FOLDER / "all_soccare_inspec_1920.csv"]
AS_AT = dt.date(2023, 8, 31)
KEY = "national-fixture-key-0123"

#: every red and amber setting, worst first, with its reasons as the Summary, the JSON and the profile give them
REASONS = {
    "SC900105": ("red", [
        "Ofsted's latest judgement is inadequate (1 Mar 2023)",
        "Its owner, Birch Homes Ltd, has 2 settings judged inadequate or suspended by Ofsted in the last twelve "
        "months (SC900105, SC900106), red at 2 settings — Ofsted, Aug 2023"]),
    "SC900106": ("red", [
        "Ofsted's latest judgement is inadequate (12 Apr 2023)",
        "Its owner, BIRCH HOMES LTD, has 2 settings judged inadequate or suspended by Ofsted in the last twelve "
        "months (SC900105, SC900106), red at 2 settings — Ofsted, Aug 2023"]),
    "SC900101": ("red", ["Ofsted's latest judgement is inadequate (14 Jun 2023)"]),
    "SC900103": ("red", [
        "Ofsted's latest judgement is requires improvement (5 Jul 2023)",
        "Ofsted's overall judgement fell 2 grades, from outstanding (4 Oct 2022) to requires improvement "
        "(5 Jul 2023), red at a fall of 2 grades — Ofsted, Jul 2023"]),
    "SC900108": ("red", [
        "Ofsted's latest judgement is inadequate (15 May 2019); it is 52 months old and stands until a newer "
        "inspection replaces it"]),
    "SC900102": ("amber", ["Ofsted's latest judgement is requires improvement (1 Feb 2023)"]),
    "SC900104": ("amber", [
        "Rated good, but …: Ofsted judged it good on 10 Nov 2022, while in the last twelve months 1 risk indicator "
        "is red",
        "Ofsted's records show the registration suspended on 5 Jul 2023 and 15 Aug 2023 — Ofsted, Aug 2023"]),
    "SC900107": ("amber", [
        "Rated good, but …: Ofsted judged it good on 18 Jan 2023, while in the last twelve months 1 risk indicator "
        "is red",
        "Its owner, Birch Homes Ltd, has 2 settings judged inadequate or suspended by Ofsted in the last twelve "
        "months (SC900105, SC900106), red at 2 settings — Ofsted, Aug 2023"]),
}
GREEN = ["SC900109", "SC900110", "SC900111"]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The run as an analyst makes it, through the command line: the workbook, the JSON and what it printed."""
    folder = tmp_path_factory.mktemp("national")
    xlsx, report = folder / "national.xlsx", folder / "national.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REGFRAME_PSEUDONYM_KEY", KEY)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(["report", "--settings", str(REGISTER), "--history", *map(str, HISTORY),
                         "--as-at", AS_AT.isoformat(), "-o", str(xlsx), "--json", str(report), "--top", "10"])
    return code, json.loads(report.read_text(encoding="utf-8")), printed.getvalue()


@pytest.fixture(scope="module")
def graph():
    return regframe.build_graph(regframe.load_framework())


def _run(graph, paths, history=()):
    key = PseudonymKey.from_text(KEY)
    evidence = load_evidence([*paths, *history], key=key)
    left_out = keep_described(evidence, load_evidence(paths, key=key).settings) if history else []
    return assess(graph, evidence, AS_AT), left_out


def test_the_red_and_amber_settings_are_those_with_signs_each_with_its_plain_reasons(national):
    code, data, _ = national
    assert code == ExitCode.OK
    order = [s["setting"]["urn"] for s in data["settings"]]
    assert order == [*REASONS, *GREEN]
    found = {s["setting"]["urn"]: (s["rating"], [r["text"] for r in s["reasons"]]) for s in data["settings"]}
    assert {urn: found[urn] for urn in REASONS} == REASONS
    assert {urn: found[urn] for urn in GREEN} == {urn: ("green", []) for urn in GREEN}
    assert {s["setting"]["urn"]: s["rated_good_but"]["verdict"] for s in data["settings"] if s["rated_good_but"]} == {
        "SC900104": "good", "SC900107": "good"}


def test_the_counts_every_row_and_the_history_only_setting(graph):
    assessment, left_out = _run(graph, [REGISTER], HISTORY)
    counts = national_counts(assessment, left_out)
    assert (counts.risk, counts.assurance) == ({"red": 5, "amber": 3, "green": 3}, {"high": 0, "medium": 0, "low": 11})
    assert {pair: n for pair, n in counts.risk_by_assurance.items() if n} == {"red/low": 5, "amber/low": 3,
                                                                             "green/low": 3}
    # 12 register rows (one a fostering agency: out of scope), 12 rows in 2022-23 (one blank), 4 in 2019-20
    assert (counts.rows, counts.accepted, counts.skipped, counts.rejected, counts.blank, counts.unused) == (
        28, 26, 2, 0, 0, 0)
    assert counts.accounted and all(f.accounted for f in assessment.inputs)
    assert (counts.rated, counts.closed, counts.history_only) == (11, 0, 1)
    assert left_out == ["SC900120"]
    assert [(r.urn, r.risk) for r in counts.highest] == [(urn, level) for urn, (level, _) in REASONS.items()]
    # the first reason at the setting's own level: what makes SC900103 red is its downgrade
    assert counts.highest[3].reason.startswith("Ofsted's overall judgement fell 2 grades")


def test_missing_or_old_evidence_lowers_assurance_and_never_raises_risk(national):
    _, data, _ = national
    by_urn = {s["setting"]["urn"]: s for s in data["settings"]}
    # a full inspection 30 months ago: green risk, and the overdue inspection is named among the reasons for low
    assert by_urn["SC900109"]["rating"] == "green"
    assert by_urn["SC900109"]["assurance_reasons"] == [
        "the latest regulator's judgement is from 2021-02-10, more than twelve months ago",
        "0 of 480 requirements (0%) independently evidenced in their window",
        "no independent source in the last twelve months",
        "overdue: last full inspection 2021-02-10, 30.6 months ago (red above 24)"]
    # the old inadequate judgement still stands as a sign; its age lowers assurance
    assert by_urn["SC900108"]["rating"] == "red"
    assert "overdue: last full inspection 2019-05-15, 51.5 months ago (red above 24)" in \
        by_urn["SC900108"]["assurance_reasons"]
    # a setting inspected this year and judged good is green: one source (Ofsted) is low assurance
    assert (by_urn["SC900110"]["rating"], by_urn["SC900110"]["assurance"], by_urn["SC900110"]["assurance_reasons"]) == (
        "green", "low", ["1 independent source (ofsted) in the last twelve months"])
    overdue = [s["setting"]["urn"] for s in data["settings"]
               if any(i["axis"] == "assurance" and i["level"] for i in s["indicators"])]
    assert sorted(overdue) == ["SC900102", "SC900108", "SC900109"]


def test_the_provider_group_rule_picks_out_the_owner_with_two_failing_settings(national):
    _, data, _ = national
    assert [(g["owner"], g["settings"], g["settings_with_failings"]) for g in data["groups"] if g["stands_out"]] == [
        ("Birch Homes Ltd", ["SC900105", "SC900106", "SC900107"], ["SC900105", "SC900106"])]


def test_the_command_line_prints_the_counts_the_accounting_and_the_few(national):
    _, _, printed = national
    lines = printed.splitlines()
    assert "assessed 11 settings as at 2023-08-31: risk 5 red, 3 amber, 3 green; assurance 0 high, 0 medium, " \
           "11 low" in printed
    assert "rows read 28: 26 accepted, 0 rejected, 2 skipped, 0 blank, 0 unused" in lines
    assert ("note: 1 setting(s) named only by the history files were not rated (history adds evidence about the "
            "settings of the register, never a setting): SC900120") in lines
    highest = [line for line in lines if line.startswith("highest risk: ")]
    assert highest[0] == ("highest risk: SC900105 Birch Homes Ltd (red, low assurance): Ofsted's latest judgement "
                          "is inadequate (1 Mar 2023)")
    assert len(highest) == 8  # the red and amber settings only, of the ten asked for


def test_history_files_read_as_the_register_would_rate_a_setting_that_has_left_it(graph):
    """Why history has its own option: given as the register, the 2019-20 file's home (inadequate in 2019, on no
    register since) would be rated red in 2023."""
    assessment, _ = _run(graph, [REGISTER, *HISTORY])
    ratings = {s.setting.urn: s.rating.value for s in assessment.settings}
    assert ratings["SC900120"] == "red"
    assert national_counts(assessment).risk == {"red": 6, "amber": 3, "green": 3}


def test_keep_described_drops_the_settings_and_their_evidence_and_says_so():
    evidence = load_evidence([REGISTER, *HISTORY], key=PseudonymKey.from_text(KEY))
    assert any(i.setting == "SC900120" for i in evidence.items)
    assert keep_described(evidence, set(evidence.settings) - {"SC900120", "SC900111"}) == ["SC900111", "SC900120"]
    assert "SC900120" not in evidence.settings and not any(i.setting in ("SC900111", "SC900120") for i in evidence.items)
    assert evidence.notes[-1].startswith("2 setting(s) named only by the history files were not rated")
    assert keep_described(evidence, evidence.settings) == []


def test_history_alone_names_no_settings(tmp_path, capsys):
    code = main(["report", "--history", str(HISTORY[0]), "--as-at", AS_AT.isoformat(), "-o", str(tmp_path / "x.xlsx")])
    assert code == ExitCode.USAGE
    assert "--history adds history to those settings and names none itself" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
