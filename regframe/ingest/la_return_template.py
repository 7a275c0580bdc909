"""Writing the blank LA oversight return an analyst fills in without a manual.

Everything on the data sheets (headers, dropdowns, number and date ranges,
input messages, widths, the worked example row) is generated from
:mod:`regframe.ingest.la_return_columns`, so the template and the reader cannot drift
apart. The file is written atomically.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from regframe.core.atomic import atomic_path
from regframe.ingest.la_return_columns import (
    AS_AT_LABEL,
    INSTRUCTIONS_SHEET,
    LA_CODE_LABEL,
    SHEETS,
    Column,
    SheetSpec,
    ValueType,
)

#: rows given data validation and formats, below the header row
DATA_ROWS = 1000
TITLE_ROW = 1
HEADER_ROW = 2
EXAMPLE_ROW = 3
#: the Instructions cells holding the LA code and the "as at" date
LA_CODE_CELL = "B4"
AS_AT_CELL = "B5"

_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_REQUIRED_FILL = PatternFill("solid", fgColor="833C0B")
_EXAMPLE_FILL = PatternFill("solid", fgColor="EDEDED")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_DATE_FORMAT = "dd/mm/yyyy"
_MONTH_FORMAT = "mmm yyyy"
_TYPE_WORDS = {
    ValueType.TEXT: "text",
    ValueType.CHILD_ID: "text (the LA's child id)",
    ValueType.URN: "URN (SC123456 or 1234567)",
    ValueType.LA_CODE: "LA code (926 or E10000020)",
    ValueType.DATE: "date (dd/mm/yyyy)",
    ValueType.MONTH: "month (any date in it)",
    ValueType.INTEGER: "whole number",
    ValueType.NUMBER: "number",
    ValueType.PERCENT: "percentage 0-100",
    ValueType.YES_NO: "Yes / No",
    ValueType.CHOICE: "one of a list",
}


def header_text(column: Column) -> str:
    """The header cell's text: required columns are marked with an asterisk."""
    return f"{column.header} *" if column.required else column.header


def _range_words(column: Column) -> str:
    if column.choices:
        return ", ".join(column.choices)
    if column.minimum is not None and column.maximum is not None:
        return f"{column.minimum:g} to {column.maximum:g}"
    return ""


def _validation(column: Column, first: int, last: int, letter: str) -> DataValidation | None:
    """The Excel data validation for a column's data cells, with its input message."""
    sqref = f"{letter}{first}:{letter}{last}"
    kind = column.type
    dv: DataValidation | None
    if kind is ValueType.YES_NO:
        dv = DataValidation(type="list", formula1='"Yes,No"')
    elif kind is ValueType.CHOICE:
        dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
    elif kind in (ValueType.DATE, ValueType.MONTH):
        dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2099,12,31)")
    elif kind is ValueType.INTEGER:
        dv = DataValidation(type="whole", operator="between", formula1=f"{column.minimum:g}", formula2=f"{column.maximum:g}")
    elif kind in (ValueType.NUMBER, ValueType.PERCENT):
        dv = DataValidation(type="decimal", operator="between", formula1=f"{column.minimum:g}", formula2=f"{column.maximum:g}")
    elif kind is ValueType.URN:
        dv = DataValidation(type="textLength", operator="between", formula1="6", formula2="8")
    elif kind is ValueType.LA_CODE:
        dv = DataValidation(type="textLength", operator="between", formula1="3", formula2="9")
    elif kind is ValueType.CHILD_ID:
        dv = DataValidation(type="textLength", operator="between", formula1="1", formula2="40")
    else:
        dv = None
    if dv is None:
        return None
    dv.allow_blank = True
    dv.promptTitle = column.header[:32]
    dv.prompt = column.help
    dv.showInputMessage = True
    dv.errorTitle = "Not valid here"
    range_words = _range_words(column)
    dv.error = (f"{column.header}: enter {_TYPE_WORDS[kind]}" + (f", {range_words}" if range_words else ""))[:255]
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.add(sqref)
    return dv


def _example_value(column: Column) -> Any:
    value = column.example
    if isinstance(value, str) and column.type in (ValueType.DATE, ValueType.MONTH):
        return dt.date.fromisoformat(value)
    return value


def _write_data_sheet(ws: Worksheet, spec: SheetSpec) -> None:
    width = len(spec.columns)
    ws.cell(TITLE_ROW, 1, spec.title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    ws.row_dimensions[HEADER_ROW].height = 45
    last = HEADER_ROW + DATA_ROWS
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(HEADER_ROW, index, header_text(column))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = column.width
        example = ws.cell(EXAMPLE_ROW, index, _example_value(column))
        example.fill = _EXAMPLE_FILL
        example.font = Font(italic=True, color="595959")
        if column.type is ValueType.DATE:
            example.number_format = _DATE_FORMAT
        elif column.type is ValueType.MONTH:
            example.number_format = _MONTH_FORMAT
        for row in range(EXAMPLE_ROW + 1, last + 1):
            if column.type is ValueType.DATE:
                ws.cell(row, index).number_format = _DATE_FORMAT
            elif column.type is ValueType.MONTH:
                ws.cell(row, index).number_format = _MONTH_FORMAT
            elif column.type in (ValueType.CHILD_ID, ValueType.URN, ValueType.LA_CODE):
                ws.cell(row, index).number_format = "@"  # keep leading zeros of ids and codes
        validation = _validation(column, EXAMPLE_ROW + 1, last, letter)
        if validation is not None:
            ws.add_data_validation(validation)
    ws.freeze_panes = ws.cell(EXAMPLE_ROW, 1)


def _write_instructions(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 24
    ws.column_dimensions["E"].width = 90
    ws["A1"] = "regframe LA oversight return"
    ws["A1"].font = Font(bold=True, size=15)
    ws["A2"] = ("For placing and host local authorities: the children you place in residential settings and the "
                "signals you hold about those settings, so they can be read together.")
    ws["A4"] = LA_CODE_LABEL
    ws["A5"] = AS_AT_LABEL
    for label in ("A4", "A5"):
        ws[label].font = Font(bold=True)
    for cell in (LA_CODE_CELL, AS_AT_CELL):
        ws[cell].fill = _INPUT_FILL
    ws[LA_CODE_CELL].number_format = "@"
    ws[AS_AT_CELL].number_format = _DATE_FORMAT
    ws["C4"] = "Required: your LA's 3-digit DfE number (e.g. 926) or ONS code (e.g. E10000020)."
    ws["C5"] = "The date the return's figures are correct at (dd/mm/yyyy). Dates after it are rejected."
    code_dv = DataValidation(type="textLength", operator="between", formula1="3", formula2="9", allow_blank=False)
    code_dv.prompt, code_dv.promptTitle, code_dv.showInputMessage = "3-digit DfE LA number or ONS code", LA_CODE_LABEL, True
    code_dv.add(LA_CODE_CELL)
    date_dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2099,12,31)")
    date_dv.prompt, date_dv.promptTitle, date_dv.showInputMessage = "Date the figures are correct at", AS_AT_LABEL, True
    date_dv.add(AS_AT_CELL)
    ws.add_data_validation(code_dv)
    ws.add_data_validation(date_dv)
    lines = [
        ("How to fill this in", True),
        ("1. Enter your LA code and the 'as at' date in the yellow cells above.", False),
        ("2. 'Children placed': one row per child your LA has placed in a children's home, residential special "
         "school or health setting. Columns marked * (dark red header) are required.", False),
        ("3. 'Setting signals': one row per setting per month: restraints, vacancies, LADO referrals, "
         "notifications, complaints, reg 44 reports.", False),
        ("4. The grey row on each sheet is a worked example (its id is EXAMPLE). Leave it: regframe skips it.", False),
        ("5. Dates as dd/mm/yyyy. Each cell shows what it accepts when selected; dropdowns offer the codes.", False),
        ("6. Check the file with:  regframe validate <this file>   Every problem is listed with its sheet and cell.",
         False),
        ("", False),
        ("Privacy", True),
        ("This file holds raw child ids and must be handled as personal data (UK GDPR): store and send it only "
         "through your LA's secure channels, and delete copies once the return is read. Do not add names, dates "
         "of birth or postcodes. regframe replaces each child id with a keyed pseudonym as it reads the file; "
         "no raw id appears in its outputs.", False),
        ("", False),
        ("Columns", True),
    ]
    row = 7
    for text, bold in lines:
        ws.cell(row, 1, text).font = Font(bold=bold)
        row += 1
    for index, heading in enumerate(("Sheet", "Column", "Required", "Accepts", "What to enter"), start=1):
        cell = ws.cell(row, index, heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
    for spec in SHEETS:
        for column in spec.columns:
            row += 1
            accepts = _TYPE_WORDS[column.type]
            if _range_words(column):
                accepts += f": {_range_words(column)}"
            values = (spec.name, column.header, "yes" if column.required else "no", accepts, column.help)
            for index, value in enumerate(values, start=1):
                ws.cell(row, index, value).alignment = Alignment(wrap_text=index == 5, vertical="top")


def build_template() -> Workbook:
    """The template as an openpyxl workbook (tests fill it in; the CLI saves it)."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions)
    for spec in SHEETS:
        _write_data_sheet(workbook.create_sheet(spec.name), spec)
    return workbook


def write_template(destination: str | Path) -> Path:
    """Write the blank return to ``destination`` atomically; returns the path written."""
    destination = Path(destination)
    workbook = build_template()
    with atomic_path(destination) as temporary:
        workbook.save(temporary)
    return destination
