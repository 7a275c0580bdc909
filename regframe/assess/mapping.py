"""Mapping evidence items onto requirements, by the framework's own links.

The mapping is data in the framework, not code: which requirements an item
bears on follows from the catalogue's citations, its ``evidenced-by`` and
``assessed-under`` links, and the manifest's citation routes (which instrument
a bare citation is read in), so a revision that changes those changes the
mapping, and the features run against a revision see it.

Rules, in order:

(a) **Explicit references** resolve to requirement nodes. A reference is
    either an exact stable id (``chr2015.r35.3.a``), a requirement's human
    ``ref`` (``CHR 2015 reg 35(3)(a)``), or a citation as a regulator writes it
    ("Regulation 35(3)(a)", "reg 35(3)(a)", "Standard 9.3", "std 9.3",
    "section 85"), resolved within the instrument the source and setting kind
    imply by matching the requirements' ``citation.provision`` (normalised).
    That instrument is the first of the framework's ``<citation-routes>`` to
    match (:attr:`regframe.framework.model.Framework.citation_routes`); the shipped
    framework's, in ``standards/framework.xml``, are this table, which is also
    :data:`regframe.framework.model.DEFAULT_CITATION_ROUTES`, the routes of a framework
    whose manifest gives none:

    ========================================  ======================================
    source / setting kind                      instrument
    ========================================  ======================================
    CQC                                        ``cqc-ra2014``
    placing or host LA                         ``cppcr2010``
    anyone else, residential special school   ``rssnms2022``
    anyone else, children's-home kinds         ``chr2015``
    anyone else, any other kind                none: bare citations resolve nowhere
    ========================================  ======================================

    A CQC reference that is not a citation is read as the name of a quality
    statement (a requirement of kind ``quality-statement``, in whichever
    instrument the framework holds it), by title ("Safeguarding"), whatever
    the routes.

    One reference may list several provisions after one type word, separated
    by ",", "/", "&" or "and": "Regulation 44, 45", "Regulations 12 and
    13", "Standard 9.3 & 10"; a later provision may bring its own type word
    ("Regulation 44 and Standard 3", resolved in the same instrument) or
    continue the previous one's limbs ("Regulation 12(1) and (2)" is reg 12(1)
    and reg 12(2); "reg 35(3)(a) and (b)" is 35(3)(a) and 35(3)(b)). Each
    provision listed resolves on its own. (In evidence XML a ";" separates
    whole references, so "Regulation 44; 45" is two references, the second
    a bare "45" that is reported as resolving to nothing.)

    A citation to a limb the catalogue does not hold resolves to the nearest
    enclosing provision it does hold ("reg 12(2)(a)(iv)" to "reg 12(2)(a)"),
    with a warning. A reference that resolves to nothing is a warning with
    the item's provenance, and so is any text of a citation left over after
    the provisions regframe understood ("Regulation 12 or 13", "reg 12 of
    the 2015 Regulations"): the understood part is mapped, the rest is
    reported, never silently dropped.

(b) An item **without references** maps through the ``evidenced-by`` links
    into its evidence kind: to each requirement linked to that kind that
    applies to the setting kind.

(c) A reference to a **judgement, evaluation area or quality statement** also
    reaches the requirements ``assessed-under`` it, or under any node
    ``part-of`` it (an Ofsted judgement reaches CHR reg 12 through its
    evaluation areas; a CQC score on Safeguarding reaches ``cqc-ra2014.r13``),
    filtered to those that apply to the setting kind.

The setting kind used throughout is the item's setting's, except that a CQC
item at a setting registered with CQC is mapped as CQC health provision as well
(:func:`mapping_kinds`): CQC registers a dual-registered secure home or school as
health provision, and its ratings bear on what CQC holds it to.

Each :class:`Target` records in ``via`` the links traversed, so the assessment
can flag a mapping through a suspect link (one whose fingerprint no longer
matches its target's statement; see :meth:`regframe.framework.model.Link.is_suspect`).

:func:`check_mapping` maps a whole evidence set just to collect these
warnings, for ``regframe validate`` and ``regframe evidence summary``; it
meets the same items, with the same setting kinds, as
:func:`regframe.assess.assess` does, so it reports what ``regframe report``
lists.

Indexes are built once per mapper, routes followed once per (source, setting
kind), and results cached per (references, kind, source, setting kind), so
mapping a million items costs a dictionary look-up each; only the diagnostics
are made per item, to carry its provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.evidence.model import EvidenceItem, EvidenceSet, Setting, Source
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import Framework, Link, Rel, Requirement, RequirementKind, SettingKind, route_citation

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
REFERENCE_REMAINDER = code(
    "RF333", Severity.WARNING, "part of an evidence reference was not understood",
    "A citation was read up to some text regframe does not understand (\"Regulation 12 or 13\", "
    "\"reg 12 of the 2015 Regulations\", \"Regulation 12-14\"). The provisions read before that text are "
    "mapped; the rest maps to nothing. regframe understands lists after one type word separated by "
    "\",\", \"/\", \"&\" or \"and\" (\"Regulation 44, 45\", \"Regulation 12(1) and (2)\"); write "
    "anything else as separate references.",
)
KIND_UNKNOWN = code(
    "RF332", Severity.WARNING, "evidence kind is not in the framework; the item maps to nothing",
    "An item without references is mapped through the ``evidenced-by`` links into its evidence kind, "
    "and this framework has no such kind.",
)

_ASSESSED_KINDS = frozenset({RequirementKind.JUDGEMENT, RequirementKind.EVALUATION_AREA, RequirementKind.QUALITY_STATEMENT})

_TYPE = r"(?P<type>regulations?|regs?\.?|r\.|standards?|std\.?|nms|sections?|s\.?)"
_NUMBER = r"(?P<number>\d+[a-z]?(?:\.\d+)*)"
_LIMBS = r"(?P<limbs>(?:\(\s*[a-z0-9]+\s*\)\s*)*)"
_CITATION = re.compile(rf"^\s*{_TYPE}\s*{_NUMBER}\s*{_LIMBS}", re.IGNORECASE)
#: after a separator: another provision, with or without its own type word, or limbs continuing the last one
_NEXT = re.compile(rf"(?:{_TYPE}\s*)?{_NUMBER}\s*{_LIMBS}|(?P<more>(?:\(\s*[a-z0-9]+\s*\)\s*)+)", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:[,;/&]|\band\b)(?:\s*\band\b)?\s*", re.IGNORECASE)
_LIMB = re.compile(r"\(\s*([a-z0-9]+)\s*\)")
_ROMAN = re.compile(r"^(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})$")  # limbs never run to (l)
_TRAILING = re.compile(r"^[\s.,;]*$")
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


Citation = tuple[str, tuple[str, ...]]


def citation_key(text: str) -> Citation | None:
    """A citation as (type, parts): "Regulation 35(3)(a)" and "reg 35 (3)(a)" both give ("reg", ("35", "3", "a")).

    Only the first provision is read; :func:`citations` reads a list.
    """
    match = _CITATION.match(text)
    if match is None:
        return None
    return _type_word(match["type"]), _parts(match["number"], match["limbs"])


def citations(text: str) -> tuple[list[Citation], str]:
    """Every provision a citation lists, and whatever text is left over that was not understood ("" if none).

    "Regulations 12 and 13" gives [("reg", ("12",)), ("reg", ("13",))]; "Regulation 12(1) and (2)" gives
    reg 12(1) and reg 12(2); "Regulation 44 and Standard 3" gives reg 44 and std 3; "Regulation 12 or 13"
    gives reg 12 and the remainder "or 13". Text that does not start with a citation gives ([], text).
    """
    match = _CITATION.match(text)
    if match is None:
        return [], text.strip()
    kind = _type_word(match["type"])
    found = [(kind, _parts(match["number"], match["limbs"]))]
    numbered = [len(match["number"].split("."))]  # how many parts of each are the number, not limbs
    at = match.end()
    while True:
        separator = _SEPARATOR.match(text, at)
        following = _NEXT.match(text, separator.end()) if separator else None
        if following is None:
            break
        if following["more"]:
            continued = _continue(found[-1][1], numbered[-1], _LIMB.findall(following["more"].lower()))
            if continued is None:
                break
            found.append((found[-1][0], continued))
            numbered.append(numbered[-1])
        else:
            kind = _type_word(following["type"]) if following["type"] else kind
            found.append((kind, _parts(following["number"], following["limbs"])))
            numbered.append(len(following["number"].split(".")))
        at = following.end()
    rest = text[at:]
    return found, ("" if _TRAILING.match(rest) else rest.strip(" ,;/&"))


def _type_word(word: str) -> str:
    word = word.lower().rstrip(".")
    word = word[:-1] if word.endswith("s") and word not in ("s",) else word
    return _TYPES.get(word, "reg" if word.startswith("reg") else word)


def _parts(number: str, limbs: str | None) -> tuple[str, ...]:
    return (*number.lower().split("."), *_LIMB.findall((limbs or "").lower()))


def _continue(previous: tuple[str, ...], numbered: int, limbs: list[str]) -> tuple[str, ...] | None:
    """The provision "(2)" names after "reg 12(1) and": the previous one with its limbs from that level replaced.

    Limbs are numbers, then letters, then roman numerals ((1)(a)(i)); a continuation replaces the
    deepest limb of the same style, so "35(3)(a) and (b)" gives 35(3)(b) and "35(3)(a) and (4)" gives 35(4).
    """
    styles = []
    for limb in previous[numbered:]:
        if limb.isdigit():
            styles.append("number")
        else:
            styles.append("roman" if "letter" in styles and _ROMAN.match(limb) else "letter")
    first = limbs[0]
    if first.isdigit():
        wanted = {"number"}
    elif _ROMAN.match(first):
        wanted = {"roman", "letter"} if len(first) == 1 else {"roman"}
    else:
        wanted = {"letter"}
    for level in range(len(styles) - 1, -1, -1):
        # "(v)" after a number reads as a letter, but "(vi)" continuing it shows it was a numeral
        ambiguous = styles[level] == "letter" and "roman" in wanted and _ROMAN.match(previous[numbered + level])
        if styles[level] in wanted or ambiguous:
            return (*previous[: numbered + level], *limbs)
    return None


def _display(key: Citation) -> str:
    """A citation written back out: ("reg", ("12", "1")) is "reg 12(1)", ("std", ("9", "3")) is "std 9.3"."""
    kind, parts = key
    if kind == "std":
        return f"std {'.'.join(parts)}"
    return f"{kind} {parts[0]}" + "".join(f"({limb})" for limb in parts[1:])


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")).split())


class EvidenceMapper:
    """Resolves evidence items to requirement targets in one framework graph (build once, reuse)."""

    def __init__(self, graph: RequirementGraph) -> None:
        self.graph = graph
        self._provisions: dict[str, dict[Citation, str]] = {}
        self._statements: dict[str, str] = {}
        self._ids: dict[str, Requirement] = {}
        for requirement in graph.requirements():
            self._ids[requirement.id] = requirement
            key = citation_key(requirement.citation.provision)
            if key is not None:
                self._provisions.setdefault(requirement.instrument, {}).setdefault(key, requirement.id)
            if requirement.kind is RequirementKind.QUALITY_STATEMENT:  # the first holder of a title wins
                self._statements.setdefault(_words(requirement.title), requirement.id)
        self._cache: dict[tuple[tuple[str, ...], str, Source, SettingKind], tuple[tuple[Target, ...], tuple[_Problem, ...]]] = {}
        self._routed: dict[tuple[Source, SettingKind], str | None] = {}

    # ---- the entry point

    def targets(self, item: EvidenceItem, setting_kind: SettingKind) -> tuple[list[Target], list[Diagnostic]]:
        """The requirements ``item`` bears on in a setting of ``setting_kind``, and any problems resolving it."""
        found, problems = self._resolved(item.references, item.kind, item.source, setting_kind)
        if not problems:
            return list(found), []
        where = item.provenance or Location()
        return list(found), [make(_CODES[p.which], f"item {item.id}: {p.message}", where) for p in problems]

    def resolve(self, references: tuple[str, ...], kind: str, source: Source,
                setting_kind: SettingKind) -> tuple[tuple[Target, ...], bool]:
        """The targets of any item with these references, kind and source, and whether resolving them found problems.

        Every item alike in these three maps alike, so the assessment resolves each such class of
        items once per setting kind (:mod:`regframe.assess.plan`); the problems, which name the item
        and where it was read, come from :meth:`targets`, item by item.
        """
        found, problems = self._resolved(references, kind, source, setting_kind)
        return found, bool(problems)

    def _resolved(self, references: tuple[str, ...], kind: str, source: Source,
                  setting_kind: SettingKind) -> tuple[tuple[Target, ...], tuple[_Problem, ...]]:
        key = (references, kind, source, setting_kind)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._resolve(*key)
        return cached

    # ---- resolution

    def _resolve(self, references: tuple[str, ...], kind: str, source: Source,
                 setting_kind: SettingKind) -> tuple[tuple[Target, ...], tuple[_Problem, ...]]:
        found: dict[str, Target] = {}
        problems: list[_Problem] = []
        if references:
            for reference in references:
                for requirement_id in self._reference(reference, source, setting_kind, problems):
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

    def _reference(self, reference: str, source: Source, setting_kind: SettingKind, problems: list[_Problem]) -> list[str]:
        """The requirements one reference names (a list cites several), reporting what does not resolve."""
        text = reference.strip()
        if text in self._ids:
            return [text]
        by_ref = self.graph.find_by_ref(text)
        if by_ref is not None and by_ref.id in self._ids:
            return [by_ref.id]
        keys, rest = citations(text)
        if not keys:
            if source is Source.CQC:
                statement = self._statements.get(_words(_QS_PREFIX.sub("", text)))
                if statement is not None:
                    return [statement]
                problems.append(_Problem(REFERENCE_UNKNOWN.id, f"{reference!r} is not a requirement id, a citation "
                                         "or a CQC quality statement in this framework"))
                return []
            problems.append(_Problem(REFERENCE_UNKNOWN.id, f"{reference!r} is neither a requirement id nor a citation "
                                     "(such as 'Regulation 12(2)(a)' or 'Standard 9.3')"))
            return []
        found = []
        for key in keys:
            # one provision is named by the reference; one of a list, by itself within the reference
            cited = repr(reference) if len(keys) == 1 else f"{_display(key)!r} in {reference!r}"
            requirement_id = self._provision(key, cited, source, setting_kind, problems)
            if requirement_id is not None and requirement_id not in found:
                found.append(requirement_id)
        if rest:
            read = ", ".join(_display(key) for key in keys)
            problems.append(_Problem(REFERENCE_REMAINDER.id, f"{reference!r}: {rest!r} is not understood and maps to "
                                     f"nothing (read as {read}); write each citation as its own reference"))
        return found

    def _provision(self, key: Citation, cited: str, source: Source, setting_kind: SettingKind,
                   problems: list[_Problem]) -> str | None:
        """The requirement one cited provision names, or the nearest enclosing one held (with a warning)."""
        instrument = self._instrument(source, setting_kind)
        provisions = self._provisions.get(instrument or "", {})
        exact = provisions.get(key)
        if exact is not None:
            return exact
        kind, parts = key
        for cut in range(len(parts) - 1, 0, -1):
            enclosing = provisions.get((kind, parts[:cut]))
            if enclosing is not None:
                problems.append(_Problem(REFERENCE_BROADENED.id, f"{cited} is not in {instrument}; "
                                         f"mapped to {self._ids[enclosing].ref} ({enclosing})"))
                return enclosing
        where = f"instrument {instrument}" if instrument in self._provisions else (
            f"instrument {instrument}, which this framework does not hold" if instrument
            else "any instrument: no citation route matches")
        problems.append(_Problem(REFERENCE_UNKNOWN.id, f"{cited} resolves to no requirement in {where} "
                                 f"(source {source.value}, setting kind {setting_kind.value})"))
        return None

    def _instrument(self, source: Source, setting_kind: SettingKind) -> str | None:
        """The instrument a bare citation refers to, given who wrote it and about what kind of setting.

        The framework's citation routes say; they are followed once per pair, since every item is asked.
        """
        pair = (source, setting_kind)
        if pair not in self._routed:
            self._routed[pair] = route_citation(self.graph.framework.citation_routes, source.value, setting_kind.value)
        return self._routed[pair]

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


_CODES = {c.id: c for c in (REFERENCE_UNKNOWN, REFERENCE_BROADENED, REFERENCE_REMAINDER, KIND_UNKNOWN)}


def mapping_kinds(item: EvidenceItem, setting: Setting) -> tuple[SettingKind, ...]:
    """The setting kinds an item is mapped as: its setting's, and for a CQC item at a setting registered
    with CQC, CQC health provision too.

    CQC registers a dual-registered setting (a secure children's home, a residential special school)
    as health provision, whatever Ofsted calls it, so CQC's evidence about it bears on what CQC holds
    such a setting to as well as on the Ofsted requirements assessed under CQC's nodes; mapped under
    the Ofsted kind alone, a CQC rating would miss the fundamental standards that do not name that kind.
    """
    return mapping_kinds_for(item.source, setting.kind, setting.dual_registered)


def mapping_kinds_for(source: Source, kind: SettingKind, dual_registered: bool) -> tuple[SettingKind, ...]:
    """:func:`mapping_kinds` for any item from ``source`` at any setting of ``kind`` (registered with CQC too, or not)."""
    if source is Source.CQC and dual_registered and kind is not SettingKind.CQC_HEALTH_PROVISION:
        return (kind, SettingKind.CQC_HEALTH_PROVISION)
    return (kind,)


def targets_at(mapper: EvidenceMapper, item: EvidenceItem, setting: Setting) -> tuple[list[Target], list[Diagnostic]]:
    """:meth:`EvidenceMapper.targets` over :func:`mapping_kinds`: each requirement once, each problem once."""
    kinds = mapping_kinds(item, setting)
    if len(kinds) == 1:
        return mapper.targets(item, kinds[0])
    found: dict[str, Target] = {}
    problems: dict[Diagnostic, None] = {}
    for kind in kinds:
        targets, diagnostics = mapper.targets(item, kind)
        for target in targets:
            found.setdefault(target.requirement, target)
        problems.update(dict.fromkeys(diagnostics))
    return list(found.values()), list(problems)


@attrs.frozen
class MappingCheck:
    """What mapping an evidence set onto a framework found wrong, without assessing anything."""

    #: the warnings, each with its item's id and provenance, in the order the assessment meets them
    diagnostics: tuple[Diagnostic, ...] = ()
    #: items naming a setting the evidence does not hold: without its setting kind their references cannot be checked
    unchecked: int = 0

    @property
    def note(self) -> str | None:
        """A line for the user about the items that could not be checked, if any."""
        if not self.unchecked:
            return None
        return (f"{self.unchecked} evidence item(s) name a setting the input does not hold, so their references "
                "were not checked against the framework (give the Ofsted provider-level CSV or the file that "
                "holds those settings too)")


def check_mapping(framework: Framework | RequirementGraph, evidence: EvidenceSet) -> MappingCheck:
    """Map every item of every setting in ``evidence``, as the assessment does, and collect the problems."""
    graph = framework if isinstance(framework, RequirementGraph) else build_graph(framework)
    mapper = EvidenceMapper(graph)
    items = evidence.items_by_setting()
    problems: dict[Diagnostic, None] = {}
    for urn in sorted(evidence.settings):
        setting = evidence.settings[urn]
        for item in items.get(urn, ()):
            problems.update(dict.fromkeys(targets_at(mapper, item, setting)[1]))
    unchecked = sum(len(found) for urn, found in items.items() if urn not in evidence.settings)
    return MappingCheck(tuple(problems), unchecked)
