"""Reading SSDA903 (children looked after) extracts: the CSV tables and the XML return.

What regframe keeps is narrow by design. From *episodes* it keeps placements
in residential settings within its scope (K1, K2, S1, R2, and "other" Z1 /
Z11-Z14), with provider, legal status, category of need, URN and, where a
derived ``PL_DISTANCE`` column is present, the distance. Consecutive episodes
in the same setting (a legal-status change, say) are joined into one
placement. From *reviews* it keeps each review date as an ``ek.iro-review``
item on the residential placement the child was in that day. The *header*
is only counted. Children appear as pseudonyms; dates of birth, postcodes,
UPNs and raw CHILD ids are never stored. Placements outside the scope
(foster, adoption, parents...) are counted, not reported as problems.

Codes are checked against :mod:`regframe.ingest.ssda903_codes` by the
collection year of the episode's start, so one extract can mix years.
Problems with a record are warnings (the record or value is dropped and the
rest kept); only an unreadable file is an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import attrs
from lxml import etree

from regframe.core.diagnostics import Diagnostic, Diagnostics, Location, Severity, code
from regframe.evidence.identity import canonical_child_id, canonical_la_code, canonical_urn
from regframe.evidence.model import EvidenceItem, EvidenceSet, Outcome, OutcomeKind, Placement, Setting, Source
from regframe.evidence.pseudonym import UNKNOWN_LA, PseudonymKey, pseudonymise
from regframe.framework.model import Independence
from regframe.ingest import IngestContext
from regframe.ingest.cells import CellError, clean_text, to_date, to_float
from regframe.ingest.ssda903_codes import collection_year, lookup, year_label
from regframe.ingest.tally import input_file
from regframe.io import xmlsafe
from regframe.io.formats import detect_encoding

MISSING_FIELD = code(
    "RF430", Severity.WARNING, "SSDA903 record lacks a required field",
    "An episode needs CHILD, DECOM and PLACE (PL in the XML); a review needs CHILD and REVIEW. The record is skipped.",
)
BAD_DATE = code(
    "RF431", Severity.WARNING, "SSDA903 date cannot be read",
    "Dates in SSDA903 files are dd/mm/yyyy. An unreadable start or review date skips the record; an unreadable "
    "end date (DEC) skips the episode too, since treating it as open would overstate the placement.",
)
UNKNOWN_CODE = code(
    "RF432", Severity.WARNING, "SSDA903 code is not in any collection year's code list",
    "An unknown placement type (PLACE) skips the episode, since its scope cannot be judged; an unknown legal "
    "status, category of need, provider or review code is dropped and the record kept.",
)
CODE_OUT_OF_YEAR = code(
    "RF433", Severity.WARNING, "SSDA903 code is not valid in the episode's collection year",
    "The code exists but not in the collection year the episode started in (H5 was replaced by K3 from 2024-25; "
    "Z1 was split into Z11-Z14 from 2025-26). The record is kept.",
)
NO_URN = code(
    "RF434", Severity.WARNING, "residential placement has no usable Ofsted URN",
    "Children's home, secure home and residential school placements (K1, K2, S1) must carry the setting's URN "
    "(903 rule 218): SC + 6 digits, or 6 or 7 digits, not the placeholder XXXXXXX. Without it the placement "
    "cannot be linked to a setting and is not kept.",
)
UNLINKED = code(
    "RF435", Severity.INFO, "health or 'other' placements without a URN were not linked",
    "Health (R2) and other (Z1, Z11-Z14) placements normally carry no URN (903 rule 222), so they cannot be "
    "linked to a registered setting. They are counted but not kept.",
)
END_BEFORE_START = code(
    "RF436", Severity.WARNING, "SSDA903 episode ends before it starts",
    "DEC is earlier than DECOM. The episode is skipped.",
)
DEFAULT_LA = code(
    "RF437", Severity.INFO, "no LA code given; a default was used to pseudonymise child ids",
    "SSDA903 and Annex A files do not say which LA they come from. Give it with --la CODE so pseudonyms match "
    "those of the same children in the LA's other files; without it the code 'UNKNOWN' is used.",
)
TABLE_NOT_USED = code(
    "RF438", Severity.INFO, "SSDA903 table not used by regframe",
    "regframe reads the episodes, header, reviews and DoLo tables. Other tables (OC2, OC3, AD1, missing, UASC...) are "
    "recognised and skipped.",
)
BAD_DISTANCE = code(
    "RF439", Severity.WARNING, "PL_DISTANCE cannot be read",
    "The derived PL_DISTANCE column (km, one decimal place) holds something other than a non-negative number. "
    "The distance is dropped and the episode kept.",
)
REVIEWS_UNATTACHED = code(
    "RF440", Severity.INFO, "reviews could not be attached to placements",
    "Reviews are attached to the residential placement a child was in on the review date, which needs the "
    "episodes table. Put the episodes CSV in the same folder as the reviews CSV, or read the XML return.",
)

#: used to pseudonymise when no LA code is given (documented in RF437)
DEFAULT_LA_CODE = UNKNOWN_LA
KM_PER_MILE = 1.609344
_URN_REQUIRED = {"K1", "K2", "S1"}

EPISODE_COLUMNS = frozenset({"CHILD", "DECOM", "PLACE"})
REVIEW_COLUMNS = frozenset({"CHILD", "REVIEW", "REVIEW_CODE"})
HEADER_COLUMNS = frozenset({"CHILD", "SEX", "DOB", "ETHNIC"})
DOLO_COLUMNS = frozenset({"CHILD", "DOLO_START"})
#: tables of dated child events attached to placements: kind -> (date column, code column, evidence kind)
_DATED_TABLES = {
    "reviews": ("REVIEW", "REVIEW_CODE", "ek.iro-review"),
    "dolo": ("DOLO_START", None, "ek.dol-authorisation"),
}


@attrs.frozen
class Episode:
    """One in-scope episode as read: the child already a pseudonym, codes checked."""

    child: str
    start: dt.date
    end: dt.date | None
    place: str
    urn: str
    provider: str
    legal_status: str
    need: str
    distance_miles: float | None
    placement_la: str
    where: Location


@attrs.frozen
class Review:
    child: str
    day: dt.date
    code: str
    where: Location


@attrs.define
class _Reading:
    """Counts and findings while reading one file."""

    path: Path
    la: str
    diagnostics: Diagnostics = attrs.field(factory=Diagnostics)
    out_of_scope: Counter[str] = attrs.field(factory=Counter)
    unlinked: Counter[str] = attrs.field(factory=Counter)
    #: reviews (or DoL orders) of children not in a residential placement on the day
    outside_placements: int = 0
    rejected: int = 0
    #: records of tables (or XML elements) regframe does not use
    unused: int = 0
    #: children's headers read (XML): counted, no field stored
    headers: int = 0
    #: every record read, and the blank rows among them
    rows: int = 0
    blank: int = 0


def _la(context: IngestContext) -> str:
    return canonical_la_code(context.la_code or DEFAULT_LA_CODE)


# ---------------------------------------------------------------- records


def _episode(raw: Mapping[str, str], where: Callable[[str], Location], context: IngestContext,
             reading: _Reading) -> Episode | None:
    """An in-scope episode from one record's fields, or ``None`` (out of scope, or skipped with a diagnostic)."""
    d = reading.diagnostics
    values = {k: clean_text(v).upper() if k not in ("DECOM", "DEC") else clean_text(v) for k, v in raw.items()}
    for field in ("CHILD", "DECOM", "PLACE"):
        if not values.get(field):
            d.add(MISSING_FIELD, f"{field} is empty; episode skipped", where(field))
            reading.rejected += 1
            return None
    place = values["PLACE"]
    entry = lookup("PLACE", place)
    if entry is None:
        d.add(UNKNOWN_CODE, f"placement type {place!r} is not an SSDA903 code; episode skipped", where("PLACE"))
        reading.rejected += 1
        return None
    try:
        start = to_date(values["DECOM"])
        end = to_date(values["DEC"]) if values.get("DEC") else None
    except CellError as error:
        field = "DECOM" if not _is_date(values["DECOM"]) else "DEC"
        d.add(BAD_DATE, f"{field}: {error}; episode skipped", where(field))
        reading.rejected += 1
        return None
    year = collection_year(start)
    if not entry.valid_in(year):
        d.add(CODE_OUT_OF_YEAR, f"placement type {place} is not valid in {year_label(year)}"
                                f"{_replacement(place)}; episode kept", where("PLACE"))
    if not entry.in_scope:
        reading.out_of_scope[place] += 1
        return None
    if end is not None and end < start:
        d.add(END_BEFORE_START, f"DEC {end:%d/%m/%Y} is before DECOM {start:%d/%m/%Y}; episode skipped", where("DEC"))
        reading.rejected += 1
        return None
    urn = canonical_urn(values.get("URN", "")) or values.get("URN", "").replace(" ", "")
    if canonical_urn(urn) is None:
        if place in _URN_REQUIRED:
            shown = f"URN {urn!r} is not an Ofsted URN" if urn else "no URN"
            d.add(NO_URN, f"{shown} for a {place} placement; episode not kept", where("URN"))
            reading.rejected += 1
        else:
            reading.unlinked[place] += 1
        return None
    coded = {}
    for field in ("PLACE_PROVIDER", "LS", "CIN"):
        value = values.get(field, "")
        if value and lookup(field, value) is None:
            d.add(UNKNOWN_CODE, f"{field} {value!r} is not an SSDA903 code; value dropped", where(field))
            value = ""
        elif value and not lookup(field, value).valid_in(year):  # type: ignore[union-attr]
            d.add(CODE_OUT_OF_YEAR, f"{field} {value} is not valid in {year_label(year)}; kept", where(field))
        coded[field] = value
    distance = None
    if values.get("PL_DISTANCE"):
        try:
            km = to_float(values["PL_DISTANCE"])
            if km < 0:
                raise CellError(f"{km:g} is negative")
            distance = round(km / KM_PER_MILE, 1)
        except CellError as error:
            d.add(BAD_DISTANCE, f"PL_DISTANCE: {error}; distance dropped", where("PL_DISTANCE"))
    return Episode(
        child=pseudonymise(context.key, reading.la, values["CHILD"]), start=start, end=end, place=place, urn=urn,
        provider=coded["PLACE_PROVIDER"], legal_status=coded["LS"], need=coded["CIN"], distance_miles=distance,
        placement_la=values.get("PL_LA", ""), where=where("CHILD"),
    )


def _is_date(text: str) -> bool:
    try:
        to_date(text)
    except CellError:
        return False
    return True


def _replacement(place: str) -> str:
    if place == "H5":
        return " (replaced by K3 from 2024-25)"
    if place == "Z1":
        return " (split into Z11-Z14 from 2025-26)"
    return ""


def _review(raw: Mapping[str, str], where: Callable[[str], Location], context: IngestContext,
            reading: _Reading, date_field: str = "REVIEW", code_field: str | None = "REVIEW_CODE") -> Review | None:
    """A dated child event: a review (REVIEW, REVIEW_CODE) or a DoL order's start (DOLO_START)."""
    d = reading.diagnostics
    child, text = clean_text(raw.get("CHILD")), clean_text(raw.get(date_field))
    for field, value in (("CHILD", child), (date_field, text)):
        if not value:
            d.add(MISSING_FIELD, f"{field} is empty; record skipped", where(field))
            reading.rejected += 1
            return None
    try:
        day = to_date(text)
    except CellError as error:
        d.add(BAD_DATE, f"{date_field}: {error}; record skipped", where(date_field))
        reading.rejected += 1
        return None
    review_code = clean_text(raw.get(code_field)).upper() if code_field else ""
    if review_code and code_field and lookup(code_field, review_code) is None:
        d.add(UNKNOWN_CODE, f"{code_field} {review_code!r} is not an SSDA903 code; value dropped", where(code_field))
        review_code = ""
    return Review(pseudonymise(context.key, reading.la, child), day, review_code, where(date_field))


# ---------------------------------------------------------------- building the evidence


def join_episodes(episodes: Iterable[Episode]) -> list[tuple[Episode, dt.date | None]]:
    """Consecutive episodes of a child in the same setting and placement type, joined: ``(latest episode, start)``.

    A legal-status change starts a new 903 episode without moving the child; the
    visit and review timescales run from the start of the placement, not the episode.
    """
    by_child: dict[str, list[Episode]] = defaultdict(list)
    for episode in episodes:
        by_child[episode.child].append(episode)
    joined: list[tuple[Episode, dt.date | None]] = []
    for child_episodes in by_child.values():
        child_episodes.sort(key=lambda e: e.start)
        current: Episode | None = None
        first_start: dt.date | None = None
        first_where: Location | None = None
        for episode in child_episodes:
            if (current is not None and current.end == episode.start and current.urn == episode.urn
                    and current.place == episode.place):
                current = attrs.evolve(episode, distance_miles=episode.distance_miles or current.distance_miles,
                                       where=first_where or episode.where)
                continue
            if current is not None:
                joined.append((current, first_start))
            current, first_start, first_where = episode, episode.start, episode.where
        if current is not None:
            joined.append((current, first_start))
    return joined


def placements_of(episodes: Iterable[Episode], la: str) -> list[Placement]:
    return [
        Placement(
            child=e.child, setting=e.urn, placing_la=la, start=start or e.start, end=e.end,
            distance_miles=e.distance_miles, legal_status=e.legal_status, placement_type=e.place,
            provider_type=e.provider, category_of_need=e.need, looked_after=True, provenance=e.where,
        )
        for e, start in join_episodes(episodes)
    ]


def _settings_of(episodes: Iterable[Episode]) -> list[Setting]:
    settings: dict[str, Setting] = {}
    for e in episodes:
        entry = lookup("PLACE", e.place)
        if entry is None or entry.setting_kind is None or e.urn in settings:
            continue
        settings[e.urn] = Setting(urn=e.urn, kind=entry.setting_kind, kind_inferred=True, local_authority=e.placement_la, provenance=e.where)
    return list(settings.values())


def _attach_reviews(reviews: Iterable[Review], placements: list[Placement], result: EvidenceSet,
                    kind: str = "ek.iro-review") -> tuple[int, int]:
    """Add each dated event as an item of ``kind`` on the placement(s) active that day; returns (attached, not).

    Reviews become ``ek.iro-review`` items; DoL orders (the 2026-27 DoLo table) ``ek.dol-authorisation`` items.
    """
    by_child: dict[str, list[Placement]] = defaultdict(list)
    for placement in placements:
        by_child[placement.child].append(placement)
    attached = unattached = 0
    seen: set[str] = set()
    for review in reviews:
        hits = [p for p in by_child.get(review.child, ()) if p.active_on(review.day)]
        if not hits:
            unattached += 1
            continue
        attached += 1
        for placement in hits:
            item_id = f"ssda903:{review.child}:{kind}:{review.day.isoformat()}:{placement.setting}"
            if item_id in seen:
                continue
            seen.add(item_id)
            if kind == "ek.iro-review":
                summary = "looked-after review (SSDA903)" + (f", participation {review.code}" if review.code else "")
            else:
                summary = "deprivation of liberty order (SSDA903 DoLo)"
            result.add_item(EvidenceItem(
                id=item_id, setting=placement.setting, source=Source.PLACING_LA, kind=kind,
                observed=review.day, independence=Independence.INDEPENDENT, child=review.child,
                outcome=Outcome(OutcomeKind.RECORDED), summary=summary, provenance=review.where,
            ))
    return attached, unattached


def _finish(reading: _Reading, result: EvidenceSet, kept: int, context: IngestContext, what: str) -> None:
    if result.placements or any(item.child for item in result.items):
        result.note_child_la(str(reading.path), reading.la)
    if not context.la_code and str(reading.path) in result.child_las:
        reading.diagnostics.add(DEFAULT_LA, f"no LA code given (--la); child ids pseudonymised with "
                                            f"{DEFAULT_LA_CODE!r}", Location(file=str(reading.path)))
    if reading.unlinked:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(reading.unlinked.items()))
        reading.diagnostics.add(UNLINKED, f"{sum(reading.unlinked.values())} placements without a URN not linked "
                                          f"({counts})", Location(file=str(reading.path)))
    if reading.out_of_scope:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(reading.out_of_scope.items()))
        result.notes.append(f"{reading.path.name}: {sum(reading.out_of_scope.values())} {what} outside regframe's "
                            f"residential scope ({counts})")
    if reading.outside_placements:
        result.notes.append(f"{reading.path.name}: {reading.outside_placements} reviews or DoL orders dated when the "
                            "child was not in a residential placement regframe covers")
    result.diagnostics.extend(reading.diagnostics)
    skipped = sum(reading.out_of_scope.values()) + sum(reading.unlinked.values()) + reading.outside_placements
    result.inputs.append(input_file(reading.path, _format_name(reading.path), kept, reading.rejected, skipped,
                                    blank=reading.blank, unused=reading.unused, rows=reading.rows))


def _format_name(path: Path) -> str:
    return "ssda903-xml" if path.suffix.lower() == ".xml" else "ssda903-csv"


# ---------------------------------------------------------------- CSV


def _csv_rows(path: Path, reading: _Reading | None = None) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """The header and the data rows; every row below the header, and each blank one, is counted on ``reading``."""
    handle = path.open(encoding=detect_encoding(path), newline="")
    reader = csv.reader(handle)
    try:
        header = [clean_text(h).lstrip("\ufeff").upper() for h in next(reader)]
    except StopIteration:
        handle.close()
        return [], []

    def rows() -> Iterable[tuple[int, dict[str, str]]]:
        with handle:
            for cells in reader:
                if reading is not None:
                    reading.rows += 1
                if not any(c.strip() for c in cells):
                    if reading is not None:
                        reading.blank += 1
                    continue
                yield reader.line_num, dict(zip(header, cells, strict=False))

    return header, rows()


def table_kind(columns: Iterable[str]) -> str:
    """Which SSDA903 table a header row belongs to: episodes, reviews, header, or other."""
    names = set(columns)
    if EPISODE_COLUMNS <= names:
        return "episodes"
    if REVIEW_COLUMNS <= names:
        return "reviews"
    if DOLO_COLUMNS <= names:
        return "dolo"
    if HEADER_COLUMNS <= names:
        return "header"
    return "other"


def _csv_where(path: Path, row: int) -> Callable[[str], Location]:
    return lambda field: Location(file=str(path), row=row, column=field)


def _read_episodes_csv(path: Path, context: IngestContext, reading: _Reading) -> list[Episode]:
    _header, rows = _csv_rows(path, reading)
    episodes = []
    for number, raw in rows:
        episode = _episode(raw, _csv_where(path, number), context, reading)
        if episode is not None:
            episodes.append(episode)
    return episodes


@functools.lru_cache(maxsize=8)
def _sibling_placements(folder: str, stamp: tuple[tuple[str, float], ...], key: PseudonymKey,
                        la: str) -> tuple[Placement, ...]:
    """Placements from the episodes CSV(s) beside a reviews CSV (cached: one return's files travel together)."""
    context = IngestContext(key=key, la_code=la)
    found: list[Placement] = []
    for name, _mtime in stamp:
        path = Path(folder) / name
        reading = _Reading(path, la)
        found.extend(placements_of(_read_episodes_csv(path, context, reading), la))
    return tuple(found)


def _episode_files_beside(path: Path) -> tuple[tuple[str, float], ...]:
    stamp = []
    for sibling in sorted(path.parent.glob("*")):
        if sibling.suffix.lower() != ".csv" or sibling == path or not sibling.is_file():
            continue
        header, _rows = _csv_rows(sibling)
        if table_kind(header) == "episodes":
            stamp.append((sibling.name, sibling.stat().st_mtime))
    return tuple(stamp)


def read_csv(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one SSDA903 CSV table (episodes, reviews or header; other tables are recognised and skipped)."""
    path = Path(path)
    result = EvidenceSet()
    la = _la(context)
    reading = _Reading(path, la)
    header, rows = _csv_rows(path, reading)
    kind = table_kind(header)
    if kind == "episodes":
        episodes = _read_episodes_csv(path, context, reading)
        placements = placements_of(episodes, la)
        for setting in _settings_of(episodes):
            result.add_setting(setting)
        for placement in placements:
            result.add_placement(placement)
        _finish(reading, result, len(episodes), context, "episodes")
    elif kind in _DATED_TABLES:
        date_field, code_field, evidence_kind = _DATED_TABLES[kind]
        reviews = [r for n, raw in rows
                   if (r := _review(raw, _csv_where(path, n), context, reading, date_field, code_field)) is not None]
        stamp = _episode_files_beside(path)
        placements = list(_sibling_placements(str(path.parent), stamp, context.key, la)) if stamp else []
        attached, unattached = _attach_reviews(reviews, placements, result, evidence_kind)
        if not stamp:
            reading.diagnostics.add(REVIEWS_UNATTACHED, f"{len(reviews)} records read, but no episodes CSV is in the "
                                                        "same folder to attach them to placements", Location(file=str(path)))
        reading.outside_placements += unattached
        _finish(reading, result, attached, context, "episodes")
    elif kind == "header":
        children: set[str] = set()
        counted = 0
        for number, raw in rows:
            child_id = canonical_child_id(raw.get("CHILD"))
            if not child_id:
                reading.diagnostics.add(MISSING_FIELD, "CHILD is empty; header row skipped",
                                        _csv_where(path, number)("CHILD"))
                reading.rejected += 1
                continue
            counted += 1
            children.add(child_id)
        result.notes.append(f"{path.name}: SSDA903 header of {counted} rows, {len(children)} distinct children "
                            "(no field of it is stored)")
        _finish(reading, result, counted, context, "children")
    else:
        reading.unused = sum(1 for _ in rows)
        reading.diagnostics.add(TABLE_NOT_USED, f"{path.name} is an SSDA903 table regframe does not use "
                                                f"(columns {', '.join(header[:6])}...; {reading.unused} rows)",
                                Location(file=str(path)))
        _finish(reading, result, 0, context, "records")
    return result


# ---------------------------------------------------------------- XML


_XML_FIELDS = {"PL": "PLACE"}


def read_xml(path: Path, context: IngestContext) -> EvidenceSet:
    """Read an SSDA903 XML return (root ``EXPSSDA903``): episodes and reviews of every child, streamed."""
    path = Path(path)
    result = EvidenceSet()
    la = _la(context)
    reading = _Reading(path, la)
    episodes: list[Episode] = []
    reviews: list[Review] = []
    try:
        for index, (_event, child) in enumerate(xmlsafe.iterparse_file(path, tag="CHILD"), start=1):
            _read_child(path, index, child, context, reading, episodes, reviews)
            child.clear()
            while child.getprevious() is not None:
                del child.getparent()[0]
    except xmlsafe.UnsafeXML as unsafe:
        result.diagnostics.append(unsafe.diagnostic)
        result.inputs.append(input_file(path, "ssda903-xml"))
        return result
    except etree.XMLSyntaxError as error:
        result.diagnostics.append(_syntax(path, error))
    placements = placements_of(episodes, la)
    for setting in _settings_of(episodes):
        result.add_setting(setting)
    for placement in placements:
        result.add_placement(placement)
    attached, unattached = _attach_reviews(reviews, placements, result)
    reading.outside_placements += unattached
    _finish(reading, result, len(episodes) + attached + reading.headers, context, "episodes")
    return result


def _syntax(path: Path, error: etree.XMLSyntaxError) -> Diagnostic:
    from regframe.core.diagnostics import make

    return make(xmlsafe.XML_NOT_WELL_FORMED, str(error.msg if hasattr(error, "msg") else error),
                Location(file=str(path), line=error.lineno or None))


def _read_child(path: Path, index: int, child: etree._Element, context: IngestContext, reading: _Reading,
                episodes: list[Episode], reviews: list[Review]) -> None:
    header = child.find("HEADER")
    child_id = clean_text(header.findtext("CHILDID") if header is not None else "")
    base = f"/EXPSSDA903/CHILD[{index}]"
    # records: the child's header, its episodes and reviews (used), and every other element with
    # fields of its own (OC2, PERMANENCE, MISSING...: tables regframe does not use)
    reading.rows += 1
    if child_id:
        reading.headers += 1
    else:
        reading.diagnostics.add(MISSING_FIELD, "CHILDID is empty; the child's records are skipped",
                                Location(file=str(path), line=child.sourceline, path=f"{base}/HEADER/CHILDID"))
        reading.rejected += 1
    for holder in (child, header) if header is not None else (child,):
        for element in holder:
            if element.tag in ("HEADER", "EPISODE", "AREVIEW") or not isinstance(element.tag, str):
                continue
            if len(element):
                reading.rows += 1
                reading.unused += 1

    def where_for(element: etree._Element, at: str) -> Callable[[str], Location]:
        def where(field: str) -> Location:
            name = next((k for k, v in _XML_FIELDS.items() if v == field), field)
            if field == "CHILD":
                return Location(file=str(path), line=child.sourceline, path=f"{base}/HEADER/CHILDID")
            return Location(file=str(path), line=element.sourceline, path=f"{at}/{name}")
        return where

    for number, episode in enumerate(child.iterfind("EPISODE"), start=1):
        reading.rows += 1
        raw = {_XML_FIELDS.get(e.tag, e.tag): e.text or "" for e in episode}
        raw["CHILD"] = child_id
        found = _episode(raw, where_for(episode, f"{base}/EPISODE[{number}]"), context, reading)
        if found is not None:
            episodes.append(found)
    if header is not None:
        for number, review in enumerate(header.iterfind("AREVIEW"), start=1):
            reading.rows += 1
            raw = {e.tag: e.text or "" for e in review}
            raw["CHILD"] = child_id
            found_review = _review(raw, where_for(review, f"{base}/HEADER/AREVIEW[{number}]"), context, reading)
            if found_review is not None:
                reviews.append(found_review)
