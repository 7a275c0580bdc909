"""Incremental assessment: one more file re-judges only the settings it is about, and finds what a full run finds."""

from __future__ import annotations

import datetime as dt

import pytest

import regframe
from regframe.assess import IncrementalAssessment, assess
from regframe.assess.digest import findings_digest
from regframe.evidence import EvidenceItem, EvidenceSet, OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework.model import Independence, SettingKind
from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths

KEY = PseudonymKey.from_text(DEMO_KEY, "demo")


@pytest.fixture(scope="module")
def graph():
    return regframe.build_graph(regframe.load_framework())


def _load(paths):
    return regframe.load_evidence(paths, key=KEY, la_code=EXTRACT_LA)


def _return_and_the_rest():
    paths = demo_paths()
    la_return = [p for p in paths if p.name.startswith("la-return")]
    assert len(la_return) == 1
    return la_return, [p for p in paths if p not in la_return]


def test_a_new_la_return_re_judges_only_its_settings_and_finds_what_a_full_run_finds(graph):
    la_return, rest = _return_and_the_rest()
    live = IncrementalAssessment(graph, _load(rest), AS_AT)
    before = {s.setting.urn: s for s in live.assessment.settings}
    more = _load(la_return)
    touched = {p.setting for p in more.placements} | {i.setting for i in more.items} | {m.setting for m in more.metrics}

    extended = live.extend(more)

    assert set(live.reassessed) == touched & set(live.evidence.settings)
    assert 0 < len(live.reassessed) < len(before)
    assert findings_digest(extended) == findings_digest(assess(graph, live.evidence, AS_AT))
    after = {s.setting.urn: s for s in extended.settings}
    untouched = set(before) - touched
    assert untouched and all(after[urn] is before[urn] for urn in untouched)  # kept, not judged again
    assert any(after[urn] != before[urn] for urn in touched & set(after))


def test_extending_by_nothing_changes_nothing(graph):
    live = IncrementalAssessment(graph, _load(demo_paths()), AS_AT)
    digest = findings_digest(live.assessment)
    assert findings_digest(live.extend(EvidenceSet())) == digest
    assert live.reassessed == ()


def _item(iid: str, urn: str, observed: dt.date, grade: OfstedGrade) -> EvidenceItem:
    return EvidenceItem(iid, urn, Source.OFSTED, "ek.ofsted-judgement", observed, Independence.REGULATOR,
                        references=("sccif-ch.overall",), outcome=Outcome(OutcomeKind.GRADE, grade=grade))


def _group(owner: str, urns: list[str]) -> EvidenceSet:
    evidence = EvidenceSet()
    for urn in urns:
        evidence.add_setting(Setting(urn, SettingKind.CHILDRENS_HOME, name=urn, owner=owner, places=4,
                                     registration_status="Active"))
        evidence.add_item(_item(f"{urn}-j1", urn, dt.date(2026, 3, 1), OfstedGrade.GOOD))
    return evidence


def test_a_setting_newly_inadequate_re_judges_the_rest_of_its_provider_group(graph):
    evidence = _group("Hollow Homes Ltd", ["SC1", "SC2", "SC3"])
    evidence.merge(_group("Other Ltd", ["SC9"]))
    evidence.add_item(_item("SC1-j2", "SC1", dt.date(2026, 6, 1), OfstedGrade.INADEQUATE))
    live = IncrementalAssessment(graph, evidence, AS_AT)
    assert not next(g for g in live.assessment.groups if g.owner == "Hollow Homes Ltd").stands_out

    more = EvidenceSet()
    more.add_item(_item("SC2-j2", "SC2", dt.date(2026, 7, 1), OfstedGrade.INADEQUATE))
    extended = live.extend(more)

    assert live.reassessed == ("SC1", "SC2", "SC3")  # the owner's count changed: its indicator, at each of them
    assert next(g for g in extended.groups if g.owner == "Hollow Homes Ltd").stands_out
    assert findings_digest(extended) == findings_digest(assess(graph, live.evidence, AS_AT))


def test_a_new_setting_and_evidence_about_no_known_setting(graph):
    live = IncrementalAssessment(graph, _group("Hollow Homes Ltd", ["SC1"]), AS_AT)
    more = _group("Hollow Homes Ltd", ["SC2"])
    more.add_item(_item("SC7-j1", "SC7", dt.date(2026, 7, 1), OfstedGrade.GOOD))  # a URN no file describes
    extended = live.extend(more)

    assert live.reassessed == ("SC2",)
    assert sorted(s.setting.urn for s in extended.settings) == ["SC1", "SC2"]
    assert any("SC7" in note for note in extended.notes)
    assert findings_digest(extended) == findings_digest(assess(graph, live.evidence, AS_AT))
