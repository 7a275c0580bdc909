"""The national run on Ofsted's real files: each register as at its own date, with the in-year history up to it.

For each register in ``../shared/data/ofsted`` (31 March 2015 to 2025, and 31 August 2023), the run reads
the register (``report --settings``) and, as history (``--history``), every in-year inspection file whose
year ended on or before the register's date: no other evidence. Pinned: every row read is accounted for,
no record is rejected, the settings the history alone names are not rated, and the counts by risk and by
assurance, as measured (docs: *The national run*). With Ofsted as the only source every setting's
assurance is low; red and amber are the settings with signs (inadequate or requires-improvement
judgements, downgrades, suspensions, an owner with two failing settings).

Every register runs wherever the data is present: the ten took 41 s together on two cores (6 December
2026; the 2025 register, the largest, 10 s). They once took five to nine minutes, and the nine other than
31 August 2023 ran only on request; since the assessment was rebuilt around what settings share, they are
cheap enough for every ``make test``.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import regframe
from regframe.assess import assess
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
from regframe.report.national import keep_described, national_counts
from tests.conftest import SHARED_DATA

OFSTED = SHARED_DATA / "ofsted"
YEARS = OFSTED / "in_year_history"
HISTORY = OFSTED / "history"
#: Ofsted's in-year files and the last day of the year each covers (2022-23's runs September to August)
IN_YEAR = [
    (YEARS / "All_SocCare_exccarehomes_inspec_1314.csv", dt.date(2014, 3, 31)),
    (YEARS / "Carehomes_inspec_14_1.csv", dt.date(2014, 3, 31)),
    (YEARS / "Carehomes_inspec_14_2.csv", dt.date(2014, 6, 30)),
    (YEARS / "All_SocCare_inspec_1415.csv", dt.date(2015, 3, 31)),
    (YEARS / "All_SocCare_inspec_1516.csv", dt.date(2016, 3, 31)),
    (YEARS / "All_SocCare_inspec_1617.csv", dt.date(2017, 3, 31)),
    (YEARS / "All_SocCare_inspec_1718.csv", dt.date(2018, 3, 31)),
    (YEARS / "All_SocCare_inspec_1819.csv", dt.date(2019, 3, 31)),
    (YEARS / "All_SocCare_inspec_1920.csv", dt.date(2020, 3, 31)),
    (OFSTED / "Provider_level_in_year_2022-23.csv", dt.date(2023, 8, 31)),
    (HISTORY / "provider_at_march_2025.ods", dt.date(2025, 3, 31)),  # its in-year 2024-25 sheet (and the rest)
]


@attrs.frozen
class Expected:
    rows: tuple[int, int, int]  # read, accepted, skipped (none rejected)
    settings: tuple[int, int, int]  # rated, closed by the date, named only by the history
    risk: tuple[int, int, int]  # red, amber, green
    assurance: tuple[int, int, int]  # high, medium, low
    groups: int  # provider groups that stand out
    rated_good_but: int


#: register files by their date, and what the run gives (measured 3 December 2026; each run's time on 2 cores,
#: read and assessed, on 6 December 2026)
REGISTERS = {
    "2015-03-31": ([HISTORY / "provider_at_march_2015.csv"],
                   Expected((8955, 8177, 778), (2112, 0, 205), (104, 715, 1293), (0, 0, 2112), 0, 0)),  # 1.2 s
    "2016-03-31": ([HISTORY / "provider_at_march_2016.csv"],
                   Expected((13419, 12388, 1031), (2141, 5, 348), (97, 660, 1384), (0, 0, 2141), 0, 0)),  # 1.9 s
    "2017-03-31": ([HISTORY / "provider_at_march_2017.csv"],
                   Expected((17906, 16719, 1187), (2175, 0, 501), (97, 626, 1452), (0, 0, 2175), 0, 0)),  # 2.2 s
    "2018-03-31": ([HISTORY / "provider_at_march_2018.csv", HISTORY / "provider_at_march_2018_part2.csv"],
                   Expected((25429, 22396, 3033), (2363, 0, 636), (101, 627, 1635), (0, 0, 2363), 0, 0)),  # 2.9 s
    "2019-03-31": ([HISTORY / "provider_at_march_2019.csv"],
                   Expected((25050, 23296, 1754), (2330, 0, 768), (127, 667, 1536), (0, 0, 2330), 0, 0)),  # 3.2 s
    "2020-03-31": ([HISTORY / "provider_at_march_2020.csv"],
                   Expected((28620, 26665, 1955), (2444, 0, 904), (120, 757, 1567), (0, 0, 2444), 0, 0)),  # 3.6 s
    "2023-03-31": ([HISTORY / "provider_at_march_2023.csv"],
                   Expected((29206, 27222, 1984), (3001, 0, 1219), (156, 882, 1963), (0, 0, 3001), 0, 0)),  # 4.0 s
    "2023-08-31": ([OFSTED / "Provider_level_at_31_Aug_2023.csv"],
                   Expected((33648, 31402, 2246), (3109, 0, 1318), (259, 938, 1912), (0, 0, 3109), 19, 264)),  # 4.7 s
    "2024-03-31": ([HISTORY / "provider_at_march_2024.csv"],
                   Expected((33863, 31614, 2249), (3321, 0, 1386), (232, 928, 2161), (0, 0, 3321), 11, 200)),  # 5.6 s
    "2025-03-31": ([HISTORY / "provider_at_march_2025.csv"],
                   Expected((61356, 45974, 15382), (4104, 0, 1555), (232, 905, 2967), (0, 0, 4104), 9, 206)),  # 10.4 s
}
#: the register the issue measured, whose highest-risk settings are pinned too
ALWAYS = "2023-08-31"
#: the ten settings of highest risk as at 31 August 2023, worst first
HIGHEST_2023_08 = ["SC434806", "SC033174", "SC065374", "SC359846", "1236620", "2520922", "2642537", "SC023739",
                   "SC023746", "SC025657"]


def history_for(as_at: dt.date) -> list:
    """The in-year files whose year ended on or before ``as_at``."""
    return [path for path, ended in IN_YEAR if ended <= as_at]


@pytest.fixture(scope="module")
def graph():
    return regframe.build_graph(regframe.load_framework())


@pytest.mark.parametrize("day", list(REGISTERS))
def test_each_register_as_at_its_date_with_its_in_year_history(graph, day):
    if not OFSTED.is_dir():
        pytest.skip(f"shared data not present: {OFSTED}")
    as_at = dt.date.fromisoformat(day)
    register, expected = REGISTERS[day]
    key = PseudonymKey.from_text("national-real-key-0123")
    evidence = load_evidence([*register, *history_for(as_at)], key=key)
    left_out = keep_described(evidence, load_evidence(register, key=key).settings)
    assessment = assess(graph, evidence, as_at)
    counts = national_counts(assessment, left_out)

    assert counts.accounted and all(f.accounted for f in assessment.inputs)
    assert counts.rejected == 0 and assessment.input_errors == ()
    assert (counts.rows, counts.accepted, counts.skipped) == expected.rows
    assert (counts.rated, counts.closed, counts.history_only) == expected.settings
    assert (counts.risk["red"], counts.risk["amber"], counts.risk["green"]) == expected.risk
    assert (counts.assurance["high"], counts.assurance["medium"], counts.assurance["low"]) == expected.assurance
    assert sum(g.stands_out for g in assessment.groups) == expected.groups
    assert sum(1 for s in assessment.settings if s.rated_good_but) == expected.rated_good_but
    # every red or amber setting shows a sign: a latest judgement below good, a red or amber risk indicator, or a
    # requirement an inspection found not met in the window (1277861 in 2019: inadequate in July 2018, then a
    # monitoring visit the register records as good)
    signless = [s.setting.urn for s in assessment.settings if s.rating.value != "green"
                and not any(not j.positive for j in s.judgements)
                and not any(r.level is not None and r.axis.value == "risk" for r in s.indicators)
                and not any(f.status.value in ("not_met", "overdue") for f in s.findings)]
    assert signless == []
    # and no green setting's latest judgement is below good: a judgement stands, however old
    assert [s.setting.urn for s in assessment.settings if s.rating.value == "green"
            and any(not j.positive for j in s.judgements)] == []
    if day == ALWAYS:
        assert [r.urn for r in counts.highest] == HIGHEST_2023_08
        assert counts.highest[0].reason == "Ofsted's latest judgement is inadequate (2 Aug 2023)"
