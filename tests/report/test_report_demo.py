"""``make demo``'s workbook as a director opens it: Wilsic Grange first and red, its reasons in plain words, Gaps only what fails.

``tests/samples/test_demo.py`` pins the demo's JSON; this reads the workbook ``make demo`` writes, the
Summary cell by cell, and checks the JSON and the profile say the same sentences.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import lxml.html
import openpyxl
import pytest

from regframe.cli import main
from regframe.report import xlsx as report_xlsx


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-workbook")
    assert main(["report", "--demo", "-o", str(folder / "demo.xlsx"), "--json", str(folder / "demo.json"),
                 "--profiles", str(folder / "pages"), "--quiet"]) == 0
    book = openpyxl.load_workbook(folder / "demo.xlsx", read_only=True)
    data = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    return book, data, folder / "pages"


def _table(ws, header_row: int = 1) -> list[dict]:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if any(v is not None for v in row)]


def test_wilsic_grange_is_first_and_red_with_rated_good_but_first_and_the_signs_in_plain_words(demo):
    book, _, _ = demo
    summary = _table(book["Summary"], report_xlsx.SUMMARY_TITLE_ROWS + 1)
    first = summary[0]
    assert (first["URN"], first["Setting"], first["Risk"], first["Assurance"], first["Rated good, but …"]) == (
        "SC900001", "Wilsic Grange", "Red", "Medium", "Yes")
    reasons = first["Reasons"].split("\n")
    assert len(reasons) == 5 and [r[:3] for r in reasons] == ["1. ", "2. ", "3. ", "4. ", "5. "]
    assert reasons[0].startswith("1. Rated good, but …: Ofsted judged it good on 10 Mar 2026, while in the last "
                                 "twelve months red signs came from placing authorities' returns and a whistleblower")
    text = first["Reasons"]
    for words in ("9 of 10 children have had no independent advocate in the last twelve months",  # advocacy
                  "CHR 2015 reg 7(2)(b)(iii) Advocacy support",
                  "No Regulation 44 independent person's report since 14 Aug 2026",  # reg 44
                  "2 LADO referrals made late, 7 and 6 days after the allegation, where 1 working day is allowed",
                  "Restraint rose from 8 incidents a month in Apr 2026 to 31 in Sep 2026"):
        assert words in text


def test_no_reason_on_the_summary_carries_an_internal_id(demo):
    book, _, _ = demo
    summary = _table(book["Summary"], report_xlsx.SUMMARY_TITLE_ROWS + 1)
    internal = re.compile(r"\b(ind|ek|chr2015|cppcr2010|wt2023|hsca2014|csprp2023|sccif)\.|DEMO-\d|la-return:")
    assert [(row["URN"], m.group(0)) for row in summary for m in internal.finditer(row["Reasons"] or "")] == []


def test_the_summary_the_json_and_the_profile_give_the_same_sentences(demo):
    book, data, pages = demo
    summary = {row["URN"]: row["Reasons"] for row in _table(book["Summary"], report_xlsx.SUMMARY_TITLE_ROWS + 1)}
    for setting in data["settings"]:
        urn, texts = setting["setting"]["urn"], [r["text"] for r in setting["reasons"]]
        assert summary[urn] == ("\n".join(f"{i}. {t}" for i, t in enumerate(texts[:5], 1)) or None), urn
        page = pages / f"profile-{urn}.html"
        if setting["rating"] in ("red", "amber"):
            shown = [li.text_content() for li in lxml.html.parse(str(page)).getroot().xpath(
                "//ol[@class='reasons']/li")]
            assert shown == texts[:5], urn
        else:
            assert not page.exists()


def test_gaps_lists_what_fails_and_no_requirement_without_evidence(demo):
    book, data, _ = demo
    gaps = _table(book["Gaps"])
    statuses = Counter(row["Status"] for row in gaps)
    assert "No evidence" not in statuses
    assert set(statuses) == {"Not met", "Overdue", "Uncorroborated", "Stale"}
    assert len(gaps) == 196 == sum(statuses.values())
    subtitle = next(book["Summary"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert "196 gaps" in subtitle
    # what is not known is on the Coverage sheet instead, per setting and regulator
    coverage = _table(book["Coverage"])
    assert {row["URN"] for row in coverage} == {s["setting"]["urn"] for s in data["settings"]}
    assert sum(row["None"] for row in coverage) > 0
