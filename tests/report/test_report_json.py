"""The JSON report: the Assessment through the shared converter, deterministic, atomic, valid against its schema."""

from __future__ import annotations

import json

import attrs
import jsonschema
import pytest

from regframe.assess.results import Assessment, Flag, LensState, Rating, Status
from regframe.framework.converter import converter
from regframe.framework.model import SettingKind
from regframe.report import assessment_to_json, write_json
from regframe.report import json as report_json
from tests.report.report_fixtures import hesley_assessment


def _validator() -> jsonschema.Draft202012Validator:
    schema = report_json.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


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


def test_the_document_validates_against_the_shipped_schema():
    document = json.loads(assessment_to_json(hesley_assessment()))
    errors = sorted(_validator().iter_errors(document), key=str)
    assert errors == []


def test_the_schema_rejects_a_status_outside_the_enum():
    document = json.loads(assessment_to_json(hesley_assessment()))
    document["settings"][0]["findings"][0]["status"] = "probably_fine"
    assert not _validator().is_valid(document)


@pytest.mark.parametrize(("definition", "enum"), [
    ("status", Status), ("flag", Flag), ("rating", Rating), ("lens_state", LensState), ("setting_kind", SettingKind),
])
def test_schema_enums_are_exactly_the_python_enums(definition, enum):
    assert report_json.schema()["$defs"][definition]["enum"] == [member.value for member in enum]


def test_top_level_keys_are_the_assessment_fields_sorted():
    text = assessment_to_json(hesley_assessment())
    assert list(json.loads(text)) == sorted(f.name for f in attrs.fields(Assessment))


def test_the_same_assessment_gives_byte_identical_json():
    assert assessment_to_json(hesley_assessment()) == assessment_to_json(hesley_assessment())


def test_insertion_order_of_dicts_and_sets_does_not_change_the_bytes():
    assert assessment_to_json(_shuffled(hesley_assessment())) == assessment_to_json(hesley_assessment())


def test_set_like_lists_are_sorted_and_ordered_lists_keep_their_order():
    document = json.loads(assessment_to_json(hesley_assessment()))
    advocacy = document["settings"][0]["findings"][0]
    assert advocacy["evidence"] == ["ev-0003", "ev-0004"]  # given as ev-0004, ev-0003
    assert [s["setting"]["urn"] for s in document["settings"]] == ["SC900001", "SC900002", "SC900003"]
    assert [r["status"] for r in advocacy["reasons"]] == ["not_met", "uncorroborated"]


def test_there_is_no_timestamp_and_dates_are_iso():
    document = json.loads(assessment_to_json(hesley_assessment()))
    assert document["as_at"] == "2025-03-31"
    assert "generated" not in json.dumps(document)


def test_the_json_reads_back_into_the_same_assessment_with_sets_sorted():
    assessment = hesley_assessment()
    red = assessment.settings[0]
    advocacy = attrs.evolve(red.findings[0], evidence=("ev-0003", "ev-0004"))
    expected = attrs.evolve(assessment, settings=(
        attrs.evolve(red, findings=(advocacy, *red.findings[1:])), *assessment.settings[1:]))
    assert converter.structure(json.loads(assessment_to_json(assessment)), Assessment) == expected


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
