"""The semantic tier: each rule, on a small hand-built set of requirements."""

from __future__ import annotations

import datetime as dt

import attrs

from regframe.core.diagnostics import Location
from regframe.framework import checks
from regframe.framework.model import (
    Citation,
    Confidence,
    Effective,
    EvidenceKind,
    Independence,
    Link,
    MappingConfidence,
    Regulator,
    Rel,
    Relationship,
    Requirement,
    RequirementKind,
    statement_fingerprint,
)
from tests.conftest import FIXTURES

CITE = Citation("X", "1", "https://example.org", dt.date(2026, 11, 22))


def req(rid: str, *links: tuple[Rel, str], kind=RequirementKind.DUTY, regulators=(Regulator.OFSTED,), end=None,
        statement="A duty.") -> Requirement:
    return Requirement(
        id=rid, ref=rid.upper(), kind=kind, title=rid, statement=statement,
        effective=Effective(dt.date(2015, 1, 1), end), citation=CITE, confidence=Confidence.CONFIRMED,
        instrument=rid.split(".")[0], regulators=regulators,
        links=tuple(Link(rid, rel, target, origin=Location(file="f.xml", line=i + 1)) for i, (rel, target) in enumerate(links)),
        origin=Location(file="f.xml", line=100),
    )


KIND = EvidenceKind("ek.report", "Report", "A report.", Independence.INDEPENDENT)


def codes(requirements, kinds=(KIND,), extra=()):
    return sorted(p.code for p in checks.check(requirements, kinds, extra))


def test_a_clean_set_has_no_problems():
    assert codes([req("a.r1"), req("a.r1.a", (Rel.PART_OF, "a.r1"), (Rel.EVIDENCED_BY, "ek.report"))]) == []


def test_duplicate_id_names_the_first_declaration():
    problems = checks.check([req("a.r1"), req("a.r1")], [KIND])
    assert [p.code for p in problems] == ["RF201"]
    assert "already declared at f.xml:100" in problems[0].message


def test_dangling_link_target():
    assert codes([req("a.r1", (Rel.REQUIRES, "a.nowhere"))]) == ["RF202"]


def test_part_of_cycle_is_reported_once_with_its_path():
    problems = checks.check(
        [req("a.r1", (Rel.PART_OF, "a.r2")), req("a.r2", (Rel.PART_OF, "a.r3")), req("a.r3", (Rel.PART_OF, "a.r1"))],
        [KIND])
    assert [p.code for p in problems] == ["RF203"]
    assert problems[0].message == "cycle: a.r1 → a.r2 → a.r3 → a.r1"


def test_self_refinement_is_a_cycle():
    assert codes([req("a.r1", (Rel.REFINES, "a.r1"))]) == ["RF203"]


def test_link_into_a_withdrawn_requirement_is_a_warning():
    old = req("b.r1", end=dt.date(2020, 1, 1))
    assert codes([old, req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"))]) == ["RF204"]


def test_link_into_a_requirement_to_be_withdrawn_is_warned_of_already_whatever_the_date():
    """No check reads the clock: a withdrawal still to come (a revision's, say) is known now, and warned of now."""
    later = req("b.r1", end=dt.date(2099, 4, 1))
    problems = checks.check([later, req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"))], [KIND])
    assert [(p.code, p.message) for p in problems] == [
        ("RF204", "a.r1 cross-references b.r1, which is not in force from 2099-04-01")]


def test_link_into_a_withdrawn_requirement_beside_a_link_to_its_successor_is_fine():
    """A dated revision keeps the old link (in force until the day) and links the successor from that day."""
    old = req("b.r1", end=dt.date(2027, 1, 1))
    successor = attrs.evolve(req("b.r2"), effective=Effective(dt.date(2027, 1, 1)))
    source = req("a.r1", (Rel.MAPS_TO, "b.r1"), (Rel.MAPS_TO, "b.r2"))
    source = attrs.evolve(source, links=tuple(attrs.evolve(link, relationship=Relationship.INTERSECTS_WITH,
                                                           confidence=Confidence.CONFIRMED) for link in source.links))
    assert codes([old, successor, source]) == []
    alone = attrs.evolve(source, links=source.links[:1])  # without the successor's link, the warning stands
    assert codes([old, successor, alone]) == ["RF204"]


def test_a_successor_comes_into_force_on_the_very_day_and_is_not_the_target_itself():
    old = req("b.r1", end=dt.date(2027, 1, 1))
    late = attrs.evolve(req("b.r2"), effective=Effective(dt.date(2027, 1, 2)))  # a day's gap: no force that day
    assert codes([old, late, req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"), (Rel.CROSS_REFERENCES, "b.r2"))]) == [
        "RF204"]
    empty = attrs.evolve(req("b.r1"), effective=Effective(dt.date(2027, 1, 1), dt.date(2027, 1, 1)))
    assert codes([empty, req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"))]) == ["RF204"]  # not its own successor


def test_a_source_withdrawn_with_its_target_is_not_warned_of():
    old = req("b.r1", end=dt.date(2027, 1, 1))
    assert codes([old, req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"), end=dt.date(2027, 1, 1))]) == []


def test_a_requirement_linked_beside_the_withdrawn_one_all_along_is_no_successor():
    old = req("b.r1", end=dt.date(2027, 1, 1))
    source = req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"), (Rel.CROSS_REFERENCES, "b.r2"))
    assert codes([old, req("b.r2"), source]) == ["RF204"]
    # nor is a successor linked some other way
    later = attrs.evolve(req("b.r2"), effective=Effective(dt.date(2027, 1, 1)))
    other_way = req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"), (Rel.REQUIRES, "b.r2"))
    assert codes([old, later, other_way]) == ["RF204"]


def test_link_between_two_withdrawn_requirements_is_fine():
    old = req("b.r1", end=dt.date(2020, 1, 1))
    assert codes([old, req("a.r1", (Rel.CROSS_REFERENCES, "b.r1"), end=dt.date(2019, 1, 1))]) == []


def test_requirement_without_a_regulator_is_an_error_whether_withdrawn_or_not():
    """An assessment as at a day before a withdrawal judges the requirement, so it needs a holder too."""
    assert codes([req("a.r1", regulators=())]) == ["RF205"]
    assert codes([req("a.r1", regulators=(), end=dt.date(2020, 1, 1))]) == ["RF205"]
    assert codes([req("a.r1", regulators=(), end=dt.date(2099, 1, 1))]) == ["RF205"]
    assert codes([req("a.r1", regulators=(), kind=RequirementKind.FINDING)]) == []


def test_link_with_an_out_of_date_fingerprint_is_suspect():
    target = req("b.r1", statement="New wording.")
    stale = Link("a.r1", Rel.MAPS_TO, "b.r1", Relationship.EQUIVALENT_TO, MappingConfidence.HIGH,
                 fingerprint=statement_fingerprint("Old wording."))
    fresh = attrs.evolve(stale, fingerprint=statement_fingerprint("New  wording."))
    assert codes([target, req("a.r1")], extra=[stale]) == ["RF206"]
    assert codes([target, req("a.r1")], extra=[fresh]) == []


def test_maps_to_needs_relationship_and_confidence():
    assert codes([req("b.r1"), req("a.r1", (Rel.MAPS_TO, "b.r1"))]) == ["RF207"]


def test_evidenced_by_must_point_at_an_evidence_kind_and_others_at_requirements():
    assert codes([req("b.r1"), req("a.r1", (Rel.EVIDENCED_BY, "b.r1"))]) == ["RF208"]
    assert codes([req("a.r1", (Rel.REQUIRES, "ek.report"))]) == ["RF208"]


def test_addresses_from_a_duty_is_a_warning():
    assert codes([req("b.r1"), req("a.r1", (Rel.ADDRESSES, "b.r1"))]) == ["RF209"]
    assert codes([req("b.r1"), req("a.r1", (Rel.ADDRESSES, "b.r1"), kind=RequirementKind.RECOMMENDATION)]) == []


def test_validate_checks_a_manifests_routes_against_the_files_it_includes_given_or_not():
    """A manifest's routes are judged against its own files' instruments, read if they were not given."""
    from regframe.cli.validate import check_paths

    routes = FIXTURES / "routes" / "bad-routes.xml"
    mapping = [FIXTURES / "mapping" / name for name in ("evidence-kinds.xml", "chr2015.xml", "sccif-ch.xml")]
    expected = [("RF214", 9), ("RF214", 10), ("RF214", 11)]
    assert [(p.code, p.location.line) for p in check_paths([routes])[0]] == expected
    assert [(p.code, p.location.line) for p in check_paths([routes, *mapping])[0]] == expected
    assert check_paths([FIXTURES / "routes" / "framework.xml"])[0] == []


def test_a_route_after_one_that_matches_everything_it_does_is_never_used():
    from regframe.framework.checks import check_routes
    from regframe.framework.model import CitationRoute

    def route(instrument: str, source: str | None = None, kind: str | None = None, line: int = 0) -> CitationRoute:
        return CitationRoute(instrument, source, kind, origin=Location(file="f.xml", line=line))

    problems = check_routes([
        route("chr2015", kind="childrens-home", line=3), route("cppcr2010", source="placing-la", line=4),
        route("chr2015", line=5), route("rssnms2022", kind="residential-special-school", line=6),
        route("cppcr2010", source="placing-la", kind="childrens-home", line=7),
    ], ["chr2015", "cppcr2010", "rssnms2022"])
    assert [(p.code, p.location.line, p.message) for p in problems] == [
        ("RF215", 6, "route to rssnms2022 is never used: the route to chr2015 before it (line 5) matches everything it does"),
        ("RF215", 7, "route to cppcr2010 is never used: the route to chr2015 before it (line 3) matches everything it does"),
    ]


def _counting(rid: str, kind_id: str) -> Requirement:
    """A duty whose cadence counts records of ``kind_id`` (one within a day of each event)."""
    from regframe.framework.cadence import Cadence, Duration, Step, StepKind, Unit

    cadence = Cadence("event", (Step(StepKind.WITHIN, Duration(1, Unit.DAY)),), kind_id)
    return attrs.evolve(req(rid), cadence=cadence)


NAMED = EvidenceKind("ek.notice", "Notification of an event", "A notice.", Independence.PROVIDER,
                     noun="notification of an event", plural="notifications of an event")
UNNAMED = EvidenceKind("ek.notice", "Notification of an event", "A notice.", Independence.PROVIDER,
                       origin=Location(file="kinds.xml", line=7))


def test_a_cadence_counting_an_unknown_evidence_kind_is_an_error():
    assert codes([_counting("a.r1", "ek.nowhere")]) == ["RF210"]


def test_a_cadence_counting_a_kind_with_a_noun_is_clean():
    assert codes([_counting("a.r1", "ek.notice")], kinds=(KIND, NAMED)) == []


def test_a_counted_kind_without_a_noun_is_warned_of_once_at_the_kind_with_the_words_reasons_will_use():
    problems = checks.check([_counting("a.r1", "ek.notice"), _counting("a.r2", "ek.notice")], [KIND, UNNAMED])
    assert [(p.code, str(p.location)) for p in problems] == [("RF216", "kinds.xml:7")]
    assert problems[0].message == ("evidence kind 'ek.notice', which a.r1's cadence counts, has no noun: reasons "
                                   "will say 'Notification of an events'")


def test_a_kind_no_cadence_counts_needs_no_noun():
    assert codes([req("a.r1", (Rel.EVIDENCED_BY, "ek.notice"))], kinds=(KIND, UNNAMED)) == []
