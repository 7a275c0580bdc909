"""Reports read an :class:`~regframe.assess.results.Assessment` and write it out: a gap workbook, a JSON document."""

from regframe.report.json import assessment_to_json, write_json
from regframe.report.xlsx import write_xlsx

__all__ = ["assessment_to_json", "write_json", "write_xlsx"]
