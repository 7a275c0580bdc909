"""Linking the two regulators' records of one setting: a CSV of Ofsted URN <-> CQC location id.

Ofsted keys a setting by its social care URN and CQC by a location id, and
Ofsted publishes children's homes without names or addresses, so nothing in the
two registers says which CQC location is which Ofsted setting: an analyst who
knows says so in a link file. It is a CSV with a header row::

    URN,CQC location ID,Note
    SC123456,1-101693962,residential part of the school

(``regframe template link -o links.csv`` writes the header; the Note column is
free text for people and is not read). The format is recognised from the
header (``URN`` and ``CQC location ID``, in any case and spacing).

Reading a link file only checks each row's form (a URN is ``SC`` and six
digits or seven digits; a location id is CQC's, such as ``1-101693962`` or an
NHS site code such as ``RH8Q6``); ids are compared ignoring case. The links are
applied by :func:`apply_links` once every file is read, so the result does not
depend on the order of the files, and each is validated against what the run
holds:

* a URN no input describes as an Ofsted setting, or a location id no CQC record
  was read for, is a warning and the link is not applied (give the Ofsted
  register and the CQC records too);
* a URN linked to two locations, or a location to two URNs, is an error and
  none of those links is applied: which is right cannot be guessed. A setting's
  own ``cqc-location`` in evidence XML counts as a link here too.

Applying a link moves the CQC location's evidence onto the Ofsted setting and
records the location id there, so that setting is dual-registered and is
assessed against both regulators' requirements; the CQC-only setting goes.

"CQC record not linked" (``Setting.cqc_record_unlinked``) marks, once links are
applied: a CQC care home serving children that no link joined (the CQC reader
sets it); an Ofsted setting a link file row names but that could not be joined
(its CQC location was not read, or the links conflict); and an Ofsted setting
whose own cqc-location names a location no CQC record read in the run holds.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

import attrs

from regframe.core.atomic import atomic_write_bytes
from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.evidence.model import CqcLink, EvidenceSet, InputFile
from regframe.framework.model import SettingKind
from regframe.ingest import IngestContext, sha256_of
from regframe.ingest.cqc_api import location_id
from regframe.ingest.ofsted_csv import normal_urn
from regframe.io import csvsafe

FORMAT_NAME = "cqc-link"
HEADER = ("URN", "CQC location ID", "Note")

LINK_FILE_UNREADABLE = code(
    "RF600", Severity.ERROR, "link file cannot be read",
    "The link file could not be opened, is not CSV, or lacks the columns ``URN`` and ``CQC location ID`` "
    "(header names are matched ignoring case and spacing). Write one with ``regframe template link``.",
)
LINK_ROW_INVALID = code(
    "RF601", Severity.ERROR, "link file row is invalid and was skipped",
    "A row's URN is neither ``SC`` and six digits nor seven digits, or its CQC location id is empty or not "
    "an id CQC issues (letters, digits and hyphens, such as ``1-101693962`` or ``RH8Q6``). The row number "
    "counts the header as 1.",
)
LINK_URN_UNKNOWN = code(
    "RF602", Severity.WARNING, "link names a URN no input describes; not applied",
    "The link's Ofsted URN is not a setting of any file read in this run, so there is nothing to join the CQC "
    "record to. Give the Ofsted provider-level CSV (or evidence XML) that holds the setting too, or correct the URN.",
)
LINK_LOCATION_UNKNOWN = code(
    "RF603", Severity.WARNING, "link names a CQC location no input holds; not applied",
    "No CQC record of this location id was read in this run (or it was out of scope), so the link cannot be "
    "checked. Give the CQC API records too, or correct the id.",
)
LINK_CONFLICT = code(
    "RF604", Severity.ERROR, "one URN linked to two CQC locations, or one location to two URNs; none applied",
    "A setting is one Ofsted URN and one CQC location. When the link files (or a setting's cqc-location in "
    "evidence XML) pair one id with two others, regframe cannot tell which pairing is right, so it applies "
    "none of them: correct the link file.",
)

#: a link file for every setting in England is a few hundred kilobytes; anything this large is not one
MAX_LINK_FILE_BYTES = 16 * 1024 * 1024


class _TooLarge(ValueError):
    """A file too large to be a link file, refused before it is read."""


_LOCATION_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
_URN_COLUMN = "urn"
_LOCATION_COLUMN = "cqc location id"


def _norm(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").lower().split())


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one link file's rows; each valid row is a :class:`~regframe.evidence.CqcLink` in ``result.cqc_links``."""
    path = Path(path)
    result = EvidenceSet()
    where = str(path)
    accepted = rejected = blank = 0
    try:
        if path.stat().st_size > MAX_LINK_FILE_BYTES:
            raise _TooLarge(f"larger than {MAX_LINK_FILE_BYTES // (1024 * 1024)} MiB: not a link file")
        text, encoding = csvsafe.read_text(path)
        records = csvsafe.rows(io.StringIO(text, newline=""), where, result.diagnostics.append, encoding=encoding)
        first = next(records, None)
        header = [_norm(cell) for cell in first[1]] if first is not None else []
        if _URN_COLUMN not in header or _LOCATION_COLUMN not in header:
            result.diagnostics.append(make(LINK_FILE_UNREADABLE, "expected columns URN and CQC location ID",
                                           Location(file=where, row=1)))
        else:
            urn_at, location_at = header.index(_URN_COLUMN), header.index(_LOCATION_COLUMN)
            for row, cells in records:
                if not any(cell.strip() for cell in cells):
                    blank += 1
                    continue
                urn_text = cells[urn_at] if urn_at < len(cells) else ""
                location_text = cells[location_at] if location_at < len(cells) else ""
                urn = normal_urn(urn_text)
                location = location_id(location_text)
                if urn is None:
                    problem, column = f"URN {urn_text.strip()!r} is neither SC and six digits nor seven digits", "URN"
                elif not _LOCATION_ID.fullmatch(location):
                    problem, column = f"CQC location id {location_text.strip()!r} is not an id CQC issues", "CQC location ID"
                else:
                    result.cqc_links.append(CqcLink(urn, location, Location(file=where, row=row)))
                    accepted += 1
                    continue
                rejected += 1
                result.diagnostics.append(make(LINK_ROW_INVALID, problem, Location(file=where, row=row, column=column)))
        records.close()
    except (OSError, _TooLarge) as error:
        result.diagnostics.append(make(LINK_FILE_UNREADABLE, str(error), Location(file=where)))
    try:
        digest = sha256_of(path)
    except OSError:
        digest = ""
    result.inputs.append(InputFile(where, digest, FORMAT_NAME, accepted, rejected, blank=blank,
                                   rows=accepted + rejected + blank))
    return result


def apply_links(evidence: EvidenceSet) -> list[Diagnostic]:
    """Join each CQC location to its Ofsted setting as the links say; the problems found (see the module docstring).

    Every link file row is counted once in ``evidence.link_outcomes``: applied, or not applied and why.
    """
    links = _links(evidence)
    by_urn: dict[str, set[str]] = defaultdict(set)
    by_location: dict[str, set[str]] = defaultdict(set)
    for link, _from_file in links:
        by_urn[link.urn].add(link.location_id)
        by_location[link.location_id].add(link.urn)
    cqc_locations = {urn for urn, s in evidence.settings.items() if s.kind is SettingKind.CQC_HEALTH_PROVISION}
    problems: list[Diagnostic] = []
    conflicts_said: set[str] = set()
    joins: dict[str, str] = {}
    awaiting: set[str] = set()  # Ofsted settings a link says are registered with CQC, not joined to a record
    for link, from_file in links:
        where = link.provenance or Location()
        urns, locations = by_urn[link.urn], by_location[link.location_id]
        if len(urns) > 1 or len(locations) > 1:
            if from_file:
                evidence.link_outcomes["not applied: conflicting links"] += 1
            problems.extend(_conflict(link, urns, locations, where, conflicts_said))
            awaiting.add(link.urn)
            continue
        ofsted = evidence.settings.get(link.urn)
        if ofsted is None or ofsted.kind is SettingKind.CQC_HEALTH_PROVISION:
            evidence.link_outcomes["not applied: URN unknown"] += 1
            problems.append(make(LINK_URN_UNKNOWN, f"URN {link.urn} (linked to CQC location {link.location_id}) is "
                                 "not a setting of any file read", where))
        elif link.location_id in cqc_locations:
            joins[link.location_id] = link.urn
            evidence.link_outcomes["applied" if from_file else "applied (cqc-location in evidence XML)"] += 1
        elif from_file:  # a setting's own cqc-location with no CQC record read stays as its registration
            awaiting.add(link.urn)
            evidence.link_outcomes["not applied: CQC location unknown"] += 1
            problems.append(make(LINK_LOCATION_UNKNOWN, f"CQC location {link.location_id} (linked to URN {link.urn}) "
                                 "is not a CQC record read in this run", where))
    _join(evidence, joins)
    _mark_unlinked_registrations(evidence, set(joins), awaiting)
    return problems


def _mark_unlinked_registrations(evidence: EvidenceSet, joined: set[str], awaiting: set[str]) -> None:
    """Mark the Ofsted settings known to be registered with CQC that no CQC record was joined to.

    Known: a link file row that could not be applied names it (``awaiting``), or its own cqc-location
    in evidence XML does while CQC records were read and none of them is that location. Without the
    mark the setting would look as if CQC had nothing to say about it, when its CQC record is only
    missing from the files given, out of scope, or in a conflicting link.
    """
    cqc_read = any(file.format == "cqc-api" for file in evidence.inputs)
    for urn, setting in list(evidence.settings.items()):
        if setting.kind is SettingKind.CQC_HEALTH_PROVISION:
            continue
        declared = location_id(setting.cqc_location_id or "")
        if urn in awaiting or (cqc_read and declared and declared not in joined):
            evidence.settings[urn] = attrs.evolve(setting, cqc_record_unlinked=True)


def _conflict(link: CqcLink, urns: set[str], locations: set[str], where: Location, said: set[str]) -> list[Diagnostic]:
    """One error per id linked two ways (said once, at the first link that shows it)."""
    found = []
    if len(urns) > 1 and f"urn:{link.urn}" not in said:
        said.add(f"urn:{link.urn}")
        found.append(make(LINK_CONFLICT, f"URN {link.urn} is linked to {len(urns)} CQC locations "
                          f"({', '.join(sorted(urns))})", where))
    if len(locations) > 1 and f"location:{link.location_id}" not in said:
        said.add(f"location:{link.location_id}")
        found.append(make(LINK_CONFLICT, f"CQC location {link.location_id} is linked to {len(locations)} URNs "
                          f"({', '.join(sorted(locations))})", where))
    return found


def _links(evidence: EvidenceSet) -> list[tuple[CqcLink, bool]]:
    """Each distinct link, and whether a link file gave it (else a setting's cqc-location declared it), sorted.

    A link file row repeating an earlier row is counted in ``link_outcomes`` and not listed again.
    """
    found: dict[tuple[str, str], tuple[CqcLink, bool]] = {}
    for link in evidence.cqc_links:
        if (link.urn, link.location_id) in found:
            evidence.link_outcomes["repeats an earlier link"] += 1
            continue
        found[(link.urn, link.location_id)] = (link, True)
    for setting in evidence.settings.values():
        if setting.cqc_location_id and setting.kind is not SettingKind.CQC_HEALTH_PROVISION:
            declared = CqcLink(setting.urn, location_id(setting.cqc_location_id), setting.provenance)
            found.setdefault((declared.urn, declared.location_id), (declared, False))
    return sorted(found.values(), key=lambda entry: (entry[0].urn, entry[0].location_id, not entry[1]))


def _join(evidence: EvidenceSet, joins: dict[str, str]) -> None:
    """Move each joined CQC location's items and metrics onto its Ofsted setting, in one pass over each list."""
    if not joins:
        return
    for location, urn in joins.items():
        evidence.settings[urn] = attrs.evolve(evidence.settings[urn], cqc_location_id=location, cqc_record_unlinked=False)
        evidence.settings.pop(location, None)
    evidence.items[:] = [attrs.evolve(item, setting=joins[item.setting]) if item.setting in joins else item
                         for item in evidence.items]
    evidence.metrics[:] = [attrs.evolve(metric, setting=joins[metric.setting]) if metric.setting in joins else metric
                           for metric in evidence.metrics]


def template_bytes() -> bytes:
    """The link file template: its header row, UTF-8 with a BOM so that Excel opens it as UTF-8."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(HEADER)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_template(path: Path) -> Path:
    """Write the link file template atomically; returns the path written."""
    atomic_write_bytes(Path(path), template_bytes())
    return Path(path)
