"""How long ago each citation was checked, and which are older than a team's limit.

Every citation records ``last-checked``: the day someone last read the source it names.
Sources move (a regulation is amended, a gov.uk page is updated), so a fact checked long
ago is a fact to re-read. This module answers two questions on the catalogue alone:
the oldest check behind each instrument (shown by ``regframe standards list``), and the
citations not checked within a maximum age of a given day (``regframe validate
--max-age 12m --as-at DATE``, warning RF220 at each one's file and line).

The day is always passed in: nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.framework.cadence import CadenceError, Duration, Unit, add_months
from regframe.framework.model import Citation, Instrument

STALE_CITATION = code(
    "RF220", Severity.WARNING, "citation not checked within the maximum age",
    "The source this citation names was last read longer ago than ``--max-age`` before ``--as-at``. Read "
    "the source again, correct the requirement if the source has moved, and set ``last-checked`` to the day "
    "it was read.",
)

_AGE = re.compile(r"^\s*(\d+)\s*(d|w|m|y)\s*$", re.IGNORECASE)
_UNITS = {"d": Unit.DAY, "w": Unit.WEEK, "m": Unit.MONTH, "y": Unit.YEAR}


def parse_age(text: str) -> Duration:
    """``12m``, ``18m``, ``2y``, ``6w``, ``90d`` (or a duration as cadences write it, ``12 months``)."""
    match = _AGE.match(text)
    if match:
        amount, unit = match.groups()
        if int(amount) < 1:
            raise CadenceError(f"a maximum age must be at least 1, not {text!r}")
        return Duration(int(amount), _UNITS[unit.lower()])
    try:
        duration = Duration.parse(text)
    except CadenceError:
        raise CadenceError(f"cannot read maximum age {text!r}; write e.g. '12m', '18m', '2y', '6w' or '90d'") from None
    if duration.unit in (Unit.HOUR, Unit.WORKING_DAY) or duration.amount < 1:
        raise CadenceError(f"give a maximum age in days, weeks, months or years, such as '12m', not {text!r}")
    return duration


def checked_since(max_age: Duration, as_at: dt.date) -> dt.date:
    """The earliest ``last-checked`` day that is still within ``max_age`` of ``as_at``.

    Months and years are calendar ones, clamped to a shorter month: 12 months before
    29 February 2028 is 28 February 2027.
    """
    match max_age.unit:
        case Unit.DAY:
            return as_at - dt.timedelta(days=max_age.amount)
        case Unit.WEEK:
            return as_at - dt.timedelta(weeks=max_age.amount)
        case Unit.MONTH:
            return add_months(as_at, -max_age.amount)
        case Unit.YEAR:
            return add_months(as_at, -12 * max_age.amount)
    raise CadenceError(f"a maximum age cannot be counted in {max_age.unit.value}s")


def citations(instrument: Instrument) -> Iterator[tuple[str, Citation, Location | None]]:
    """The instrument's own citation, then each requirement's: ``(id, citation, origin)``."""
    yield instrument.id, instrument.citation, instrument.origin
    for requirement in instrument.requirements:
        yield requirement.id, requirement.citation, requirement.origin


def oldest_check(instrument: Instrument) -> dt.date:
    """The earliest ``last-checked`` among the instrument's citations: how old its least recent fact is."""
    return min(citation.last_checked for _, citation, _ in citations(instrument))


def stale_citations(instruments: Iterable[Instrument], max_age: Duration, as_at: dt.date) -> list[Diagnostic]:
    """An RF220 warning for each citation last checked before ``max_age`` ahead of ``as_at``, at its location."""
    since = checked_since(max_age, as_at)
    found = []
    for instrument in instruments:
        for node, citation, origin in citations(instrument):
            if citation.last_checked < since:
                found.append(make(
                    STALE_CITATION,
                    f"{node}: citation of {citation.instrument} {citation.provision} last checked "
                    f"{citation.last_checked.isoformat()}, more than {max_age} before {as_at.isoformat()}",
                    origin,
                ))
    return found
