"""``validate framework.xml`` judges the files the manifest includes as ``report --framework`` does."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from regframe.cli import main
from regframe.cli.validate import check_paths
from regframe.framework import check_framework
from tests.conftest import FIXTURES

XXE = ('<?xml version="1.0"?>\n<!DOCTYPE instrument [<!ENTITY leak SYSTEM "file:///etc/passwd">]>\n'
       '<instrument xmlns="urn:x-regframe:catalogue:1" id="beta">&leak;</instrument>\n')


def catalogue_with_xxe(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", folder)
    (folder / "beta.xml").write_text(XXE, encoding="utf-8")
    return folder / "framework.xml"


def test_an_xxe_in_an_included_file_is_found_by_validating_the_manifest_alone(tmp_path):
    manifest = catalogue_with_xxe(tmp_path)
    problems, _notes = check_paths([manifest])
    beta = str((manifest.parent / "beta.xml").resolve())
    assert [(p.code, p.location.file, p.location.line) for p in problems if p.code == "RF102"] == [("RF102", beta, 2)]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["validate", str(manifest)]) == 1
    assert "RF102" in out.getvalue() + err.getvalue()
    assert "no problems found" not in out.getvalue() + err.getvalue()


def test_validate_reports_every_problem_report_framework_would_for_a_manifest_alone(tmp_path):
    manifest = catalogue_with_xxe(tmp_path)
    _framework, expected = check_framework(manifest)
    problems, _notes = check_paths([manifest])
    assert {(p.code, p.message, str(p.location)) for p in expected} <= {(p.code, p.message, str(p.location)) for p in problems}
    assert any(p.code == "RF102" for p in expected)


def test_a_clean_manifest_alone_and_its_whole_folder_give_the_same_verdict():
    alone, _ = check_paths([FIXTURES / "catalogue" / "framework.xml"])
    folder, _ = check_paths([FIXTURES / "catalogue"])
    assert sorted(str(p) for p in alone) == sorted(str(p) for p in folder)
