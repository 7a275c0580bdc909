"""Staleness: how old each citation's last check is, and which are older than a maximum age of the as-at day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from regframe.cli import main
from regframe.framework import loading
from regframe.framework.cadence import CadenceError, Duration, Unit
from regframe.framework.staleness import checked_since, oldest_check, parse_age, stale_citations
from tests.conftest import FIXTURES

GAMMA = FIXTURES / "staleness" / "gamma.xml"


@pytest.fixture(scope="module")
def gamma():
    documents, problems = loading.read_documents([GAMMA])
    assert problems == []
    return documents.instruments[0]


@pytest.mark.parametrize("text, expected", [
    ("12m", Duration(12, Unit.MONTH)), ("18M", Duration(18, Unit.MONTH)), ("2y", Duration(2, Unit.YEAR)),
    ("6w", Duration(6, Unit.WEEK)), ("90d", Duration(90, Unit.DAY)), ("12 months", Duration(12, Unit.MONTH)),
])
def test_a_maximum_age_is_read_in_short_or_long_form(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["12q", "0m", "3 working-days", "", "12"])
def test_an_unreadable_maximum_age_is_refused(text):
    with pytest.raises(CadenceError):
        parse_age(text)


def test_months_are_counted_back_on_the_calendar():
    assert checked_since(Duration(12, Unit.MONTH), dt.date(2026, 3, 1)) == dt.date(2025, 3, 1)
    assert checked_since(Duration(12, Unit.MONTH), dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert checked_since(Duration(90, Unit.DAY), dt.date(2026, 3, 1)) == dt.date(2025, 12, 1)


def test_the_oldest_check_of_an_instrument_covers_its_own_citation_and_every_requirement(gamma):
    assert oldest_check(gamma) == dt.date(2025, 2, 28)


def test_citations_older_than_the_maximum_age_are_warned_at_their_line(gamma):
    found = stale_citations([gamma], Duration(12, Unit.MONTH), dt.date(2026, 3, 1))
    assert [(d.code, d.location.line) for d in found] == [("RF220", 9)]
    assert found[0].message == ("gamma.r1: citation of SI 0000/3 reg 1 last checked 2025-02-28, "
                                "more than 12 months before 2026-03-01")
    later = stale_citations([gamma], Duration(12, Unit.MONTH), dt.date(2027, 3, 2))
    assert [d.message.split(":")[0] for d in later] == ["gamma", "gamma.r1", "gamma.r2", "gamma.r3"]


def test_cli_validate_max_age_warns_prints_the_day_and_exits_by_severity(capsys):
    assert main(["validate", str(GAMMA), "--max-age", "12m", "--as-at", "2026-03-01"]) == 0
    captured = capsys.readouterr()
    assert "warning RF220: gamma.r1:" in captured.out and "gamma.r2" not in captured.out
    assert ("regframe: citations checked before 2025-03-01 are stale (max age 12 months, as at 2026-03-01, given)"
            in captured.err)
    assert main(["validate", str(GAMMA), "--max-age", "12m", "--as-at", "2026-03-01", "--strict"]) == 1
    capsys.readouterr()


def test_cli_validate_defaults_to_today_and_says_so(capsys):
    assert main(["validate", str(GAMMA), "--max-age", "100y"]) == 0
    assert f"as at {dt.date.today().isoformat()}, today)" in capsys.readouterr().err


def test_cli_validate_refuses_a_bad_age_or_an_as_at_without_an_age(capsys):
    assert main(["validate", str(GAMMA), "--max-age", "soon"]) == 2
    assert "write e.g. '12m'" in capsys.readouterr().err
    assert main(["validate", str(GAMMA), "--as-at", "2026-03-01"]) == 2
    assert "give --max-age too" in capsys.readouterr().err


def test_cli_standards_list_shows_each_instruments_oldest_check(capsys):
    assert main(["standards", "list", "--format", "json"]) == 0
    rows = {row["instrument"]: row["oldest_check"] for row in json.loads(capsys.readouterr().out)}
    assert rows["chr2015"] == "2026-11-22" and set(rows) >= {"chr2015", "cppcr2010", "cqc-saf", "ind"}
    assert all(dt.date.fromisoformat(day) <= dt.date(2026, 12, 3) for day in rows.values())
