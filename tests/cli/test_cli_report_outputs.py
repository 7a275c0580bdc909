"""``regframe report --json --jsonl`` on the demo: both outputs valid against their shipped schemas, adding up to
each other, the same bytes on every run, and never half-written."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from regframe.report import findings as report_findings
from regframe.report import json as report_json


def _run(folder: Path, *extra: str) -> int:
    return main(["report", "--demo", "-o", str(folder / "demo.xlsx"), "--json", str(folder / "demo.json"),
                 "--jsonl", str(folder / "demo.jsonl"), "--quiet", *extra])


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory) -> tuple[dict, list[dict], Path]:
    folder = tmp_path_factory.mktemp("demo")
    assert _run(folder) == ExitCode.OK
    document = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    lines = [json.loads(line) for line in (folder / "demo.jsonl").read_text(encoding="utf-8").splitlines()]
    return document, lines, folder


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_demo_json_validates_against_the_shipped_schema(demo_outputs):
    document, _lines, _folder = demo_outputs
    assert sorted(_validator(report_json.schema()).iter_errors(document), key=str) == []
    assert document["totals"]["settings"] == len(document["settings"]) > 0


def test_every_line_of_the_demo_jsonl_validates_against_the_shipped_schema(demo_outputs):
    _document, lines, _folder = demo_outputs
    validator = _validator(report_findings.schema())
    assert [error.message for line in lines for error in validator.iter_errors(line)] == []


def test_the_jsonl_has_a_line_for_every_finding_the_json_counts_and_the_failing_ones_match(demo_outputs):
    document, lines, _folder = demo_outputs
    assert dict(Counter(line["status"] for line in lines)) == document["totals"]["findings"]
    for setting in document["settings"]:
        urn = setting["setting"]["urn"]
        mine = [line for line in lines if line["setting"] == urn and not line["closed"]]
        counts = {status: n for status, n in setting["counts"].items() if n and status != "not_applicable"}
        assert dict(Counter(line["status"] for line in mine)) == counts
        assert [{k: v for k, v in line.items() if k not in ("setting", "closed", "run_id")} for line in mine
                if line["status"] in ("not_met", "overdue")] == setting["failing"]
    assert sum(1 for line in lines if line["status"] in ("not_met", "overdue")) == document["totals"]["failing"]


def test_two_runs_write_the_same_bytes(demo_outputs, tmp_path):
    _document, _lines, first = demo_outputs
    assert _run(tmp_path) == ExitCode.OK
    for name in ("demo.json", "demo.jsonl"):
        assert (tmp_path / name).read_bytes() == (first / name).read_bytes()


def test_an_unwritable_jsonl_exits_4_and_writes_none_of_the_reports(tmp_path, capsys):
    """The workbook, the JSON and the JSON Lines are one set: all replace their files, or none does."""
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    code = main(["report", "--demo", "-o", str(tmp_path / "r.xlsx"), "--jsonl", str(blocker / "f.jsonl"), "--quiet"])
    assert code == ExitCode.OUTPUT
    assert "cannot write the report" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
