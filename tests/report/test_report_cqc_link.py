"""The report shows a CQC location that no link file joined to its Ofsted setting as 'CQC record not linked'."""

from __future__ import annotations

import attrs
import openpyxl

from regframe.framework.model import SettingKind
from regframe.report import write_xlsx
from regframe.report import xlsx as report_xlsx
from tests.report.report_fixtures import fixture_graph, hesley_assessment


def test_summary_says_not_linked_and_why_for_a_cqc_location_awaiting_its_link(tmp_path):
    assessment = hesley_assessment()
    first = assessment.settings[0]
    cqc_only = attrs.evolve(first.setting, urn="1-900000101", kind=SettingKind.CQC_HEALTH_PROVISION,
                            cqc_location_id="1-900000101", cqc_record_unlinked=True)
    unlinked = attrs.evolve(first, setting=cqc_only)
    path = write_xlsx(attrs.evolve(assessment, settings=(unlinked, *assessment.settings[1:])), fixture_graph(),
                      tmp_path / "gaps.xlsx")
    ws = openpyxl.load_workbook(path)["Summary"]
    header = report_xlsx.SUMMARY_TITLE_ROWS + 1
    names = [c.value for c in ws[header]]
    rows = [dict(zip(names, row, strict=False)) for row in ws.iter_rows(min_row=header + 1, values_only=True)]
    assert [r["Dual-registered"] for r in rows][:2] == ["Not linked", "No"]
    assert rows[0]["Reasons"].startswith(report_xlsx.UNLINKED_REASON)
    assert not rows[1]["Reasons"].startswith("CQC record not linked")


def test_summary_gives_an_ofsted_setting_missing_its_cqc_record_its_own_reason(tmp_path):
    assessment = hesley_assessment()
    first = assessment.settings[0]
    assert first.setting.kind.value != "cqc-health-provision"
    unlinked = attrs.evolve(first, setting=attrs.evolve(first.setting, cqc_record_unlinked=True))
    path = write_xlsx(attrs.evolve(assessment, settings=(unlinked, *assessment.settings[1:])), fixture_graph(),
                      tmp_path / "gaps.xlsx")
    ws = openpyxl.load_workbook(path)["Summary"]
    header = report_xlsx.SUMMARY_TITLE_ROWS + 1
    names = [c.value for c in ws[header]]
    row = dict(zip(names, next(ws.iter_rows(min_row=header + 1, values_only=True)), strict=False))
    assert row["Reasons"].startswith(report_xlsx.UNLINKED_REGISTRATION_REASON)
