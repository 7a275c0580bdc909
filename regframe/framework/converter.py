"""The one cattrs converter regframe (de)serialises everything with.

XML readers build plain dicts from elements and let this converter type them
(dates, enums, durations); the XML writers, the JSON report and the CLI's JSON
output unstructure through it too. No class has a hand-written ``to_dict``.

Conventions: dates are ISO strings, enums are their values, durations are
their text ("6 weeks"), ``None`` values and empty collections are kept in
JSON so the shape is stable, and ``origin`` (where a model object was read
from) is never written out: it is diagnostics, not data.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from regframe.framework.cadence import Duration


def _structure_date(value: Any, _type: type) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _structure_datetime(value: Any, _type: type) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value).strip())


def _structure_duration(value: Any, _type: type) -> Duration:
    if isinstance(value, Duration):
        return value
    return Duration.parse(str(value))


def _has_origin(cls: type) -> bool:
    return attrs.has(cls) and any(a.name == "origin" for a in attrs.fields(cls))


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
    converter.register_structure_hook(Duration, _structure_duration)
    converter.register_unstructure_hook(Duration, str)
    converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
    # Location.column holds a column number or a header name, as the format has it.
    converter.register_structure_hook(str | int | None, lambda v, _t: v)

    def origin_omitting_unstructure(cls: type) -> Any:
        return make_dict_unstructure_fn(cls, converter, origin=override(omit=True))

    def origin_tolerant_structure(cls: type) -> Any:
        return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    converter.register_unstructure_hook_factory(_has_origin, origin_omitting_unstructure)
    converter.register_structure_hook_factory(_has_origin, origin_tolerant_structure)
    return converter


#: The shared converter. Import this; do not build your own.
converter = make_converter()


def structure_error_messages(error: BaseException) -> list[str]:
    """Flatten a cattrs error group into readable ``field: problem`` lines."""
    if isinstance(error, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return cattrs.transform_error(error, path="")
    return [str(error)]
