"""Pseudonymisation at ingest: stable under one key, different under another, and no raw child id leaks anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regframe.cli import main
from regframe.evidence.pseudonym import ENV_VAR, RANDOM_KEY_NOTE, PseudonymKey, is_pseudonym, pseudonymise
from regframe.framework.converter import converter
from regframe.ingest import load_evidence
from tests.conftest import TESTS

KEY = PseudonymKey.from_text("test-key-0123456789")
RAW_CHILD = "RAWCHILD-4711"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<evidence xmlns="urn:x-regframe:evidence:1" version="1">\n'


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    """The same child in two files: placed by an LA in one, referred to the LADO in the other."""
    placements = tmp_path / "placements.xml"
    placements.write_text(HEADER + f'<placement child="{RAW_CHILD}" la="E08000035" setting="SC123456" start="2023-01-09"/>\n'
                          "</evidence>\n", encoding="utf-8")
    referrals = tmp_path / "lado.xml"
    referrals.write_text(HEADER + f'<item id="l1" setting="SC123456" source="lado" kind="ek.lado-referral" '
                         f'observed="2023-05-04" occurred="2023-05-01" child=" {RAW_CHILD} " child-la="e08000035"/>\n'
                         "</evidence>\n", encoding="utf-8")
    return placements, referrals


def test_the_same_child_in_two_files_gets_the_same_pseudonym_under_one_key(two_files):
    evidence = load_evidence(two_files, key=KEY)
    assert evidence.placements[0].child == evidence.items[0].child == pseudonymise(KEY, "E08000035", RAW_CHILD)
    assert is_pseudonym(evidence.items[0].child)


def test_different_keys_give_different_pseudonyms(two_files):
    other = PseudonymKey.from_text("another-key-9876543210")
    assert load_evidence(two_files, key=KEY).placements[0].child != load_evidence(two_files, key=other).placements[0].child


def test_the_same_id_in_two_las_is_two_children(two_files):
    placements, referrals = two_files
    referrals.write_text(referrals.read_text(encoding="utf-8").replace('child-la="e08000035"', 'child-la="E09000007"'),
                         encoding="utf-8")
    evidence = load_evidence(two_files, key=KEY)
    assert evidence.placements[0].child == pseudonymise(KEY, "E08000035", RAW_CHILD)
    assert evidence.items[0].child == pseudonymise(KEY, "E09000007", RAW_CHILD) != evidence.placements[0].child


def test_a_random_key_is_noted(two_files, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert load_evidence(two_files).notes == [RANDOM_KEY_NOTE]
    assert load_evidence(two_files, key=KEY).notes == []


def test_a_key_from_the_environment_is_used_and_not_noted(two_files, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "test-key-0123456789")
    evidence = load_evidence(two_files)
    assert evidence.notes == []
    assert evidence.placements[0].child == pseudonymise(KEY, "E08000035", RAW_CHILD)


def test_the_key_never_shows_in_its_repr():
    assert repr(KEY) == "PseudonymKey(origin='given')"


def test_no_raw_child_id_in_repr_or_json(two_files):
    evidence = load_evidence(two_files, key=KEY)
    records = [*evidence.placements, *evidence.items]
    assert RAW_CHILD not in repr(records)
    assert RAW_CHILD not in json.dumps(converter.unstructure(records), default=str)


def test_a_rejected_placement_does_not_echo_the_child_id(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(HEADER + f'<placement child="{RAW_CHILD}" la="E08000035" setting="SC123456" start="2023-13-09"/>\n'
                    "</evidence>\n", encoding="utf-8")
    evidence = load_evidence([path], key=KEY)
    assert [d.code for d in evidence.diagnostics] == ["RF312"]
    assert RAW_CHILD not in repr(evidence.diagnostics)


@pytest.mark.parametrize("argv", [
    ["evidence", "summary", "--format", "table"],
    ["evidence", "summary", "--format", "json"],
    ["evidence", "summary", "--format", "csv"],
    ["validate"],
    ["validate", "--format", "json"],
])
def test_no_raw_child_id_name_dob_or_postcode_in_cli_output(two_files, tmp_path, capsys, monkeypatch, argv):
    monkeypatch.setenv(ENV_VAR, "test-key-0123456789")
    bad = tmp_path / "bad.xml"
    bad.write_text(HEADER + f'<placement child="{RAW_CHILD}" la="E08000035" setting="SC1" start="x"/>\n'
                   f'<item id="i" setting="SC1" source="advocate" kind="ek.advocacy-visit" observed="2023-01-01" '
                   f'child="{RAW_CHILD}"/>\n</evidence>\n', encoding="utf-8")
    ofsted = TESTS / "fixtures" / "evidence" / "ofsted-at-31-aug.csv"
    main([*argv, *map(str, two_files), str(bad), str(ofsted)])
    out, err = capsys.readouterr()
    for secret in (RAW_CHILD, "GL19 3BE", "REDACTED"):
        assert secret not in out and secret not in err
    assert "RF31" in out + err  # the bad file's problems were printed, without the id


def test_a_key_file_that_cannot_be_read_is_a_usage_error_naming_the_file(two_files, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    missing = tmp_path / "no-such.key"
    code = main(["evidence", "summary", "--pseudonym-key-file", str(missing), str(two_files[0])])
    err = capsys.readouterr().err
    assert code == 2
    assert f"regframe: error: pseudonym key file {missing} cannot be read: No such file or directory" in err


def test_a_short_key_is_a_usage_error_that_never_shows_the_key(two_files, tmp_path, capsys, monkeypatch):
    short = tmp_path / "short.key"
    short.write_text("hunter2secret\n", encoding="utf-8")
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert main(["evidence", "summary", "--pseudonym-key-file", str(short), str(two_files[0])]) == 2
    monkeypatch.setenv(ENV_VAR, "hunter2secret")
    assert main(["evidence", "summary", str(two_files[0])]) == 2
    err = capsys.readouterr().err
    assert f"pseudonym key file {short}: a pseudonym key must be at least 16 characters\n" in err
    assert f"{ENV_VAR}: a pseudonym key must be at least 16 characters\n" in err
    # neither the key nor its length (13): the message names the key file, whose temporary path may hold "13"
    assert "hunter2" not in err and "13" not in err.replace(str(short), "KEYFILE")
