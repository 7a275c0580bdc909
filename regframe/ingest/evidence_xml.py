"""Reading regframe evidence XML (``evidence/schema/evidence.xsd``), streamed.

An evidence file may hold a million items, so it is never built as a tree:
:func:`read` streams it through expat (:class:`regframe.io.xmlsafe.ExpatStream`,
which keeps every protection of regframe's lxml parsing: no DOCTYPE, no
entities, sizes limited while streaming) and turns each top-level element's
name, attributes and line into a :class:`~regframe.evidence.Setting`,
:class:`~regframe.evidence.Placement`, :class:`~regframe.evidence.EvidenceItem`
or :class:`~regframe.evidence.MetricValue`. No element object is built, so the
parse holds one record's attributes at a time, and costs about what a bare lxml
parse does (the reason expat is used here, see :mod:`regframe.io.xmlsafe`).

A whole-file XSD validation would need the whole tree, so each element is
checked here instead, with messages that name the attribute and the line:
a bad element is reported and skipped and the rest of the file is kept. The
XSD is shipped for other tools and kept in step by a test.

Speed matters at this size, so the per-element work is dictionary look-ups:
dates, enums, outcomes, actions and reference lists are parsed once per
distinct text and cached, an item's whole description (source, kind,
references, outcome, action) is checked once per distinct combination, and
strings that repeat (setting URNs, kinds, the file name) are interned so a
million items share them. Anything not yet in a cache takes the slow path,
which checks every value; a test holds the two paths to the same result. Child ids are
pseudonymised the moment they are read (see :mod:`regframe.evidence.pseudonym`); the
raw id never leaves this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regframe.core.collector import collector_paused
from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.core.text import is_whole_number
from regframe.evidence.identity import canonical_la_code, canonical_urn
from regframe.evidence.model import (
    Action,
    ActionKind,
    EvidenceItem,
    EvidenceSet,
    InputFile,
    Metric,
    MetricValue,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Placement,
    Setting,
    Source,
)
from regframe.evidence.pseudonym import pseudonymise
from regframe.framework.model import Independence, SettingKind
from regframe.ingest import IngestContext, sha256_of
from regframe.io import xmlsafe
from regframe.io.formats import EVIDENCE_NS

FORMAT_NAME = "evidence-xml"
SUPPORTED_VERSIONS = ("1",)

ITEM_INVALID = code(
    "RF310", Severity.ERROR, "evidence item is invalid and was skipped",
    "An ``<item>`` lacks a required attribute (id, setting, source, kind, observed) or has a value "
    "regframe cannot accept: a date not written YYYY-MM-DD, a source, outcome, grade or action not in "
    "the schema's lists, a score outside 1-4, or an evidence kind not written ``ek.`` and lower-case letters, digits and hyphens (whether the framework knows the kind is judged when items are mapped: RF332). "
    "The item is left out and counted as rejected; the rest of the file is kept.",
)
SETTING_INVALID = code(
    "RF311", Severity.ERROR, "setting is invalid and was skipped",
    "A ``<setting>`` lacks its urn or kind, or has a kind, date or number of places regframe cannot read.",
)
PLACEMENT_INVALID = code(
    "RF312", Severity.ERROR, "placement is invalid and was skipped",
    "A ``<placement>`` lacks the child, the placing LA, the setting or the start date, or has a value "
    "that cannot be read. The message never repeats the child's id.",
)
METRIC_INVALID = code(
    "RF313", Severity.ERROR, "metric is invalid and was skipped",
    "A ``<metric>`` lacks its setting, month, metric name or value, or names a metric regframe does not know.",
)
ROOT_INVALID = code(
    "RF314", Severity.ERROR, "evidence file's root element is not one regframe reads",
    "The root must be ``<evidence xmlns=\"urn:x-regframe:evidence:1\" version=\"1\">``. A different "
    "version or root means the file is not read at all.",
)
UNKNOWN_ELEMENT = code(
    "RF315", Severity.ERROR, "unknown element in an evidence file was skipped",
    "Only ``<setting>``, ``<placement>``, ``<item>`` and ``<metric>`` may appear inside ``<evidence>``, "
    "and they hold no child elements; everything is in attributes.",
)
DUPLICATE_ITEM = code(
    "RF316", Severity.ERROR, "evidence item id repeated; the later item was skipped",
    "Item ids must be unique within a file, so that a finding can always be traced to one item.",
)
UNKNOWN_ATTRIBUTE = code(
    "RF317", Severity.WARNING, "unknown attribute ignored",
    "An attribute the schema does not define was ignored (often a misspelling, such as ``occured``); "
    "the element itself was kept.",
)
XML_BROKEN = code(
    "RF318", Severity.ERROR, "evidence file stopped being well-formed XML; the rest was not read",
    "The file is not well-formed from the line given. Everything before that point was read and kept.",
)

# element names as expat gives them: namespace, separator, local name
_Q = EVIDENCE_NS + xmlsafe.NS_SEPARATOR
_T_ROOT, _T_SETTING, _T_PLACEMENT, _T_ITEM, _T_METRIC = (
    _Q + n for n in ("evidence", "setting", "placement", "item", "metric"))

_SETTING_ATTRS = frozenset({
    "urn", "kind", "name", "provision-type", "education-urn", "cqc-location", "la", "region", "sector",
    "places", "owner", "status", "registered", "closed",
})
_PLACEMENT_ATTRS = frozenset({
    "child", "la", "setting", "start", "end", "weeks", "distance", "legal-status", "ehc-plan",
    "placement-type", "provider-type", "need", "looked-after",
})
_ITEM_ATTRS = frozenset({
    "id", "setting", "source", "kind", "observed", "occurred", "independence", "child", "child-la", "refs",
    "outcome", "score", "grade", "action", "due", "closed", "summary",
})
_METRIC_ATTRS = frozenset({"setting", "month", "metric", "value", "source"})
# an item's own values, and the values that describe what sort of observation it is (see _Reader.item)
_ITEM_OWN = ("id", "setting", "observed", "occurred", "child", "child-la", "summary")
_ITEM_DESCRIBED = ("source", "kind", "independence", "refs", "outcome", "score", "grade", "action", "due", "closed")
_METRIC_NAMES = ("setting", "month", "metric", "value", "source")


#: The form of an evidence-kind id (the XSD's ``EvidenceKindId``). Reading checks form only: whether the
#: framework in use knows the kind is judged when items are mapped (RF332), so a custom framework's own
#: kinds are read like the shipped ones.
_KIND_FORM = re.compile(r"ek\.[a-z0-9\-]+")


def _enum_table(enum_type: Any) -> dict[str, Any]:
    return {member.value: member for member in enum_type}


_SOURCES = _enum_table(Source)
# keyed by the attribute text, not the enum: an Enum member hashes in Python, a str in C
_DEFAULT_INDEPENDENCE = {source.value: source.default_independence for source in Source}
_INDEPENDENCE = _enum_table(Independence)
_SETTING_KINDS = _enum_table(SettingKind)
_OUTCOMES = _enum_table(OutcomeKind)
_GRADES = _enum_table(OfstedGrade)
_ACTIONS = _enum_table(ActionKind)
_METRICS = _enum_table(Metric)
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_SCORES = {"1": 1, "2": 2, "3": 3, "4": 4}
_NUMBER_CACHE_SIZE = 4096
_DESCRIPTION_CACHE_SIZE = 65536


def _choices(table: dict[str, Any]) -> str:
    return ", ".join(sorted(table))


class _Reader:
    """The state of reading one file: caches, counters and the diagnostics found."""

    def __init__(self, path: Path, context: IngestContext) -> None:
        self.where = sys.intern(str(path))
        #: the file's one Location, which every item and metric shares with its own line (see EvidenceItem)
        self.origin = Location(file=self.where)
        self.context = context
        self.result = EvidenceSet()
        self.problems: list[Diagnostic] = []
        self.kept_elsewhere = 0  # settings and placements kept; items and metrics are counted by their lists
        self.rejected = 0
        self.kinds: dict[str, str] = {}
        self._dates: dict[str, dt.date] = {}
        self._strings: dict[str, str] = {}
        self._refs: dict[str, tuple[str, ...]] = {}
        self._outcomes: dict[tuple[Any, ...], Outcome | None] = {}
        self._actions: dict[tuple[Any, ...], Action | None] = {}
        self._children: dict[tuple[str, str], str] = {}
        self._ids: set[str] = set()
        self._months: dict[str, dt.date] = {}
        self._urns: dict[str, str] = {}
        self._numbers: dict[str, float] = {}
        self._descriptions: dict[tuple[str | None, ...], tuple[Any, ...]] = {}
        self._plans: dict[tuple[str, ...], dict[tuple[str, ...], Any]] = {
            _ITEM_OWN: {}, _ITEM_DESCRIBED: {}, _METRIC_NAMES: {}}
        self._warned: set[tuple[str, str]] = set()
        # the attribute names of the last metric read, and how to pick their values
        self._metric_keys: list[str] | None = None
        self._metric_pick: Any = None
        self.items_append = self.result.items.append
        self.metrics_append = self.result.metrics.append

    @property
    def accepted(self) -> int:
        """Elements kept so far: every item and metric in the result, and the settings and placements."""
        return len(self.result.items) + len(self.result.metrics) + self.kept_elsewhere

    # ---- value parsing, cached per distinct text

    def intern(self, text: str) -> str:
        found = self._strings.get(text)
        if found is None:
            found = self._strings[text] = sys.intern(text) if len(text) < 64 else text
        return found

    def urn(self, setting: str) -> str:
        """The setting URN an item or metric names, interned; only ever called with a non-empty URN."""
        found = self._urns.get(setting)
        if found is None:  # a URN in its one form (sc 123456 is SC123456); a CQC location id as given
            found = self._urns[setting] = self.intern(canonical_urn(setting) or setting.strip())
        return found

    def number(self, text: str | None, name: str, errors: list[str]) -> float | None:
        """A finite decimal, cached per distinct text (a few thousand at most are kept)."""
        found = self._numbers.get(text)  # type: ignore[arg-type]
        if found is None:
            found = _decimal(text, name, errors)
            if found is not None and len(self._numbers) < _NUMBER_CACHE_SIZE:
                self._numbers[text] = found  # type: ignore[index]
        return found

    def date(self, text: str | None, name: str, errors: list[str], required: bool = False) -> dt.date | None:
        if text is None:
            if required:
                errors.append(f"{name} is missing")
            return None
        found = self._dates.get(text)
        if found is not None:
            return found
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                found = self._dates[text] = dt.date.fromisoformat(text)
                return found
            except ValueError:
                pass
        errors.append(f"{name}={text!r} is not a date (write YYYY-MM-DD)")
        return None

    def refs(self, text: str | None) -> tuple[str, ...]:
        if not text:
            return ()
        found = self._refs.get(text)
        if found is None:
            found = self._refs[text] = tuple(self.intern(part.strip()) for part in text.split(";") if part.strip())
        return found

    def kind(self, text: str | None, errors: list[str]) -> str | None:
        """An evidence-kind id of the right form, interned (a file names few kinds, many times)."""
        if text is None:
            errors.append("kind is missing")
            return None
        known = self.kinds.get(text)
        if known is None:
            if not _KIND_FORM.fullmatch(text):
                errors.append(f"kind={text!r} is not an evidence-kind id (ek. and lower-case letters, digits, hyphens)")
                return None
            known = self.kinds[text] = sys.intern(text)
        return known

    def outcome(self, kind: str | None, score: str | None, grade: str | None, errors: list[str]) -> Outcome | None:
        key = (kind, score, grade)
        if key in self._outcomes:
            return self._outcomes[key]
        before = len(errors)
        outcome_kind = None
        if kind is not None:
            outcome_kind = _OUTCOMES.get(kind)
            if outcome_kind is None:
                errors.append(f"outcome={kind!r} is not one of {_choices(_OUTCOMES)}")
        score_value = None
        if score is not None:
            score_value = _SCORES.get(score.strip())
            if score_value is None:
                errors.append(f"score={score!r} is not a CQC score (1 to 4)")
        grade_value = None
        if grade is not None:
            grade_value = _GRADES.get(grade)
            if grade_value is None:
                errors.append(f"grade={grade!r} is not one of {_choices(_GRADES)}")
        if len(errors) > before:
            return None
        if outcome_kind is None:
            outcome_kind = OutcomeKind.SCORE if score_value else OutcomeKind.GRADE if grade_value else None
        result = None
        if outcome_kind is not None:
            try:
                result = Outcome(outcome_kind, score_value, grade_value)
            except ValueError as error:
                errors.append(str(error))
                return None
        self._outcomes[key] = result
        return result

    def action(self, kind: str | None, due: str | None, closed: str | None, errors: list[str]) -> Action | None:
        key = (kind, due, closed)
        if key in self._actions:
            return self._actions[key]
        before = len(errors)
        if kind is None:
            if due is not None or closed is not None:
                errors.append("due and closed describe an action, but the item has no action attribute")
            return None
        action_kind = _ACTIONS.get(kind)
        if action_kind is None:
            errors.append(f"action={kind!r} is not one of {_choices(_ACTIONS)}")
        due_date = self.date(due, "due", errors)
        is_closed, closed_on = False, None
        if closed is not None:
            flag = _BOOLEANS.get(closed.strip())
            if flag is not None:
                is_closed = flag
            else:
                closed_on = self.date(closed, "closed", errors)
                is_closed = closed_on is not None
        if len(errors) > before or action_kind is None:
            return None
        result = self._actions[key] = Action(action_kind, due_date, is_closed, closed_on)
        return result

    def child(self, la: str, child: str) -> str:
        key = (la, child)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = pseudonymise(self.context.key, la, child)
            self.result.note_child_la(self.where, canonical_la_code(la))
        return found

    # ---- diagnostics

    def reject(self, which: Any, message: str, line: int | None) -> None:
        self.rejected += 1
        self.problems.append(make(which, message, Location(file=self.where, line=line)))

    def unknown_attributes(self, local: str, keys: list[str], allowed: frozenset[str], line: int | None) -> None:
        """Warn of attributes the schema does not define, once per element and attribute name per file."""
        for name in sorted(set(keys) - allowed):
            if (local, name) in self._warned:
                continue
            self._warned.add((local, name))
            self.problems.append(make(
                UNKNOWN_ATTRIBUTE, f"<{local}> has unknown attribute {_clark(name)!r}, ignored here and wherever "
                "else it appears", Location(file=self.where, line=line)))

    def _shape(self, local: str, keys: list[str], names: tuple[str, ...], allowed: frozenset[str],
               line: int | None) -> Any:
        """How to pick ``names`` out of a start tag's attribute list, for tags with these attribute names.

        expat gives the attributes as one flat list, ``[name, value, name, value, ...]``.
        Producers write attributes in a fixed order, so a file has few distinct lists of
        names ("shapes"). Each shape is planned once: an itemgetter picking the values'
        positions out of the list, where a missing attribute points at the ``None``
        appended to its end. Unknown attributes are warned of when a shape is first
        planned (once per file and name, as :meth:`unknown_attributes` keeps it).
        """
        shape = tuple(keys)
        planned = self._plans[names]
        pick = planned.get(shape)
        if pick is None:
            positions = [2 * shape.index(name) + 1 if name in shape else 2 * len(shape) for name in names]
            pick = planned[shape] = operator.itemgetter(*positions)
            if not allowed.issuperset(shape):
                self.unknown_attributes(local, keys, allowed, line)
        return pick

    # ---- elements

    def item_reader(self) -> Callable[[list[Any], int], None]:
        """The function that keeps one ``<item>``: it runs a million times, so it is written for speed.

        An item's attributes are of two sorts. Its own (id, setting, dates,
        child, summary) differ from item to item; the rest describe what sort of
        observation it is (source, kind, independence, references, outcome,
        action) and repeat across a file. The second sort is checked once per
        distinct combination and cached whole, so an item whose setting, dates
        and child have been seen before and whose description has too is built
        with a handful of dictionary look-ups. Anything new, and anything wrong,
        goes through :meth:`checked_item`, which checks every value, fills the
        caches and says what is wrong. Whether the item's shape is the previous
        item's is a list comparison of names expat has interned; a shape seen
        before is found in one look-up.

        It is a closure over this reader's caches rather than a method, so
        that each look-up is a local variable, not an attribute of ``self``.
        """
        descriptions, urns, dates, children, ids = self._descriptions, self._urns, self._dates, self._children, self._ids
        keep, checked, origin, la_code = self.items_append, self.checked_item, self.origin, self.context.la_code
        shape = self._shape
        shapes: dict[tuple[str, ...], tuple[Any, Any]] = {}
        last_keys: list[str] | None = None
        pick_own: Any = None
        pick_described: Any = None

        def item(found: list[Any], line: int) -> None:
            nonlocal last_keys, pick_own, pick_described
            keys = found[::2]
            if keys != last_keys:
                picks = shapes.get(tuple(keys))
                if picks is None:
                    picks = shapes[tuple(keys)] = (shape("item", keys, _ITEM_OWN, _ITEM_ATTRS, line),
                                                   shape("item", keys, _ITEM_DESCRIBED, _ITEM_ATTRS, line))
                pick_own, pick_described = picks
                last_keys = keys
            found.append(None)
            own = pick_own(found)
            described = pick_described(found)
            item_id, setting, observed_text, occurred_text, child_id, child_la, summary = own
            description = descriptions.get(described)
            urn = urns.get(setting)
            observed = dates.get(observed_text)
            occurred = child = None
            if (
                description is None or urn is None or observed is None or not item_id
                or (occurred_text is not None and (occurred := dates.get(occurred_text)) is None)
                or (child_id is not None and (child := children.get((child_la or la_code or "", child_id))) is None)
            ):
                checked(own, described, line)
                return
            before = len(ids)
            ids.add(item_id)
            if len(ids) == before:
                self.reject(DUPLICATE_ITEM, f"item id {item_id!r} was already used in this file", line)
                return
            source, kind, independence, references, outcome, action = description
            keep(EvidenceItem(
                item_id, urn, source, kind, observed, independence, child, occurred,
                references, outcome, action, summary or "", origin, line,
            ))

        return item

    def checked_item(self, own: tuple[str | None, ...], described: tuple[str | None, ...], line: int | None) -> None:
        """Check every value of one item, keep it if it is valid and report all that is wrong if not."""
        item_id, setting, observed_text, occurred_text, child_id, child_la, summary = own
        (source_text, kind_text, independence_text, refs_text, outcome_text, score_text, grade_text, action_text,
         due_text, closed_text) = described
        errors: list[str] = []
        if not item_id:
            errors.append("id is missing")
        if not setting:
            errors.append("setting is missing")
        source = _SOURCES.get(source_text)  # type: ignore[arg-type]
        if source is None:
            errors.append("source is missing" if source_text is None
                          else f"source={source_text!r} is not one of {_choices(_SOURCES)}")
        kind = self.kind(kind_text, errors)
        observed = self.date(observed_text, "observed", errors, required=True)
        occurred = self.date(occurred_text, "occurred", errors)
        if independence_text is None:
            independence = _DEFAULT_INDEPENDENCE.get(source_text)  # type: ignore[arg-type]
        else:
            independence = _INDEPENDENCE.get(independence_text)
            if independence is None:
                errors.append(f"independence={independence_text!r} is not one of {_choices(_INDEPENDENCE)}")
        child = None
        if child_id is not None:
            la = child_la or self.context.la_code
            if not child_id.strip():
                errors.append("child is empty")
            elif not la:
                errors.append("child is given without child-la (the LA code the child id belongs to)")
            else:
                child = self.child(la, child_id)
        references = self.refs(refs_text)
        outcome = (
            None if outcome_text is None and score_text is None and grade_text is None
            else self.outcome(outcome_text, score_text, grade_text, errors)
        )
        action = (
            None if action_text is None and due_text is None and closed_text is None
            else self.action(action_text, due_text, closed_text, errors)
        )
        if errors:
            self.reject(ITEM_INVALID, f"item {item_id or '(no id)'}: " + "; ".join(errors), line)
            return
        if len(self._descriptions) < _DESCRIPTION_CACHE_SIZE:
            self._descriptions[described] = (source, kind, independence, references, outcome, action)
        ids = self._ids
        before = len(ids)
        ids.add(item_id)  # type: ignore[arg-type]
        if len(ids) == before:
            self.reject(DUPLICATE_ITEM, f"item id {item_id!r} was already used in this file", line)
            return
        self.items_append(EvidenceItem(
            item_id, self.urn(setting), source, kind, observed, independence, child, occurred,  # type: ignore[arg-type]
            references, outcome, action, summary or "", self.origin, line,
        ))

    def setting(self, found: list[Any], line: int) -> None:
        keys = found[::2]
        get: Callable[..., Any] = dict(zip(keys, found[1::2], strict=True)).get  # values as expat gives them
        errors: list[str] = []
        urn = get("urn")
        if not urn:
            errors.append("urn is missing")
        kind_text = get("kind")
        kind = _SETTING_KINDS.get(kind_text)
        if kind is None:
            errors.append("kind is missing" if kind_text is None else f"kind={kind_text!r} is not one of {_choices(_SETTING_KINDS)}")
        places = _whole_number(get("places"), "places", errors)
        registered = self.date(get("registered"), "registered", errors)
        closed = self.date(get("closed"), "closed", errors)
        if errors or kind is None:
            self.reject(SETTING_INVALID, f"setting {urn or '(no urn)'}: " + "; ".join(errors), line)
            return
        self.unknown_attributes("setting", keys, _SETTING_ATTRS, line)
        self.result.add_setting(Setting(
            urn=self.urn(urn), kind=kind, name=get("name", ""),
            provision_type=get("provision-type", ""), education_urn=get("education-urn"),
            cqc_location_id=get("cqc-location"), local_authority=get("la", ""), region=get("region", ""),
            sector=get("sector", ""), places=places, owner=get("owner", ""),
            registration_status=get("status", ""), registered_on=registered, closed_on=closed,
            provenance=Location(self.where, line),
        ))
        self.kept_elsewhere += 1

    def placement(self, found: list[Any], line: int) -> None:
        keys = found[::2]
        get: Callable[..., Any] = dict(zip(keys, found[1::2], strict=True)).get  # values as expat gives them
        errors: list[str] = []
        child_id, la, setting = get("child"), get("la"), get("setting")
        for name, value in (("child", child_id), ("la", la), ("setting", setting)):
            if not value or not value.strip():
                errors.append(f"{name} is missing")
        start = self.date(get("start"), "start", errors, required=True)
        end = self.date(get("end"), "end", errors)
        if start and end and end < start:
            errors.append(f"end {end} is before start {start}")
        weeks = _whole_number(get("weeks"), "weeks", errors)
        distance = _decimal(get("distance"), "distance", errors)
        ehc_plan = _boolean(get("ehc-plan"), "ehc-plan", errors)
        looked_after = _boolean(get("looked-after"), "looked-after", errors)
        if errors or start is None:  # a missing start is among the errors
            # never echo the child id: the message says which placement by line only
            self.reject(PLACEMENT_INVALID, "placement: " + "; ".join(errors), line)
            return
        self.unknown_attributes("placement", keys, _PLACEMENT_ATTRS, line)
        self.result.add_placement(Placement(
            child=self.child(la, child_id), setting=self.urn(setting),
            placing_la=self.intern(la.strip().upper()), start=start, end=end,
            weeks_per_year=weeks, distance_miles=distance, legal_status=get("legal-status", ""), ehc_plan=ehc_plan,
            placement_type=get("placement-type", ""), provider_type=get("provider-type", ""),
            category_of_need=get("need", ""), looked_after=looked_after, provenance=Location(self.where, line),
        ))
        self.kept_elsewhere += 1

    def metric(self, found: list[Any], line: int) -> None:
        """Keep one ``<metric>``; like :meth:`item`, values seen before come from caches."""
        keys = found[::2]
        if keys != self._metric_keys:
            self._metric_pick = self._shape("metric", keys, _METRIC_NAMES, _METRIC_ATTRS, line)
            self._metric_keys = keys
        found.append(None)
        fields = self._metric_pick(found)
        setting, month_text, metric_text, value_text, source_text = fields
        urn = self._urns.get(setting)
        month = self._months.get(month_text)
        metric = _METRICS.get(metric_text)
        value = self._numbers.get(value_text)
        source = Source.PROVIDER if source_text is None else _SOURCES.get(source_text)
        if urn is None or month is None or metric is None or value is None or source is None:
            self.checked_metric(fields, line)
            return
        self.metrics_append(MetricValue(urn, month, metric, value, source, self.origin, line))

    def checked_metric(self, fields: tuple[str | None, ...], line: int | None) -> None:
        """Check every value of one metric, keep it if it is valid and report all that is wrong if not."""
        setting, month_text, metric_text, value_text, source_text = fields
        errors: list[str] = []
        if not setting:
            errors.append("setting is missing")
        month = self._months.get(month_text)  # type: ignore[arg-type]
        if month is None:
            if month_text is None:
                errors.append("month is missing")
            else:
                day = self.date(month_text + "-01" if len(month_text) == 7 else month_text, "month", [])
                if day is None:
                    errors.append(f"month={month_text!r} is not a month (write YYYY-MM)")
                else:
                    month = self._months[month_text] = day.replace(day=1)
        metric = _METRICS.get(metric_text)  # type: ignore[arg-type]
        if metric is None:
            errors.append("metric is missing" if metric_text is None
                          else f"metric={metric_text!r} is not one of {_choices(_METRICS)}")
        value = self.number(value_text, "value", errors)
        if value_text is None:
            errors.append("value is missing")
        source = Source.PROVIDER if source_text is None else _SOURCES.get(source_text)
        if source is None:
            errors.append(f"source={source_text!r} is not one of {_choices(_SOURCES)}")
        if errors:
            self.reject(METRIC_INVALID, f"metric {metric_text or ''} for {setting or '(no setting)'}: "
                        + "; ".join(errors), line)
            return
        self.metrics_append(MetricValue(
            self.urn(setting), month, metric, value, source, self.origin, line))  # type: ignore[arg-type]


def _whole_number(text: str | None, name: str, errors: list[str]) -> int | None:
    if text is None:
        return None
    stripped = text.strip()
    if is_whole_number(stripped):
        return int(stripped)
    errors.append(f"{name}={text!r} is not a whole number")
    return None


def _decimal(text: str | None, name: str, errors: list[str]) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        errors.append(f"{name}={text!r} is not a number")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors.append(f"{name}={text!r} is not a number")
        return None
    return value


def _boolean(text: str | None, name: str, errors: list[str]) -> bool | None:
    if text is None:
        return None
    value = _BOOLEANS.get(text.strip().lower())
    if value is None:
        errors.append(f"{name}={text!r} is not true or false")
    return value


def _clark(name: str) -> str:
    """An expat name (``namespace}local``) written as lxml writes it (``{namespace}local``)."""
    return "{" + name if xmlsafe.NS_SEPARATOR in name else name


def _split(name: str) -> tuple[str | None, str]:
    namespace, _, local = name.rpartition(xmlsafe.NS_SEPARATOR)
    return namespace or None, local


def _check_root(name: str, found: list[Any], where: str, line: int) -> Diagnostic | None:
    namespace, local = _split(name)
    if name != _T_ROOT:
        return make(ROOT_INVALID, f"root element is <{local}> in namespace {namespace!r}, "
                    f"not <evidence> in {EVIDENCE_NS!r}", Location(file=where, line=line))
    attributes = dict(zip(found[::2], found[1::2], strict=True))
    version = attributes.get("version")
    if version not in SUPPORTED_VERSIONS:
        said = "has no version attribute" if version is None else f"is version {version!r}"
        return make(ROOT_INVALID, f"evidence file {said}; this regframe reads version "
                    f"{', '.join(SUPPORTED_VERSIONS)}", Location(file=where, line=line))
    created = attributes.get("created")
    if created is not None:
        try:
            dt.date.fromisoformat(created)
        except ValueError:
            return make(ROOT_INVALID, f"created={created!r} is not a date (write YYYY-MM-DD)",
                        Location(file=where, line=line))
    return None


class _RootRefused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


def _walk(reader: _Reader, parser: Any) -> Callable[[], None]:
    """Set ``parser``'s callbacks to hand each record (a child of the root) to ``reader``; return ``finish``.

    Whether a record holds child elements (it may not) is known only once the next
    record starts, so each record waits until then (``pending``), and the last until
    ``finish()``, which hands it over if its end tag was read (the file may have
    stopped inside it). The depth is the length of ``stack``: a start tag pushes its
    name, and expat's end-tag callback is the stack's own ``remove`` (of the first name
    equal to the tag's: only the length counts), so an end tag costs no Python call.
    Nesting is refused past :data:`~regframe.io.xmlsafe.MAX_DEPTH`, which also bounds
    what ``remove`` scans. The start-tag callback runs a million times, so the state
    is in the closure's own variables.
    """
    stack: list[str] = []
    push = stack.append
    item, metric = reader.item_reader(), reader.metric
    handlers: dict[str, Callable[[list[Any], int], None]] = {
        _T_ITEM: item, _T_SETTING: reader.setting, _T_PLACEMENT: reader.placement, _T_METRIC: metric}
    pending_name: str | None = None
    pending_found: list[Any] = []
    pending_line = 0
    for name in (_T_ROOT, *handlers):
        parser.intern[name] = name  # expat hands these very strings back, so `is` compares them

    def hand_over(name: str, found: list[Any], line: int) -> None:
        handler = handlers.get(name)
        if handler is None:
            reader.reject(UNKNOWN_ELEMENT, f"<{_split(name)[1]}> is not an evidence element", line)
        else:
            handler(found, line)

    def start(name: str, found: list[Any]) -> None:
        nonlocal pending_name, pending_found, pending_line
        push(name)
        if len(stack) == 2:
            if pending_name is _T_ITEM:
                item(pending_found, pending_line)
            elif pending_name is _T_METRIC:
                metric(pending_found, pending_line)
            elif pending_name is not None:
                hand_over(pending_name, pending_found, pending_line)
            pending_name, pending_found, pending_line = name, found, parser.CurrentLineNumber
        elif len(stack) == 1:
            problem = _check_root(name, found, reader.where, parser.CurrentLineNumber)
            if problem is not None:
                raise _RootRefused(problem)
        else:  # an element inside a record, which makes that record invalid
            if len(stack) > xmlsafe.MAX_DEPTH:
                raise xmlsafe.NotWellFormed(f"elements are nested more than {xmlsafe.MAX_DEPTH} deep",
                                            parser.CurrentLineNumber)
            if pending_name is not None:
                local = _split(pending_name)[1]
                reader.reject(UNKNOWN_ELEMENT, f"<{local}> may not contain elements" if pending_name in handlers
                              else f"<{local}> is not an evidence element", pending_line)
                pending_name = None

    def finish() -> None:
        nonlocal pending_name
        if pending_name is not None and len(stack) <= 1:
            hand_over(pending_name, pending_found, pending_line)
        pending_name = None

    parser.StartElementHandler = start
    parser.EndElementHandler = stack.remove
    return finish


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one evidence XML file; bad elements are reported (file and line) and skipped, never raised."""
    path = Path(path)
    reader = _Reader(path, context)
    where = reader.where
    hashing = hashlib.sha256()
    hashed_whole = False  # the parse feeds every byte to the hash, and drains the rest when it stops
    finish: Callable[[], None] = lambda: None  # noqa: E731 - nothing waits until the parse has started
    # a million records and no reference cycle: the collector waits (regframe.core.collector)
    with collector_paused():
        try:
            stream = xmlsafe.ExpatStream(path, digest=hashing)
            hashed_whole = True
            finish = _walk(reader, stream.parser)
            stream.run()
            finish()
        except _RootRefused as refused:
            reader.problems.append(refused.diagnostic)
        except xmlsafe.UnsafeXML as unsafe:
            finish()
            reader.problems.append(unsafe.diagnostic)
        except xmlsafe.NotWellFormed as broken:
            finish()
            which = XML_BROKEN if reader.accepted + reader.rejected else xmlsafe.XML_NOT_WELL_FORMED
            reader.problems.append(make(which, broken.message, Location(file=where, line=broken.line)))
        except OSError as error:
            reader.problems.append(make(xmlsafe.FILE_UNREADABLE, error.strerror or str(error), Location(file=where)))
            hashed_whole = False
    result = reader.result
    result.diagnostics.extend(reader.problems)
    try:
        digest = hashing.hexdigest() if hashed_whole else sha256_of(path)
    except OSError:
        digest = ""
    # every record element read is kept or rejected (an unknown element is rejected), so they are its rows
    result.inputs.append(InputFile(where, digest, FORMAT_NAME, reader.accepted, reader.rejected,
                                   rows=reader.accepted + reader.rejected))
    return result
