"""The LA oversight return's sheets and columns, defined once, as data.

The template writer (:mod:`regframe.ingest.la_return_template`) builds headers, data
validation, input messages and the Instructions sheet's column reference from
these definitions; the reader (:mod:`regframe.ingest.la_return`) matches
headers, parses and range-checks cells and routes each value to the model
field or metric named in ``feeds``. Change a column here and both follow.
"""

from __future__ import annotations

import enum

import attrs

from regframe.evidence.model import Metric


class ValueType(enum.Enum):
    TEXT = "text"
    CHILD_ID = "child-id"
    URN = "urn"
    LA_CODE = "la-code"
    DATE = "date"
    MONTH = "month"  # a date; any day of the month is read as the first of that month
    INTEGER = "integer"
    NUMBER = "number"
    PERCENT = "percent"  # 0-100; a cell formatted as % (0.25) is read as 25
    YES_NO = "yes-no"
    CHOICE = "choice"


#: DfE LA number (3 digits, e.g. 926) or ONS code (E + 8 digits, e.g. E10000020)
LA_CODE_PATTERN = r"\d{3}|E\d{8}"
#: Ofsted social care URN (SC + 6 digits, or 7 digits) or a DfE school URN (6 digits)
URN_PATTERN = r"SC\d{6}|\d{6,7}"

#: SSDA903 legal status codes, plus NLA for children placed but not looked after (s.85/s.86, EHC plan)
LEGAL_STATUS_CHOICES = ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4", "NLA")

EXAMPLE_MARKER = "EXAMPLE"


@attrs.frozen
class Column:
    """One column of a return sheet: how it looks, what it accepts and what it feeds."""

    name: str  # stable machine name
    header: str  # what the template writes in the header row
    type: ValueType
    required: bool
    help: str  # the input message, and the Instructions sheet's description (<= 255 characters)
    feeds: str  # the model field, evidence kind or metric the value ends up in
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    #: dates must not be after the return's "as at" date
    not_future: bool = False
    width: int = 16
    #: other headers LAs have used for this column (matched after normalising case, spaces, punctuation)
    aliases: tuple[str, ...] = ()
    metric: Metric | None = None
    example: object = None

    def __attrs_post_init__(self) -> None:
        if len(self.help) > 255:
            raise ValueError(f"help text of {self.name} is over Excel's 255-character input-message limit")


@attrs.frozen
class SheetSpec:
    """A data sheet of the return: its name, the title above the headers and its columns."""

    name: str
    title: str
    columns: tuple[Column, ...]
    #: columns whose values together identify a row; a second row with the same key is a duplicate
    key: tuple[str, ...]
    #: the column whose value "EXAMPLE" marks the worked example row, which readers skip
    example_column: str

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def _date(name: str, header: str, feeds: str, help: str, *, required: bool = False, aliases: tuple[str, ...] = (),
          example: object = None) -> Column:
    return Column(name, header, ValueType.DATE, required, help, feeds, not_future=True, width=14, aliases=aliases,
                  example=example)


def _count(name: str, header: str, metric: Metric, help: str, aliases: tuple[str, ...] = (), example: int = 0) -> Column:
    return Column(name, header, ValueType.INTEGER, False, help, f"metric:{metric.value}", minimum=0, maximum=100_000,
                  width=14, aliases=aliases, metric=metric, example=example)


CHILDREN_PLACED = SheetSpec(
    name="Children placed",
    title="Children placed: one row per child placed in a residential setting (children's home, residential "
          "special school, health setting)",
    key=("placing_la", "child_id"),
    example_column="child_id",
    columns=(
        Column("child_id", "LA child id", ValueType.CHILD_ID, True,
               "The child's id in the placing LA's case management system. regframe pseudonymises it on reading; "
               "it is never stored or reported.", "Placement.child (pseudonymised)", width=16,
               aliases=("child id", "child unique id", "la child id", "child ref"), example=EXAMPLE_MARKER),
        Column("placing_la", "Placing LA code", ValueType.LA_CODE, False,
               "The placing LA's 3-digit DfE number (e.g. 926) or ONS code (e.g. E10000020). Leave blank if it is "
               "the LA code given on the Instructions sheet.", "Placement.placing_la", width=12,
               aliases=("placing la", "la code", "placing authority"), example="926"),
        Column("setting_urn", "Setting URN", ValueType.URN, True,
               "Ofsted URN of the setting: SC followed by 6 digits, or 7 digits. For a residential special school "
               "not registered as a children's home, its 6-digit DfE school URN.", "Placement.setting",
               width=12, aliases=("urn", "urn of placement", "placement urn", "ofsted urn"), example="SC123456"),
        Column("placement_start", "Placement start", ValueType.DATE, True,
               "Date the child's placement in this setting began (dd/mm/yyyy).", "Placement.start", not_future=True,
               width=14, aliases=("placement start date", "start date", "date placed"), example="2023-09-04"),
        Column("weeks_per_year", "Weeks per year", ValueType.INTEGER, False,
               "Weeks a year the child lives at the setting: 52 for a children's home; 38-52 for a residential "
               "school. Whole number 1-52.", "Placement.weeks_per_year", minimum=1, maximum=52, width=10,
               aliases=("weeks", "weeks per annum"), example=52),
        Column("distance_miles", "Distance from home (miles)", ValueType.NUMBER, False,
               "Distance in miles from the child's home address to the setting. 0 or more.",
               "Placement.distance_miles", minimum=0, maximum=1000, width=12,
               aliases=("distance from home", "distance miles", "distance"), example=112.5),
        Column("looked_after", "Looked after", ValueType.YES_NO, True,
               "Yes if the child is looked after (CPPCR 2010 visits and reviews apply); No if placed under an EHC "
               "plan or by health (CA 1989 s.85/s.86 visits apply).", "Placement.looked_after", width=10,
               aliases=("looked after child", "lac", "cla"), example="Yes"),
        Column("legal_status", "Legal status", ValueType.CHOICE, False,
               "SSDA903 legal status code (C1, C2, V2, V3, V4 ...), or NLA if the child is not looked after.",
               "Placement.legal_status", choices=LEGAL_STATUS_CHOICES, width=10, aliases=("ls",), example="V2"),
        Column("ehc_plan", "EHC plan", ValueType.YES_NO, False,
               "Yes if the child has an education, health and care plan.", "Placement.ehc_plan", width=10,
               aliases=("ehcp", "has ehc plan"), example="Yes"),
        _date("last_sw_visit", "Last social worker visit", "ek.statutory-visit",
              "Date of the last statutory visit by the child's social worker (or s.85/s.86 visit).",
              aliases=("date of last social work visit", "last sw visit", "last statutory visit"), example="2024-01-15"),
        _date("last_iro_review", "Last IRO review", "ek.iro-review",
              "Date of the last review of the child's case chaired by the IRO.",
              aliases=("date of latest statutory review", "last review", "last iro review date"), example="2023-12-01"),
        Column("advocate_assigned", "Advocate assigned", ValueType.YES_NO, False,
               "Yes if an independent advocate is assigned to the child. No is reported as advocacy not met.",
               "ek.advocacy-visit (not-met when No)", width=10, aliases=("advocate",), example="Yes"),
        _date("last_advocacy_contact", "Last advocacy contact", "ek.advocacy-visit",
              "Date the advocate last saw or spoke with the child.",
              aliases=("last advocate contact", "last advocacy visit"), example="2024-01-20"),
        _date("last_family_contact", "Last family contact", "ek.family-contact",
              "Date the child last saw or spoke with family (in person or by call).",
              aliases=("last contact with family",), example="2024-01-28"),
        Column("dol_authorised", "DoL authorised", ValueType.YES_NO, False,
               "Yes if a deprivation of liberty order or authorisation is in force for the child.",
               "ek.dol-authorisation", width=10, aliases=("deprivation of liberty", "dol", "dolo"), example="No"),
        _date("dol_date", "DoL authorisation date", "ek.dol-authorisation",
              "Date the current deprivation of liberty order or authorisation was made.",
              aliases=("dol date", "date of dol authorisation"), example=None),
    ),
)

SETTING_SIGNALS = SheetSpec(
    name="Setting signals",
    title="Setting signals: one row per setting per month, from provider returns, reg 44 reports, LADO and complaints",
    key=("setting_urn", "month"),
    example_column="setting_urn",
    columns=(
        Column("setting_urn", "Setting URN", ValueType.URN, True,
               "Ofsted URN of the setting: SC followed by 6 digits, or 7 digits.", "MetricValue.setting",
               width=12, aliases=("urn",), example=EXAMPLE_MARKER),
        Column("month", "Month", ValueType.MONTH, True,
               "The month the figures are for: any date in it (e.g. 01/01/2024).", "MetricValue.month",
               not_future=True, width=12, aliases=("month starting", "period"), example="2024-01-01"),
        _count("restraint_incidents", "Restraint incidents", Metric.RESTRAINT_INCIDENTS,
               "Number of physical restraint incidents recorded in the month.", ("restraints",), 3),
        _count("children_resident", "Children resident", Metric.CHILDREN_RESIDENT,
               "Number of children living at the setting during the month.", ("children",), 6),
        _count("staff_vacancies", "Staff vacancies", Metric.STAFF_VACANCIES,
               "Number of vacant care staff posts at the end of the month.", ("vacancies",), 2),
        _count("staff_leavers", "Staff leavers", Metric.STAFF_LEAVERS,
               "Number of care staff who left during the month.", ("leavers",), 1),
        Column("agency_share", "Agency staff share (%)", ValueType.PERCENT, False,
               "Share of care shifts covered by agency staff, as a percentage 0-100.",
               f"metric:{Metric.AGENCY_SHARE.value}", minimum=0, maximum=100, width=12,
               aliases=("agency share", "agency staff", "agency %"), metric=Metric.AGENCY_SHARE, example=15),
        _count("lado_referrals", "LADO referrals", Metric.LADO_REFERRALS,
               "Number of referrals about staff at the setting made to the LADO in the month.", ("lado",), 0),
        _count("reg40_notifications", "Reg 40 notifications", Metric.NOTIFICATIONS,
               "Number of regulation 40 notifications of serious events made to Ofsted in the month.",
               ("notifications", "regulation 40 notifications"), 1),
        _count("complaints", "Complaints", Metric.COMPLAINTS,
               "Number of complaints about the setting received in the month.", (), 0),
        Column("reg44_received", "Reg 44 report received", ValueType.YES_NO, False,
               "Yes if the independent person's regulation 44 report for the month was received.",
               f"metric:{Metric.REG44_REPORT_RECEIVED.value}", width=12,
               aliases=("reg 44 report", "regulation 44 report received"), metric=Metric.REG44_REPORT_RECEIVED,
               example="Yes"),
    ),
)

SHEETS: tuple[SheetSpec, ...] = (CHILDREN_PLACED, SETTING_SIGNALS)

INSTRUCTIONS_SHEET = "Instructions"
#: labels on the Instructions sheet; the value is the cell just right of the label
LA_CODE_LABEL = "LA code"
AS_AT_LABEL = "Data as at"
