"""Writing regframe evidence XML, streamed, one element per line, atomically.

Used by the demo dataset and the benchmark's synthetic data, and by anyone
exporting evidence for regframe. Elements are written as they are produced
(``lxml.etree.xmlfile``), so a million items need no more memory than one,
and each element sits on its own line so the reader's diagnostics point at it.

Child references are written as given: the ``child`` of a placement or item
is the LA's own child id, with the LA code beside it (``la`` on a placement,
``child-la`` on an item), because the reader pseudonymises at ingest. An
:class:`~regframe.evidence.EvidenceItem` has no LA field, so ``child_la``
says which LA an item's child belongs to (one code for all, or a mapping
from child id to LA code); without it an item's child is written without
``child-la`` and the reader then needs ``--la``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from regframe.core.atomic import atomic_path
from regframe.evidence.model import EvidenceItem, MetricValue, Placement, Setting
from regframe.io.formats import EVIDENCE_NS

_Q = "{" + EVIDENCE_NS + "}"
_ROOT, _SETTING, _PLACEMENT, _ITEM, _METRIC = (_Q + n for n in ("evidence", "setting", "placement", "item", "metric"))


def _text(value: Any) -> str | None:
    """An attribute value as the schema writes it, or ``None`` to leave the attribute out."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10f}".rstrip("0").rstrip(".")
    if hasattr(value, "value"):  # an enum
        return str(value.value)
    return str(value)


def _attributes(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    return {name: text for name, value in pairs if (text := _text(value)) is not None}


def setting_attributes(setting: Setting) -> dict[str, str]:
    return _attributes((
        ("urn", setting.urn), ("kind", setting.kind), ("name", setting.name),
        ("provision-type", setting.provision_type), ("education-urn", setting.education_urn),
        ("cqc-location", setting.cqc_location_id), ("la", setting.local_authority), ("region", setting.region),
        ("sector", setting.sector), ("places", setting.places), ("owner", setting.owner),
        ("status", setting.registration_status), ("registered", setting.registered_on), ("closed", setting.closed_on),
    ))


def placement_attributes(placement: Placement) -> dict[str, str]:
    return _attributes((
        ("child", placement.child), ("la", placement.placing_la), ("setting", placement.setting),
        ("start", placement.start), ("end", placement.end), ("weeks", placement.weeks_per_year),
        ("distance", placement.distance_miles), ("legal-status", placement.legal_status),
        ("ehc-plan", placement.ehc_plan), ("placement-type", placement.placement_type),
        ("provider-type", placement.provider_type), ("need", placement.category_of_need),
        ("looked-after", placement.looked_after),
    ))


def item_attributes(item: EvidenceItem, child_la: str | None = None) -> dict[str, str]:
    outcome, action = item.outcome, item.action
    independence = None if item.independence is item.source.default_independence else item.independence
    closed: Any = None
    if action is not None and action.closed:
        closed = action.closed_on or True
    return _attributes((
        ("id", item.id), ("setting", item.setting), ("source", item.source), ("kind", item.kind),
        ("observed", item.observed), ("occurred", item.occurred), ("independence", independence),
        ("child", item.child), ("child-la", child_la if item.child else None),
        ("refs", ";".join(item.references)),
        ("outcome", outcome.kind if outcome else None), ("score", outcome.score if outcome else None),
        ("grade", outcome.grade if outcome else None),
        ("action", action.kind if action else None), ("due", action.due if action else None), ("closed", closed),
        ("summary", item.summary),
    ))


def metric_attributes(metric: MetricValue) -> dict[str, str]:
    return _attributes((
        ("setting", metric.setting), ("month", metric.month.strftime("%Y-%m")), ("metric", metric.metric),
        ("value", float(metric.value)), ("source", metric.source),
    ))


def _records(settings: Iterable[Setting], placements: Iterable[Placement],
             metrics: Iterable[MetricValue]) -> Iterator[tuple[str, dict[str, str]]]:
    """Each setting, placement and metric as its element's tag and attributes, in the file's order."""
    for setting in settings:
        yield _SETTING, setting_attributes(setting)
    for placement in placements:
        yield _PLACEMENT, placement_attributes(placement)
    for metric in metrics:
        yield _METRIC, metric_attributes(metric)


def write_evidence(
    path: str | Path,
    settings: Iterable[Setting] = (),
    placements: Iterable[Placement] = (),
    items: Iterable[EvidenceItem] = (),
    metrics: Iterable[MetricValue] = (),
    *,
    child_la: str | Mapping[str, str] | None = None,
    producer: str = "regframe",
    created: dt.date | None = None,
) -> None:
    """Write an evidence file; the destination is replaced only once the whole file is written.

    Arguments may be generators: nothing is held beyond the element being written.
    """
    def la_of(child: str | None) -> str | None:
        if child is None or child_la is None:
            return None
        return child_la if isinstance(child_la, str) else child_la.get(child)

    root_attributes = _attributes((("version", "1"), ("created", created), ("producer", producer)))
    with atomic_path(Path(path)) as temporary, etree.xmlfile(str(temporary), encoding="utf-8") as out:
        out.write_declaration()
        with out.element(_ROOT, root_attributes, nsmap={None: EVIDENCE_NS}):
            out.write("\n")
            for tag, attributes in _records(settings, placements, metrics):
                with out.element(tag, attributes):
                    pass
                out.write("\n")
            for item in items:
                with out.element(_ITEM, item_attributes(item, la_of(item.child))):
                    pass
                out.write("\n")
