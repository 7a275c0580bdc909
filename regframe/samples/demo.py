"""The bundled demo: a small fictional dataset, and the code that wrote it.

Twelve fictional settings of every kind, run by two provider groups and some
single owners, with children as fake LA ids (pseudonymised when read, like
any real return). One of them, *Wilsic Grange*, is a dual-registered
residential special school that looks the way the Hesley homes looked from
outside: Ofsted "good", glowing self-reports from the provider, children placed
52 weeks a year far from home, almost none with an advocate, restraint rising
month on month, staff leaving, allegations going to the LADO, and a monthly
independent visit that stopped. The gap report must put it first, and red.

The files in ``evidence/demo/`` are this module's output (``python -m
regframe.samples.demo`` rewrites them); a test checks the two have not drifted apart.
Everything is fictional: names, URNs, CQC location ids, LA codes, child ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from regframe.core.atomic import atomic_path, atomic_write_bytes
from regframe.core.resources import evidence_dir
from regframe.evidence.model import (
    Action,
    ActionKind,
    EvidenceItem,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Setting,
    Source,
)
from regframe.framework.model import Independence, SettingKind

#: the date the demo report is run "as at"
AS_AT = dt.date(2026, 10, 31)
#: the LA whose SSDA903 extract is bundled; its children appear in the LA return too
EXTRACT_LA = "901"
#: the pseudonym key ``regframe report --demo`` uses when none is given: public, because the children are fictional
DEMO_KEY = "regframe-demo-key-fictional-children-only"

D = dt.date
GOOD = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD)
OUTSTANDING = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.OUTSTANDING)
RI = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.REQUIRES_IMPROVEMENT)
MET = Outcome(OutcomeKind.MET)
NOT_MET = Outcome(OutcomeKind.NOT_MET)
RECORDED = Outcome(OutcomeKind.RECORDED)

HOLLOWMERE = "Hollowmere Care Group Ltd"
BRIGHTPATH = "Brightpath Homes Ltd"


def _settings() -> list[Setting]:
    s = Setting
    return [
        s("SC900001", SettingKind.RSS_CHILDRENS_HOME, "Wilsic Grange",
          "Residential special school (registered as a children's home)", education_urn="900101",
          cqc_location_id="1-900000001", local_authority="Northmoor", region="Yorkshire and the Humber",
          sector="Private", places=32, owner=HOLLOWMERE, registration_status="Active", registered_on=D(2009, 5, 1)),
        s("SC900002", SettingKind.RSS_CHILDRENS_HOME, "Fullbrook House",
          "Residential special school (registered as a children's home)", education_urn="900102",
          local_authority="Northmoor", region="Yorkshire and the Humber", sector="Private", places=24,
          owner=HOLLOWMERE, registration_status="Active", registered_on=D(2011, 9, 1)),
        s("SC900003", SettingKind.CHILDRENS_HOME, "Wheatfield Lodge", "Children's home", local_authority="Northmoor",
          region="Yorkshire and the Humber", sector="Private", places=6, owner=HOLLOWMERE,
          registration_status="Active", registered_on=D(2016, 2, 1)),
        s("SC900004", SettingKind.CHILDRENS_HOME, "Beacon View", "Children's home", local_authority="Westshire",
          region="South West", sector="Private", places=4, owner=BRIGHTPATH, registration_status="Active",
          registered_on=D(2017, 6, 1)),
        s("SC900005", SettingKind.CHILDRENS_HOME, "Harbour House", "Children's home", local_authority="Westshire",
          region="South West", sector="Private", places=5, owner=BRIGHTPATH, registration_status="Active",
          registered_on=D(2018, 1, 15)),
        s("SC900006", SettingKind.SECURE_CHILDRENS_HOME, "Oakridge Secure Centre", "Secure children's home",
          local_authority="Westshire", region="South West", sector="Local Authority", places=10,
          owner="Westshire County Council", registration_status="Active", registered_on=D(2003, 4, 1)),
        s("900007", SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, "Meadowbank School", "Residential special school",
          education_urn="900107", local_authority="Eastvale", region="East of England", sector="Voluntary",
          places=40, owner="Meadowbank Trust", registration_status="Active", registered_on=D(1998, 9, 1)),
        s("900008", SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, "Riverside School", "Residential special school",
          education_urn="900108", local_authority="Eastvale", region="East of England", sector="Local Authority",
          places=30, owner="Eastvale Council", registration_status="Active", registered_on=D(2001, 9, 1)),
        s("SC900009", SettingKind.RSS_CHILDRENS_HOME, "Cedar Court",
          "Residential special school (registered as a children's home)", education_urn="900109",
          cqc_location_id="1-900000009", local_authority="Eastvale", region="East of England", sector="Voluntary",
          places=18, owner="Cedar Court Charity", registration_status="Active", registered_on=D(2012, 3, 1)),
        s("SC900010", SettingKind.CHILDRENS_HOME, "Linden Cottage", "Children's home", local_authority="Westshire",
          region="South West", sector="Private", places=3, owner=BRIGHTPATH, registration_status="Active",
          registered_on=D(2026, 3, 1)),
        s("1-900000011", SettingKind.CQC_HEALTH_PROVISION, "Northgate Children's Unit", "CQC registered hospital",
          cqc_location_id="1-900000011", local_authority="Northmoor", region="Yorkshire and the Humber",
          sector="NHS", places=12, owner="Northmoor NHS Foundation Trust", registration_status="Active",
          registered_on=D(2014, 10, 1)),
        s("SC900012", SettingKind.CHILDRENS_HOME, "Willow Lodge", "Children's home", local_authority="Westshire",
          region="South West", sector="Private", places=4, owner=BRIGHTPATH, registration_status="Active",
          registered_on=D(2015, 7, 1)),
    ]


class _Items:
    """Builds evidence items with sequential ids, so the dataset reads like an export."""

    def __init__(self) -> None:
        self.items: list[EvidenceItem] = []

    def add(self, setting: str, source: Source, kind: str, observed: dt.date, outcome: Outcome | None = RECORDED,
            references: tuple[str, ...] = (), occurred: dt.date | None = None, action: Action | None = None,
            summary: str = "") -> None:
        independence = {Source.OFSTED: Independence.REGULATOR, Source.CQC: Independence.REGULATOR,
                        Source.PROVIDER: Independence.PROVIDER}.get(source, Independence.INDEPENDENT)
        self.items.append(EvidenceItem(
            id=f"DEMO-{len(self.items) + 1:04d}", setting=setting, source=source, kind=kind, observed=observed,
            independence=independence, occurred=occurred, references=references, outcome=outcome, action=action,
            summary=summary))

    def inspection(self, setting: str, day: dt.date, overall: Outcome, protect: Outcome, leaders: Outcome,
                   framework: str = "sccif-ch") -> None:
        for judgement, outcome in (("overall", overall), ("protect", protect), ("leaders", leaders)):
            self.add(setting, Source.OFSTED, "ek.ofsted-judgement", day, outcome, (f"{framework}.{judgement}",),
                     summary=f"full inspection: {judgement} judgement")

    def monthly(self, setting: str, kind: str, source: Source, first: dt.date, last: dt.date,
                outcome: Outcome | None = RECORDED) -> None:
        day = first
        while day <= last:
            self.add(setting, source, kind, day, outcome, summary="monthly independent visit report")
            day = D(day.year + (day.month == 12), day.month % 12 + 1, min(day.day, 28))


def _items() -> list[EvidenceItem]:
    b = _Items()
    # --- Wilsic Grange: the Hesley pattern. Good on paper; every other signal says otherwise.
    w = "SC900001"
    b.inspection(w, D(2026, 3, 10), GOOD, GOOD, GOOD)
    b.monthly(w, "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 14), D(2026, 8, 14))
    b.add(w, Source.PROVIDER, "ek.reg45-report", D(2026, 8, 21), MET, occurred=D(2026, 6, 30),
          summary="six-monthly quality of care review: all standards met")
    for day in (D(2026, 2, 1), D(2026, 5, 1), D(2026, 8, 1)):
        b.add(w, Source.PROVIDER, "ek.provider-self-assessment", day, MET,
              ("Regulation 7", "Regulation 7(2)(b)(iii)", "Regulation 12", "Regulation 13", "Regulation 20",
               "Regulation 35(3)", "Regulation 32(4)"),
              summary="provider self-evaluation: outstanding culture, every child's voice heard")
    for occurred, referred in ((D(2026, 5, 8), D(2026, 5, 11)), (D(2026, 6, 19), D(2026, 6, 26)),
                               (D(2026, 8, 3), D(2026, 8, 4)), (D(2026, 9, 11), D(2026, 9, 17)),
                               (D(2026, 10, 2), D(2026, 10, 5))):
        b.add(w, Source.LADO, "ek.lado-referral", referred, RECORDED, occurred=occurred,
              summary="allegation against a member of staff referred to the LADO")
    for day in (D(2026, 7, 2), D(2026, 9, 23)):
        b.add(w, Source.COMPLAINANT, "ek.complaint", day, RECORDED, summary="parent's complaint about bruising")
    b.add(w, Source.WHISTLEBLOWER, "ek.whistleblowing", D(2026, 10, 12), Outcome(OutcomeKind.CONCERN),
          ("Regulation 20", "Regulation 12"), summary="former worker reports unrecorded restraint at night")

    # --- Fullbrook House: same owner; an Ofsted requirement left open and the independent visits stopped.
    f = "SC900002"
    b.inspection(f, D(2026, 1, 20), GOOD, RI, GOOD)
    b.add(f, Source.OFSTED, "ek.ofsted-action", D(2026, 1, 20), NOT_MET, ("Regulation 35(3)(a)",),
          action=Action(ActionKind.OFSTED_REQUIREMENT, due=D(2026, 4, 30)),
          summary="restraint records not completed within 24 hours")
    b.monthly(f, "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 12, 5), D(2026, 6, 5))
    b.add(f, Source.PROVIDER, "ek.provider-self-assessment", D(2026, 7, 1), MET, ("Regulation 35",),
          summary="provider audit: restraint recording fully compliant")
    b.add(f, Source.LADO, "ek.lado-referral", D(2026, 7, 15), RECORDED, occurred=D(2026, 7, 9))

    # --- Wheatfield Lodge: same owner, a small home doing well.
    h = "SC900003"
    b.inspection(h, D(2026, 5, 12), GOOD, GOOD, GOOD)
    b.monthly(h, "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 20), D(2026, 10, 20))
    b.add(h, Source.PROVIDER, "ek.reg45-report", D(2026, 7, 20), MET, occurred=D(2026, 7, 1))

    # --- Brightpath Homes: one outstanding, one requiring improvement, one new, one steady.
    b.inspection("SC900004", D(2026, 6, 3), OUTSTANDING, OUTSTANDING, OUTSTANDING)
    b.monthly("SC900004", "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 9), D(2026, 10, 9))
    b.inspection("SC900005", D(2026, 4, 22), RI, GOOD, RI)
    b.add("SC900005", Source.OFSTED, "ek.ofsted-action", D(2026, 4, 22), NOT_MET, ("Regulation 13(2)(h)",),
          action=Action(ActionKind.OFSTED_REQUIREMENT, due=D(2026, 7, 31), closed=True, closed_on=D(2026, 7, 20)),
          summary="monitoring systems not used to improve care (since met)")
    b.monthly("SC900005", "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 11), D(2026, 10, 11))
    b.add("SC900010", Source.PROVIDER, "ek.provider-self-assessment", D(2026, 9, 1), MET,
          ("Regulation 6", "Regulation 12", "Regulation 13"), summary="first self-evaluation after registration")
    b.inspection("SC900012", D(2025, 12, 2), GOOD, GOOD, GOOD)
    b.monthly("SC900012", "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 16), D(2026, 10, 16))

    # --- Oakridge Secure Centre: inspected twice a year, as secure homes are.
    b.inspection("SC900006", D(2025, 12, 9), GOOD, GOOD, GOOD)
    b.inspection("SC900006", D(2026, 6, 16), GOOD, GOOD, GOOD)
    b.monthly("SC900006", "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 5), D(2026, 10, 5))

    # --- Residential special schools under the NMS.
    b.inspection("900007", D(2026, 2, 24), GOOD, GOOD, OUTSTANDING, framework="sccif-rss")
    for day in (D(2026, 1, 15), D(2026, 3, 12), D(2026, 5, 14), D(2026, 7, 9), D(2026, 9, 17)):
        b.add("900007", Source.INDEPENDENT_PERSON, "ek.independent-visitor-report", day, MET)
    b.inspection("900008", D(2024, 11, 5), GOOD, GOOD, GOOD, framework="sccif-rss")

    # --- Cedar Court: dual registered; Ofsted and CQC see safeguarding differently.
    c = "SC900009"
    b.inspection(c, D(2026, 2, 11), GOOD, GOOD, GOOD)
    b.add(c, Source.CQC, "ek.cqc-score", D(2026, 5, 19), Outcome(OutcomeKind.SCORE, score=2),
          ("cqc-saf.safe.safeguarding",), summary="CQC assessment: some shortfalls in safeguarding")
    b.add(c, Source.CQC, "ek.cqc-score", D(2026, 5, 19), Outcome(OutcomeKind.SCORE, score=3),
          ("cqc-saf.safe.safe-and-effective-staffing",))
    b.add(c, Source.CQC, "ek.cqc-breach", D(2026, 5, 19), NOT_MET, ("Regulation 13(4)(b)",),
          action=Action(ActionKind.CQC_REQUIREMENT_NOTICE, due=D(2026, 9, 30)),
          summary="restraint not always proportionate to the risk")
    b.monthly(c, "ek.reg44-report", Source.INDEPENDENT_PERSON, D(2025, 11, 3), D(2026, 10, 3))

    # --- Northgate Children's Unit: CQC only.
    n = "1-900000011"
    for statement, score in (("cqc-saf.safe.safeguarding", 3), ("cqc-saf.safe.involving-people-to-manage-risks", 3),
                             ("cqc-saf.safe.safe-and-effective-staffing", 3),
                             ("cqc-saf.well-led.governance-management-and-sustainability", 4)):
        b.add(n, Source.CQC, "ek.cqc-score", D(2026, 3, 3), Outcome(OutcomeKind.SCORE, score=score), (statement,))
    return b.items


@attrs.frozen
class DemoChild:
    """A fictional placed child, as the placing LA's return lists them (raw ids: this is the LA's own file)."""

    child_id: str
    placing_la: str
    setting: str
    start: dt.date
    weeks: int
    miles: float
    looked_after: bool
    legal_status: str
    advocate: bool
    last_visit: dt.date | None
    last_review: dt.date | None
    last_advocacy: dt.date | None
    last_family: dt.date | None


def _children() -> list[DemoChild]:
    children = []
    # Wilsic Grange: ten children from four LAs, all 52-week, far from home; one advocate; visits slipping.
    wilsic = [
        ("901", 212.0, True, D(2026, 8, 20)), ("901", 188.5, True, D(2026, 6, 2)), ("901", 240.0, True, D(2026, 9, 30)),
        ("902", 96.0, False, D(2026, 4, 14)), ("902", 131.0, False, D(2026, 9, 1)), ("903", 74.5, True, D(2026, 7, 1)),
        ("903", 162.0, True, D(2026, 10, 10)), ("904", 55.0, False, D(2026, 5, 20)), ("904", 201.5, True, D(2026, 8, 5)),
        ("904", 143.0, True, D(2026, 3, 30)),
    ]
    for index, (la, miles, looked_after, visit) in enumerate(wilsic):
        children.append(DemoChild(
            f"WG{index + 1:03d}", la, "SC900001", D(2022 + index % 3, 9, 1 + index), 52, miles, looked_after,
            "V2" if looked_after else "NLA", index == 0, visit, D(2026, 6, 15) if looked_after else None,
            D(2026, 9, 2) if index == 0 else None, D(2026, 8, 1 + index)))
    # Fullbrook House: six children, half far from home, advocates for most.
    for index in range(6):
        children.append(DemoChild(
            f"FB{index + 1:03d}", "902" if index % 2 else "901", "SC900002", D(2024, 1, 10 + index), 52,
            40.0 + 25 * index, True, "C2", index != 5, D(2026, 9, 15 + index), D(2026, 7, 1),
            D(2026, 8, 20) if index != 5 else None, D(2026, 10, 1)))
    # Meadowbank School: 38-week placements close to home, all with advocates, visits in time.
    for index in range(4):
        children.append(DemoChild(
            f"MB{index + 1:03d}", "903", "900007", D(2025, 9, 3), 38, 12.0 + 4 * index, False, "NLA", True,
            D(2026, 10, 1 + index), None, D(2026, 9, 20), D(2026, 10, 20)))
    # Beacon View: two local children doing well.
    for index in range(2):
        children.append(DemoChild(
            f"BV{index + 1:03d}", "901", "SC900004", D(2025, 3, 1), 52, 8.0 + index, True, "C2", True,
            D(2026, 10, 15), D(2026, 9, 1), D(2026, 10, 2), D(2026, 10, 25)))
    return children


def _signals() -> Iterator[tuple[str, dt.date, dict[str, float | str]]]:
    months = [D(2026, m, 1) for m in range(4, 11)]
    restraint = [8, 10, 14, 19, 25, 31, 36]
    for index, month in enumerate(months):
        yield "SC900001", month, {
            "restraint_incidents": restraint[index], "children_resident": 10, "staff_vacancies": 11,
            "staff_leavers": 3 + index % 2, "agency_share": 42 + index, "lado_referrals": 1 + (index % 3 == 0),
            "reg40_notifications": 2, "complaints": index % 3 == 1, "reg44_received": "Yes" if month <= D(2026, 8, 1) else "No",
        }
        yield "SC900002", month, {
            "restraint_incidents": 5, "children_resident": 6, "staff_vacancies": 4, "staff_leavers": 1,
            "agency_share": 18, "lado_referrals": index == 3, "reg40_notifications": 0, "complaints": 0,
            "reg44_received": "Yes" if month <= D(2026, 6, 1) else "No",
        }
        yield "SC900004", month, {
            "restraint_incidents": 0, "children_resident": 2, "staff_vacancies": 0, "staff_leavers": 0,
            "agency_share": 0, "lado_referrals": 0, "reg40_notifications": 0, "complaints": 0, "reg44_received": "Yes",
        }
        yield "900007", month, {
            "restraint_incidents": 2, "children_resident": 4, "staff_vacancies": 1, "staff_leavers": index == 2,
            "agency_share": 5, "lado_referrals": 0, "reg40_notifications": 0, "complaints": 0, "reg44_received": "",
        }


# ------------------------------------------------------------------ writing the files


def write_evidence_xml(path: Path) -> None:
    from regframe.ingest.evidence_xml_writer import write_evidence

    write_evidence(path, _settings(), (), _items(), (), producer="regframe demo", created=AS_AT)


def write_la_return(path: Path) -> None:
    from regframe.ingest.la_return_columns import SHEETS
    from regframe.ingest.la_return_template import (
        AS_AT_CELL,
        EXAMPLE_ROW,
        INSTRUCTIONS_SHEET,
        LA_CODE_CELL,
        build_template,
    )

    workbook = build_template()
    workbook[INSTRUCTIONS_SHEET][LA_CODE_CELL] = "901"
    workbook[INSTRUCTIONS_SHEET][AS_AT_CELL] = AS_AT
    children_spec, signals_spec = SHEETS
    rows: dict[str, list[dict[str, Any]]] = {
        children_spec.name: [
            {"child_id": c.child_id, "placing_la": c.placing_la, "setting_urn": c.setting, "placement_start": c.start,
             "weeks_per_year": c.weeks, "distance_miles": c.miles, "looked_after": "Yes" if c.looked_after else "No",
             "legal_status": c.legal_status, "ehc_plan": "Yes", "last_sw_visit": c.last_visit,
             "last_iro_review": c.last_review, "advocate_assigned": "Yes" if c.advocate else "No",
             "last_advocacy_contact": c.last_advocacy, "last_family_contact": c.last_family,
             "dol_authorised": "No", "dol_date": None}
            for c in _children()
        ],
        signals_spec.name: [
            {"setting_urn": urn, "month": month, **values} for urn, month, values in _signals()
        ],
    }
    for spec in SHEETS:
        sheet = workbook[spec.name]
        names = [c.name for c in spec.columns]
        for offset, row in enumerate(rows[spec.name], start=1):
            for index, name in enumerate(names, start=1):
                value = row.get(name)
                if isinstance(value, bool):
                    value = int(value)
                sheet.cell(EXAMPLE_ROW + offset, index, value)
    fixed = dt.datetime(2026, 10, 31, 9, 0, 0)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    with atomic_path(path) as temporary:
        workbook.save(temporary)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_ssda903(folder: Path) -> None:
    """LA 901's SSDA903 extract for its children in the demo settings (fake dates of birth and postcodes)."""
    ours = [c for c in _children() if c.placing_la == EXTRACT_LA and c.looked_after]
    place = {"SC900001": "K2", "SC900002": "K2", "SC900004": "K2"}
    header = [["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]]
    episodes = [["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]]
    for index, child in enumerate(ours):
        header.append([child.child_id, "1", f"0{1 + index % 9}/0{1 + index % 9}/2011", "WBRI", "", "", ""])
        episodes.append([child.child_id, child.start.strftime("%d/%m/%Y"), "S", child.legal_status or "V2", "N2",
                         place.get(child.setting, "K2"), "PR4", "", "", "", "ZZ99 3CZ", "ZZ99 3CZ", child.setting])
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(folder / "ssda903-901-header.csv", _csv(header))
    atomic_write_bytes(folder / "ssda903-901-episodes.csv", _csv(episodes))


def demo_dir() -> Path:
    return evidence_dir() / "demo"


def demo_paths() -> list[Path]:
    """The bundled demo's input files, in the order they are read."""
    folder = demo_dir()
    return [folder / "evidence.xml", folder / "la-return-901.xlsx",
            folder / "ssda903-901-header.csv", folder / "ssda903-901-episodes.csv"]


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    write_evidence_xml(folder / "evidence.xml")
    write_la_return(folder / "la-return-901.xlsx")
    write_ssda903(folder)
    return [folder / p.name for p in demo_paths()]


if __name__ == "__main__":  # pragma: no cover - a developer's command
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("evidence/demo")
    for written in write_all(target):
        print(written)
