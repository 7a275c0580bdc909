"""What the shipped framework must hold: the catalogue issue's acceptance rules, on the real files."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from regframe.core.resources import standards_dir
from regframe.framework import catalogue_files, check_framework
from regframe.framework.cadence import Duration
from regframe.framework.graph import build_graph
from regframe.framework.model import Confidence, Rel, RequirementKind

TODAY = dt.date(2026, 12, 3)  # the latest last-checked date in the shipped catalogue

#: Paragraph (2) of each Quality Standard, limb by limb, as the domain brief gives the made text.
QUALITY_STANDARD_LIMBS = {
    6: ["a", "b", *(f"b.{n}" for n in "i ii iii iv v vi vii viii ix".split()), "c", "d"],
    7: ["a", *(f"a.{n}" for n in "i ii iii iv v vi vii".split()), "b", "b.i", "b.ii", "b.iii", "c"],
    8: ["a", *(f"a.{n}" for n in "i ii iii iv v vi vii viii ix x".split()), "b"],
    9: ["a", "a.i", "a.ii", "a.iii", "b"],
    10: ["a", "a.i", "a.ii", "a.iii", "a.iv", "b", "c"],
    11: ["a", *(f"a.{n}" for n in "i ii iii iv v vi vii viii ix x xi".split())],
    12: ["a", *(f"a.{n}" for n in "i ii iii iv v vi vii".split()), "b", "c", "d", "e"],
    13: list("abcdefgh"),
    14: ["a", "b", "b.i", "b.ii", "b.iii", "c", "d", "e", "e.i", "e.ii", "e.iii", "f"],
}
#: The lettered limbs of paragraph (1), read in the legislation.gov.uk revised text (regs 8, 9 and 12 have none).
PARAGRAPH_1_LIMBS = {6: "ab", 7: "abc", 10: "abc", 11: "abc", 13: "ab", 14: "ab"}
NATIONAL = [f"csprp2023.r{n}" for n in range(1, 10)]
SUPPLEMENTARY = [f"csprp2023.s{n}" for n in range(1, 9)]


@pytest.fixture(scope="module")
def shipped():
    framework, problems = check_framework()
    return framework, problems, build_graph(framework)


def test_the_shipped_framework_validates_clean(shipped):
    _, problems, _ = shipped
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("regulation", sorted(QUALITY_STANDARD_LIMBS))
def test_each_quality_standard_has_every_paragraph_2_limb(shipped, regulation):
    _, _, graph = shipped
    expected = {f"chr2015.r{regulation}.2.{limb}" for limb in QUALITY_STANDARD_LIMBS[regulation]}
    present = {r.id for r in graph.descendants(f"chr2015.r{regulation}.2")}
    assert expected - present == set()
    assert graph.requirement(f"chr2015.r{regulation}").kind is RequirementKind.OUTCOME
    assert graph.requirement(f"chr2015.r{regulation}.1").kind is RequirementKind.OUTCOME


@pytest.mark.parametrize("regulation", sorted(PARAGRAPH_1_LIMBS))
def test_each_outcome_paragraph_has_its_lettered_limbs_as_outcomes(shipped, regulation):
    _, _, graph = shipped
    limbs = {r.id: r for r in graph.children(f"chr2015.r{regulation}.1")}
    assert sorted(limbs) == [f"chr2015.r{regulation}.1.{letter}" for letter in PARAGRAPH_1_LIMBS[regulation]]
    assert {r.kind for r in limbs.values()} == {RequirementKind.OUTCOME}
    assert {r.citation.provision for r in limbs.values()} == {f"reg {regulation}(1)({letter})" for letter in PARAGRAPH_1_LIMBS[regulation]}


def test_all_17_recommendations_exist(shipped):
    _, _, graph = shipped
    found = {r.id for r in graph.requirements(kind=RequirementKind.RECOMMENDATION) if "." not in r.id.split(".", 1)[1]}
    assert found == set(NATIONAL + SUPPLEMENTARY)
    assert {r.id for r in graph.children("csprp2023.r9")} == {"csprp2023.r9.a", "csprp2023.r9.b"}


def test_each_national_recommendation_is_addressed_in_force_or_by_an_explicit_proposal(shipped):
    from regframe.revisions.revision import load_revision_framework

    _, _, graph = shipped
    proposals = build_graph(load_revision_framework(standards_dir() / "revisions" / "csprp2023-proposals.xml"))
    unaddressed = []
    for rec in NATIONAL:
        in_force = [r for r in graph.addressed_by(rec) if r.in_force(TODAY) and r.kind is not RequirementKind.INDICATOR]
        proposed = [r for r in proposals.addressed_by(rec) if r.instrument not in {i.id for i in graph.framework.instruments}]
        if not in_force and not proposed:
            unaddressed.append(rec)
    assert unaddressed == []


def test_the_recommendations_with_force_today_are_the_setting_level_ones(shipped):
    _, _, graph = shipped
    with_force = sorted(
        rec for rec in NATIONAL + SUPPLEMENTARY
        if any(r.in_force(TODAY) and r.kind is not RequirementKind.INDICATOR for r in graph.addressed_by(rec))
    )
    assert with_force == ["csprp2023.r1", "csprp2023.r6", "csprp2023.r7", "csprp2023.r8", "csprp2023.r9",
                          "csprp2023.s1", "csprp2023.s5"]


@pytest.mark.parametrize("regulation", range(6, 15))
def test_every_quality_standard_maps_to_cqc_and_to_an_sccif_judgement(shipped, regulation):
    _, _, graph = shipped
    rid = f"chr2015.r{regulation}"
    counterparts = {m.requirement.instrument for m in graph.maps_to(rid)}
    assessed = {r.instrument for r in graph.assessed_under(rid)}
    assert counterparts & {"cqc-ra2014", "cqc-saf"}
    assert (counterparts | assessed) & {"sccif-ch"}


def test_every_cadence_parses_and_names_a_known_evidence_kind(shipped):
    framework, _, graph = shipped
    kinds = {k.id for k in framework.evidence_kinds()}
    cadences = [r for r in framework.requirements() if r.cadence is not None]
    assert len(cadences) >= 10
    for requirement in cadences:
        for step in requirement.cadence.steps:
            assert Duration.parse(str(step.duration)) == step.duration
        assert requirement.cadence.evidence_kind is None or requirement.cadence.evidence_kind in kinds


def test_the_named_cadences_are_as_the_law_sets_them(shipped):
    _, _, graph = shipped

    def steps(rid):
        return [(s.kind.value, str(s.duration), str(s.until) if s.until else None)
                for s in graph.requirement(rid).cadence.steps]

    assert steps("chr2015.r44") == [("each", "1 month", None)]  # "at least once each month": calendar months
    assert steps("chr2015.r46") == [("each", "1 year", None)]  # "at least once in each calendar year"
    assert steps("chr2015.r28.2.c") == [("within", "3 years", None)]
    assert steps("chr2015.r48.3") == [("within", "1 week", None)] and steps("chr2015.r48.5") == [("within", "7 days", None)]
    assert steps("chr2015.r36.2.a") == [("retain", "15 years", None)] and steps("chr2015.r36.2.b") == [("retain", "75 years", None)]
    assert [s.times for s in graph.requirement("cppcr2010.r33").cadence.steps] == [None, 1, None]
    assert steps("cppcr2010.r33") == [("within", "20 working-days", None), ("every", "3 months", None), ("every", "6 months", None)]
    assert steps("cppcr2010.r48.reviews") == [("within", "3 months", None), ("every", "6 months", None)]
    assert graph.requirement("cppcr2010.r48.reviews").confidence is Confidence.SECONDARY  # read only in LA procedures
    assert ("every", "6 months", None) in steps("chr2015.r45") and ("follow-up", "28 days", None) in steps("chr2015.r45")
    assert steps("cppcr2010.r28") == [("within", "1 week", None), ("every", "6 weeks", "1 year"), ("every", "3 months", None)]
    assert steps("wt2023.lado.referral") == [("within", "1 working-day", None)]
    assert steps("chr2015.r35.3.a")[0] == ("within", "24 hours", None)


def test_no_node_lacks_a_citation(shipped):
    framework, _, _ = shipped
    for requirement in framework.requirements():
        citation = requirement.citation
        assert citation.instrument.strip() and citation.provision.strip(), requirement.id
        assert citation.url.startswith(("http://", "https://")), requirement.id
        assert citation.last_checked <= TODAY, requirement.id


def test_unconfirmed_numbering_is_carried_not_hidden(shipped):
    framework, _, _ = shipped
    rss = [r for r in framework.requirements() if r.instrument == "rssnms2022"]
    assert rss and all(r.confidence is not Confidence.CONFIRMED for r in rss)


def test_every_instrument_file_starts_with_a_source_comment():
    for path in catalogue_files(standards_dir()):
        head = path.read_text(encoding="utf-8")[:3000]
        assert re.search(r"<!--", head), path.name
        if "<instrument" in head:
            comment = head[head.index("<!--"):head.index("-->")]
            assert re.search(r"https?://|Source:", comment), path.name  # a URL with "--" cannot sit in a comment
            assert re.search(r"[Ll]ast[- ]checked", comment), path.name


def test_no_shipped_link_is_suspect(shipped):
    _, _, graph = shipped
    assert graph.suspect_links() == []
    assert all(link.fingerprint for link in graph.framework.links() if link.target in graph and
               "requirement" in graph.graph.nodes[link.target] and link.rel is not Rel.EVIDENCED_BY)


def test_the_per_child_cadences_of_cppcr_2010_run_for_looked_after_children_only(shipped):
    # Framework data, not code: the assessment skips a child who is not looked after because the cadence says so.
    per_child = {r.id: r.cadence.children for r in shipped[0].requirements()
                 if r.instrument == "cppcr2010" and r.cadence and r.cadence.anchor in ("placement-start", "looked-after-start")}
    assert per_child and set(per_child.values()) == {"looked-after"}


def test_a_cadence_s_children_and_a_kind_s_signal_survive_a_write_and_a_read(shipped, tmp_path):
    from regframe.core.resources import standards_dir
    from regframe.framework.catalogue import read_file, write_file

    for name in ("cppcr2010.xml", "evidence-kinds.xml"):
        document, problems = read_file(standards_dir() / name)
        write_file(document, tmp_path / name)
        again, again_problems = read_file(tmp_path / name)
        assert (again, again_problems) == (document, [])
