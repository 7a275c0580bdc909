"""Reading CQC public API location records: one ``/locations/{id}`` response, a list of them, or JSON Lines.

CQC publishes what it knows of each registered location through its API as
JSON (see :mod:`regframe.ingest.cqc_records` for the fields read). This reader
takes a file of such records in any of three shapes: one record (a saved API
response), a JSON list of records, or JSON Lines (one record a line, the shape
for a large extract). JSON is read through :mod:`regframe.io.jsonsafe`, so an
oversized file or line, deep nesting, a huge number or a repeated key is a
diagnostic with its line, never an exception.

Each record is one of three things, and the file's counts say how many of each:

* **accepted**: a location in regframe's scope, kept as a setting keyed by its
  location id (kind ``cqc-health-provision``) with its ratings as evidence items;
* **out of scope**, by reason (:data:`OUT_OF_SCOPE_REASONS`): a location that
  does not serve children, or serves children but gives no residential care or
  accommodation;
* **rejected**: not a location record, or a field of the wrong type or form;
  reported with the record's line (JSON Lines) or index (a list) and the JSON
  path of each bad field. The fields that decide scope (``locationId``,
  ``organisationType``, ``careHome``, ``regulatedActivities``,
  ``gacServiceTypes``, ``specialisms``) are checked in every record; the others
  only in a record in scope, since regframe reads nothing else of the rest. This
  keeps a national extract quick: most locations are not for children.

**Scope.** regframe covers residential settings for children. A location is in
scope when it lists the specialism *Caring for children* and either is
registered for the regulated activity RA2 (accommodation for persons who
require nursing or personal care: care homes, residential special schools and
colleges registered with CQC) or has a service type that keeps people
overnight (:data:`RESIDENTIAL_SERVICE_TYPES`: hospitals with overnight beds,
mental health hospital services, specialist colleges, hospices, residential
rehabilitation). A deregistered location stays in scope: its history is part
of the evidence, and its status and deregistration date go on the setting.

**Ratings as evidence.** Each rating of a key question (current and historic)
becomes an item of kind ``ek.cqc-score`` referencing the key question's node
in the CQC single assessment framework (``cqc-saf.safe`` ...). The mapping
(:mod:`regframe.assess.mapping`, rule (c)) then carries it to the quality
statements under that key question and to the fundamental standards
(``cqc-ra2014``) assessed under them, and the crosswalk relates those to the
Ofsted side: which requirements a rating bears on is framework data, not code
here. A hospital's ratings of its services for children and young people (the core
service ``childrens`` in ``serviceRatings``, current and historic) are items too,
for the same key questions: they are CQC's word on the children's wards, where
the location's own ratings cover the whole hospital. A rating is an outcome on
the four-point scale both regulators use
(Outstanding, Good, Requires improvement, Inadequate). "No published rating",
"Inspected but not rated" and the like say that there is no rating, so they
make no item; they are counted. The overall rating makes no item either: it is
CQC's aggregate of the five key question ratings, and an item for it would
count those judgements twice.

**Linking.** A CQC care home serving children is very probably one side of a
setting Ofsted registers too (a children's home providing care CQC regulates,
or a residential special school). Until a link file joins it to its Ofsted URN
(:mod:`regframe.ingest.cqc_link`) its setting is marked
``cqc_record_unlinked``, which the report shows as "CQC record not linked".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.evidence.model import (
    EvidenceItem,
    EvidenceSet,
    InputFile,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Setting,
    Source,
)
from regframe.framework.model import Independence, SettingKind
from regframe.ingest import IngestContext, sha256_of
from regframe.ingest.cqc_records import CqcLocation, KeyQuestionRating, ScopeFields, ServiceRating, structure_location
from regframe.io.jsonsafe import JsonProblem, read_values

FORMAT_NAME = "cqc-api"
RATING_KIND = "ek.cqc-score"

FILE_UNREADABLE = code(
    "RF370", Severity.ERROR, "CQC API file cannot be read as JSON",
    "The file (or, in JSON Lines, one line of it) is not JSON regframe will read: not UTF-8, not JSON, larger "
    "than the size limit (64 MiB for one document, 4 MiB for one line: give large extracts as JSON Lines), "
    "nested too deeply, or holding a number too long to be real, NaN or Infinity, or a key given twice in one "
    "object. In JSON Lines only that line is lost (and counted as rejected); in one document, the file.",
)
RECORD_INVALID = code(
    "RF371", Severity.ERROR, "CQC location record is invalid and was rejected",
    "A record lacks ``locationId``, is not a location (``organisationType`` is not ``Location``), or has a field "
    "of the wrong type or form: a date not written YYYY-MM-DD, a list that is not a list, a count that is not a "
    "whole number. Each bad field is named by its JSON path ($.currentRatings.overall.reportDate). The other "
    "records are kept.",
)
RATING_UNKNOWN = code(
    "RF372", Severity.WARNING, "CQC rating or key question not recognised; that rating was left out",
    "Ratings are read as Outstanding, Good, Requires improvement or Inadequate, and the words CQC uses for no "
    "rating (No published rating, Inspected but not rated, Insufficient evidence to rate, No action, Compliance "
    "action, Do not include in report) are counted as unrated. Key questions are Safe, Effective, Caring, "
    "Responsive and Well-led. The location and its other ratings were kept.",
)
RATING_UNDATED = code(
    "RF373", Severity.WARNING, "CQC rating has no report date; that rating was left out",
    "Evidence needs a date to be weighed against the assessment window. A key question rating is dated by its "
    "own reportDate, else its report's (the overall rating's, or the historic rating's).",
)
LOCATION_REPEATED = code(
    "RF374", Severity.WARNING, "CQC location record repeated in one file; the later copy was left out",
    "Two records in one file have the same locationId (compared ignoring case). The first is kept; the later "
    "one is counted as out of scope ('repeats an earlier record') so that the file's counts add up.",
)

#: key question name (lower case) -> its node in the CQC single assessment framework catalogue
KEY_QUESTIONS: dict[str, str] = {
    "safe": "cqc-saf.safe",
    "effective": "cqc-saf.effective",
    "caring": "cqc-saf.caring",
    "responsive": "cqc-saf.responsive",
    "well-led": "cqc-saf.well-led",
}
#: CQC's four ratings, on the scale Ofsted's judgements use too
RATINGS: dict[str, OfstedGrade] = {
    "outstanding": OfstedGrade.OUTSTANDING,
    "good": OfstedGrade.GOOD,
    "requires improvement": OfstedGrade.REQUIRES_IMPROVEMENT,
    "inadequate": OfstedGrade.INADEQUATE,
}
#: what CQC writes where there is no rating (counted, not evidence)
NOT_RATED = frozenset({
    "no published rating", "inspected but not rated", "insufficient evidence to rate", "no action",
    "compliance action", "do not include in report", "not rated",
})

#: a hospital's core services (``serviceRatings`` names) that are its services for children and young people:
#: ``childrens`` is the id the API uses (read in the real records; its label is not in CQC's API docs we read)
CHILDREN_SERVICES = frozenset({"childrens"})
#: specialisms (service user bands) that say a location serves children
CHILDREN_SPECIALISMS = frozenset({"caring for children"})
#: regulated activities that are residential care: RA2, accommodation for persons who require nursing or personal care
ACCOMMODATION_ACTIVITIES = frozenset({"RA2"})
#: GAC service types (their descriptions, lower case) that keep people overnight
RESIDENTIAL_SERVICE_TYPES = frozenset({
    "care home service with nursing",
    "care home service without nursing",
    "acute services with overnight beds",
    "hospital services for people with mental health needs, learning disabilities and problems with substance misuse",
    "specialist college service",
    "hospice services",
    "residential substance misuse treatment and/or rehabilitation service",
})

NOT_FOR_CHILDREN = "not for children (no 'Caring for children')"
NOT_RESIDENTIAL = "for children, but not residential"
REPEATED = "repeats an earlier record"
#: every reason a record is counted as out of scope
OUT_OF_SCOPE_REASONS = (NOT_FOR_CHILDREN, NOT_RESIDENTIAL, REPEATED)


def _lower(text: str | None) -> str:
    return " ".join((text or "").replace("\u2019", "'").lower().split())


def scope_reason(location: CqcLocation | ScopeFields) -> str | None:
    """Why a location is outside regframe's scope, or ``None`` if it is in (see the module docstring)."""
    if not any(_lower(s.name) in CHILDREN_SPECIALISMS for s in location.specialisms):
        return NOT_FOR_CHILDREN
    accommodation = any((a.code or "").strip().upper() in ACCOMMODATION_ACTIVITIES for a in location.regulated_activities)
    overnight = any(_lower(t.description) in RESIDENTIAL_SERVICE_TYPES or _lower(t.name) in RESIDENTIAL_SERVICE_TYPES
                    for t in location.gac_service_types)
    return None if accommodation or overnight else NOT_RESIDENTIAL


def is_care_home(location: CqcLocation | ScopeFields) -> bool:
    """A care home (CQC's ``careHome`` flag, or RA2): the kind of location Ofsted may register too."""
    return _lower(location.care_home) == "y" or any(
        (a.code or "").strip().upper() in ACCOMMODATION_ACTIVITIES for a in location.regulated_activities)


def location_id(text: str) -> str:
    """A location id compared as CQC issues it: trimmed, upper case (``1-101693962``, ``RH8Q6``)."""
    return text.strip().upper()


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        self.result = EvidenceSet()
        self.problems: list[Diagnostic] = []
        self.accepted = self.rejected = 0
        self.out_of_scope: Counter[str] = Counter()
        self.unrated: Counter[str] = Counter()
        self.seen: set[str] = set()

    def read(self) -> None:
        try:
            for value in read_values(self.path):
                if isinstance(value, JsonProblem):
                    self.problems.append(make(FILE_UNREADABLE, value.message,
                                              Location(file=self.where, line=value.line, column=value.column)))
                    if value.record:
                        self.rejected += 1
                    continue
                line = value.line if value.record else None  # JSON Lines: one record (or list) a line
                if isinstance(value.value, list):  # a list of records, as a document or on one line
                    for index, record in enumerate(value.value):
                        where = Location(file=self.where, line=line, path=f"$[{index}]")
                        if isinstance(record, JsonProblem):  # a value in it refused: this record only is lost
                            self.reject(where, record.message, where.path or "$")
                        else:
                            self.record(record, where)
                else:
                    self.record(value.value, Location(file=self.where, line=line, path="$"))
        except OSError as error:
            self.problems.append(make(FILE_UNREADABLE, f"cannot read: {error.strerror or error}", Location(file=self.where)))

    def record(self, value: object, where: Location) -> None:
        """Judge one record: rejected, out of scope (by reason) or accepted, in that order of checks.

        The fields that decide scope are checked in every record; the rest only in a record in scope.
        """
        scope = self.structured(value, where, ScopeFields)
        if scope is None:
            return
        if not scope.location_id.strip():
            self.reject(where, "locationId is empty", _at(where, "locationId"))
            return
        if scope.organisation_type is not None and _lower(scope.organisation_type) != "location":
            self.reject(where, f"not a location record (organisationType {scope.organisation_type!r})",
                        _at(where, "organisationType"))
            return
        key = location_id(scope.location_id)
        if key in self.seen:
            self.out_of_scope[REPEATED] += 1
            self.problems.append(make(LOCATION_REPEATED, f"location {key} was already read from this file", where))
            return
        self.seen.add(key)
        reason = scope_reason(scope)
        if reason is not None:
            self.out_of_scope[reason] += 1
            return
        location = self.structured(value, where, CqcLocation)
        if location is None:
            return
        self.accepted += 1
        self.result.add_setting(_setting(key, location, where))
        for item in self.items(key, location, where):
            self.result.add_item(item)

    def structured(self, value: object, where: Location, as_type: type[Any]) -> Any:
        """The record as ``as_type``, or ``None`` after rejecting it with each bad field's path in the file."""
        found = structure_location(value, as_type)
        if not isinstance(found, list):
            return found
        problems = [(_absolute(where, path), message) for path, message in found]
        self.reject(where, "; ".join(f"{path}: {message}" for path, message in problems), problems[0][0])
        return None

    def reject(self, where: Location, message: str, path: str) -> None:
        """Count the record at ``where`` as rejected; ``path`` is the JSON path of its (first) bad field."""
        self.rejected += 1
        shown = f"record {where.path}" if where.path != "$" else "record"
        shown += f" on line {where.line}" if where.line is not None else ""
        self.problems.append(make(RECORD_INVALID, f"{shown}: {message}", _field(where, path)))

    def items(self, key: str, location: CqcLocation, where: Location) -> list[EvidenceItem]:
        """The location's key question ratings (current, then historic) as evidence items, one per report and question."""
        made: dict[str, EvidenceItem] = {}
        current = location.current_ratings
        if current is not None and current.overall is not None:
            overall = current.overall
            for index, rating in enumerate(overall.key_question_ratings):
                self.rating(made, key, rating, rating.report_date or overall.report_date or current.report_date,
                            rating.report_link_id or overall.report_link_id,
                            _field(where, _at(where, f"currentRatings.overall.keyQuestionRatings[{index}]")))
            self.services(made, key, current.service_ratings, current.report_date, None, where,
                          "currentRatings.serviceRatings")
        for h, historic in enumerate(location.historic_ratings):
            if historic.overall is not None:
                for index, rating in enumerate(historic.overall.key_question_ratings):
                    self.rating(made, key, rating,
                                rating.report_date or historic.report_date or historic.overall.report_date,
                                rating.report_link_id or historic.report_link_id,
                                _field(where, _at(where, f"historicRatings[{h}].overall.keyQuestionRatings[{index}]")))
            self.services(made, key, historic.service_ratings, historic.report_date, historic.report_link_id,
                          where, f"historicRatings[{h}].serviceRatings")
        return list(made.values())

    def services(self, made: dict[str, EvidenceItem], key: str, services: tuple[ServiceRating, ...],
                 date: dt.date | None, report: str | None, where: Location, path: str) -> None:
        """A hospital's ratings of its services for children (:data:`CHILDREN_SERVICES`), per key question."""
        for s, service in enumerate(services):
            if _lower(service.name) not in CHILDREN_SERVICES:
                continue
            for index, rating in enumerate(service.key_question_ratings):
                self.rating(made, key, rating, rating.report_date or service.report_date or date,
                            rating.report_link_id or service.report_link_id or report,
                            _field(where, _at(where, f"{path}[{s}].keyQuestionRatings[{index}]")),
                            service="children's services")

    def rating(self, made: dict[str, EvidenceItem], key: str, rating: KeyQuestionRating, date: dt.date | None,
               report: str | None, at: Location, service: str | None = None) -> None:
        """Make the item for one rating, or count or report why there is none.

        The item says nothing of whether the rating is current or historic: the same report's rating is
        current in one extract and historic in a later one, and must be the same item in both.
        """
        question = KEY_QUESTIONS.get(_lower(rating.name))
        if question is None:
            self.problems.append(make(RATING_UNKNOWN, f"location {key}: {rating.name!r} is not a CQC key question",
                                      _field(at, f"{at.path}.name")))
            return
        text = _lower(rating.rating)
        grade = RATINGS.get(text)
        if grade is None:
            if text in NOT_RATED or not text:
                self.unrated[rating.rating or "(none)"] += 1
            else:
                self.problems.append(make(RATING_UNKNOWN, f"location {key}: {rating.rating!r} is not a CQC rating",
                                          _field(at, f"{at.path}.rating")))
            return
        if date is None:
            self.problems.append(make(RATING_UNDATED, f"location {key}: {rating.name} rated {rating.rating} "
                                      "has no report date", at))
            return
        scope = ":childrens" if service else ""
        item_id = f"cqc:{key}:{report or date.isoformat()}{scope}:{question.removeprefix('cqc-saf.')}"
        if item_id in made:
            return  # the same report's rating, listed as current and historic
        made[item_id] = EvidenceItem(
            id=item_id, setting=key, source=Source.CQC, kind=RATING_KIND, observed=date,
            independence=Independence.REGULATOR, references=(question,),
            outcome=Outcome(OutcomeKind.GRADE, grade=grade),
            summary=f"CQC rating{f' of {service}' if service else ''}, {rating.name.strip()}: "
                    f"{(rating.rating or '').strip()} (report {date.isoformat()})",
            provenance=at,
        )


def _at(where: Location, field: str) -> str:
    """The JSON path of a field of the record at ``where``."""
    return f"{where.path or '$'}.{field}"


def _absolute(where: Location, path: str) -> str:
    """A path within a record ("$.name") as a path within the file ("$[3].name" for the fourth record of a list)."""
    return (where.path or "$") + path.removeprefix("$")


def _field(where: Location, path: str) -> Location:
    """Where a field of the record at ``where`` is: the record's file and line, and the field's JSON path."""
    return Location(file=where.file, line=where.line, path=path)


def _setting(key: str, location: CqcLocation, where: Location) -> Setting:
    types = ", ".join(t.description or t.name for t in location.gac_service_types)
    return Setting(
        urn=key, kind=SettingKind.CQC_HEALTH_PROVISION, name=(location.name or "").strip(),
        provision_type=types or (location.type or "").strip(), cqc_location_id=key,
        local_authority=(location.local_authority or "").strip(), region=(location.region or "").strip(),
        places=location.number_of_beds,
        owner=f"CQC provider {location.provider_id.strip()}" if location.provider_id and location.provider_id.strip() else "",
        registration_status=(location.registration_status or "").strip(), registered_on=location.registration_date,
        closed_on=location.deregistration_date, cqc_record_unlinked=is_care_home(location), provenance=where,
    )


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one file of CQC location records; bad records are reported and counted, never raised."""
    path = Path(path)
    reader = _Reader(path)
    reader.read()
    result = reader.result
    result.diagnostics.extend(reader.problems)
    for reason, count in sorted(reader.out_of_scope.items()):
        result.out_of_scope[(FORMAT_NAME, reason)] += count
    if reader.out_of_scope:
        counts = ", ".join(f"{reason}: {count}" for reason, count in sorted(reader.out_of_scope.items()))
        result.notes.append(f"{path.name}: {sum(reader.out_of_scope.values())} CQC location(s) outside regframe's "
                            f"scope ({counts})")
    if reader.unrated:
        counts = ", ".join(f"{text} {count}" for text, count in sorted(reader.unrated.items()))
        result.notes.append(f"{path.name}: key question entries without a rating, not evidence ({counts})")
    try:
        digest = sha256_of(path)
    except OSError:
        digest = ""
    skipped = sum(reader.out_of_scope.values())
    # every record read is accepted, rejected or out of scope (a broken JSON Lines line is a rejected record)
    result.inputs.append(InputFile(str(path), digest, FORMAT_NAME, reader.accepted, reader.rejected, skipped,
                                   rows=reader.accepted + reader.rejected + skipped))
    return result
