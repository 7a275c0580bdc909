"""What every setting of one kind shares at one as-at date, worked out once: the plan its assessment follows.

A national run assesses 3,500 settings against some 500 requirements each, and
almost everything about a requirement is the same at every setting of a kind:
whether it applies, its window, the parents whose evidence flows down to it,
the crosswalk counterparts its flags look at, the regulators that hold it. A
:class:`KindPlan` holds those facts for one kind of setting (and whether CQC
registers it too), built the first time a setting of that kind is met.

**Classes of items.** The mapping (:mod:`regframe.assess.mapping`) reads three
things of an item: its references, its evidence kind and its source. Items
alike in those three (a *class*: every reg 44 report from an independent
person, every Ofsted judgement citing ``sccif-ch.overall``) reach the same
requirements through the same links at every setting of a kind, so each
class's :class:`Route` is resolved once per plan, not once per item. A
national dataset of a million items holds a few dozen classes.

**Groups.** Which classes bear on a requirement (directly, or through a parent
whose positive and neutral evidence flows down), through which links, in which
window, is also the same at every setting of a kind. Requirements alike in all
of that form a :class:`Group` of the plan's :class:`Layout`: at any setting they
see exactly the same evidence in the same order, so they are judged once per
setting, together. What differs between members (a part's negative finding
flowing up to its parents, a missed deadline, a crosswalk counterpart's word)
is worked out per requirement where it occurs (:mod:`regframe.assess.setting`).
The layout is rebuilt when a class is met for the first time, since a new
class can split a group; settings assessed before keep the layout they were
judged with, which was right for them.

**Shapes.** Which of the classes a setting's items fall in decides, for every
group, which stretches of evidence it sees, and which groups see the same
evidence there. Settings whose items fall in the same classes share that too:
a :class:`Shape`, worked out once by :meth:`KindPlan.shape` (a national run's
3,500 settings show a few hundred) and made anew with the layout.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs

from regframe.assess.classes import ALL, NOT_NEGATIVE
from regframe.assess.facts import INSPECTING, FrameworkFacts
from regframe.assess.indicators import MetricScale, scales
from regframe.assess.mapping import EvidenceMapper, mapping_kinds_for
from regframe.assess.overdue import Terms
from regframe.assess.status import window_start
from regframe.framework.cadence import Duration
from regframe.framework.model import Requirement, SettingKind, Source

#: what the mapping reads of an item: its references, its evidence kind and its source (by value)
ClassKey = tuple[tuple[str, ...], str, str]
#: a stretch of a requirement's evidence: (which items, mask of classes, mask of those reached by a suspect link)
Stretch = tuple[int, int, int]
#: one class's items in a requirement's evidence: (stretch, which items, class, reached by a suspect link)
Part = tuple[int, int, int, bool]
#: the regulators a coverage count is kept for; a requirement neither holds counts under "other"
COVERAGE_REGULATORS = frozenset({"ofsted", "cqc"})


@attrs.frozen
class Route:
    """Where the items of one class go at settings of one kind."""

    #: the class's number in its plan: its bit in every mask of the plan's layouts
    bit: int
    #: each requirement reached, once, in the order the mapping gives them, and whether the first link that
    #: reached it is suspect (its target changed since review)
    targets: tuple[tuple[str, bool], ...]
    #: each target's place in ``targets``
    position: dict[str, int] = attrs.field(eq=False)
    #: whether resolving the class found problems (unknown references, say): reported item by item
    problems: bool
    #: the setting kinds its items are mapped as (:func:`~regframe.assess.mapping.mapping_kinds`)
    kinds: tuple[SettingKind, ...]


@attrs.frozen
class Group:
    """Requirements of a plan that see the same evidence at any setting of its kind (see the module docstring)."""

    #: their places in :attr:`KindPlan.applicable`, in order
    members: tuple[int, ...]
    #: for each parent whose positive and neutral evidence flows down (top first): the mask of classes
    #: reaching it, and of those through a suspect link (parents no class reaches are left out)
    chain: tuple[tuple[int, int], ...]
    #: the same for the requirements' own evidence
    own: tuple[int, int]
    window: Duration
    start: dt.date  # the window opens after this date
    #: at a setting registered with both, both regulators hold them (the single-regulator flag)
    joint: bool
    #: how many members each set of regulators holds (coverage): ((regulator, ...), count)
    held: tuple[tuple[tuple[str, ...], int], ...]


@attrs.frozen
class Shape:
    """What a layout's groups see at every setting whose items fall in the same classes (see :meth:`KindPlan.shape`)."""

    #: each group's evidence as stretches (its parents' first); ``None`` where no class present reaches it
    stretches: tuple[tuple[Stretch, ...] | None, ...]
    #: each group's evidence by its number in :attr:`evidence` (``None`` where nothing reaches it)
    judged: tuple[int | None, ...]
    #: each distinct evidence once, as a judgement reads it: its parts, in order, its window and the window's start
    evidence: tuple[tuple[tuple[Part, ...], Duration, dt.date], ...]
    #: for each distinct evidence, how many requirements of its groups each set of regulators holds (coverage)
    held: tuple[tuple[tuple[tuple[str, ...], int], ...], ...]
    #: the same for the groups nothing reaches
    unreached: tuple[tuple[tuple[str, ...], int], ...]
    #: the summaries the distinct evidence reads, each once: (class, which items, window start)
    summaries: tuple[tuple[int, int, dt.date], ...]
    #: each distinct evidence's parts as (stretch, number in :attr:`summaries`, suspect link), in order
    slots: tuple[tuple[tuple[int, int, bool], ...], ...]


@attrs.frozen
class Layout:
    """A plan's requirements in groups, for the classes known when it was built."""

    groups: tuple[Group, ...]
    #: each applicable requirement's group, by place
    group_of: tuple[int, ...]
    #: how many classes the plan knew when the layout was built (a later layout knows more)
    classes: int
    #: each group's number of members
    sizes: tuple[int, ...]


class KindPlan:
    """What every setting of one kind (registered with CQC too, or not) shares at one as-at date."""

    def __init__(self, framework_facts: FrameworkFacts, kind: SettingKind, dual_registered: bool,
                 mapper: EvidenceMapper) -> None:
        ff = framework_facts
        self.ff = ff
        self.kind = kind
        self.dual_registered = dual_registered
        self.mapper = mapper
        #: the assessed requirements that apply, parents before their parts
        self.applicable: tuple[str, ...] = tuple(ff.applicable_to(kind, dual_registered))
        #: each applicable requirement's place
        self.position: dict[str, int] = {rid: index for index, rid in enumerate(self.applicable)}
        facts = [ff.facts[rid] for rid in self.applicable]
        #: for each requirement, the places of the parents whose positive evidence flows down to it, top first:
        #: its parent, that one's parent and so on, as long as each applies
        self.chain: tuple[tuple[int, ...], ...] = tuple(self._chain(rid) for rid in self.applicable)
        self.window: tuple[Duration, ...] = tuple(f.window for f in facts)
        self.start: tuple[dt.date, ...] = tuple(window_start(ff.as_at, f.window) for f in facts)
        self.joint: tuple[bool, ...] = tuple(dual_registered and INSPECTING <= f.holders for f in facts)
        #: places of the requirements with a cadence (missed deadlines make them overdue)
        self.cadenced: tuple[int, ...] = tuple(i for i, f in enumerate(facts) if f.requirement.cadence is not None)
        #: what the missed deadlines of each cadence read of it, by place (those whose records are of a kind)
        self.terms: dict[int, Terms] = {i: Terms.of(cadence, ff.as_at) for i in self.cadenced
                                        if (cadence := facts[i].requirement.cadence) and cadence.evidence_kind}
        #: places of the requirements with crosswalk counterparts that apply here, and those counterparts' places
        self.counterparts: tuple[tuple[int, tuple[int, ...]], ...] = tuple(
            (i, places) for i, f in enumerate(facts)
            if (places := tuple(self.position[m] for m in f.counterparts if m in self.position)))
        #: the regulators holding each requirement, for coverage (``("other",)`` when neither inspecting one does)
        self.held: tuple[tuple[str, ...], ...] = tuple(
            tuple(sorted({r.value for r in f.requirement.regulators} & COVERAGE_REGULATORS)) or ("other",)
            for f in facts)
        #: the indicators that apply to the kind, each with its thresholds in force by metric
        self.indicators: tuple[tuple[Requirement, tuple[MetricScale, ...]], ...] = tuple(
            (indicator, scales(ff.thresholds(indicator))) for indicator in ff.indicators_for(kind))
        #: each top-level Panel recommendation, with the requirements it addresses that apply (id, place), and
        #: the indicators it addresses that are worked out here (those with thresholds in force), in order
        worked_out = {indicator.id for indicator, by_metric in self.indicators if by_metric}
        self.lens: tuple[tuple[str, tuple[tuple[str, int], ...], tuple[str, ...]], ...] = tuple(
            (r.id, tuple((a, self.position[a]) for a in ff.addressed[r.id] if a in self.position),
             tuple(a for a in ff.addressed[r.id] if a in worked_out)) for r in ff.recommendations)
        self._routes: dict[ClassKey, Route] = {}
        self._by_bit: list[Route] = []
        self._profiles: dict[str, int] = {}  # requirement -> mask of the classes reaching it
        self._suspects: dict[str, int] = {}  # requirement -> mask of the classes reaching it by a suspect link
        self._layout: Layout | None = None
        self._shapes: dict[int, Shape] = {}  # the layout's shapes, by the mask of the classes present
        self._bits: dict[int, tuple[int, ...]] = {}
        self._parts: dict[tuple[Stretch, ...], tuple[Part, ...]] = {}  # the parts of stretches, by the stretches

    def _chain(self, rid: str) -> tuple[int, ...]:
        chain = []
        node = self.ff.facts[rid].parent
        while node is not None and node in self.position:
            chain.append(self.position[node])
            node = self.ff.facts[node].parent
        return tuple(reversed(chain))

    # ---- classes

    def route(self, key: ClassKey) -> Route:
        """The route of a class of items (resolved the first time the class is met in this plan)."""
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = self._resolve(key)
            self._by_bit.append(found)
        return found

    def route_position(self, bit: int, rid: str) -> int:
        """Where ``rid`` comes among the targets of class ``bit`` (the order the mapping reached them in)."""
        return self._by_bit[bit].position[rid]

    def _resolve(self, key: ClassKey) -> Route:
        references, kind, value = key
        source = Source(value)
        kinds = mapping_kinds_for(source, self.kind, self.dual_registered)
        bit = len(self._routes)
        targets: dict[str, bool] = {}
        problems = False
        for setting_kind in kinds:
            found, troubled = self.mapper.resolve(references, kind, source, setting_kind)
            problems = problems or troubled
            for target in found:
                if target.requirement not in targets:
                    targets[target.requirement] = self.ff.is_suspect(target.via)
        flag = 1 << bit
        for rid, suspect in targets.items():
            self._profiles[rid] = self._profiles.get(rid, 0) | flag
            if suspect:
                self._suspects[rid] = self._suspects.get(rid, 0) | flag
        self._layout = None
        return Route(bit, tuple(targets.items()), {rid: i for i, rid in enumerate(targets)}, problems, kinds)

    def profile(self, rid: str) -> tuple[int, int]:
        """The mask of the classes known to reach ``rid``, and of those reaching it through a suspect link."""
        return self._profiles.get(rid, 0), self._suspects.get(rid, 0)

    def bits(self, mask: int) -> tuple[int, ...]:
        """The class numbers in ``mask``, lowest first."""
        found = self._bits.get(mask)
        if found is None:
            found = self._bits[mask] = tuple(bit for bit in range(mask.bit_length()) if mask >> bit & 1)
        return found

    # ---- groups

    def layout(self) -> Layout:
        """The requirements in groups, for every class met so far (rebuilt after a new one)."""
        if self._layout is None:
            self._layout = self._lay_out()
            self._shapes = {}
        return self._layout

    def shape(self, present: int) -> Shape:
        """How the groups of :meth:`layout` see the evidence of a setting whose items fall in the classes of
        ``present`` (a mask), worked out once for all such settings: a national run's 3,500 settings show
        a few hundred.

        Groups that see the same classes in the same order, in the same window, see the same evidence
        at such a setting, and are judged once, together.
        """
        layout = self.layout()
        found = self._shapes.get(present)
        if found is None:
            found = self._shapes[present] = self._shape(layout, present)
        return found

    def _shape(self, layout: Layout, present: int) -> Shape:
        stretches: list[tuple[Stretch, ...] | None] = []
        judged: list[int | None] = []
        numbers: dict[tuple, int] = {}
        evidence: list[tuple[tuple[Part, ...], Duration, dt.date]] = []
        held: list[Counter[tuple[str, ...]]] = []
        unreached: Counter[tuple[str, ...]] = Counter()
        for group in layout.groups:
            chain = tuple((NOT_NEGATIVE, mask & present, suspect & present)
                          for mask, suspect in group.chain if mask & present)
            own, own_suspect = group.own
            if not (own & present or chain):
                stretches.append(None)
                judged.append(None)
                unreached.update(dict(group.held))
                continue
            seen = chain + ((ALL, own & present, own_suspect & present),)
            stretches.append(seen)
            key = (seen, group.start, group.window)
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = len(evidence)
                evidence.append((self.parts(seen), group.window, group.start))
                held.append(Counter())
            held[number].update(dict(group.held))
            judged.append(number)
        summaries: dict[tuple[int, int, dt.date], int] = {}
        slots = tuple(tuple((segment, summaries.setdefault((bit, which, start), len(summaries)), suspect)
                            for segment, which, bit, suspect in parts) for parts, _window, start in evidence)
        return Shape(tuple(stretches), tuple(judged), tuple(evidence),
                     tuple(tuple(sorted(counts.items())) for counts in held), tuple(sorted(unreached.items())),
                     tuple(summaries), slots)

    def parts(self, stretches: tuple[Stretch, ...]) -> tuple[Part, ...]:
        """The classes of some stretches one by one, in order: (stretch, which items, class, suspect link).

        Worked out once for each tuple of stretches: the same come up in shape after shape, and in the judgements apart.
        """
        found = self._parts.get(stretches)
        if found is None:
            found = self._parts[stretches] = tuple(
                (segment, which, bit, bool(suspect >> bit & 1))
                for segment, (which, mask, suspect) in enumerate(stretches) for bit in self.bits(mask))
        return found

    def _lay_out(self) -> Layout:
        keys: dict[tuple, int] = {}
        members: list[list[int]] = []
        group_of: list[int] = []
        for index, rid in enumerate(self.applicable):
            chain = tuple(self.profile(self.applicable[a]) for a in self.chain[index]
                          if self.profile(self.applicable[a])[0])
            key = (chain, self.profile(rid), self.window[index], self.joint[index])
            group = keys.get(key)
            if group is None:
                group = keys[key] = len(members)
                members.append([])
            members[group].append(index)
            group_of.append(group)
        groups = []
        for (chain, own, window, joint), places in zip(keys, members, strict=True):
            held = Counter(self.held[i] for i in places)
            groups.append(Group(tuple(places), chain, own, window, self.start[places[0]], joint,
                                tuple(sorted(held.items()))))
        return Layout(tuple(groups), tuple(group_of), len(self._routes), tuple(len(m) for m in members))
