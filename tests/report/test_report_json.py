"""The JSON report (what a consumer acts on) and the JSON Lines report (every finding): deterministic, atomic,
valid against their shipped schemas, and adding up to each other."""

from __future__ import annotations

import json

import attrs
import jsonschema
import pytest

from regframe.assess.results import Assessment, ClosedSetting, Flag, LensState, Rating, Status
from regframe.framework.converter import converter
from regframe.framework.model import SettingKind
from regframe.report import assessment_to_json, write_json, write_jsonl
from regframe.report import findings as report_findings
from regframe.report import json as report_json
from regframe.report.runid import run_id
from tests.report.report_fixtures import hesley_assessment


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _document(assessment: Assessment | None = None) -> dict:
    return json.loads(assessment_to_json(assessment or hesley_assessment()))


def _lines(assessment: Assessment | None = None) -> list[dict]:
    return [json.loads(line) for line in report_findings.iter_jsonl(
        report_findings.finding_lines(assessment or hesley_assessment()))]


def _with_a_closed_setting() -> Assessment:
    assessment = hesley_assessment()
    closed = assessment.settings[1]
    return attrs.evolve(assessment, settings=(assessment.settings[0], assessment.settings[2]), closed=(
        ClosedSetting(closed.setting, "Closed", assessment.as_at.replace(day=1), closed),))


def _shuffled(assessment: Assessment) -> Assessment:
    """The same assessment with every dict built in reverse order and every set-like tuple reversed."""
    def setting(s):
        return attrs.evolve(
            s,
            counts=dict(reversed(list(s.counts.items()))),
            findings=tuple(attrs.evolve(f, flags=f.flags[::-1], evidence=f.evidence[::-1]) for f in s.findings),
            no_evidence=s.no_evidence[::-1],
            lens=tuple(attrs.evolve(e, failing=e.failing[::-1], at_risk=e.at_risk[::-1],
                                    indicators=e.indicators[::-1]) for e in s.lens),
        )

    return attrs.evolve(
        assessment,
        settings=tuple(setting(s) for s in assessment.settings),
        groups=tuple(attrs.evolve(g, ratings=dict(reversed(list(g.ratings.items()))), settings=g.settings[::-1],
                                  settings_with_failings=g.settings_with_failings[::-1]) for g in assessment.groups),
    )


# ---- the JSON report


def test_the_document_validates_against_the_shipped_schema():
    assert sorted(_validator(report_json.schema()).iter_errors(_document()), key=str) == []
    assert sorted(_validator(report_json.schema()).iter_errors(_document(_with_a_closed_setting())), key=str) == []


def _with_sheets_not_read() -> Assessment:
    from regframe.evidence import NotRead

    assessment = hesley_assessment()
    unread = (NotRead("Children placed", "RF404", 0, 2_000_001, "A1:P2000001"), NotRead("Signals", "RF402", 6))
    return attrs.evolve(assessment, inputs=(attrs.evolve(assessment.inputs[0], not_read=unread),
                                            *assessment.inputs[1:]))


def test_a_sheet_not_read_is_in_the_inputs_block_and_validates():
    document = _document(_with_sheets_not_read())
    assert sorted(_validator(report_json.schema()).iter_errors(document), key=str) == []
    assert document["inputs"][0]["not_read"] == [
        {"sheet": "Children placed", "code": "RF404", "after_row": 0, "rows": 2_000_001, "dimension": "A1:P2000001"},
        {"sheet": "Signals", "code": "RF402", "after_row": 6, "rows": None, "dimension": None}]
    assert [item["not_read"] for item in document["inputs"][1:]] == [[] for _ in document["inputs"][1:]]


def test_the_schema_rejects_a_status_outside_the_enum_and_a_missing_total():
    document = _document()
    document["settings"][0]["failing"][0]["status"] = "probably_fine"
    assert not _validator(report_json.schema()).is_valid(document)
    document = _document()
    del document["totals"]["failing"]
    assert not _validator(report_json.schema()).is_valid(document)


@pytest.mark.parametrize(("definition", "enum"), [
    ("status", Status), ("flag", Flag), ("rating", Rating), ("lens_state", LensState), ("setting_kind", SettingKind),
])
def test_schema_enums_are_exactly_the_python_enums(definition, enum):
    assert report_json.schema()["$defs"][definition]["enum"] == [member.value for member in enum]
    if definition in report_findings.schema()["$defs"]:
        assert report_findings.schema()["$defs"][definition] == report_json.schema()["$defs"][definition]


def test_top_level_keys_are_the_report_fields_and_the_run_id_sorted_and_the_format_is_the_schema_id():
    document = _document()
    assert list(document) == sorted([*(f.name for f in attrs.fields(report_json.JsonReport)), "run_id"])
    assert document["run_id"] == run_id(hesley_assessment())
    assert document["format"] == report_json.schema()["$id"] == "urn:x-regframe:assessment:2"
    assert set(report_json.schema()["properties"]) == set(document) == set(report_json.schema()["required"])


def test_a_setting_carries_its_axes_reasons_counts_flags_and_only_its_failing_findings():
    red = _document()["settings"][0]
    assert (red["setting"]["urn"], red["rating"], red["assurance"], red["risk_score"]) == (
        "SC900001", "red", "medium", 87.5)
    assert [r["rule"] for r in red["reasons"]] == ["rated-good-but", "not-met", "overdue"]
    assert red["counts"] == {"not_met": 2, "overdue": 1, "uncorroborated": 1, "met": 1, "no_evidence": 1}
    assert red["flags"] == {"regulators_disagree": 1, "provider_contradicted": 2, "single_regulator": 1}
    assert [(f["requirement"], f["status"]) for f in red["failing"]] == [
        ("chr2015.r7.2.b.iii", "not_met"), ("chr2015.r44.1", "overdue"), ("chr2015.r20.1", "not_met")]
    assert red["rated_good_but"]["verdict"] == "good"


def test_only_red_and_amber_indicators_and_failing_or_at_risk_recommendations_are_listed():
    assessment = hesley_assessment()
    for setting, summary in zip(assessment.settings, _document(assessment)["settings"], strict=True):
        assert [i["indicator"] for i in summary["indicators"]] == [
            i.indicator for i in setting.indicators if i.level is not None]
        assert [e["recommendation"] for e in summary["lens"]] == [
            e.recommendation for e in setting.lens if e.state in (LensState.FAILING, LensState.AT_RISK)]


def test_the_evidence_listed_is_exactly_what_the_failing_findings_reasons_and_judgements_cite():
    document = _document()
    cited = {e for s in document["settings"] for f in s["failing"] for e in f["evidence"]}
    cited |= {e for s in document["settings"] for r in s["reasons"] for e in r["evidence"]}
    cited |= {e for s in document["settings"] for j in s["judgements"] for e in j["evidence"]}
    assert sorted(e["id"] for e in document["evidence"]) == sorted(cited)
    assert "ev-0001" not in cited  # a met finding's evidence stays in the JSON Lines report


def test_the_totals_account_for_every_setting_and_every_finding():
    assessment = _with_a_closed_setting()
    document = _document(assessment)
    totals = document["totals"]
    assert (totals["settings"], totals["closed"]) == (len(document["settings"]), len(document["closed"])) == (2, 1)
    assert totals["ratings"] == {"red": 1, "green": 1}
    assert totals["failing"] == sum(len(s["failing"]) for s in document["settings"]) + sum(
        len(c["assessment"]["failing"]) for c in document["closed"] if c["assessment"])
    lines = _lines(assessment)
    assert totals["findings"] == {status: sum(1 for line in lines if line["status"] == status)
                                  for status in {line["status"] for line in lines}}


def test_the_same_assessment_gives_byte_identical_json():
    assert assessment_to_json(hesley_assessment()) == assessment_to_json(hesley_assessment())


def test_insertion_order_of_dicts_and_sets_does_not_change_the_bytes():
    assert assessment_to_json(_shuffled(hesley_assessment())) == assessment_to_json(hesley_assessment())
    shuffled = "".join(report_findings.iter_jsonl(report_findings.finding_lines(_shuffled(hesley_assessment()))))
    assert shuffled == "".join(report_findings.iter_jsonl(report_findings.finding_lines(hesley_assessment())))


def test_set_like_lists_are_sorted_and_ordered_lists_keep_their_order():
    document = _document()
    advocacy = document["settings"][0]["failing"][0]
    assert advocacy["evidence"] == ["ev-0003", "ev-0004"]  # given as ev-0004, ev-0003
    assert [s["setting"]["urn"] for s in document["settings"]] == ["SC900001", "SC900002", "SC900003"]
    assert [r["status"] for r in advocacy["reasons"]] == ["not_met", "uncorroborated"]
    assert document["settings"][0]["failing"][2]["flags"] == ["regulators_disagree", "provider_contradicted"]


def test_there_is_no_timestamp_and_dates_are_iso():
    document = _document()
    assert document["as_at"] == "2025-03-31"
    assert "generated" not in json.dumps(document)


def test_the_json_reads_back_into_the_report_it_was_built_from_with_sets_sorted():
    assessment = hesley_assessment()
    red = assessment.settings[0]
    advocacy = attrs.evolve(red.findings[0], evidence=("ev-0003", "ev-0004"))
    sorted_sets = attrs.evolve(assessment, settings=(
        attrs.evolve(red, findings=(advocacy, *red.findings[1:])), *assessment.settings[1:]))
    document = _document(assessment)
    assert document.pop("run_id") == run_id(assessment)  # the one key that is not a field: derived from the inputs
    read = converter.structure(document, report_json.JsonReport)
    assert read == report_json.build_report(sorted_sets)


def test_write_json_writes_exactly_the_document_in_utf8(tmp_path):
    assessment = attrs.evolve(hesley_assessment(), notes=("Ofsted–CQC joint note: café",))
    path = write_json(assessment, tmp_path / "report.json")
    assert path.read_bytes() == assessment_to_json(assessment).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_failed_json_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("previous report")

    def broken(_assessment):
        yield "{"
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report_json, "iter_json", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_json(hesley_assessment(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert target.read_text() == "previous report"


def test_a_nan_is_refused_rather_than_written_as_invalid_json():
    assessment = hesley_assessment()
    broken = attrs.evolve(assessment, settings=(attrs.evolve(assessment.settings[0], risk_score=float("nan")),))
    with pytest.raises(ValueError):
        assessment_to_json(broken)


# ---- the JSON Lines report


def test_every_line_validates_against_the_shipped_finding_schema():
    validator = _validator(report_findings.schema())
    lines = _lines(_with_a_closed_setting())
    assert [sorted(validator.iter_errors(line), key=str) for line in lines] == [[] for _ in lines]
    broken = dict(lines[0], status="probably_fine")
    assert not validator.is_valid(broken)


def test_every_requirement_of_every_setting_is_a_line_met_and_unevidenced_ones_included_in_order():
    lines = _lines(_with_a_closed_setting())
    assert [(line["setting"], line["requirement"], line["status"], line["closed"]) for line in lines] == [
        ("SC900001", "chr2015.r7.2.b.iii", "not_met", False), ("SC900001", "chr2015.r44.1", "overdue", False),
        ("SC900001", "chr2015.r20.1", "not_met", False), ("SC900001", "cqc-ra2014.r13.4.b", "uncorroborated", False),
        ("SC900001", "chr2015.r12.2.a", "met", False), ("SC900001", "cqc-ra2014.r12.2.a", "no_evidence", False),
        *[(line["setting"], line["requirement"], line["status"], False) for line in _lines()
          if line["setting"] == "SC900003"],
        ("SC900002", "chr2015.r44.1", "overdue", True), ("SC900002", "chr2015.r7.2.b.iii", "stale", True),
        ("SC900002", "chr2015.r12.2.a", "met", True),
    ]
    unevidenced = lines[5]
    assert (unevidenced["reasons"], unevidenced["flags"], unevidenced["evidence"]) == ([], [], [])


def test_a_line_carries_the_whole_finding_with_sets_sorted_and_the_run_id():
    lines = _lines()
    first = lines[0]
    assert first == {
        "setting": "SC900001", "requirement": "chr2015.r7.2.b.iii", "status": "not_met", "closed": False,
        "reasons": [{"status": "not_met", "message": "Advocate's visit on 2025-01-20 found two children with no "
                                                     "advocacy support"},
                    {"status": "uncorroborated", "message": "Provider's self-assessment of 2025-01-05 says met"}],
        "flags": ["provider_contradicted"], "evidence": ["ev-0003", "ev-0004"],
        "run_id": run_id(hesley_assessment()),
    }
    assert {line["run_id"] for line in lines} == {first["run_id"]}  # every line, so any line says its run


def test_write_jsonl_streams_one_line_a_finding_in_utf8_and_atomically(tmp_path, monkeypatch):
    path = write_jsonl(hesley_assessment(), tmp_path / "findings.jsonl")
    text = path.read_text(encoding="utf-8")
    assert text == "".join(report_findings.iter_jsonl(report_findings.finding_lines(hesley_assessment())))
    assert text.count("\n") == len(_lines()) and text.endswith("\n")

    def broken(_lines):
        yield "{}\n"
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report_findings, "iter_jsonl", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_jsonl(hesley_assessment(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["findings.jsonl"]
    assert path.read_text(encoding="utf-8") == text


def test_the_lines_are_produced_one_at_a_time_not_built_whole():
    produced = report_findings.iter_jsonl(report_findings.finding_lines(hesley_assessment()))
    assert json.loads(next(produced))["requirement"] == "chr2015.r7.2.b.iii"
    assert json.loads(next(produced))["requirement"] == "chr2015.r44.1"
