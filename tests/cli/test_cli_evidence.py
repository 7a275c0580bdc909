"""``regframe evidence summary``: counts, formats, diagnostics on stderr, exit codes; ``regframe validate`` on evidence."""

from __future__ import annotations

import csv
import io
import json

import pytest

from regframe.cli import main
from tests.conftest import TESTS, shared_data

FIXTURES = TESTS / "fixtures" / "evidence"
SAMPLE = FIXTURES / "sample.xml"
BAD = FIXTURES / "bad-items.xml"
AT_31_AUG = FIXTURES / "ofsted-at-31-aug.csv"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "test-key-0123456789")


def _json(capsys, *argv: str) -> tuple[int, list[dict], str]:
    code = main(["evidence", "summary", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _counts(rows: list[dict], section: str) -> dict[str, int]:
    return {row["name"]: row["count"] for row in rows if row["section"] == section}


def test_summary_counts_settings_items_placements_and_metrics(capsys):
    code, rows, err = _json(capsys, str(SAMPLE))
    assert (code, err) == (0, "")
    assert _counts(rows, "settings by kind") == {"childrens-home": 1, "rss-childrens-home": 1}
    assert _counts(rows, "items by source") == {
        "advocate": 1, "complainant": 1, "cqc": 2, "independent-person": 1, "lado": 1, "ofsted": 3, "provider": 3,
        "whistleblower": 1,
    }
    assert _counts(rows, "items by kind")["ek.ofsted-action"] == 2
    assert _counts(rows, "placements") == {"all": 1}
    assert _counts(rows, "metrics") == {"all": 1}
    assert _counts(rows, "accepted") == {str(SAMPLE): 17}
    assert _counts(rows, "rejected") == {str(SAMPLE): 0}


def test_summary_counts_out_of_scope_rows_skipped(capsys):
    code, rows, _err = _json(capsys, str(AT_31_AUG))
    assert code == 1  # two rows were rejected
    assert _counts(rows, "skipped: out-of-scope provision type") == {str(AT_31_AUG): 1}
    assert (_counts(rows, "accepted"), _counts(rows, "rejected")) == ({str(AT_31_AUG): 5}, {str(AT_31_AUG): 2})


def test_summary_prints_diagnostics_with_locations_to_stderr_and_fails_on_rejections(capsys):
    code, rows, err = _json(capsys, str(BAD))
    assert code == 1
    assert f"{BAD}:5: error RF310: item bad-date: observed='12/06/2023' is not a date (write YYYY-MM-DD)" in err.splitlines()
    assert _counts(rows, "diagnostics") == {"error": 8, "warning": 1}


def test_strict_makes_a_warning_a_failure(tmp_path, capsys):
    path = tmp_path / "warn.xml"
    path.write_text('<evidence xmlns="urn:x-regframe:evidence:1" version="1">\n<item id="a" setting="SC1" source="provider" '
                    'kind="ek.complaint" observed="2023-01-01" occured="2022-12-30"/>\n</evidence>\n', encoding="utf-8")
    assert main(["evidence", "summary", str(path)]) == 0
    assert main(["evidence", "summary", "--strict", str(path)]) == 1
    assert "RF317" in capsys.readouterr().err


def test_summary_as_csv_has_a_header_and_one_row_per_count(capsys):
    assert main(["evidence", "summary", "--format", "csv", str(SAMPLE)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == {"section": "settings by kind", "name": "childrens-home", "count": "1"}


def test_summary_as_a_table_is_aligned_text(capsys):
    assert main(["evidence", "summary", str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["section", "name", "count"]
    assert lines[2].split() == ["settings", "by", "kind", "childrens-home", "1"]


def test_a_random_key_is_noted_on_stderr(capsys, monkeypatch):
    monkeypatch.delenv("REGFRAME_PSEUDONYM_KEY")
    main(["evidence", "summary", str(SAMPLE)])
    assert "a random key was used" in capsys.readouterr().err


def test_hostile_xml_is_refused_with_its_reason(capsys):
    assert main(["evidence", "summary", str(FIXTURES / "doctype.xml")]) == 1
    assert "error RF102" in capsys.readouterr().err


def test_validate_prints_evidence_diagnostics_with_locations(capsys):
    assert main(["validate", str(BAD)]) == 1
    out = capsys.readouterr().out
    assert f"{BAD}:6: error RF310: item bad-score: score='5' is not a CQC score (1 to 4)" in out.splitlines()


def test_the_real_register_counts_by_setting_kind(capsys):
    path = shared_data("ofsted", "Provider_level_at_31_Aug_2023.csv")
    code, rows, _err = _json(capsys, str(path))
    assert code == 0
    assert _counts(rows, "settings by kind") == {
        "childrens-home": 2930, "residential-special-school": 110, "rss-childrens-home": 56, "secure-childrens-home": 13,
    }
    assert _counts(rows, "skipped: out-of-scope provision type") == {str(path): 552}


def test_a_folder_is_read_whole_except_hidden_files_and_folders(tmp_path):
    from regframe.ingest import expand

    for name in ("b.xml", "sub/a.csv", "notes.txt", ".hidden.xml", ".git/objects/ab", "sub/.cache/x.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path])] == ["b.xml", "notes.txt", "sub/a.csv"]


def test_the_summary_table_says_under_it_what_each_kind_counted_means(tmp_path, capsys):
    path = tmp_path / "e.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<evidence xmlns="urn:x-regframe:evidence:1" version="1">\n'
                    '<setting urn="SC1" kind="rss-childrens-home"/>\n<setting urn="SC2" kind="childrens-home"/>\n'
                    "</evidence>\n", encoding="utf-8")
    assert main(["evidence", "summary", str(path)]) == 0
    legend = capsys.readouterr().out.rstrip("\n").split("\n\n")[-1].splitlines()
    assert legend == [
        "childrens-home: children's home (Ofsted, Children's Homes Regulations 2015)",
        "rss-childrens-home: residential special school whose residential part is registered as a children's home, "
        "dual-registered as school and children's home (Children's Homes Regulations 2015)",
    ]
    assert main(["evidence", "summary", "--format", "csv", str(path)]) == 0
    assert "dual-registered" not in capsys.readouterr().out  # the legend is for people; CSV and JSON stay rows


def test_a_stray_file_in_a_folder_is_a_warning_but_named_it_is_an_error(tmp_path, capsys):
    import shutil

    from regframe.core.resources import standards_dir

    folder = tmp_path / "standards"
    shutil.copytree(standards_dir(), folder)
    (folder / "NOTES.txt").write_text("to do: check reg 44\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert f"{folder / 'NOTES.txt'}: warning RF304: NOTES.txt is not in a format regframe reads; skipped" in out + err
    assert "pseudonym key" not in err  # nothing was read as evidence, so no key was needed
    assert main(["validate", "--strict", str(folder)]) == 1
    assert main(["evidence", "summary", str(folder / "NOTES.txt")]) == 1
    assert "error RF301: NOTES.txt is not in a format regframe reads" in "".join(capsys.readouterr())


def test_summary_of_ofsted_files_of_every_era_accounts_for_every_row(capsys):
    eras = FIXTURES / "ofsted-eras"
    code, rows, err = _json(capsys, str(eras))
    assert code == 1  # joiners-leavers-2017.csv has a bad URN: a rejected row fails the run
    assert "RF320" in err
    read = _counts(rows, "rows read")
    assert len(read) == len(list(eras.iterdir()))
    for path, count in read.items():
        skipped = sum(n for row in rows if row["section"].startswith("skipped: ") and row["name"] == path
                      for n in [row["count"]])
        assert _counts(rows, "accepted")[path] + _counts(rows, "rejected")[path] + skipped == count, path
    assert _counts(rows, "inspections by kind") == {"full": 11, "interim": 4, "monitoring": 2}
    assert _counts(rows, "registration events by kind") == {"cancelled": 2, "closed": 1, "registered": 4, "resigned": 3}


def test_a_long_path_in_the_table_keeps_its_end_so_the_sheets_of_one_workbook_stay_apart():
    from regframe.cli.common import write_rows

    folder = "/home/analyst/regulators/ofsted/official-statistics/2025/"
    rows = [{"name": folder + "register.ods#Provider_level_at_31_Mar_2025", "count": 5600},
            {"name": folder + "register.ods#Provider_level_in_year_2024-25", "count": 4921},
            {"name": "a requirement title of SI 2015/541 that runs on well past the sixty characters shown", "count": 1}]
    out = io.StringIO()
    write_rows(rows, ["name", "count"], "table", out)
    lines = out.getvalue().splitlines()
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "…-statistics/2025/register.ods#Provider_level_at_31_Mar_2025",
        "…statistics/2025/register.ods#Provider_level_in_year_2024-25",
        "a requirement title of SI 2015/541 that runs on well past t…",
    ]
