"""Revisions: a framework as a base plus typed changes (liia-tools' diffs, OpenFisca's reforms).

A revision file (``standards/schema/revision.xsd``) names its base, a framework
manifest or another revision, and lists changes applied in order: ``add``,
``modify``, ``rename``, ``withdraw``, ``relink``, ``set-threshold`` and
``citation-routes`` (which replaces the table of where bare citations in
evidence are read, so a revision adding an instrument can send them to it). Changes
find requirements by stable id, never by human reference, so a revision keeps
working when provisions are renumbered. Applying is pure: :func:`apply`
returns a new :class:`~regframe.framework.model.Framework` and reports, with the revision
file's line, every change it could not make.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs
from lxml import etree

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.core.paths import is_file
from regframe.core.resources import standards_dir
from regframe.core.text import shown
from regframe.framework import catalogue
from regframe.framework.cadence import Cadence
from regframe.framework.converter import converter, structure_error_messages
from regframe.framework.loading import (
    NOT_A_MANIFEST,
    Documents,
    FrameworkInvalid,
    load_framework,
    route_problems,
    semantic_problems,
)
from regframe.framework.model import (
    DEFAULT_CITATION_ROUTES,
    Citation,
    CitationRoute,
    Confidence,
    Effective,
    Framework,
    Instrument,
    Link,
    LinkSet,
    Manifest,
    Regulator,
    Rel,
    Requirement,
    RequirementKind,
    SettingKind,
    Threshold,
)
from regframe.io import xmlsafe
from regframe.io.formats import REVISION_NS, Format, detect

_Q = f"{{{REVISION_NS}}}"

NOT_A_REVISION = code(
    "RF500", Severity.ERROR, "expected a revision document",
    "A revision file's root element is ``<revision>`` in the namespace ``urn:x-regframe:revision:1``.",
)
REVISION_VALUE_INVALID = code(
    "RF501", Severity.ERROR, "revision element has a value regframe cannot use",
    "The element passed or failed the schema but a value could not be turned into the model "
    "(a date, a duration, an enum value). The change is skipped; the rest of the revision is kept.",
)
BASE_MISSING = code(
    "RF502", Severity.ERROR, "revision's base does not exist",
    "``base`` is resolved relative to the revision file (the shipped revisions use ``../framework.xml``). "
    "It must name a framework manifest or another revision file.",
)
BASE_CYCLE = code(
    "RF503", Severity.ERROR, "revision's base chain comes back to itself",
    "A revision may be based on another revision, but following the ``base`` attributes must end at a "
    "framework manifest.",
)
BASE_INVALID = code(
    "RF504", Severity.ERROR, "revision's base framework has errors",
    "The revision cannot be applied until its base loads cleanly; run ``regframe validate`` on the base. "
    "The message quotes the first error.",
)
BASE_WRONG_KIND = code(
    "RF505", Severity.ERROR, "revision's base is neither a framework manifest nor a revision",
    "``base`` must name a ``<framework>`` manifest or a ``<revision>`` file; a single catalogue file is "
    "not a framework.",
)
ADD_DUPLICATE = code(
    "RF510", Severity.ERROR, "added requirement's id is already in the framework",
    "``add`` introduces a new stable id. To change an existing requirement use ``modify`` (fields), "
    "``rename`` (human reference) or ``withdraw``.",
)
UNKNOWN_ID = code(
    "RF511", Severity.ERROR, "change aimed at an id the framework does not have",
    "``modify``, ``rename``, ``withdraw`` and ``set-threshold`` find a requirement by its stable id. "
    "Check the spelling and that the base is the framework you meant.",
)
UNLINK_NOT_FOUND = code(
    "RF512", Severity.ERROR, "link to remove is not in the framework",
    "``unlink`` removes the link with that source, rel and target; no such link exists.",
)
LINK_SOURCE_UNKNOWN = code(
    "RF513", Severity.ERROR, "new link's source is not a requirement in the framework",
    "A link added by ``relink`` is stored with its source requirement, which must exist.",
)
LINK_EXISTS = code(
    "RF514", Severity.WARNING, "link to add is already in the framework",
    "The framework already has a link with that source, rel and target; the duplicate is not added.",
)
WITHDRAW_BEFORE_START = code(
    "RF515", Severity.ERROR, "withdrawal date is not after the requirement came into force",
    "``withdraw on`` is the first day the requirement is no longer in force, so it must come after "
    "``effective/from``. To remove a requirement that never came into force, withdraw it on its start date + 1.",
)
WITHDRAW_MOVES_END = code(
    "RF516", Severity.WARNING, "requirement was already withdrawn; its end date is moved",
    "The requirement already had an ``effective/to``; the revision replaces it. Check this is meant.",
)
THRESHOLD_NOT_INDICATOR = code(
    "RF517", Severity.ERROR, "set-threshold aimed at a requirement that is not an indicator",
    "Thresholds belong to indicator requirements (kind ``indicator``).",
)
NO_EFFECT = code(
    "RF518", Severity.WARNING, "change has no effect",
    "The change sets what the requirement already has (for example a rename to the same reference); "
    "it may be aimed at the wrong id or be left over from an earlier draft.",
)
EFFECTIVE_END_INVALID = code(
    "RF519", Severity.ERROR, "modified effective period ends before it starts",
    "After the change, ``effective/to`` would not come after ``effective/from``.",
)


@attrs.frozen
class Add:
    """A whole new requirement joining ``instrument`` (an existing one, or a new one of that id)."""

    instrument: str
    requirement: Requirement
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Modify:
    """Replace the given fields of requirement ``id``; a field left ``None`` is kept as it is."""

    id: str
    title: str | None = None
    statement: str | None = None
    kind: RequirementKind | None = None
    confidence: Confidence | None = None
    regulators: tuple[Regulator, ...] | None = None
    applies_to: tuple[SettingKind, ...] | None = None
    effective: Effective | None = None
    cadence: Cadence | None = None
    thresholds: tuple[Threshold, ...] | None = None
    citation: Citation | None = None
    note: str | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    def fields(self) -> dict[str, Any]:
        """The requirement fields this change sets."""
        skip = {"id", "origin"}
        return {a.name: getattr(self, a.name) for a in attrs.fields(Modify)
                if a.name not in skip and getattr(self, a.name) is not None}


@attrs.frozen
class Rename:
    """Give requirement ``id`` a new human reference; the stable id, and so every link, stays."""

    id: str
    ref: str
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Withdraw:
    """Requirement ``id`` stops being in force on ``on`` (its ``effective.end``); it stays in history."""

    id: str
    on: dt.date
    reason: str = ""
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Unlink:
    """Remove the link ``source --rel--> target``, wherever it is stored."""

    source: str
    rel: Rel
    target: str
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Relink:
    """Add links (stored with their source requirement) and remove links."""

    add: tuple[Link, ...] = ()
    remove: tuple[Unlink, ...] = ()
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class SetThreshold:
    """A new threshold for one metric and level on indicator ``id``.

    With a start date the thresholds it supersedes end the day before it
    begins (OpenFisca-style); without one it replaces them outright.
    """

    id: str
    threshold: Threshold
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class SetRoutes:
    """Replace the framework's whole citation-route table (``<citation-routes>``), first match winning as in a manifest.

    The whole table, not single routes, because routes are ordered: a table is
    read top to bottom, and a revision shows the one it means in full.
    """

    routes: tuple[CitationRoute, ...]
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


Change = Add | Modify | Rename | Withdraw | Relink | SetThreshold | SetRoutes


@attrs.frozen
class Revision:
    """A proposed framework: ``base`` (relative to the revision file) plus ``changes``, applied in order."""

    id: str
    version: str
    title: str
    base: str
    rationale: str = ""
    changes: tuple[Change, ...] = ()
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def path(self) -> Path | None:
        return Path(self.origin.file) if self.origin is not None and self.origin.file else None

    def base_path(self) -> Path:
        """The base file, resolved relative to the revision file."""
        folder = self.path.parent if self.path is not None else Path.cwd()
        return Path(os.path.normpath(folder / self.base))


# ---------------------------------------------------------------- reading


def revision_schema_path() -> Path:
    return standards_dir() / "schema" / "revision.xsd"


def _q(name: str) -> str:
    return _Q + name


def _local(element: Any) -> str:
    return etree.QName(element).localname


def _text(element: Any, name: str) -> str | None:
    child = element.find(_q(name))
    return None if child is None else (child.text or "").strip()


def _location(where: str, element: Any) -> dict[str, Any]:
    return {"file": where, "line": element.sourceline}


def _effective(element: Any) -> dict[str, Any] | None:
    return None if element is None else {"start": element.get("from"), "end": element.get("to")}


def _citation(element: Any) -> dict[str, Any] | None:
    if element is None:
        return None
    return {
        "instrument": element.get("instrument"), "provision": element.get("provision"),
        "url": element.get("url"), "last_checked": element.get("last-checked"), "note": (element.text or "").strip(),
    }


def _items(element: Any, wrapper: str, item: str) -> list[str] | None:
    found = element.find(_q(wrapper))
    return None if found is None else [(child.text or "").strip() for child in found.findall(_q(item))]


def _add(element: Any, where: str) -> tuple[dict[str, Any], type]:
    inner = element.find(f"{{{catalogue.NS}}}requirement")
    instrument = element.get("instrument") or ""
    data = catalogue.requirement_dict(inner, instrument, where) if inner is not None else None
    return {"instrument": instrument, "requirement": data, "origin": _location(where, element)}, Add


def _modify(element: Any, where: str) -> tuple[dict[str, Any], type]:
    thresholds = element.find(_q("thresholds"))
    return {
        "id": element.get("id"),
        "title": _text(element, "title"),
        "statement": _text(element, "statement"),
        "kind": element.get("kind"),
        "confidence": element.get("confidence"),
        "regulators": _items(element, "regulators", "regulator"),
        "applies_to": _items(element, "applies-to", "setting-kind"),
        "effective": _effective(element.find(_q("effective"))),
        "cadence": catalogue.cadence_dict(element.find(_q("cadence")), REVISION_NS),
        "thresholds": None if thresholds is None else [catalogue.threshold_dict(t) for t in thresholds.findall(_q("threshold"))],
        "citation": _citation(element.find(_q("citation"))),
        "note": _text(element, "note"),
        "origin": _location(where, element),
    }, Modify


def _rename(element: Any, where: str) -> tuple[dict[str, Any], type]:
    return {"id": element.get("id"), "ref": element.get("ref"), "origin": _location(where, element)}, Rename


def _withdraw(element: Any, where: str) -> tuple[dict[str, Any], type]:
    return {
        "id": element.get("id"), "on": element.get("on"), "reason": _text(element, "reason") or "",
        "origin": _location(where, element),
    }, Withdraw


def _relink(element: Any, where: str) -> tuple[dict[str, Any], type]:
    added, removed = [], []
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if _local(child) == "link":
            added.append({
                "source": child.get("source"), "rel": child.get("rel"), "target": child.get("target"),
                "relationship": child.get("relationship"), "confidence": child.get("confidence"),
                "fingerprint": child.get("fingerprint"), "note": _text(child, "note") or "",
                "origin": _location(where, child),
            })
        elif _local(child) == "unlink":
            removed.append({
                "source": child.get("source"), "rel": child.get("rel"), "target": child.get("target"),
                "origin": _location(where, child),
            })
    return {"add": added, "remove": removed, "origin": _location(where, element)}, Relink


def _set_threshold(element: Any, where: str) -> tuple[dict[str, Any], type]:
    return {
        "id": element.get("id"), "threshold": catalogue.threshold_dict(element), "origin": _location(where, element),
    }, SetThreshold


def _citation_routes(element: Any, where: str) -> tuple[dict[str, Any], type]:
    return {"routes": catalogue.citation_routes_dicts(element, where, REVISION_NS), "origin": _location(where, element)}, SetRoutes


_CHANGE_READERS: dict[str, Callable[[Any, str], tuple[dict[str, Any], type]]] = {
    "add": _add,
    "modify": _modify,
    "rename": _rename,
    "withdraw": _withdraw,
    "relink": _relink,
    "set-threshold": _set_threshold,
    "citation-routes": _citation_routes,
}


def _typed(data: dict[str, Any], cls: type, element: Any, where: str, problems: list[Diagnostic]) -> Any | None:
    try:
        return converter.structure(data, cls)
    except Exception as error:  # cattrs raises exception groups of many kinds
        label = f"<{_local(element)}{' ' + data['id'] if data.get('id') else ''}>"
        for message in structure_error_messages(error):
            problems.append(make(REVISION_VALUE_INVALID, f"{label}: {message}", Location(file=where, line=element.sourceline)))
        return None


def read_tree(tree: Any, where: str, *, check_schema: bool = True) -> tuple[Revision | None, list[Diagnostic]]:
    """Type a parsed revision document, collecting schema and value problems (never raises)."""
    root = tree.getroot()
    if etree.QName(root).namespace != REVISION_NS or _local(root) != "revision":
        return None, [make(NOT_A_REVISION, f"root element {root.tag!r} is not a regframe revision",
                           Location(file=where, line=root.sourceline))]
    problems: list[Diagnostic] = []
    if check_schema:
        problems.extend(xmlsafe.validate(tree, revision_schema_path(), where))
    changes: list[Change] = []
    for element in root:
        if not isinstance(element.tag, str) or etree.QName(element).namespace != REVISION_NS:
            continue
        reader = _CHANGE_READERS.get(_local(element))
        if reader is None:
            continue  # title, rationale (and anything the schema has already reported)
        data, cls = reader(element, where)
        change = _typed(data, cls, element, where, problems)
        if change is not None:
            changes.append(change)
    header = {
        "id": root.get("id"), "version": root.get("version"), "title": _text(root, "title") or "",
        "base": root.get("base"), "rationale": _text(root, "rationale") or "", "changes": [],
        "origin": _location(where, root),
    }
    revision = _typed(header, Revision, root, where, problems)
    if revision is None:
        return None, problems
    return attrs.evolve(revision, changes=tuple(changes)), problems


def read_revision(path: str | Path) -> tuple[Revision | None, list[Diagnostic]]:
    """Read and schema-check one revision file; ``(None, problems)`` if it cannot be read at all."""
    where = str(path)
    tree, problems = xmlsafe.parse_file(path)
    if tree is None:
        return None, problems
    return read_tree(tree, where)


# ---------------------------------------------------------------- applying


def _where(change: Any, revision: Revision) -> Location:
    return change.origin or revision.origin or Location()


class _Working:
    """The mutable state :func:`apply` builds the new framework from (kept private; the result is frozen)."""

    def __init__(self, framework: Framework) -> None:
        self.instruments: dict[str, Instrument] = {i.id: i for i in framework.instruments}
        self.order: dict[str, list[str]] = {i.id: [r.id for r in i.requirements] for i in framework.instruments}
        self.requirements: dict[str, Requirement] = {r.id: r for r in framework.requirements()}
        self.linksets: list[LinkSet] = list(framework.linksets)
        #: empty while no change sets them: the result then keeps the base's default, as the base does
        self.routes: tuple[CitationRoute, ...] = framework.manifest.citation_routes


    def has_link(self, source: str, rel: Rel, target: str) -> bool:
        requirement = self.requirements.get(source)
        if requirement is not None and any(_same(link, source, rel, target) for link in requirement.links):
            return True
        return any(_same(link, source, rel, target) for s in self.linksets for link in s.links)

    def instruments_out(self) -> tuple[Instrument, ...]:
        return tuple(
            attrs.evolve(instrument, requirements=tuple(self.requirements[r] for r in self.order[instrument.id]))
            for instrument in self.instruments.values()
        )


def _same(link: Link, source: str, rel: Rel, target: str) -> bool:
    return link.source == source and link.rel is rel and link.target == target


def _new_instrument(instrument_id: str, first: Requirement, revision: Revision) -> Instrument:
    """An instrument for requirements a revision adds outside any existing one (its proposals)."""
    return Instrument(
        id=instrument_id, version=revision.version, title=revision.title, short_title=instrument_id,
        publisher=f"regframe revision {revision.id}", effective=Effective(first.effective.start),
        citation=first.citation, note=revision.rationale, origin=revision.origin,
    )


def _apply_add(state: _Working, change: Add, revision: Revision, problems: list[Diagnostic]) -> None:
    requirement = change.requirement
    if requirement.id in state.requirements:
        other = state.requirements[requirement.id]
        problems.append(make(ADD_DUPLICATE, f"{requirement.id} is already {other.ref!r} in {other.instrument}",
                             _where(change, revision)))
        return
    requirement = attrs.evolve(requirement, instrument=change.instrument)
    if change.instrument not in state.instruments:
        state.instruments[change.instrument] = _new_instrument(change.instrument, requirement, revision)
        state.order[change.instrument] = []
    state.requirements[requirement.id] = requirement
    state.order[change.instrument].append(requirement.id)


def _known(state: _Working, requirement_id: str, change: Any, revision: Revision, problems: list[Diagnostic]) -> Requirement | None:
    requirement = state.requirements.get(requirement_id)
    if requirement is None:
        verb = {Modify: "modify", Rename: "rename", Withdraw: "withdraw", SetThreshold: "set-threshold"}[type(change)]
        problems.append(make(UNKNOWN_ID, f"{verb} {requirement_id}: no requirement has this id", _where(change, revision)))
    return requirement


def _apply_modify(state: _Working, change: Modify, revision: Revision, problems: list[Diagnostic]) -> None:
    requirement = _known(state, change.id, change, revision, problems)
    if requirement is None:
        return
    fields = change.fields()
    updated = attrs.evolve(requirement, **fields)
    if updated.effective.end is not None and updated.effective.end <= updated.effective.start:
        problems.append(make(EFFECTIVE_END_INVALID, f"modify {change.id}: {updated.effective.start} to {updated.effective.end}",
                             _where(change, revision)))
        return
    if updated == requirement:
        problems.append(make(NO_EFFECT, f"modify {change.id}: {', '.join(sorted(fields)) or 'nothing'} already as given",
                             _where(change, revision)))
    state.requirements[change.id] = updated


def _apply_rename(state: _Working, change: Rename, revision: Revision, problems: list[Diagnostic]) -> None:
    requirement = _known(state, change.id, change, revision, problems)
    if requirement is None:
        return
    if requirement.ref == change.ref:
        problems.append(make(NO_EFFECT, f"rename {change.id}: it is already {change.ref!r}", _where(change, revision)))
    state.requirements[change.id] = attrs.evolve(requirement, ref=change.ref)


def _apply_withdraw(state: _Working, change: Withdraw, revision: Revision, problems: list[Diagnostic]) -> None:
    requirement = _known(state, change.id, change, revision, problems)
    if requirement is None:
        return
    where = _where(change, revision)
    if change.on <= requirement.effective.start:
        problems.append(make(WITHDRAW_BEFORE_START,
                             f"withdraw {change.id} on {change.on}: it came into force on {requirement.effective.start}", where))
        return
    if requirement.effective.end is not None:
        if requirement.effective.end == change.on:
            problems.append(make(NO_EFFECT, f"withdraw {change.id}: already withdrawn on {change.on}", where))
        else:
            problems.append(make(WITHDRAW_MOVES_END,
                                 f"withdraw {change.id}: end moves from {requirement.effective.end} to {change.on}", where))
    state.requirements[change.id] = attrs.evolve(requirement, effective=attrs.evolve(requirement.effective, end=change.on))


def _apply_relink(state: _Working, change: Relink, revision: Revision, problems: list[Diagnostic]) -> None:
    for unlink in change.remove:
        where = unlink.origin or _where(change, revision)
        if not state.has_link(unlink.source, unlink.rel, unlink.target):
            problems.append(make(UNLINK_NOT_FOUND, f"unlink {unlink.source} {unlink.rel.value} {unlink.target}", where))
            continue
        source = state.requirements.get(unlink.source)
        if source is not None:
            kept = tuple(link for link in source.links if not _same(link, unlink.source, unlink.rel, unlink.target))
            state.requirements[unlink.source] = attrs.evolve(source, links=kept)
        state.linksets = [
            attrs.evolve(s, links=tuple(link for link in s.links if not _same(link, unlink.source, unlink.rel, unlink.target)))
            for s in state.linksets
        ]
    for link in change.add:
        where = link.origin or _where(change, revision)
        source = state.requirements.get(link.source)
        if source is None:
            problems.append(make(LINK_SOURCE_UNKNOWN, f"link {link.source} {link.rel.value} {link.target}: "
                                 f"no requirement {link.source!r}", where))
            continue
        if state.has_link(link.source, link.rel, link.target):
            problems.append(make(LINK_EXISTS, f"link {link.source} {link.rel.value} {link.target}", where))
            continue
        state.requirements[link.source] = attrs.evolve(source, links=(*source.links, link))


def superseded(thresholds: Iterable[Threshold], new: Threshold) -> tuple[Threshold, ...]:
    """Thresholds after ``new`` takes over its metric and level (OpenFisca-style dated parameters).

    Other metrics and levels are untouched. Without a start date ``new``
    replaces every threshold of its metric and level. With one, those that
    ended before it stay, those that start on or after it go, and the one
    running across it now ends the day ``new`` starts.
    """
    kept = []
    for old in thresholds:
        if old.metric != new.metric or old.level is not new.level:
            kept.append(old)
        elif new.start is None:
            continue
        elif old.end is not None and old.end <= new.start:
            kept.append(old)
        elif old.start is not None and old.start >= new.start:
            continue
        else:
            kept.append(attrs.evolve(old, end=new.start))
    return (*kept, new)


def _apply_set_threshold(state: _Working, change: SetThreshold, revision: Revision, problems: list[Diagnostic]) -> None:
    requirement = _known(state, change.id, change, revision, problems)
    if requirement is None:
        return
    if requirement.kind is not RequirementKind.INDICATOR:
        problems.append(make(THRESHOLD_NOT_INDICATOR, f"set-threshold {change.id}: it is a {requirement.kind.value}",
                             _where(change, revision)))
        return
    state.requirements[change.id] = attrs.evolve(requirement, thresholds=superseded(requirement.thresholds, change.threshold))


def _apply_set_routes(state: _Working, change: SetRoutes, revision: Revision, problems: list[Diagnostic]) -> None:
    if change.routes == (state.routes or DEFAULT_CITATION_ROUTES):  # a base that gives none routes by the default
        problems.append(make(NO_EFFECT, "citation-routes: the framework already routes citations so",
                             _where(change, revision)))
    state.routes = change.routes


_APPLIERS: dict[type, Callable[[_Working, Any, Revision, list[Diagnostic]], None]] = {
    Add: _apply_add,
    Modify: _apply_modify,
    Rename: _apply_rename,
    Withdraw: _apply_withdraw,
    Relink: _apply_relink,
    SetThreshold: _apply_set_threshold,
    SetRoutes: _apply_set_routes,
}


def apply(framework: Framework, revision: Revision) -> tuple[Framework, list[Diagnostic]]:
    """The framework with the revision's changes made, in order, and every change that could not be made.

    Pure: ``framework`` is not touched. A change that cannot be made (an unknown
    id, a duplicate add) is skipped and reported with the revision file's line;
    the others still apply. The result's manifest is the revision's own
    (id, version, title), its ``includes`` the revision's base, its citation
    routes the base's unless a ``citation-routes`` change replaced them.
    """
    state = _Working(framework)
    problems: list[Diagnostic] = []
    for change in revision.changes:
        _APPLIERS[type(change)](state, change, revision, problems)
    manifest = Manifest(
        id=revision.id, version=revision.version, title=revision.title, includes=(revision.base,),
        description=revision.rationale, citation_routes=state.routes, origin=revision.origin,
    )
    return Framework(manifest, state.instruments_out(), tuple(state.linksets), framework.vocabularies), problems


# ---------------------------------------------------------------- composing


def framework_problems(framework: Framework) -> list[Diagnostic]:
    """The semantic checks (tier three) over a framework already in memory, its citation routes included."""
    documents = Documents(framework.instruments, framework.linksets, framework.vocabularies)
    return [*semantic_problems(documents), *route_problems(framework.manifest, documents)]


def _key(diagnostic: Diagnostic) -> tuple[str, str, Location]:
    return diagnostic.code, diagnostic.message, diagnostic.location


def _load_base(revision: Revision, seen: tuple[Path, ...]) -> tuple[Framework | None, list[Diagnostic]]:
    base = revision.base_path()
    where = revision.origin or Location()
    try:
        resolved, found = base.resolve(), base.is_file()
    except OSError as error:  # a base no file can have (a name longer than the system allows)
        return None, [make(BASE_MISSING, f"{shown(revision.base)} cannot name a file: "
                                         f"{error.strerror or type(error).__name__}", where)]
    if resolved in seen:
        chain = " → ".join(str(p) for p in (*seen, base))
        return None, [make(BASE_CYCLE, chain, where)]
    if not found:
        return None, [make(BASE_MISSING, f"{revision.base} (looked for {base})", where)]
    kind = detect(base)
    if kind is Format.REVISION:
        framework, problems = _compose(base, seen)
        errors = [p for p in problems if p.is_error]
        if framework is None or errors:
            first = f"; first: {errors[0]}" if errors else ""
            return None, [make(BASE_INVALID, f"{revision.base} has {len(errors)} error(s){first}", where)]
        return framework, []
    try:
        return load_framework(base), []
    except FrameworkInvalid as invalid:
        errors = [d for d in invalid.diagnostics if d.is_error]
        if any(d.code == NOT_A_MANIFEST.id for d in errors) or kind not in (Format.CATALOGUE, Format.UNKNOWN):
            return None, [make(BASE_WRONG_KIND, f"{revision.base} ({base})", where)]
        first = f"; first: {errors[0]}" if errors else ""
        return None, [make(BASE_INVALID, f"{revision.base} has {len(errors)} error(s){first}", where)]


def _compose(path: Path, seen: tuple[Path, ...] = ()) -> tuple[Framework | None, list[Diagnostic]]:
    """Read, load the base (recursively), apply, and check; the problems are those the revision brings."""
    revision, problems = read_revision(path)
    if revision is None:
        return None, problems
    base, found = _load_base(revision, (*seen, Path(path).resolve()))
    problems.extend(found)
    if base is None:
        return None, problems
    revised, found = apply(base, revision)
    problems.extend(found)
    already = {_key(d) for d in framework_problems(base)}
    problems.extend(d for d in framework_problems(revised) if _key(d) not in already)
    return revised, problems


def check_revision(path: str | Path) -> tuple[Framework | None, list[Diagnostic]]:
    """The revised framework (if it could be built) and every problem the revision brings; never raises.

    Problems the base already had (a suspect link, say) are not repeated;
    ``regframe validate`` on the base reports those.
    """
    return _compose(Path(path))


def load_revision_framework(path: str | Path) -> Framework:
    """The framework a revision describes: its base (itself perhaps a revision) with its changes applied.

    Raises :class:`~regframe.framework.FrameworkInvalid` if the revision, its
    base, or the result has any error; warnings do not stop it.
    """
    framework, problems = check_revision(path)
    if framework is None or any(p.is_error for p in problems):
        raise FrameworkInvalid(problems)
    return framework


def load_framework_or_revision(path: str | Path | None = None) -> Framework:
    """The framework a command or a feature runs against: the shipped one (``None``), a manifest, or a
    revision applied to its base. Which one a file is, is read from its content, not its name.

    Raises :class:`~regframe.framework.FrameworkInvalid` as
    :func:`~regframe.framework.loading.load_framework` and
    :func:`load_revision_framework` do.
    """
    if path is not None and is_file(Path(path)) and detect(Path(path)) is Format.REVISION:
        return load_revision_framework(path)
    return load_framework(path)


def validate_revision_file(path: str | Path) -> list[Diagnostic]:
    """Every problem with a revision file: schema, changes that cannot apply, and the result's semantic checks."""
    return check_revision(path)[1]
