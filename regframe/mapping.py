"""Mapping evidence items onto requirements, by the framework's own links.

The mapping is data in the framework, not code: which requirements an item
bears on follows from the catalogue's citations and its ``evidenced-by`` and
``assessed-under`` links, so a revision that changes those links changes the
mapping, and the features run against a revision see it.

Rules, in order:

(a) **Explicit references** resolve to requirement nodes. A reference is
    either an exact stable id (``chr2015.r35.3.a``), a requirement's human
    ``ref`` (``CHR 2015 reg 35(3)(a)``), or a citation as a regulator writes it
    ("Regulation 35(3)(a)", "reg 35(3)(a)", "Standard 9.3", "std 9.3",
    "section 85"), resolved within the instrument the source and setting kind
    imply by matching the requirements' ``citation.provision`` (normalised):

    ========================================  ======================================
    source / setting kind                      instrument
    ========================================  ======================================
    CQC, a regulation number                   ``cqc-ra2014``
    CQC, a quality-statement name              ``cqc-saf`` (by title: "Safeguarding")
    placing or host LA                         ``cppcr2010``
    anyone else, residential special school   ``rssnms2022``
    anyone else, children's-home kinds         ``chr2015``
    ========================================  ======================================

    A citation to a limb the catalogue does not hold resolves to the nearest
    enclosing provision it does hold ("reg 12(2)(a)(iv)" to "reg 12(2)(a)"),
    with a warning. A reference that resolves to nothing is a warning with
    the item's provenance: never silently dropped.

(b) An item **without references** maps through the ``evidenced-by`` links
    into its evidence kind: to each requirement linked to that kind that
    applies to the setting kind.

(c) A reference to a **judgement, evaluation area or quality statement** also
    reaches the requirements ``assessed-under`` it, or under any node
    ``part-of`` it (an Ofsted judgement reaches CHR reg 12 through its
    evaluation areas; a CQC score on Safeguarding reaches ``cqc-ra2014.r13``),
    filtered to those that apply to the setting kind.

Each :class:`Target` records in ``via`` the links traversed, so the assessment
can flag a mapping through a suspect link (one whose fingerprint no longer
matches its target's statement; see :meth:`EvidenceMapper.suspect`).

Indexes are built once per mapper and results cached per (references, kind,
source, setting kind), so mapping a million items costs a dictionary look-up
each; only the diagnostics are made per item, to carry its provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from .diagnostics import Diagnostic, Location, Severity, code, make
from .evidence import EvidenceItem, Source
from .graph import RequirementGraph
from .model import Link, Rel, Requirement, RequirementKind, SettingKind

REFERENCE_UNKNOWN = code(
    "RF330", Severity.WARNING, "evidence reference resolves to no requirement",
    "An evidence item cites something the framework does not hold: a regulation or standard number "
    "not in the instrument its source and setting kind imply, a quality statement not in the CQC "
    "framework, or a stable id that does not exist. The item is kept; that reference maps to nothing "
    "until the citation or the catalogue is corrected.",
)
REFERENCE_BROADENED = code(
    "RF331", Severity.WARNING, "evidence reference resolved to an enclosing provision",
    "The catalogue does not hold the exact limb cited, so the reference was mapped to the nearest "
    "provision above it that the catalogue holds.",
)
KIND_UNKNOWN = code(
    "RF332", Severity.WARNING, "evidence kind is not in the framework; the item maps to nothing",
    "An item without references is mapped through the ``evidenced-by`` links into its evidence kind, "
    "and this framework has no such kind.",
)

CHILDRENS_HOME_KINDS = frozenset({
    SettingKind.CHILDRENS_HOME, SettingKind.SECURE_CHILDRENS_HOME, SettingKind.RSS_CHILDRENS_HOME,
})
_ASSESSED_KINDS = frozenset({RequirementKind.JUDGEMENT, RequirementKind.EVALUATION_AREA, RequirementKind.QUALITY_STATEMENT})

_CITATION = re.compile(
    r"^\s*(?P<type>regulations?|regs?\.?|r\.|standards?|std\.?|nms|sections?|s\.?)\s*"
    r"(?P<number>\d+[a-z]?(?:\.\d+)*)\s*(?P<limbs>(?:\(\s*[a-z0-9]+\s*\)\s*)*)",
    re.IGNORECASE,
)
_TYPES = {"reg": "reg", "r": "reg", "std": "std", "nms": "std", "standard": "std", "s": "s", "section": "s"}
_QS_PREFIX = re.compile(r"^\s*(?:cqc\s+)?(?:qs|quality\s+statement)\s*:?\s*", re.IGNORECASE)


@attrs.frozen
class Target:
    """A requirement an item bears on, and the links followed to reach it (empty if cited directly)."""

    requirement: str
    via: tuple[Link, ...] = ()


@attrs.frozen
class _Problem:
    """A diagnostic without its location, cached with a mapping result and located per item."""

    which: str
    message: str


def citation_key(text: str) -> tuple[str, tuple[str, ...]] | None:
    """A citation as (type, parts): "Regulation 35(3)(a)" and "reg 35 (3)(a)" both give ("reg", ("35", "3", "a"))."""
    match = _CITATION.match(text)
    if match is None:
        return None
    word = match["type"].lower().rstrip(".")
    word = word[:-1] if word.endswith("s") and word not in ("s",) else word
    kind = _TYPES.get(word, "reg" if word.startswith("reg") else word)
    parts = match["number"].lower().split(".")
    parts += re.findall(r"\(\s*([a-z0-9]+)\s*\)", (match["limbs"] or "").lower())
    return kind, tuple(parts)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")).split())


class EvidenceMapper:
    """Resolves evidence items to requirement targets in one framework graph (build once, reuse)."""

    def __init__(self, graph: RequirementGraph) -> None:
        self.graph = graph
        self._provisions: dict[str, dict[tuple[str, tuple[str, ...]], str]] = {}
        self._statements: dict[str, str] = {}
        self._ids: dict[str, Requirement] = {}
        for requirement in graph.requirements():
            self._ids[requirement.id] = requirement
            key = citation_key(requirement.citation.provision)
            if key is not None:
                self._provisions.setdefault(requirement.instrument, {}).setdefault(key, requirement.id)
            if requirement.instrument == "cqc-saf" and requirement.kind is RequirementKind.QUALITY_STATEMENT:
                self._statements[_words(requirement.title)] = requirement.id
        self._cache: dict[tuple[tuple[str, ...], str, Source, SettingKind], tuple[tuple[Target, ...], tuple[_Problem, ...]]] = {}

    # ---- the entry point

    def targets(self, item: EvidenceItem, setting_kind: SettingKind) -> tuple[list[Target], list[Diagnostic]]:
        """The requirements ``item`` bears on in a setting of ``setting_kind``, and any problems resolving it."""
        key = (item.references, item.kind, item.source, setting_kind)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._resolve(*key)
        found, problems = cached
        if not problems:
            return list(found), []
        where = item.provenance or Location()
        return list(found), [make(_CODES[p.which], f"item {item.id}: {p.message}", where) for p in problems]

    def suspect(self, target: Target) -> list[Link]:
        """Links on the way to a target whose fingerprint no longer matches the statement of the node they point at."""
        suspect = []
        for link in target.via:
            requirement = self._ids.get(link.target)
            if link.fingerprint and requirement is not None and link.fingerprint != requirement.fingerprint:
                suspect.append(link)
        return suspect

    # ---- resolution

    def _resolve(self, references: tuple[str, ...], kind: str, source: Source,
                 setting_kind: SettingKind) -> tuple[tuple[Target, ...], tuple[_Problem, ...]]:
        found: dict[str, Target] = {}
        problems: list[_Problem] = []
        if references:
            for reference in references:
                requirement_id = self._reference(reference, source, setting_kind, problems)
                if requirement_id is None:
                    continue
                found.setdefault(requirement_id, Target(requirement_id))
                if self._ids[requirement_id].kind in _ASSESSED_KINDS:
                    for target in self._assessed_under(requirement_id, setting_kind):
                        found.setdefault(target.requirement, target)
        elif kind in self.graph and "evidence_kind" in self.graph.graph.nodes[kind]:
            for link in self.graph.links_in(kind, Rel.EVIDENCED_BY):
                requirement = self._ids.get(link.source)
                if requirement is not None and setting_kind in requirement.applies_to:
                    found.setdefault(link.source, Target(link.source, (link,)))
        else:
            problems.append(_Problem(KIND_UNKNOWN.id, f"evidence kind {kind!r} is not in framework {self.graph.framework.id}"))
        return tuple(found.values()), tuple(problems)

    def _reference(self, reference: str, source: Source, setting_kind: SettingKind, problems: list[_Problem]) -> str | None:
        text = reference.strip()
        if text in self._ids:
            return text
        by_ref = self.graph.find_by_ref(text)
        if by_ref is not None and by_ref.id in self._ids:
            return by_ref.id
        key = citation_key(text)
        instrument = self._instrument(source, setting_kind, key)
        if key is None:
            if source is Source.CQC:
                statement = self._statements.get(_words(_QS_PREFIX.sub("", text)))
                if statement is not None:
                    return statement
                problems.append(_Problem(REFERENCE_UNKNOWN.id, f"{reference!r} is not a requirement id, a citation "
                                         "or a CQC quality statement in this framework"))
                return None
            problems.append(_Problem(REFERENCE_UNKNOWN.id, f"{reference!r} is neither a requirement id nor a citation "
                                     "(such as 'Regulation 12(2)(a)' or 'Standard 9.3')"))
            return None
        provisions = self._provisions.get(instrument or "", {})
        exact = provisions.get(key)
        if exact is not None:
            return exact
        kind, parts = key
        for cut in range(len(parts) - 1, 0, -1):
            enclosing = provisions.get((kind, parts[:cut]))
            if enclosing is not None:
                problems.append(_Problem(REFERENCE_BROADENED.id, f"{reference!r} is not in {instrument}; "
                                         f"mapped to {self._ids[enclosing].ref} ({enclosing})"))
                return enclosing
        where = f"instrument {instrument}" if instrument in self._provisions else (
            f"instrument {instrument}, which this framework does not hold" if instrument else "any instrument this source cites")
        problems.append(_Problem(REFERENCE_UNKNOWN.id, f"{reference!r} resolves to no requirement in {where} "
                                 f"(source {source.value}, setting kind {setting_kind.value})"))
        return None

    @staticmethod
    def _instrument(source: Source, setting_kind: SettingKind, key: tuple[str, tuple[str, ...]] | None) -> str | None:
        """The instrument a bare citation refers to, given who wrote it and about what kind of setting."""
        if source is Source.CQC:
            return "cqc-ra2014"
        if source in (Source.PLACING_LA, Source.HOST_LA):
            return "cppcr2010"
        if setting_kind is SettingKind.RESIDENTIAL_SPECIAL_SCHOOL:
            return "rssnms2022"
        if setting_kind in CHILDRENS_HOME_KINDS:
            return "chr2015"
        return None

    def _assessed_under(self, node: str, setting_kind: SettingKind) -> Iterable[Target]:
        """Requirements assessed under ``node`` or under anything part-of it, with the links on the way."""
        routes: list[tuple[str, tuple[Link, ...]]] = [(node, ())]
        seen = {node}
        while routes:
            current, via = routes.pop(0)
            for link in self.graph.links_in(current, Rel.ASSESSED_UNDER):
                requirement = self._ids.get(link.source)
                if requirement is not None and setting_kind in requirement.applies_to:
                    yield Target(link.source, (*via, link))
            for link in self.graph.links_in(current, Rel.PART_OF):
                if link.source not in seen and link.source in self._ids:
                    seen.add(link.source)
                    routes.append((link.source, (*via, link)))


_CODES = {c.id: c for c in (REFERENCE_UNKNOWN, REFERENCE_BROADENED, KIND_UNKNOWN)}
