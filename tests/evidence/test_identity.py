"""One identity: a child id, an LA code and a URN have one canonical form, whichever reader they came through."""

from __future__ import annotations

import json

import pytest

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from regframe.evidence.identity import canonical_child_id, canonical_la_code, canonical_urn
from regframe.evidence.pseudonym import PseudonymKey, pseudonymise
from regframe.ingest import LAScopeError, load_evidence
from tests import small_inputs

KEY = PseudonymKey.from_text("identity-test-key-0123")


def test_the_canonical_forms():
    assert [canonical_child_id(v) for v in ("ab1", " AB1 ", "a b1", "\u00a0ab1", 1234.0, "0123")] == [
        "AB1", "AB1", "AB1", "AB1", "1234", "0123"]
    assert [canonical_la_code(v) for v in (" e08000035", "901", 901)] == ["E08000035", "901", "901"]
    assert [canonical_urn(v) for v in ("sc 123456", "1234567", 1234567.0, "123456", "SC12345", "XXXXXXX", "")] == [
        "SC123456", "1234567", "1234567", "123456", None, None, None]


def test_the_pseudonymiser_uses_the_canonical_forms():
    assert pseudonymise(KEY, "901", "ab1") == pseudonymise(KEY, " 901 ", " AB1") != pseudonymise(KEY, "902", "AB1")


def _children(evidence) -> dict[str, set[str]]:
    """Pseudonyms by reader format."""
    found: dict[str, set[str]] = {}
    formats = {f.path: f.format for f in evidence.inputs}
    for placement in evidence.placements:
        found.setdefault(formats[placement.provenance.file], set()).add(placement.child)
    return found


def test_the_same_children_through_ssda903_annex_a_and_the_la_return_get_one_pseudonym_each(tmp_path):
    # SSDA903 in upper case, Annex A in lower case, the LA return in mixed case: three spellings, three children
    paths = [small_inputs.episodes(tmp_path / "episodes.csv", case=str.upper),
             small_inputs.annex_a(tmp_path / "annex-a.xlsx", case=str.lower),
             small_inputs.la_return(tmp_path / "return.xlsx", case=str.title)]
    evidence = load_evidence(paths, key=KEY, la_code="901")
    expected = {pseudonymise(KEY, "901", child) for child, _urn, _start in small_inputs.CHILDREN}
    assert len(expected) == 3
    assert _children(evidence) == {"ssda903-csv": expected, "annex-a": expected, "la-return": expected}


def test_without_la_files_that_do_not_name_theirs_beside_one_that_does_are_an_error_naming_them(tmp_path):
    episodes = small_inputs.episodes(tmp_path / "episodes.csv")
    annex = small_inputs.annex_a(tmp_path / "annex-a.xlsx")
    ret = small_inputs.la_return(tmp_path / "return.xlsx")
    with pytest.raises(LAScopeError) as raised:
        load_evidence([episodes, annex, ret], key=KEY)
    (problem,) = raised.value.diagnostics
    assert problem.code == "RF341" and problem.is_error
    assert problem.message == (
        f"child ids in {annex}, {episodes} do not say which LA they belong to, but {ret} names LA 901: the same "
        "child would get two pseudonyms. Give the LA of the first with --la 901 (la_code= in load_evidence)")


def test_the_command_line_stops_with_exit_2_and_names_the_flag(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "identity-test-key-0123")
    episodes = small_inputs.episodes(tmp_path / "episodes.csv")
    ret = small_inputs.la_return(tmp_path / "return.xlsx")
    register = small_inputs.register(tmp_path / "register.csv", small_inputs.ofsted_row("SC100001", "A Ltd"))
    code = main(["report", "--evidence", str(episodes), str(ret), "--settings", str(register), "--as-at", "2024-06-30",
                 "-o", str(tmp_path / "out.xlsx")])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert "error RF341" in err and "--la 901" in err
    assert not (tmp_path / "out.xlsx").exists()


def test_files_without_an_la_read_alone_share_one_scope(tmp_path):
    evidence = load_evidence([small_inputs.episodes(tmp_path / "e.csv", case=str.lower),
                              small_inputs.annex_a(tmp_path / "a.xlsx", case=str.upper)], key=KEY)
    found = _children(evidence)
    assert found["ssda903-csv"] == found["annex-a"] == {
        pseudonymise(KEY, "UNKNOWN", child) for child, _urn, _start in small_inputs.CHILDREN}
    assert [d.code for d in evidence.diagnostics] == ["RF437", "RF437"]  # a remark, since nothing is mixed


def _report(tmp_path, capsys, name: str, *paths, la: tuple[str, ...] = ()) -> dict:
    out = tmp_path / f"{name}.json"
    register = small_inputs.register(tmp_path / "register.csv", small_inputs.ofsted_row("SC100001", "A Ltd"),
                                     small_inputs.ofsted_row("SC100002", "B Ltd"))
    code = main(["report", "--evidence", *map(str, paths), "--settings", str(register), "--as-at", "2024-06-30",
                 *la, "-o", str(tmp_path / f"{name}.xlsx"), "--json", str(out), "--quiet"])
    capsys.readouterr()
    assert code == ExitCode.OK
    document = json.loads(out.read_text())
    return {"settings": document["settings"], "groups": document["groups"]}


def test_the_report_is_the_same_whatever_the_case_of_the_ids_and_whether_la_is_given_when_the_data_names_it(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "identity-test-key-0123")
    upper = tmp_path / "upper"
    lower = tmp_path / "lower"
    upper.mkdir()
    lower.mkdir()
    reports = [
        _report(upper, capsys, "a", small_inputs.episodes(upper / "e.csv", case=str.upper),
                small_inputs.la_return(upper / "r.xlsx", case=str.upper), la=("--la", "901")),
        _report(lower, capsys, "b", small_inputs.episodes(lower / "e.csv", case=str.lower),
                small_inputs.la_return(lower / "r.xlsx", case=str.title), la=("--la", "901")),
    ]
    # the LA return names its LA, so alone it needs no --la, and --la changes nothing
    alone = [_report(upper, capsys, "c", upper / "r.xlsx"), _report(upper, capsys, "d", upper / "r.xlsx", la=("--la", "901"))]
    for document in (*reports, *alone):
        for setting in document["settings"]:
            setting["setting"]["provenance"] = None
    assert reports[0] == reports[1]
    assert alone[0] == alone[1]
    assert [s["children"] for s in reports[0]["settings"]] == [s["children"] for s in alone[0]["settings"]]
    assert sorted(s["children"] for s in reports[0]["settings"]) == [1, 2]


def test_a_review_of_a_child_in_lower_case_is_attached_to_the_episode_in_upper_case(tmp_path):
    from regframe.ingest import IngestContext
    from regframe.ingest.ssda903 import read_csv

    small_inputs.episodes(tmp_path / "episodes.csv", case=str.upper)
    reviews = small_inputs.write_csv(tmp_path / "reviews.csv", [["CHILD", "REVIEW", "REVIEW_CODE"],
                                                                 ["ab1", "01/02/2024", "PN1"]])
    evidence = read_csv(reviews, IngestContext(key=KEY, la_code="901"))
    assert [(i.child, i.setting, i.observed.isoformat()) for i in evidence.items] == [
        (pseudonymise(KEY, "901", "AB1"), "SC100001", "2024-02-01")]
    assert (evidence.inputs[0].accepted, evidence.inputs[0].skipped) == (1, 0)
