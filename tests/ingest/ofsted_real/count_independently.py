"""Count the real Ofsted files' rows by provision type and registration status, without regframe.

The counts the real-data tests pin are computed here, by a deliberately naive second reading
that shares no code with :mod:`regframe.ingest`: the csv module over the bytes decoded as UTF-8
(else cp1252), the header taken as the first row with a cell ``URN`` / ``Provider URN`` and the
ODS workbook read with python-calamine (regframe reads it with lxml; calamine is needed only
here, ``pip install python-calamine``, never by regframe or its tests). Rerun it after a data
change with::

    .venv/bin/python tests/ingest/ofsted_real/count_independently.py ../shared/data/ofsted > tests/ingest/ofsted_real/expected_counts.json

For each table it writes: the data rows under the header (blank rows included), the blank rows,
and the non-blank rows counted by provision type and by registration status exactly as written
(trimmed, with inner spacing and case kept). Where a file has two status columns (a joiners and
leavers file's status at the start and end of the year) the end-of-year one is counted.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

URN_HEADERS = {"urn", "provider urn"}
TYPE_HEADERS = ("provision type", "provider type")
# the end-of-year status first: a joiners/leavers file also has the status at the start of the year
STATUS_HEADERS = (
    "registration status (as at @enddate)", "registration status (as at 31 march 2025)",
    "registration status (as at 31 march 2023)",
    "registration status (as at 31 march 2022)", "registration status at 31 march 2020",
    "registration status at 31 march 2019", "registration status", "reg status", "provider status",
    "provider_status",
)


def squash(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).lower()


def table_counts(rows: list[list[str]]) -> dict | None:
    """Counts for one table (a CSV file or a sheet), or None when no row is a header with URN."""
    for at, row in enumerate(rows[:30]):  # noqa: B007 (at is read after the loop)
        names = [squash(cell) for cell in row]
        if URN_HEADERS & set(names):
            break
    else:
        return None
    type_col = next((names.index(n) for n in TYPE_HEADERS if n in names), None)
    status_col = next((names.index(n) for n in STATUS_HEADERS if n in names), None)
    data = rows[at + 1:]
    blank = 0
    types: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for row in data:
        if not any(cell.strip() for cell in row):
            blank += 1
            continue
        types[row[type_col].strip() if type_col is not None and type_col < len(row) else ""] += 1
        statuses[row[status_col].strip() if status_col is not None and status_col < len(row) else ""] += 1
    return {"header_row": at + 1, "rows": len(data), "blank": blank,
            "by_provision_type": dict(sorted(types.items())), "by_status": dict(sorted(statuses.items()))}


def csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline="")))


def cell_text(value: object) -> str:
    """A calamine cell as the CSV release writes it: whole numbers without '.0', dates dd/mm/yyyy."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def ods_tables(path: Path) -> dict[str, dict]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    found = {}
    for name in book.sheet_names:
        rows = [[cell_text(v) for v in row] for row in book.get_sheet_by_name(name).to_python()]
        counts = table_counts(rows)
        if counts is not None:
            found[name] = counts
    return found


def main(folder: str) -> None:
    root = Path(folder)
    result: dict[str, object] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".ods")):
        key = path.relative_to(root).as_posix()
        if path.suffix.lower() == ".ods":
            result[key] = ods_tables(path)
        else:
            result[key] = table_counts(csv_rows(path))
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ofsted")
