"""Each setting's inspection history, from several years of Ofsted files read together.

Every file Ofsted publishes is a snapshot: a register as at a date, a year's
inspections, a year's joiners and leavers. Read together they give, per URN,
one history: every inspection once (see :func:`preferred_copy` for two files
that disagree), the registration events with their dates, and what each
register said of the setting as at its date, from which the changes of
status, owner and provision type are dated. A change seen between two
registers is dated by both ("between the register of 31 March 2019, which
still said Acme Care, and that of 31 March 2020"); a registration event
(resigned, cancelled) carries its own exact date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import attrs

from regframe.evidence.model import (
    EvidenceSet,
    Inspection,
    InspectionKind,
    RegisterEntry,
    RegistrationEvent,
    RegistrationEventKind,
)

#: the registration status a registration event leaves a setting in
EVENT_STATUS = {
    RegistrationEventKind.REGISTERED: "Active",
    RegistrationEventKind.RESIGNED: "Resigned",
    RegistrationEventKind.CLOSED: "Closed",
    RegistrationEventKind.CANCELLED: "Cancelled",
    RegistrationEventKind.SUSPENDED: "Suspended",
    RegistrationEventKind.LEFT: "Left",
}


@attrs.frozen
class Change:
    """A field of a setting's registration that changed: from ``before`` to ``after``.

    ``on`` is the first date the new value is known; ``since`` the last date the old one was
    (``None`` where the change is an event with its own date: then ``on`` is exact).
    """

    field: str  # registration_status | owner | provision_type
    before: str
    after: str
    on: dt.date
    since: dt.date | None = None


@attrs.frozen
class StatusPoint:
    """The registration status on a date, from a register (as at its date) or an event (exact)."""

    on: dt.date
    status: str
    exact: bool


@attrs.frozen
class SettingHistory:
    urn: str
    inspections: tuple[Inspection, ...]
    registrations: tuple[RegistrationEvent, ...]
    register: tuple[RegisterEntry, ...]
    statuses: tuple[StatusPoint, ...]
    changes: tuple[Change, ...]

    @property
    def full_inspections(self) -> tuple[Inspection, ...]:
        return tuple(i for i in self.inspections if i.kind is InspectionKind.FULL)

    @property
    def registered_on(self) -> dt.date | None:
        dates = [r.on for r in self.registrations if r.kind is RegistrationEventKind.REGISTERED]
        return min(dates) if dates else None

    def changes_of(self, field: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.field == field)

    def status_on(self, day: dt.date) -> str | None:
        """The last status known on or before ``day``."""
        known = [p for p in self.statuses if p.on <= day]
        return known[-1].status if known else None

    def suspended_between(self, start: dt.date, end: dt.date) -> list[StatusPoint]:
        """The points showing the setting suspended in ``[start, end]``."""
        return [p for p in self.statuses if start <= p.on <= end and p.status.lower() == "suspended"]


def preferred_copy(new: Inspection, old: Inspection) -> bool:
    """Whether ``new`` should replace ``old``, two copies of one inspection (same URN and event number).

    The copy from the later-dated file wins (a correction is published later); between files of
    one date, the smaller by value, so that the result never depends on the order files are given.
    """
    new_at, old_at = new.reported or dt.date.min, old.reported or dt.date.min
    if new_at != old_at:
        return new_at > old_at
    return _order(new) < _order(old)


def _order(inspection: Inspection) -> tuple:
    return (inspection.date, inspection.kind.value,
            tuple((j.area, j.text, j.grade.value if j.grade else "", j.outcome or "") for j in inspection.judgements),
            str(inspection.provenance))


def once_each(inspections: Iterable[Inspection]) -> list[Inspection]:
    """Each inspection once (by :attr:`Inspection.key`), the preferred copy kept, in date order."""
    kept: dict[tuple[str, str], Inspection] = {}
    for inspection in inspections:
        earlier = kept.get(inspection.key)
        if earlier is None or preferred_copy(inspection, earlier):
            kept[inspection.key] = inspection
    return sorted(kept.values(), key=lambda i: (i.urn, i.date, i.key))


def build_histories(evidence: EvidenceSet) -> dict[str, SettingHistory]:
    """One history per URN that any Ofsted record names, from everything the evidence set holds."""
    inspections: dict[str, list[Inspection]] = defaultdict(list)
    for inspection in once_each(evidence.inspections):
        inspections[inspection.urn].append(inspection)
    events: dict[str, set[RegistrationEvent]] = defaultdict(set)
    for event in evidence.registrations:
        events[event.urn].add(event)
    entries: dict[str, list[RegisterEntry]] = defaultdict(list)
    for entry in evidence.register:
        entries[entry.urn].append(entry)
    urns = sorted(set(inspections) | set(events) | set(entries))
    return {urn: _history(urn, inspections[urn], events[urn], entries[urn]) for urn in urns}


def _history(urn: str, inspections: list[Inspection], events: set[RegistrationEvent],
             entries: list[RegisterEntry]) -> SettingHistory:
    registrations = tuple(sorted(events, key=lambda e: (e.on, e.kind.value)))
    dated = sorted((e for e in entries if e.as_at is not None),
                   key=lambda e: (e.as_at, e.registration_status, e.owner, e.provision_type))
    register = tuple(dated)
    on_date: dict[dt.date, str] = {}
    for entry in dated:  # rows of one date that disagree: a status other than Active is not outweighed
        day = entry.as_at
        assert day is not None  # dated entries only
        if entry.registration_status and (day not in on_date or _same(on_date[day]) == "active"):
            on_date[day] = entry.registration_status
    points = {StatusPoint(day, status, False) for day, status in on_date.items()}
    points |= {StatusPoint(e.on, EVENT_STATUS[e.kind], True) for e in registrations}
    statuses = tuple(sorted(points, key=lambda p: (p.on, not p.exact, p.status)))
    changes = [*_register_changes(dated, "owner"), *_register_changes(dated, "provision_type"),
               *_status_changes(statuses)]
    changes.sort(key=lambda c: (c.on, c.field, c.after))
    return SettingHistory(urn, tuple(inspections), registrations, register, statuses, tuple(changes))


def _register_changes(entries: list[RegisterEntry], field: str) -> list[Change]:
    """Where consecutive dated register entries disagree on ``field`` (blank values say nothing)."""
    changes: list[Change] = []
    last: RegisterEntry | None = None
    for entry in entries:
        value = getattr(entry, field)
        if not value:
            continue
        if last is not None and _same(getattr(last, field)) != _same(value) and entry.as_at != last.as_at:
            assert entry.as_at is not None  # dated entries only
            changes.append(Change(field, getattr(last, field), value, entry.as_at, last.as_at))
        last = entry
    return changes


def _status_changes(points: tuple[StatusPoint, ...]) -> list[Change]:
    changes: list[Change] = []
    last: StatusPoint | None = None
    for point in points:
        if last is not None and _same(last.status) != _same(point.status) and point.on != last.on:
            changes.append(Change("registration_status", last.status, point.status, point.on,
                                  None if point.exact else last.on))
        last = point
    return changes


def _same(text: str) -> str:
    """Two spellings of one value ("SENAD  LIMITED", "Senad Limited") are no change."""
    return " ".join(text.lower().split())
