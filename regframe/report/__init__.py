"""Reports read an :class:`~regframe.results.Assessment` and write it out: a gap workbook, a JSON document."""

from .json import assessment_to_json, write_json
from .xlsx import write_xlsx

__all__ = ["assessment_to_json", "write_json", "write_xlsx"]
