"""Small input files in each format regframe reads, written by tests (never copies of the shared data).

One setting register and the same children delivered through SSDA903, Annex A and the LA return,
so tests can feed the same facts through different readers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

from regframe.ingest.la_return_columns import CHILDREN_PLACED, SETTING_SIGNALS
from regframe.ingest.la_return_template import AS_AT_CELL, EXAMPLE_ROW, LA_CODE_CELL, build_template

OFSTED_HEADER = ["Web link", "URN", "Linked Education URN", "Provision type", "Registration date", "Registration status",
                 "Name", "Local authority", "Sector", "Places", "Organisation which owns the provider",
                 "Latest full inspection event type", "Latest full inspection date", "Latest full inspection event number",
                 "Overall experiences and progress of children and young people",
                 "How well children and young people are helped and protected",
                 "The effectiveness of leaders and managers"]


def ofsted_row(urn: str, owner: str, *, status: str = "Active", inspected: str = "10/01/2024",
               grade: str = "Good", event: str = "1") -> list[str]:
    return ["Ofsted Social Care Provider Webpage", urn, "", "Children's home", "01/04/2015", status, "REDACTED",
            "Leeds", "Private", "4", owner, "Full inspection", inspected, event, grade, grade, grade]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def register(path: Path, *rows: list[str]) -> Path:
    """An Ofsted provider-level CSV with the given rows (see :func:`ofsted_row`)."""
    return write_csv(path, [OFSTED_HEADER, *rows])


def closed_homes(path: Path, *closures: tuple[str, str, str]) -> Path:
    """Ofsted's closed-homes CSV: (URN, registration status, date closed dd/mm/yyyy)."""
    return write_csv(path, [["URN", "Registration status", "Date closed"], *map(list, closures)])


EPISODE_HEADER = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                  "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]

#: (child id, setting URN, placement start): the children every format below delivers
CHILDREN = [("ab1", "SC100001", dt.date(2023, 9, 4)), ("Ab2", "SC100001", dt.date(2024, 1, 8)),
            ("cd3", "SC100002", dt.date(2022, 5, 3))]


def episodes(path: Path, children=CHILDREN, case=str.upper) -> Path:
    rows = [EPISODE_HEADER] + [[case(child), start.strftime("%d/%m/%Y"), "S", "C2", "N1", "K2", "PR4", "", "", "",
                                "ZZ99 3CZ", "ZZ99 3CZ", urn] for child, urn, start in children]
    return write_csv(path, rows)


def annex_a(path: Path, children=CHILDREN, case=str.lower) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "List 8"
    sheet.append(["Child Unique ID", "Placement Type", "URN of Placement", "Start Date of Most Recent Placement",
                  "Child's Legal Status"])
    for child, urn, start in children:
        sheet.append([case(child), "K2: Children's Homes", urn, start, "C2"])
    workbook.save(path)
    return path


def la_return(path: Path, children=CHILDREN, case=str.upper, la_code: str | None = "901",
              as_at: dt.date | None = dt.date(2024, 6, 30), signals: list[dict] | None = None) -> Path:
    workbook = build_template()
    workbook["Instructions"][LA_CODE_CELL] = la_code
    workbook["Instructions"][AS_AT_CELL] = as_at
    rows = {
        CHILDREN_PLACED.name: [{"child_id": case(child), "setting_urn": urn, "placement_start": start,
                                "looked_after": "Yes", "legal_status": "C2"} for child, urn, start in children],
        SETTING_SIGNALS.name: signals or [],
    }
    for spec in (CHILDREN_PLACED, SETTING_SIGNALS):
        worksheet = workbook[spec.name]
        for offset, row in enumerate(rows[spec.name], start=1):
            for index, column in enumerate(spec.columns, start=1):
                if column.name in row:
                    worksheet.cell(EXAMPLE_ROW + offset, index, row[column.name])
    workbook.save(path)
    return path
