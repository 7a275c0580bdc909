"""Reports read an :class:`~regframe.assess.results.Assessment` and write it out: a gap workbook, a JSON document."""

from regframe.report.json import assessment_to_json, write_json
from regframe.report.pair import write_report_files
from regframe.report.runid import read_run_id, run_id
from regframe.report.xlsx import write_xlsx

__all__ = ["assessment_to_json", "read_run_id", "run_id", "write_json", "write_report_files", "write_xlsx"]
