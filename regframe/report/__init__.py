"""Reports read an :class:`~regframe.assess.results.Assessment` and write it out.

A gap workbook (:func:`write_xlsx`), a JSON document of what a consumer acts on (:func:`write_json`) and
every finding as JSON Lines (:func:`write_jsonl`).
"""

from regframe.report.findings import write_jsonl
from regframe.report.json import assessment_to_json, write_json
from regframe.report.pair import write_report_files
from regframe.report.runid import read_run_id, run_id
from regframe.report.xlsx import write_xlsx

__all__ = ["assessment_to_json", "read_run_id", "run_id", "write_json", "write_jsonl", "write_report_files",
           "write_xlsx"]
