"""Catalogue XML ⇄ model: instruments, link sets, vocabularies and framework manifests.

Reading turns each element into a plain dict and lets the shared cattrs
converter type it, so XML knows nothing of dates or enums and the model knows
nothing of XML. A requirement element that cannot be typed is reported and
skipped; the rest of the file is kept. Writing is the reverse, and
``read → write → read`` gives an equal model (a test holds it to that).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.core.resources import catalogue_schema_path
from regframe.framework.converter import converter, structure_error_messages
from regframe.framework.model import EvidenceKind, Instrument, Link, LinkSet, Manifest, Requirement, Vocabulary
from regframe.io import xmlsafe

NS = "urn:x-regframe:catalogue:1"
_Q = f"{{{NS}}}"

CATALOGUE_ITEM_INVALID = code(
    "RF107", Severity.ERROR, "catalogue element has a value regframe cannot use",
    "The element passed or failed the schema but a value could not be turned into the model "
    "(for example a cadence duration or a date). The element is skipped; the rest of the file is kept.",
)

Document = Instrument | LinkSet | Vocabulary | Manifest


def _q(name: str) -> str:
    return _Q + name


def _text(element: Any, name: str) -> str | None:
    child = element.find(_q(name))
    return None if child is None else (child.text or "")


def _location(where: str, element: Any) -> dict[str, Any]:
    return {"file": where, "line": element.sourceline}


def _effective(element: Any) -> dict[str, Any] | None:
    if element is None:
        return None
    return {"start": element.get("from"), "end": element.get("to")}


def _citation(element: Any) -> dict[str, Any] | None:
    if element is None:
        return None
    return {
        "instrument": element.get("instrument"),
        "provision": element.get("provision"),
        "url": element.get("url"),
        "last_checked": element.get("last-checked"),
        "note": (element.text or "").strip(),
    }


def _link(element: Any, source: str, where: str) -> dict[str, Any]:
    note = element.find(_q("note"))
    return {
        "source": source,
        "rel": element.get("rel"),
        "target": element.get("target"),
        "relationship": element.get("relationship"),
        "confidence": element.get("confidence"),
        "fingerprint": element.get("fingerprint"),
        "note": "" if note is None else (note.text or "").strip(),
        "origin": _location(where, element),
    }


def cadence_dict(element: Any, namespace: str = NS) -> dict[str, Any] | None:
    """The plain-dict form of a ``<cadence>`` element (also used by revisions, in their own namespace)."""
    if element is None:
        return None
    return {
        "anchor": element.get("anchor"),
        "evidence_kind": element.get("evidence-kind"),
        "children": element.get("children"),
        "steps": [
            {"kind": s.get("kind"), "duration": s.get("duration"), "until": s.get("until"), "label": s.get("label") or "",
             "times": s.get("times")}
            for s in element.findall(f"{{{namespace}}}step")
        ],
    }


def threshold_dict(element: Any) -> dict[str, Any]:
    """The plain-dict form of a ``<threshold>`` element."""
    return {
        "metric": element.get("metric"),
        "comparison": element.get("comparison"),
        "value": element.get("value"),
        "level": element.get("level"),
        "start": element.get("from"),
        "end": element.get("to"),
    }


def requirement_dict(element: Any, instrument_id: str, where: str) -> dict[str, Any]:
    """The plain-dict form of a ``<requirement>`` element (before typing)."""
    rid = element.get("id") or ""
    regulators = element.find(_q("regulators"))
    applies = element.find(_q("applies-to"))
    return {
        "id": rid,
        "ref": element.get("ref"),
        "kind": element.get("kind"),
        "confidence": element.get("confidence"),
        "axis": element.get("axis") or "risk",
        "instrument": instrument_id,
        "title": (_text(element, "title") or "").strip(),
        "statement": (_text(element, "statement") or "").strip(),
        "regulators": [] if regulators is None else [(r.text or "").strip() for r in regulators],
        "applies_to": [] if applies is None else [(k.text or "").strip() for k in applies],
        "effective": _effective(element.find(_q("effective"))),
        "cadence": cadence_dict(element.find(_q("cadence"))),
        "thresholds": [threshold_dict(t) for t in element.findall(_q("threshold"))],
        "citation": _citation(element.find(_q("citation"))),
        "note": (_text(element, "note") or "").strip(),
        "links": [_link(link, rid, where) for link in element.findall(_q("link"))],
        "origin": _location(where, element),
    }


def _typed(data: dict[str, Any], cls: type, where: str, element: Any, problems: list[Diagnostic]) -> Any | None:
    try:
        return converter.structure(data, cls)
    except Exception as error:  # cattrs raises exception groups of many kinds
        label = data.get("id") or element.tag.replace(_Q, "")
        for message in structure_error_messages(error):
            problems.append(
                make(CATALOGUE_ITEM_INVALID, f"{label}: {message}", Location(file=where, line=element.sourceline))
            )
        return None


def _read_instrument(root: Any, where: str, problems: list[Diagnostic]) -> Instrument | None:
    instrument_id = root.get("id") or ""
    requirements = []
    for element in root.findall(_q("requirement")):
        requirement = _typed(requirement_dict(element, instrument_id, where), Requirement, where, element, problems)
        if requirement is not None:
            requirements.append(requirement)
    header = {
        "id": instrument_id,
        "version": root.get("version"),
        "title": (_text(root, "title") or "").strip(),
        "short_title": (_text(root, "short-title") or "").strip(),
        "publisher": (_text(root, "publisher") or "").strip(),
        "effective": _effective(root.find(_q("effective"))),
        "citation": _citation(root.find(_q("citation"))),
        "note": (_text(root, "note") or "").strip(),
        "requirements": [],
        "origin": _location(where, root),
    }
    instrument = _typed(header, Instrument, where, root, problems)
    if instrument is None:
        return None
    return Instrument(**{**_fields(instrument), "requirements": requirements})


def _fields(value: Any) -> dict[str, Any]:
    import attrs

    return {a.name: getattr(value, a.name) for a in attrs.fields(type(value))}


def _read_linkset(root: Any, where: str, problems: list[Diagnostic]) -> LinkSet | None:
    links = []
    for element in root.findall(_q("link")):
        link = _typed(_link(element, element.get("source") or "", where), Link, where, element, problems)
        if link is not None:
            links.append(link)
    header = {
        "id": root.get("id"),
        "version": root.get("version"),
        "title": (_text(root, "title") or "").strip(),
        "note": (_text(root, "note") or "").strip(),
        "links": [],
        "origin": _location(where, root),
    }
    linkset = _typed(header, LinkSet, where, root, problems)
    return None if linkset is None else LinkSet(**{**_fields(linkset), "links": links})


def _read_vocabulary(root: Any, where: str, problems: list[Diagnostic]) -> Vocabulary | None:
    kinds = []
    for element in root.findall(_q("evidence-kind")):
        data = {
            "id": element.get("id"),
            "title": (_text(element, "title") or "").strip(),
            "description": (_text(element, "description") or "").strip(),
            "independence": element.get("independence"),
            "regulator": element.get("regulator"),
            "signal": element.get("signal") in ("true", "1"),
            **_noun(element),
            "origin": _location(where, element),
        }
        kind = _typed(data, EvidenceKind, where, element, problems)
        if kind is not None:
            kinds.append(kind)
    header = {
        "id": root.get("id"),
        "version": root.get("version"),
        "title": (_text(root, "title") or "").strip(),
        "evidence_kinds": [],
        "origin": _location(where, root),
    }
    vocabulary = _typed(header, Vocabulary, where, root, problems)
    return None if vocabulary is None else Vocabulary(**{**_fields(vocabulary), "evidence_kinds": kinds})


def _noun(element: Any) -> dict[str, str]:
    """An evidence kind's ``<noun plural="...">`` as the model's ``noun`` and ``plural`` (empty where it has none)."""
    noun = element.find(_q("noun"))
    if noun is None:
        return {"noun": "", "plural": ""}
    return {"noun": " ".join((noun.text or "").split()), "plural": " ".join((noun.get("plural") or "").split())}


def citation_routes_dicts(element: Any, where: str, namespace: str = NS) -> list[dict[str, Any]]:
    """The plain-dict form of the ``<route>``s of a ``<citation-routes>`` element, in order (also used by revisions)."""
    if element is None:
        return []
    return [
        {"instrument": route.get("instrument"), "source": route.get("source"),
         "setting_kind": route.get("setting-kind"), "origin": _location(where, route)}
        for route in element.findall(f"{{{namespace}}}route")
    ]


def _read_manifest(root: Any, where: str, problems: list[Diagnostic]) -> Manifest | None:
    data = {
        "id": root.get("id"),
        "version": root.get("version"),
        "title": (_text(root, "title") or "").strip(),
        "description": (_text(root, "description") or "").strip(),
        "includes": [i.get("href") for i in root.findall(_q("include"))],
        "include_origins": [_location(where, i) for i in root.findall(_q("include"))],
        "citation_routes": citation_routes_dicts(root.find(_q("citation-routes")), where),
        "origin": _location(where, root),
    }
    return _typed(data, Manifest, where, root, problems)


_READERS = {
    "instrument": _read_instrument,
    "linkset": _read_linkset,
    "vocabulary": _read_vocabulary,
    "framework": _read_manifest,
}


def is_catalogue_root(root: Any) -> bool:
    return etree.QName(root).namespace == NS and etree.QName(root).localname in _READERS


def read_tree(tree: Any, where: str, *, check_schema: bool = True) -> tuple[Document | None, list[Diagnostic]]:
    """Type a parsed catalogue document, collecting schema and value problems."""
    root = tree.getroot()
    if not is_catalogue_root(root):
        return None, [
            make(xmlsafe.XML_UNKNOWN_ROOT, f"root element {root.tag!r} is not a regframe catalogue document",
                 Location(file=where, line=root.sourceline))
        ]
    problems: list[Diagnostic] = []
    if check_schema:
        problems.extend(xmlsafe.validate(tree, catalogue_schema_path(), where))
    document = _READERS[etree.QName(root).localname](root, where, problems)
    return document, _without_echoes(problems)


def _without_echoes(problems: list[Diagnostic]) -> list[Diagnostic]:
    """Drop a typing failure on a line the schema already complained about: one problem, one message."""
    schema_lines = {p.location.line for p in problems if p.code == xmlsafe.XML_SCHEMA_INVALID.id}
    return [p for p in problems if not (p.code == CATALOGUE_ITEM_INVALID.id and p.location.line in schema_lines)]


def read_file(path: str | Path) -> tuple[Document | None, list[Diagnostic]]:
    """Read one catalogue file of any of the four kinds; never raises for bad input."""
    where = str(path)
    tree, problems = xmlsafe.parse_file(path)
    if tree is None:
        return None, problems
    return read_tree(tree, where)


# ---------------------------------------------------------------- writing


def _element(name: str, text: str | None = None, **attributes: Any) -> Any:
    element = etree.Element(_q(name), nsmap={None: NS})
    for key, value in attributes.items():
        if value is not None and value != "":
            element.set(key.replace("_", "-"), str(value))
    if text is not None:
        element.text = text
    return element


def _sub(parent: Any, name: str, text: str | None = None, **attributes: Any) -> Any:
    child = _element(name, text, **attributes)
    parent.append(child)
    return child


def _write_effective(parent: Any, data: dict[str, Any]) -> None:
    _sub(parent, "effective", **{"from": data["start"], "to": data["end"]})


def _write_citation(parent: Any, data: dict[str, Any]) -> None:
    _sub(
        parent, "citation", data["note"] or None,
        instrument=data["instrument"], provision=data["provision"], url=data["url"], last_checked=data["last_checked"],
    )


def _write_link(parent: Any, data: dict[str, Any], with_source: bool) -> None:
    attributes = {"source": data["source"]} if with_source else {}
    attributes.update(
        rel=data["rel"], target=data["target"], relationship=data["relationship"],
        confidence=data["confidence"], fingerprint=data["fingerprint"],
    )
    link = _sub(parent, "link", **attributes)
    if data["note"]:
        _sub(link, "note", data["note"])


def _write_requirement(parent: Any, requirement: Requirement) -> None:
    data = converter.unstructure(requirement)
    element = _sub(parent, "requirement", id=data["id"], ref=data["ref"], kind=data["kind"], confidence=data["confidence"],
                   axis=data["axis"] if data["axis"] != "risk" else None)
    _sub(element, "title", data["title"])
    _sub(element, "statement", data["statement"])
    if data["regulators"]:
        regulators = _sub(element, "regulators")
        for regulator in data["regulators"]:
            _sub(regulators, "regulator", regulator)
    if data["applies_to"]:
        applies = _sub(element, "applies-to")
        for kind in data["applies_to"]:
            _sub(applies, "setting-kind", kind)
    _write_effective(element, data["effective"])
    if data["cadence"] is not None:
        cadence = _sub(element, "cadence", anchor=data["cadence"]["anchor"], evidence_kind=data["cadence"]["evidence_kind"],
                       children=data["cadence"]["children"])
        for step in data["cadence"]["steps"]:
            _sub(cadence, "step", kind=step["kind"], duration=step["duration"], until=step["until"], label=step["label"],
                 times=step.get("times"))
    for threshold in data["thresholds"]:
        _sub(
            element, "threshold", metric=threshold["metric"], comparison=threshold["comparison"],
            value=_decimal(threshold["value"]), level=threshold["level"],
            **{"from": threshold["start"], "to": threshold["end"]},
        )
    _write_citation(element, data["citation"])
    if data["note"]:
        _sub(element, "note", data["note"])
    for link in data["links"]:
        _write_link(element, link, with_source=False)


def _decimal(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _header_comment(title: str, url: str, version: str, checked: str) -> Any:
    return etree.Comment(
        f"\n  {title}\n  Source: {url}\n  Version: {version}\n  Last checked: {checked}\n"
        "  Statements are paraphrased in regframe's own words; each carries its citation.\n"
    )


def to_tree(document: Document) -> Any:
    """Build the XML tree of a catalogue document."""
    if isinstance(document, Instrument):
        data = converter.unstructure(document)
        root = _element("instrument", id=data["id"], version=data["version"])
        _sub(root, "title", data["title"])
        _sub(root, "short-title", data["short_title"])
        _sub(root, "publisher", data["publisher"])
        _write_effective(root, data["effective"])
        _write_citation(root, data["citation"])
        if data["note"]:
            _sub(root, "note", data["note"])
        for requirement in document.requirements:
            _write_requirement(root, requirement)
        comment = _header_comment(document.title, document.citation.url, document.version,
                                  document.citation.last_checked.isoformat())
    elif isinstance(document, LinkSet):
        root = _element("linkset", id=document.id, version=document.version)
        _sub(root, "title", document.title)
        if document.note:
            _sub(root, "note", document.note)
        for link in document.links:
            _write_link(root, converter.unstructure(link), with_source=True)
        comment = None
    elif isinstance(document, Vocabulary):
        root = _element("vocabulary", id=document.id, version=document.version)
        _sub(root, "title", document.title)
        for kind in document.evidence_kinds:
            data = converter.unstructure(kind)
            element = _sub(root, "evidence-kind", id=data["id"], independence=data["independence"], regulator=data["regulator"],
                           signal="true" if data["signal"] else None)
            _sub(element, "title", data["title"])
            if data["noun"]:
                _sub(element, "noun", data["noun"], plural=data["plural"])
            _sub(element, "description", data["description"])
        comment = None
    elif isinstance(document, Manifest):
        root = _element("framework", id=document.id, version=document.version)
        _sub(root, "title", document.title)
        if document.description:
            _sub(root, "description", document.description)
        for href in document.includes:
            _sub(root, "include", href=href)
        if document.citation_routes:
            routes = _sub(root, "citation-routes")
            for route in document.citation_routes:
                _sub(routes, "route", source=route.source, setting_kind=route.setting_kind, instrument=route.instrument)
        comment = None
    else:  # pragma: no cover - the union is closed
        raise TypeError(f"cannot write {type(document).__name__}")
    tree = etree.ElementTree(root)
    if comment is not None:
        root.addprevious(comment)
    etree.indent(tree, space="  ")
    return tree


def to_bytes(document: Document) -> bytes:
    return etree.tostring(to_tree(document), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_file(document: Document, path: str | Path) -> None:
    """Write a catalogue document atomically (temporary file, then rename)."""
    from regframe.core.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), to_bytes(document))
