"""Turning the shared folder's flattened CQC rows back into the JSON the CQC API serves.

``../shared/data/cqc/`` holds real ``/locations/{id}`` responses (April 2021) that someone
flattened to CSV: nested fields written as Python literals (``repr`` of dicts and lists,
read here with :func:`ast.literal_eval`, never ``eval``), dates in two styles
(``dd/mm/yyyy`` in the care-homes file, ISO in the hospitals file), bed counts as
``28.0``, and an empty cell where the API leaves a field out. The API itself sends
ISO dates, whole numbers and absent fields, so that is what this writes: the reader
under test sees what inspection software receives, not the flattening.

Test code only: regframe reads what CQC serves, not this CSV.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: columns holding a nested field written as a Python literal
NESTED = frozenset({
    "lastInspection", "lastReport", "relationships", "locationTypes", "regulatedActivities", "gacServiceTypes",
    "inspectionCategories", "specialisms", "inspectionAreas", "currentRatings", "historicRatings", "reports",
    "unpublishedReports", "providerInspectionAreas",
})
DATES = frozenset({"registrationDate", "deregistrationDate", "registeredManagerAbsentDate", "dormancyStartDate"})
WHOLE_NUMBERS = frozenset({"numberOfBeds"})
DECIMALS = frozenset({"onspdLatitude", "onspdLongitude"})


def _date(text: str) -> str:
    if "/" in text:
        return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat()
    return dt.date.fromisoformat(text).isoformat()


def _whole(text: str) -> int:
    number = float(text)
    if not number.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return int(number)


def api_record(row: dict[str, str]) -> dict[str, Any]:
    """One flattened row as the API's JSON object (fields left empty in the CSV are left out, as the API does)."""
    record: dict[str, Any] = {}
    for column, text in row.items():
        if column is None or text is None or not text.strip():
            continue
        if column in NESTED:
            record[column] = ast.literal_eval(text)
        elif column in DATES:
            record[column] = _date(text)
        elif column in WHOLE_NUMBERS:
            record[column] = _whole(text)
        elif column in DECIMALS:
            record[column] = float(text)
        else:
            record[column] = text
    return record


def api_records(path: Path) -> Iterator[dict[str, Any]]:
    """Every row of one flattened CSV file, as API records, in file order."""
    # csv's limit is process-wide: raised for these files only, then put back, so that no other test
    # (the CSV readers' own field limit among them) sees it raised
    previous = csv.field_size_limit(1 << 24)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield api_record(row)
    finally:
        csv.field_size_limit(previous)


def write_json_lines(paths: list[Path], destination: Path) -> int:
    """The records of every file as JSON Lines (one API response a line); returns how many were written."""
    count = 0
    with destination.open("w", encoding="utf-8") as out:
        for path in paths:
            for record in api_records(path):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count
