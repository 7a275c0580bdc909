"""Reading Ofsted's Annex A workbook (ILACS child-level lists), List 8: children in care.

List 8 gives, per child in care, the placement (type, provider, URN, LA of
placement), the dates of the last social-work visit, the last IRO contact
and the latest statutory review, and whether the child has a disability. It
is oversight evidence for the placing LA's duties: regframe keeps in-scope
placements (the same residential types as SSDA903) and their visits and
reviews as ``ek.statutory-visit`` and ``ek.iro-review`` items.

Header names vary between LAs and years in case, spacing and wording, so
columns are found through :data:`ALIASES`, a table of accepted headers, not
by position. Values carry Ofsted's list prefixes (``f) U6: Foster placement``);
the code is taken from the front. Formulas are read as their cached values.
Child ids are pseudonymised with ``--la`` or, failing that, the default
documented in RF437.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from regframe.core.diagnostics import Diagnostics, Location, Severity, code
from regframe.evidence.identity import canonical_la_code, canonical_urn
from regframe.evidence.model import EvidenceItem, EvidenceSet, Outcome, OutcomeKind, Placement, Setting, Source
from regframe.evidence.pseudonym import pseudonymise
from regframe.framework.model import Independence
from regframe.ingest import IngestContext
from regframe.ingest.cells import CellError, clean_text, epoch_of, is_blank, leading_code, to_bool, to_date
from regframe.ingest.sheets import Row, count_rows, not_read, read_table
from regframe.ingest.ssda903 import DEFAULT_LA, DEFAULT_LA_CODE
from regframe.ingest.ssda903_codes import DISABILITY_NEED, lookup
from regframe.ingest.tally import input_file
from regframe.io.xlsxread import open_book

NO_LIST_8 = code(
    "RF420", Severity.ERROR, "Annex A workbook has no usable List 8",
    "regframe reads List 8 (children in care) of the Annex A workbook. The sheet is missing, or its header row "
    "lacks the child id or placement type column.",
)
BAD_CELL = code(
    "RF421", Severity.WARNING, "Annex A cell cannot be read",
    "A date that is not a date, an unknown placement type, a URN of the wrong shape. A bad child id or "
    "placement type skips the row; other bad values are dropped and the row kept.",
)
NO_URN = code(
    "RF422", Severity.WARNING, "Annex A residential placement has no usable URN",
    "The child is in a children's home, secure home or residential school, but 'URN of placement' is empty "
    "or not an Ofsted URN, so the placement cannot be linked to a setting and is not kept.",
)

#: column name -> headers accepted for it (compared ignoring case, spaces and punctuation)
ALIASES: dict[str, tuple[str, ...]] = {
    "child_id": ("Child Unique ID", "Child ID", "Unique Child ID", "Child Identifier", "ChildUniqueID"),
    "disability": ("Does the Child have a Disability", "Disability", "Child has a disability",
                   "Does the child have a disability?"),
    "category_of_need": ("Child's Category of Need", "Category of Need", "Childs Category of Need", "CIN"),
    "legal_status": ("Child's Legal Status", "Legal Status", "Childs Legal Status"),
    "latest_review": ("Date of Latest Statutory Review", "Date of latest review", "Latest statutory review",
                      "Date of last statutory review", "Date of Last Review"),
    "last_sw_visit": ("Date of Last Social Work Visit", "Date of last social worker visit", "Last social work visit",
                      "Date of last statutory visit", "Date of Last SW Visit"),
    "last_iro_contact": ("Date of Last IRO Visit / Contact to the Child", "Date of last IRO visit/contact",
                         "Date of last IRO visit or contact", "Date of Last IRO Contact", "Last IRO contact",
                         "Date of last IRO visit / contact with the child"),
    "placement_start": ("Start Date of Most Recent Placement", "Start date of most recent placement",
                        "Start date of current placement", "Placement start date"),
    "ceased": ("Date Ceased to be Looked After", "Date ceased to be looked after", "Date ceased LAC"),
    "placement_type": ("Placement Type", "Type of placement", "Placement type code"),
    "placement_provider": ("Placement Provider", "Provider of placement", "Placement provider code"),
    "urn": ("URN of Placement", "Placement URN", "URN", "Ofsted URN of placement", "URN of placement provider"),
    "placement_la": ("LA of Placement", "Placement LA", "Local authority of placement", "LA of placement code"),
}

_URN_REQUIRED = {"K1", "K2", "S1"}


def _date(row: Row, name: str, epoch: dt.date, where: Location, d: Diagnostics) -> dt.date | None:
    raw = row.values.get(name)
    if is_blank(raw):
        return None
    try:
        return to_date(raw, epoch=epoch)
    except CellError as error:
        d.add(BAD_CELL, f"{name.replace('_', ' ')}: {error}; value dropped", where)
        return None


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read List 8 of an Annex A workbook into in-scope placements and visit and review items."""
    path = Path(path)
    result = EvidenceSet()
    d = Diagnostics()
    book = open_book(path, d)
    if book is None:
        result.diagnostics.extend(d)
        result.inputs.append(input_file(path, "annex-a"))
        return result
    la = canonical_la_code(context.la_code or DEFAULT_LA_CODE)
    accepted = rejected = 0
    blank: list[int] = []  # counts of blank rows with data below them
    unused = unused_blank = seen = 0
    out_of_scope: Counter[str] = Counter()
    with book:
        sheet = next((s for s in book.sheets if re.match(r"list[\s_]*8\b", clean_text(s.title).casefold())), None)
        for other in book.sheets:
            if other is not sheet:
                rows_there, blank_there = count_rows(other)
                unused += rows_there - blank_there
                unused_blank += blank_there
        table, rows = read_table(sheet, ALIASES, blank.append) if sheet is not None else (None, iter(()))
        if sheet is not None and sheet.refused is not None:
            pass  # over a limit: not read at all, as the workbook reader said (RF404)
        elif sheet is None or table is None or "child_id" not in table.columns or "placement_type" not in table.columns:
            d.add(NO_LIST_8, f"{path.name}: no List 8 sheet with 'Child Unique ID' and 'Placement Type' columns",
                  Location(file=str(path), sheet=sheet.title if sheet is not None else None))
        else:
            epoch = epoch_of(book)
            for row in rows:
                seen += 1
                outcome = _row(path, sheet.title, row, context, la, epoch, d, result)
                if outcome == "kept":
                    accepted += 1
                elif outcome == "rejected":
                    rejected += 1
                else:
                    out_of_scope[outcome] += 1
        unread = not_read(book)
    if result.placements:
        result.note_child_la(str(path), la)
    if not context.la_code and result.placements:
        d.add(DEFAULT_LA, f"no LA code given (--la); child ids pseudonymised with {DEFAULT_LA_CODE!r}",
              Location(file=str(path)))
    if out_of_scope:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(out_of_scope.items()))
        result.notes.append(f"{path.name}: {sum(out_of_scope.values())} children in care outside regframe's "
                            f"residential scope ({counts})")
    result.diagnostics.extend(d)
    skipped = sum(out_of_scope.values())
    result.inputs.append(input_file(path, "annex-a", accepted, rejected, skipped, blank=sum(blank) + unused_blank,
                                    unused=unused, rows=seen + sum(blank) + unused + unused_blank,
                                    not_read=unread))
    return result


def _row(path: Path, sheet: str, row: Row, context: IngestContext, la: str, epoch: dt.date, d: Diagnostics,
         result: EvidenceSet) -> str:
    """Read one child's row; returns "kept", "rejected", or the out-of-scope placement code."""
    def where(name: str) -> Location:
        return Location(file=str(path), sheet=sheet, cell=row.cell(name) if name in row.letters else None,
                        row=None if name in row.letters else row.number)

    for needed in ("child_id", "placement_type"):
        if needed in row.damaged:  # the workbook reader said why (RF403 / RF404)
            d.add(BAD_CELL, f"the {needed.replace('_', ' ')} cell could not be read; row skipped", where(needed))
            return "rejected"
    child_id = clean_text(row.values.get("child_id"))
    if not child_id:
        d.add(BAD_CELL, "child id is empty; row skipped", where("child_id"))
        return "rejected"
    raw_type = row.values.get("placement_type")
    place = leading_code(raw_type) if not is_blank(raw_type) else ""
    entry = lookup("PLACE", place) if place else None
    if entry is None:
        shown = clean_text(raw_type) or "empty"
        d.add(BAD_CELL, f"placement type {shown!r} is not an SSDA903 placement code; row skipped", where("placement_type"))
        return "rejected"
    if not entry.in_scope:
        return place
    ceased = _date(row, "ceased", epoch, where("ceased"), d) if "ceased" in row.letters else None
    urn = canonical_urn(row.values.get("urn")) or clean_text(row.values.get("urn")).upper().replace(" ", "")
    if canonical_urn(urn) is None:
        if place in _URN_REQUIRED or urn or "urn" in row.damaged:
            said = ("a URN that could not be read" if "urn" in row.damaged
                    else 'URN ' + repr(urn) + ' is not an Ofsted URN' if urn else 'no URN')
            d.add(NO_URN, f"{said} for a {place} placement; row not kept", where("urn"))
            return "rejected"
        return f"{place} without URN"
    child = pseudonymise(context.key, la, child_id)
    start = _date(row, "placement_start", epoch, where("placement_start"), d) if "placement_start" in row.letters else None
    need = leading_code(row.values.get("category_of_need")) if not is_blank(row.values.get("category_of_need")) else ""
    disabled = _yes_no(row, "disability", where, d)
    if disabled and not need:
        need = DISABILITY_NEED
    if start is None:
        d.add(BAD_CELL, "no start date of the most recent placement; row not kept", where("placement_start"))
        return "rejected"
    provider = leading_code(row.values.get("placement_provider")) if not is_blank(row.values.get("placement_provider")) else ""
    legal = leading_code(row.values.get("legal_status")) if not is_blank(row.values.get("legal_status")) else ""
    result.add_placement(Placement(
        child=child, setting=urn, placing_la=la, start=start, end=ceased, legal_status=legal, placement_type=place,
        provider_type=provider if lookup("PLACE_PROVIDER", provider) else "",
        category_of_need=need if lookup("CIN", need) else "", looked_after=True, provenance=where("child_id"),
    ))
    if entry.setting_kind is not None:
        result.add_setting(Setting(urn=urn, kind=entry.setting_kind, kind_inferred=True,
                                   local_authority=clean_text(row.values.get("placement_la")), provenance=where("urn")))
    for name, kind, summary in (("last_sw_visit", "ek.statutory-visit", "last social work visit (Annex A)"),
                                ("last_iro_contact", "ek.iro-review", "last IRO visit or contact (Annex A)"),
                                ("latest_review", "ek.iro-review", "latest statutory review (Annex A)")):
        if name not in row.letters:
            continue
        day = _date(row, name, epoch, where(name), d)
        if day is None:
            continue
        result.add_item(EvidenceItem(
            id=f"annex-a:{child}:{kind}:{day.isoformat()}:{name}", setting=urn, source=Source.PLACING_LA, kind=kind,
            observed=day, independence=Independence.INDEPENDENT, child=child, outcome=Outcome(OutcomeKind.RECORDED),
            summary=summary, provenance=where(name),
        ))
    return "kept"


def _yes_no(row: Row, name: str, where: Any, d: Diagnostics) -> bool | None:
    raw = row.values.get(name)
    if is_blank(raw):
        return None
    try:
        return to_bool(raw)
    except CellError as error:
        d.add(BAD_CELL, f"{name}: {error}; value dropped", where(name))
        return None
