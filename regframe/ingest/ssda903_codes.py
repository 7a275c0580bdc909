"""SSDA903 code lists across collection years, as data.

Each entry is valid from one collection year to another (``2024`` means the
2024-25 collection, 1 April 2024 to 31 March 2025), so an extract mixing
years reads correctly: H5 (semi-independent living) until 2023-24 and K3
(supported accommodation) from 2024-25; Z1 (other placements) until 2024-25
and its split into Z11-Z14 from 2025-26. For placement types the table also
says whether regframe's residential scope covers it and which setting kind
it is (dual-registered residential special schools are K2 in the 903, so K2
maps to a children's home; an Ofsted register read alongside refines it).

Sources: data-to-insight csc-validator-be-903 code tables; the meanings of
Z11-Z14 are not yet confirmed (domain brief 5.4) and are worded loosely.
"""

from __future__ import annotations

import datetime as dt

import attrs

from regframe.framework.model import SettingKind


@attrs.frozen
class Code:
    field: str
    code: str
    meaning: str
    valid_from: int | None = None  # first collection year (start year), None = since before 2015
    valid_to: int | None = None  # last collection year, None = still valid
    in_scope: bool = False  # placement types only: a residential setting regframe assesses
    setting_kind: SettingKind | None = None

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_to is None or year <= self.valid_to)


def _codes(field: str, pairs: dict[str, str]) -> tuple[Code, ...]:
    return tuple(Code(field, code, meaning) for code, meaning in pairs.items())


_K = SettingKind
PLACE: tuple[Code, ...] = (
    Code("PLACE", "A3", "placed for adoption with consent, with current foster carer"),
    Code("PLACE", "A4", "placed for adoption with consent, not with current foster carer"),
    Code("PLACE", "A5", "placed for adoption with placement order, with current foster carer"),
    Code("PLACE", "A6", "placed for adoption with placement order, not with current foster carer"),
    Code("PLACE", "H5", "semi-independent living accommodation not subject to Children's Homes Regulations",
         valid_to=2023),
    Code("PLACE", "K1", "secure children's home", in_scope=True, setting_kind=_K.SECURE_CHILDRENS_HOME),
    Code("PLACE", "K2", "children's home subject to Children's Homes Regulations", in_scope=True,
         setting_kind=_K.CHILDRENS_HOME),
    Code("PLACE", "K3", "supported accommodation (Supported Accommodation (England) Regulations 2023)",
         valid_from=2024),
    Code("PLACE", "P1", "placed with own parent(s) or other person(s) with parental responsibility"),
    Code("PLACE", "P2", "independent living"),
    Code("PLACE", "P3", "residential employment"),
    Code("PLACE", "R1", "residential care home"),
    Code("PLACE", "R2", "NHS, health trust or other establishment providing medical or nursing care", in_scope=True,
         setting_kind=_K.CQC_HEALTH_PROVISION),
    Code("PLACE", "R3", "family centre or mother and baby unit"),
    Code("PLACE", "R5", "young offender institution or secure training centre"),
    Code("PLACE", "S1", "residential school (not dual-registered as a children's home)", in_scope=True,
         setting_kind=_K.RESIDENTIAL_SPECIAL_SCHOOL),
    *(Code("PLACE", f"T{n}", "temporary placement") for n in range(5)),
    Code("PLACE", "U1", "foster placement with relative or friend, long term"),
    Code("PLACE", "U2", "foster placement with relative or friend, fostering for adoption or concurrent planning"),
    Code("PLACE", "U3", "foster placement with relative or friend, not long term or FFA"),
    Code("PLACE", "U4", "foster placement with other foster carer, long term"),
    Code("PLACE", "U5", "foster placement with other foster carer, fostering for adoption or concurrent planning"),
    Code("PLACE", "U6", "foster placement with other foster carer, not long term or FFA"),
    Code("PLACE", "Z1", "other placement (listed on a schedule to DfE)", valid_to=2024, in_scope=True),
    Code("PLACE", "Z11", "other placement (2025-26 split of Z1; exact meaning unconfirmed)", valid_from=2025,
         in_scope=True),
    Code("PLACE", "Z12", "other placement (2025-26 split of Z1; exact meaning unconfirmed)", valid_from=2025,
         in_scope=True),
    Code("PLACE", "Z13", "other placement (2025-26 split of Z1; exact meaning unconfirmed)", valid_from=2025,
         in_scope=True),
    Code("PLACE", "Z14", "other placement (2025-26 split of Z1; exact meaning unconfirmed)", valid_from=2025,
         in_scope=True),
)

PLACE_PROVIDER = _codes("PLACE_PROVIDER", {
    "PR0": "parent(s) or other person(s) with parental responsibility",
    "PR1": "own provision (by the LA)",
    "PR2": "other LA provision",
    "PR3": "other public provision (e.g. a PCT or health body)",
    "PR4": "private provision",
    "PR5": "voluntary or third sector provision",
})

LS = _codes("LS", {
    "C1": "interim care order", "C2": "full care order", "D1": "freeing order granted", "E1": "placement order granted",
    "J1": "remanded to LA accommodation or youth detention accommodation", "J2": "placed in LA accommodation under PACE",
    "J3": "sentenced to youth rehabilitation order with residence or intensive fostering requirement",
    "L1": "under police protection and in LA accommodation", "L2": "emergency protection order",
    "L3": "under child assessment order and in LA accommodation", "V2": "single period of accommodation under s.20",
    "V3": "accommodated under an agreed series of short-term breaks, individual episodes",
    "V4": "accommodated under an agreed series of short-term breaks, summary episodes",
})

CIN = _codes("CIN", {
    "N1": "abuse or neglect", "N2": "child's disability", "N3": "parental illness or disability",
    "N4": "family in acute stress", "N5": "family dysfunction", "N6": "socially unacceptable behaviour",
    "N7": "low income", "N8": "absent parenting",
})

REVIEW_CODE = _codes("REVIEW_CODE", {
    "PN0": "child under 4 at the review", "PN1": "child attended and spoke for themselves",
    "PN2": "child attended, an advocate spoke", "PN3": "child attended, conveyed views non-verbally",
    "PN4": "child attended but did not convey views", "PN5": "child did not attend, an advocate conveyed views",
    "PN6": "child did not attend, conveyed views by another method", "PN7": "child did not attend or convey views",
})

TABLE: tuple[Code, ...] = PLACE + PLACE_PROVIDER + LS + CIN + REVIEW_CODE

_BY_KEY: dict[tuple[str, str], Code] = {(c.field, c.code): c for c in TABLE}

#: category of need meaning the child's disability: the Hesley signal
DISABILITY_NEED = "N2"


def collection_year(day: dt.date) -> int:
    """The collection year (its start year) a date falls in: 1 April to 31 March."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def lookup(field: str, code: str) -> Code | None:
    """The table entry for a code of a field, whatever its years; ``None`` for an unknown code."""
    return _BY_KEY.get((field, code.strip().upper()))
