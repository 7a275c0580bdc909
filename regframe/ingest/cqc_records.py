"""The CQC public API's location record (``GET /locations/{id}``) as typed values.

Only the fields regframe uses are modelled; every other field the API sends is
ignored, so a new field in the API does not break reading. Field names are the
API's own, in Python spelling: ``registration_date`` is ``registrationDate``
(:func:`api_name` converts, and a problem's JSON path is given in the API's
spelling). Contacts (the registered manager's name, under
``regulatedActivities``) are not modelled: regframe keeps no person's name.

The shared converter structures them, with hooks that are stricter than its
defaults, because API JSON is untrusted: a string field must be a string (not a
number or an object turned into text), a list must be a list (not a string
read character by character), a date must be ``YYYY-MM-DD`` and a count a
whole number. Ratings are kept as CQC writes them ("Good", "Requires
improvement", "Inspected but not rated"): :mod:`regframe.ingest.cqc_api`
decides what each means.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Any, NewType

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from regframe.core.text import is_whole_number
from regframe.framework.converter import converter

#: a JSON string, strictly (see the module docstring)
Text = NewType("Text", str)
#: a JSON string holding an ISO date, YYYY-MM-DD
ApiDate = NewType("ApiDate", dt.date)
#: a JSON whole number (or a string of digits, as some exports write it)
Count = NewType("Count", int)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def api_name(attribute: str) -> str:
    """The API's spelling of a field: ``gac_service_types`` is ``gacServiceTypes``."""
    head, *rest = attribute.split("_")
    return head + "".join(part.capitalize() for part in rest)


@attrs.frozen
class KeyQuestionRating:
    """One key question's rating (Safe, Effective, Caring, Responsive, Well-led) in one report."""

    name: Text
    rating: Text | None = None
    report_date: ApiDate | None = None
    report_link_id: Text | None = None


@attrs.frozen
class OverallRating:
    """A report's overall rating and the key question ratings under it."""

    rating: Text | None = None
    report_date: ApiDate | None = None
    report_link_id: Text | None = None
    key_question_ratings: tuple[KeyQuestionRating, ...] = ()


@attrs.frozen
class ServiceRating:
    """A rating of one core service of a hospital (``childrens``, ``surgery``), with its key questions."""

    name: Text
    rating: Text | None = None
    report_date: ApiDate | None = None
    report_link_id: Text | None = None
    key_question_ratings: tuple[KeyQuestionRating, ...] = ()


@attrs.frozen
class CurrentRatings:
    """The ratings in force: overall and per key question (each key question may come from a later report)."""

    overall: OverallRating | None = None
    report_date: ApiDate | None = None
    service_ratings: tuple[ServiceRating, ...] = ()


@attrs.frozen
class HistoricRating:
    """A rating no longer in force, from one earlier report."""

    report_link_id: Text | None = None
    report_date: ApiDate | None = None
    overall: OverallRating | None = None
    service_ratings: tuple[ServiceRating, ...] = ()


@attrs.frozen
class Report:
    """A published inspection report (its link id ties ratings to it)."""

    link_id: Text | None = None
    report_date: ApiDate | None = None
    report_uri: Text | None = None
    first_visit_date: ApiDate | None = None
    report_type: Text | None = None


@attrs.frozen
class RegulatedActivity:
    """A regulated activity the location is registered for (``RA2``, accommodation with nursing or personal care)."""

    name: Text
    code: Text | None = None


@attrs.frozen
class ServiceType:
    """A GAC service type (``Care home service without nursing``, ``Acute services with overnight beds``)."""

    name: Text
    description: Text | None = None


@attrs.frozen
class Specialism:
    """A specialism or service user band (``Caring for children``, ``Learning disabilities``)."""

    name: Text


@attrs.frozen
class Inspection:
    date: ApiDate | None = None


@attrs.frozen
class CqcLocation:
    """One CQC location record, as ``/locations/{id}`` serves it (the fields regframe reads)."""

    location_id: Text
    provider_id: Text | None = None
    organisation_type: Text | None = None
    type: Text | None = None
    name: Text | None = None
    registration_status: Text | None = None
    registration_date: ApiDate | None = None
    deregistration_date: ApiDate | None = None
    care_home: Text | None = None
    number_of_beds: Count | None = None
    inspection_directorate: Text | None = None
    region: Text | None = None
    local_authority: Text | None = None
    last_inspection: Inspection | None = None
    current_ratings: CurrentRatings | None = None
    historic_ratings: tuple[HistoricRating, ...] = ()
    reports: tuple[Report, ...] = ()
    regulated_activities: tuple[RegulatedActivity, ...] = ()
    gac_service_types: tuple[ServiceType, ...] = ()
    specialisms: tuple[Specialism, ...] = ()


@attrs.frozen
class ScopeFields:
    """The fields of a location record that decide whether regframe reads the rest (see ``cqc_api.scope_reason``).

    Every record is structured this far; only a record in scope is structured as a whole
    :class:`CqcLocation`, so an extract of every location in England costs little for the many
    that are not for children.
    """

    location_id: Text
    organisation_type: Text | None = None
    care_home: Text | None = None
    regulated_activities: tuple[RegulatedActivity, ...] = ()
    gac_service_types: tuple[ServiceType, ...] = ()
    specialisms: tuple[Specialism, ...] = ()


RECORD_CLASSES = (
    KeyQuestionRating, OverallRating, ServiceRating, CurrentRatings, HistoricRating, Report, RegulatedActivity,
    ServiceType, Specialism, Inspection, CqcLocation, ScopeFields,
)


class _Wrong(TypeError):
    """A value of the wrong JSON type or form; its message is what the analyst reads."""


def _text(value: Any, _type: type) -> str:
    if not isinstance(value, str):
        raise _Wrong(f"expected a string, found {_json_type(value)}")
    if _SURROGATE.search(value):  # JSON allows "\ud800"; no file regframe writes can hold it
        raise _Wrong("a string with an unpaired surrogate escape, which is not text")
    return value


def _date(value: Any, _type: type) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise _Wrong(f"expected a date written YYYY-MM-DD, found {_shown(value)}")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _Wrong(f"{value.strip()!r} is not a date") from None


def _count(value: Any, _type: type) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or (
            isinstance(value, str) and not is_whole_number(value.strip())):
        raise _Wrong(f"expected a whole number, found {_shown(value)}")
    number = int(value)
    if number < 0 or number > 1_000_000:
        raise _Wrong(f"{number} is not a plausible count")
    return number


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    return repr(value)[:40] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else _json_type(value)


def _is_record_tuple(type_: Any) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in RECORD_CLASSES


def _record_tuple(type_: Any) -> Any:
    element = typing.get_args(type_)[0]

    def structure(value: Any, _type: type) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _Wrong(f"expected a list, found {_json_type(value)}")
        as_list: Any = list[element]  # type: ignore[valid-type]
        return tuple(converter.structure(value, as_list))

    return structure


def _mapping_hook(cls: type) -> Any:
    renames: dict[str, Any] = {field.name: override(rename=api_name(field.name)) for field in attrs.fields(cls)}
    structure: Any = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=False, **renames)

    def checked(value: Any, _type: type) -> Any:
        if not isinstance(value, dict):
            raise _Wrong(f"expected an object, found {_json_type(value)}")
        return structure(value, cls)

    return checked


converter.register_structure_hook(Text, _text)
converter.register_structure_hook(ApiDate, _date)
converter.register_structure_hook(Count, _count)
converter.register_structure_hook_factory(_is_record_tuple, _record_tuple)
for _cls in RECORD_CLASSES:
    converter.register_structure_hook(_cls, _mapping_hook(_cls))


def structure_location(value: Any, as_type: type[CqcLocation] | type[ScopeFields] = CqcLocation,
                       ) -> CqcLocation | ScopeFields | list[tuple[str, str]]:
    """The record as ``as_type`` (a whole :class:`CqcLocation`, or its :class:`ScopeFields`), or its problems.

    Problems are (JSON path, message) pairs, the path in the API's spelling from the record's root ``$``.
    """
    try:
        return converter.structure(value, as_type)
    except (cattrs.BaseValidationError, _Wrong, TypeError, ValueError) as error:
        return _problems(error, "$")


def _problems(error: BaseException, path: str) -> list[tuple[str, str]]:
    """Each leaf problem of a cattrs error group, with its JSON path in the API's spelling."""
    if isinstance(error, _Wrong):
        return [(path, str(error))]
    if isinstance(error, cattrs.BaseValidationError):
        found: list[tuple[str, str]] = []
        for inner in error.exceptions:
            found.extend(_problems(inner, path + _step(inner)))
        return found
    if isinstance(error, KeyError):
        return [(path, "required field missing")]
    return [(path, str(error) or type(error).__name__)]


def _step(error: BaseException) -> str:
    """The path step cattrs noted on an exception: ``.registrationDate`` or ``[3]``."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, cattrs.AttributeValidationNote):
            return "." + api_name(note.name)
        if isinstance(note, cattrs.IterableValidationNote):
            return f"[{note.index}]"
    return ""
