"""Mapping evidence onto requirements: citations, evidenced-by links, assessed-under links, suspect links.

Uses the small framework in tests/fixtures/mapping (real instrument ids and citation styles,
invented text), and once the shipped framework.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from regframe.assess.facts import FrameworkFacts
from regframe.assess.mapping import EvidenceMapper, Target, check_mapping, citation_key, citations
from regframe.core.diagnostics import Location
from regframe.evidence import EvidenceItem, Source
from regframe.framework import FrameworkInvalid, check_framework, load_framework
from regframe.framework.graph import build_graph
from regframe.framework.model import DEFAULT_CITATION_ROUTES, Rel, SettingKind
from tests.conftest import TESTS

MANIFEST = TESTS / "fixtures" / "mapping" / "framework.xml"
CH = SettingKind.CHILDRENS_HOME


@pytest.fixture(scope="module")
def mapper() -> EvidenceMapper:
    framework, _problems = check_framework(MANIFEST)
    return EvidenceMapper(build_graph(framework))


def _item(*refs: str, source: Source = Source.OFSTED, kind: str = "ek.ofsted-action", line: int = 7) -> EvidenceItem:
    return EvidenceItem("it-1", "SC123456", source, kind, dt.date(2023, 6, 1), source.default_independence,
                        references=refs, provenance=Location(file="e.xml", line=line))


def _ids(targets: list[Target]) -> list[str]:
    return [t.requirement for t in targets]


def test_citations_normalise_to_type_and_parts():
    assert citation_key("Regulation 35(3)(a)") == ("reg", ("35", "3", "a"))
    assert citation_key("reg 35 (3)(a)") == ("reg", ("35", "3", "a"))
    assert citation_key("Standard 9.3") == ("std", ("9", "3"))
    assert citation_key("reg 9A") == ("reg", ("9a",))
    assert citation_key("section 85") == ("s", ("85",))
    assert citation_key("Safeguarding") is None


def test_an_exact_stable_id_resolves_to_itself(mapper):
    assert mapper.targets(_item("chr2015.r35.3.a"), CH) == ([Target("chr2015.r35.3.a")], [])


def test_a_human_ref_resolves_to_its_requirement(mapper):
    assert mapper.targets(_item("CHR 2015 reg 35(3)(a)"), CH) == ([Target("chr2015.r35.3.a")], [])


@pytest.mark.parametrize("citation", ["Regulation 35(3)(a)", "reg 35(3)(a)", "Reg. 35 (3) (a)"])
def test_an_ofsted_citation_about_a_childrens_home_resolves_in_chr2015(mapper, citation):
    assert mapper.targets(_item(citation), CH) == ([Target("chr2015.r35.3.a")], [])


def test_an_ofsted_citation_about_a_residential_special_school_resolves_in_the_nms(mapper):
    targets, problems = mapper.targets(_item("Standard 9.3"), SettingKind.RESIDENTIAL_SPECIAL_SCHOOL)
    assert (_ids(targets), problems) == (["rssnms2022.s9.3"], [])


def test_a_cqc_regulation_number_resolves_in_the_cqc_regulations(mapper):
    targets, problems = mapper.targets(_item("Regulation 13(4)(b)", source=Source.CQC), SettingKind.RSS_CHILDRENS_HOME)
    assert (_ids(targets), problems) == (["cqc-ra2014.r13.4.b"], [])


def test_a_placing_la_citation_resolves_in_the_care_planning_regulations(mapper):
    targets, problems = mapper.targets(_item("Regulation 13(4)", source=Source.PLACING_LA), CH)
    assert (_ids(targets), problems) == (["cppcr2010.r13.4"], [])


def test_an_unknown_regulation_number_is_a_warning_at_the_items_location_and_maps_to_nothing(mapper):
    targets, problems = mapper.targets(_item("Regulation 99"), CH)
    assert targets == []
    assert [(p.code, p.severity.value, p.location, p.message) for p in problems] == [(
        "RF330", "warning", Location(file="e.xml", line=7),
        "item it-1: 'Regulation 99' resolves to no requirement in instrument chr2015 "
        "(source ofsted, setting kind childrens-home)",
    )]


def test_an_unknown_reference_does_not_hide_the_known_ones_beside_it(mapper):
    targets, problems = mapper.targets(_item("Regulation 99", "reg 35(3)(a)"), CH)
    assert (_ids(targets), [p.code for p in problems]) == (["chr2015.r35.3.a"], ["RF330"])


def test_a_limb_the_catalogue_lacks_resolves_to_the_enclosing_provision_with_a_warning(mapper):
    targets, problems = mapper.targets(_item("Regulation 35(3)(b)"), CH)
    assert _ids(targets) == ["chr2015.r35.3"]
    assert [p.code for p in problems] == ["RF331"]


def test_text_that_is_neither_id_nor_citation_is_reported(mapper):
    targets, problems = mapper.targets(_item("see the report"), CH)
    assert (targets, [p.code for p in problems]) == ([], ["RF330"])


@pytest.mark.parametrize("text, expected", [
    ("Regulation 44, 45", [("reg", ("44",)), ("reg", ("45",))]),
    ("Regulations 12 and 13", [("reg", ("12",)), ("reg", ("13",))]),
    ("reg 12; 13 / 14 & 15, and 16", [("reg", (n,)) for n in ("12", "13", "14", "15", "16")]),
    ("Standard 9.3, 9.4 and 10", [("std", ("9", "3")), ("std", ("9", "4")), ("std", ("10",))]),
    ("Regulation 44 and Standard 3", [("reg", ("44",)), ("std", ("3",))]),
    ("Regulation 12(1) and (2)", [("reg", ("12", "1")), ("reg", ("12", "2"))]),
    ("reg 35(3)(a) and (b)", [("reg", ("35", "3", "a")), ("reg", ("35", "3", "b"))]),
    ("reg 35(3)(a) and (4)", [("reg", ("35", "3", "a")), ("reg", ("35", "4"))]),
    ("reg 12(2)(a)(iv) and (v)", [("reg", ("12", "2", "a", "iv")), ("reg", ("12", "2", "a", "v"))]),
])
def test_a_list_after_one_type_word_gives_every_provision_listed(text, expected):
    assert citations(text) == (expected, "")


@pytest.mark.parametrize("text, expected", [
    ("Regulation 12 or 13", ([("reg", ("12",))], "or 13")),
    ("Regulation 12-14", ([("reg", ("12",))], "-14")),
    ("Regulation 12 of the 2015 Regulations", ([("reg", ("12",))], "of the 2015 Regulations")),
    ("Regulation 44 & Annex A", ([("reg", ("44",))], "Annex A")),
    ("Regulation 12 and (2)", ([("reg", ("12",))], "and (2)")),  # no limb for (2) to continue
    ("Regulation 12.", ([("reg", ("12",))], "")),  # trailing punctuation is not a remainder
    ("see the report", ([], "see the report")),
])
def test_text_a_citation_list_does_not_explain_is_returned_as_the_remainder(text, expected):
    assert citations(text) == expected


@pytest.mark.parametrize("citation", ["Regulation 12, 44", "Regulations 12 and 44", "reg 12; 44", "Regulation 12 & 44",
                                      "Regulation 12/44"])
def test_a_list_citation_resolves_to_every_listed_requirement(mapper, citation):
    assert mapper.targets(_item(citation), CH) == ([Target("chr2015.r12"), Target("chr2015.r44")], [])


def test_a_limb_continuation_resolves_each_limb(mapper):
    assert mapper.targets(_item("Regulation 35(3)(a) and (3)"), CH) == (
        [Target("chr2015.r35.3.a"), Target("chr2015.r35.3")], [])


def test_an_unknown_provision_in_a_list_is_a_warning_naming_it_and_the_rest_still_maps(mapper):
    targets, problems = mapper.targets(_item("Regulation 44, 99"), CH)
    assert _ids(targets) == ["chr2015.r44"]
    assert [(p.code, str(p.location), p.message) for p in problems] == [(
        "RF330", "e.xml:7", "item it-1: 'reg 99' in 'Regulation 44, 99' resolves to no requirement in instrument "
        "chr2015 (source ofsted, setting kind childrens-home)",
    )]


def test_a_remainder_that_is_not_understood_is_a_warning_at_the_items_location(mapper):
    targets, problems = mapper.targets(_item("Regulation 12 or 44"), CH)
    assert _ids(targets) == ["chr2015.r12"]
    assert [(p.code, p.severity.value, str(p.location), p.message) for p in problems] == [(
        "RF333", "warning", "e.xml:7", "item it-1: 'Regulation 12 or 44': 'or 44' is not understood and maps to "
        "nothing (read as reg 12); write each citation as its own reference",
    )]


def test_an_item_without_references_maps_through_evidenced_by_filtered_by_setting_kind(mapper):
    item = _item(source=Source.INDEPENDENT_PERSON, kind="ek.reg44-report")
    home, _ = mapper.targets(item, CH)
    secure, _ = mapper.targets(item, SettingKind.SECURE_CHILDRENS_HOME)
    school, _ = mapper.targets(item, SettingKind.RESIDENTIAL_SPECIAL_SCHOOL)
    assert (_ids(home), _ids(secure), _ids(school)) == (["chr2015.r12", "chr2015.r44"], ["chr2015.r12"], ["rssnms2022.s9"])
    assert [(link.source, link.rel, link.target) for link in home[0].via] == [("chr2015.r12", Rel.EVIDENCED_BY, "ek.reg44-report")]


def test_an_evidence_kind_the_framework_lacks_is_reported(mapper):
    targets, problems = mapper.targets(_item(kind="ek.whistleblowing", source=Source.WHISTLEBLOWER), CH)
    assert (targets, [p.code for p in problems]) == ([], ["RF332"])


def test_an_ofsted_judgement_reaches_requirements_assessed_under_its_evaluation_areas(mapper):
    targets, problems = mapper.targets(_item("sccif-ch.protect", kind="ek.ofsted-judgement"), CH)
    assert problems == []
    assert _ids(targets) == ["sccif-ch.protect", "chr2015.r12"]
    assert [(link.source, link.rel.value, link.target) for link in targets[1].via] == [
        ("sccif-ch.protect.safeguarding-arrangements", "part-of", "sccif-ch.protect"),
        ("chr2015.r12", "assessed-under", "sccif-ch.protect.safeguarding-arrangements"),
    ]


def test_a_cqc_score_on_a_quality_statement_name_reaches_the_regulation_assessed_under_it(mapper):
    targets, problems = mapper.targets(_item("Safeguarding", source=Source.CQC, kind="ek.cqc-score"),
                                       SettingKind.RSS_CHILDRENS_HOME)
    assert (_ids(targets), problems) == (["cqc-saf.safe.safeguarding", "cqc-ra2014.r13"], [])


def test_requirements_reached_by_assessed_under_are_filtered_by_setting_kind(mapper):
    targets, _ = mapper.targets(_item("cqc-saf.safe.safeguarding", source=Source.CQC, kind="ek.cqc-score"), CH)
    assert _ids(targets) == ["cqc-saf.safe.safeguarding"]  # cqc-ra2014.r13 does not apply to a children's home here


def test_a_mapping_through_a_link_with_a_stale_fingerprint_is_suspect(mapper):
    targets, _ = mapper.targets(_item("Safeguarding", source=Source.CQC, kind="ek.cqc-score"), SettingKind.RSS_CHILDRENS_HOME)
    facts = FrameworkFacts(mapper.graph, dt.date(2026, 10, 31))  # what the assessment asks
    assert [facts.is_suspect(target.via) for target in targets] == [False, True]
    assert [(link.source, link.target) for link in mapper.graph.suspect_links()] == [("cqc-ra2014.r13", "cqc-saf.safe.safeguarding")]


def test_cached_results_still_carry_each_items_own_location(mapper):
    _, first = mapper.targets(_item("Regulation 99", line=3), CH)
    _, second = mapper.targets(_item("Regulation 99", line=40), CH)
    assert [p.location.line for p in first + second] == [3, 40]


def test_the_shipped_framework_maps_judgements_and_scores_onto_regulations():
    try:
        framework = load_framework()
    except (FrameworkInvalid, FileNotFoundError) as error:
        pytest.skip(f"the shipped framework does not load yet: {error}")
    shipped = EvidenceMapper(build_graph(framework))
    judgement, problems = shipped.targets(_item("sccif-ch.protect", kind="ek.ofsted-judgement"), CH)
    assert problems == []
    assert "chr2015.r12" in _ids(judgement)
    score, problems = shipped.targets(_item("Safeguarding", source=Source.CQC, kind="ek.cqc-score"),
                                      SettingKind.RSS_CHILDRENS_HOME)
    assert problems == []
    assert {"cqc-saf.safe.safeguarding", "cqc-ra2014.r13"} <= set(_ids(score))
    cited, problems = shipped.targets(_item("Regulation 99"), CH)
    assert (cited, [p.code for p in problems]) == ([], ["RF330"])


def test_the_shipped_framework_maps_every_regulation_a_list_cites():
    try:
        framework = load_framework()
    except (FrameworkInvalid, FileNotFoundError) as error:
        pytest.skip(f"the shipped framework does not load yet: {error}")
    shipped = EvidenceMapper(build_graph(framework))
    assert shipped.targets(_item("Regulation 44, 45"), CH) == ([Target("chr2015.r44"), Target("chr2015.r45")], [])
    assert shipped.targets(_item("Regulation 12 and 13"), CH) == ([Target("chr2015.r12"), Target("chr2015.r13")], [])


def test_check_mapping_reports_what_the_assessment_reports(mapper):
    from regframe.assess import assess
    from regframe.evidence import EvidenceSet, Setting

    evidence = EvidenceSet()
    evidence.add_setting(Setting(urn="SC123456", kind=CH))
    for line, refs in enumerate([("Regulation 99",), ("Regulation 12 or 44",), ("reg 35(3)(a)",)], start=3):
        evidence.items.append(attrs.evolve(_item(*refs, line=line), id=f"it-{line}", setting="SC123456"))
    evidence.items.append(attrs.evolve(_item("Regulation 98"), id="elsewhere", setting="SC999999"))
    check = check_mapping(mapper.graph, evidence)
    assert [str(d) for d in check.diagnostics] == list(assess(mapper.graph, evidence, dt.date(2024, 1, 1)).diagnostics)
    assert [(d.code, d.location.line) for d in check.diagnostics] == [("RF330", 3), ("RF333", 4)]
    assert check.unchecked == 1  # SC999999 is not in the evidence, so its kind, and its instrument, are unknown


def test_a_revision_changes_the_mapping_through_its_links():
    """The mapping is the framework's data: the joint-inspection proposal links whistleblowing to a new
    evidence-sharing duty, so the same item maps onto one requirement more under the revision."""
    from regframe.core.resources import standards_dir
    from regframe.revisions.revision import load_revision_framework

    whistleblowing = _item(source=Source.WHISTLEBLOWER, kind="ek.whistleblowing")
    base, _ = EvidenceMapper(build_graph(load_framework())).targets(whistleblowing, CH)
    revised_framework = load_revision_framework(standards_dir() / "revisions" / "joint-inspection-proposal.xml")
    revised, _ = EvidenceMapper(build_graph(revised_framework)).targets(whistleblowing, CH)
    assert "proposals.r9b.evidence-sharing" not in _ids(base)
    assert sorted(set(_ids(revised)) - set(_ids(base))) == ["proposals.r9b.evidence-sharing"]
    assert set(_ids(base)) <= set(_ids(revised))


# ---- citation routes: which instrument a bare citation is read in is the framework's data

ROUTES = TESTS / "fixtures" / "routes"


def _old_table(source: Source, kind: SettingKind) -> str | None:
    """The hard-coded rule mapping.py had before routes were data, written out to compare against."""
    if source is Source.CQC:
        return "cqc-ra2014"
    if source in (Source.PLACING_LA, Source.HOST_LA):
        return "cppcr2010"
    if kind is SettingKind.RESIDENTIAL_SPECIAL_SCHOOL:
        return "rssnms2022"
    if kind in (SettingKind.CHILDRENS_HOME, SettingKind.SECURE_CHILDRENS_HOME, SettingKind.RSS_CHILDRENS_HOME):
        return "chr2015"
    return None


def test_the_shipped_routes_read_bare_citations_where_the_old_table_did():
    from regframe.framework.model import DEFAULT_CITATION_ROUTES, route_citation

    framework = load_framework()
    assert framework.manifest.citation_routes  # written out in standards/framework.xml, not the fallback
    for routes in (framework.citation_routes, DEFAULT_CITATION_ROUTES):
        routed = {(s, k): route_citation(routes, s.value, k.value) for s in Source for k in SettingKind}
        assert routed == {(s, k): _old_table(s, k) for s in Source for k in SettingKind}


def test_a_framework_without_routes_uses_the_default_table(mapper):
    from regframe.framework.model import DEFAULT_CITATION_ROUTES

    assert mapper.graph.framework.manifest.citation_routes == ()
    assert mapper.graph.framework.citation_routes == DEFAULT_CITATION_ROUTES


def test_a_framework_whose_routes_send_placing_la_citations_elsewhere_maps_them_there():
    framework, problems = check_framework(ROUTES / "framework.xml")
    assert problems == []
    routed = EvidenceMapper(build_graph(framework))
    assert routed.targets(_item("Regulation 28", source=Source.PLACING_LA), CH) == ([Target("placements.r28")], [])
    targets, problems = routed.targets(_item("Regulation 28", source=Source.HOST_LA), CH)
    assert (targets, [p.code for p in problems]) == ([], ["RF330"])  # host LAs are still routed to cppcr2010


def test_a_route_naming_what_does_not_exist_is_an_error_at_its_line():
    _, problems = check_framework(ROUTES / "bad-routes.xml")
    assert [(p.code, p.severity.value, p.location.file, p.location.line) for p in problems] == [
        ("RF214", "error", str(ROUTES / "bad-routes.xml"), line) for line in (9, 10, 11)]
    assert [p.message.split(":")[0] for p in problems] == [
        "route to instrument 'cppcr2010'", "route from source 'inspector'", "route for setting kind 'foster-home'"]


def test_a_revision_replacing_the_routes_changes_the_mapping():
    from regframe.revisions.revision import check_revision

    placing = _item("Regulation 28", source=Source.PLACING_LA)
    base, problems = mapper_for(MANIFEST).targets(placing, CH)
    assert (base, [p.code for p in problems]) == ([], ["RF330"])
    revised_framework, problems = check_revision(ROUTES / "revision.xml")
    assert problems == []
    revised = EvidenceMapper(build_graph(revised_framework))
    assert revised.targets(placing, CH) == ([Target("placements.r28")], [])
    assert revised.targets(_item("Regulation 35(3)(a)"), CH) == ([Target("chr2015.r35.3.a")], [])


def test_a_revision_without_routes_keeps_its_bases():
    from regframe.core.resources import standards_dir
    from regframe.revisions.revision import load_revision_framework

    revised = load_revision_framework(standards_dir() / "revisions" / "joint-inspection-proposal.xml")
    assert revised.manifest.citation_routes == load_framework().manifest.citation_routes


def test_a_revision_routing_to_an_instrument_it_does_not_hold_is_an_error(tmp_path):
    from regframe.revisions.revision import check_revision

    text = (ROUTES / "revision.xml").read_text()
    text = text.replace('instrument="placements"/>', 'instrument="placement"/>').replace('"../mapping/', f'"{MANIFEST.parent}/')
    (tmp_path / "revision.xml").write_text(text)
    _, problems = check_revision(tmp_path / "revision.xml")
    assert [(p.code, p.location.line) for p in problems] == [("RF214", 18)]  # the placing-la route


def mapper_for(manifest: Path) -> EvidenceMapper:
    framework, _ = check_framework(manifest)
    return EvidenceMapper(build_graph(framework))


def test_a_revision_restating_the_default_routes_over_a_base_without_routes_has_no_effect(tmp_path):
    from regframe.revisions.revision import check_revision

    def route(r) -> str:
        who = f' source="{r.source}"' if r.source else ""
        about = f' setting-kind="{r.setting_kind}"' if r.setting_kind else ""
        return f'    <route{who}{about} instrument="{r.instrument}"/>'

    routes = "\n".join(route(r) for r in DEFAULT_CITATION_ROUTES)
    revision = tmp_path / "same-routes.xml"
    revision.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<revision xmlns="urn:x-regframe:revision:1" id="same" version="1" base="{MANIFEST}">\n'
        "  <title>Same routes</title>\n  <rationale>None.</rationale>\n"
        f"  <citation-routes>\n{routes}\n  </citation-routes>\n</revision>\n", encoding="utf-8")
    _framework, problems = check_revision(revision)
    assert [(p.code, p.message) for p in problems] == [
        ("RF518", "citation-routes: the framework already routes citations so")]


def test_a_numeral_limb_that_looks_like_a_letter_is_continued_as_a_numeral():
    assert citations("reg 12(2)(v) and (vi)") == ([("reg", ("12", "2", "v")), ("reg", ("12", "2", "vi"))], "")
    assert citations("reg 12(2)(c) and (d)") == ([("reg", ("12", "2", "c")), ("reg", ("12", "2", "d"))], "")
