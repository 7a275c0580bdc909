"""The findings as the assessment keeps them: built when read, complete when asked for, never kept."""

from __future__ import annotations

import gc

import attrs
import pytest

import regframe
from regframe.assess import Findings, SettingFinding, assess
from regframe.assess.results import NO_EVIDENCE_AT_ALL, Finding, Reason, Status
from regframe.evidence.pseudonym import PseudonymKey
from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths


@pytest.fixture(scope="module")
def demo():
    evidence = regframe.load_evidence(demo_paths(), key=PseudonymKey.from_text(DEMO_KEY, "demo"), la_code=EXTRACT_LA)
    return assess(regframe.build_graph(regframe.load_framework()), evidence, AS_AT)


def _alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Finding))


def test_the_assessment_keeps_no_finding_objects_a_report_reading_them_builds_them(demo):
    assert _alive() == 0
    every = [f for s in demo.settings for f in s.findings]
    assert len(every) == sum(len(s.findings) for s in demo.settings) > 1000
    assert _alive() == len(every)
    del every
    assert _alive() == 0


def test_findings_read_as_the_tuple_they_stand_for(demo):
    findings = demo.settings[0].findings
    assert isinstance(findings, Findings)
    as_tuple = tuple(findings)
    assert findings == as_tuple and as_tuple == findings and findings == demo.settings[0].findings
    assert len(findings) == len(as_tuple)
    assert findings[0] == as_tuple[0] and findings[-1] == as_tuple[-1] and findings[3:7] == as_tuple[3:7]
    assert list(reversed(findings)) == list(reversed(as_tuple))
    assert hash(findings) == hash(as_tuple)
    with pytest.raises(IndexError):
        findings[len(as_tuple)]
    assert findings != as_tuple[1:]


def test_findings_come_in_the_framework_order_parents_before_parts(demo):
    from regframe.assess.facts import FrameworkFacts

    facts = FrameworkFacts(regframe.build_graph(regframe.load_framework()), AS_AT).facts
    checked = 0
    for setting in demo.settings:
        place = {f.requirement: i for i, f in enumerate(setting.findings)}
        for rid, at in place.items():
            parent = facts[rid].parent
            if parent in place:
                assert place[parent] < at
                checked += 1
    assert checked > 100


def test_a_setting_built_with_a_tuple_keeps_it():
    finding = Finding("x.r1", Status.MET, (Reason(Status.MET, "positive"),))
    built = attrs.evolve(_minimal(), findings=[finding])
    assert built.findings == (finding,) and isinstance(built.findings, tuple)


def _minimal():
    from regframe.assess.results import Assurance, Rating, SettingAssessment
    from regframe.evidence import Setting
    from regframe.framework.model import SettingKind

    return SettingAssessment(Setting("SC1", SettingKind.CHILDRENS_HOME), Rating.GREEN, (), 0.0, {}, (), ("x.r2",),
                             (), (), 0, Assurance.LOW)


def test_a_settings_complete_findings_are_its_findings_then_one_per_requirement_with_nothing():
    finding = Finding("x.r1", Status.MET, (Reason(Status.MET, "positive"),))
    setting = attrs.evolve(_minimal(), findings=(finding,))
    assert list(setting.iter_findings()) == [
        finding, Finding("x.r2", Status.NO_EVIDENCE, (Reason(Status.NO_EVIDENCE, NO_EVIDENCE_AT_ALL),))]
    assert list(setting.iter_findings(no_evidence=False)) == [finding]


def test_the_runs_complete_findings_cover_every_applicable_requirement_of_every_setting(demo):
    rows = list(demo.iter_findings())
    assert all(isinstance(row, SettingFinding) for row in rows)
    live = sum(len(s.findings) + len(s.no_evidence) for s in demo.settings)
    gone = sum(len(c.assessment.findings) + len(c.assessment.no_evidence) for c in demo.closed if c.assessment)
    assert len(rows) == live + gone
    assert sum(1 for row in rows if row.closed) == gone
    assert [row.setting.setting.urn for row in rows if not row.closed][0] == demo.settings[0].setting.urn
    counted = {status.value: 0 for status in Status}
    for row in rows:
        counted[row.finding.status.value] += 1
    expected = {status.value: 0 for status in Status}
    for setting in [*demo.settings, *(c.assessment for c in demo.closed if c.assessment)]:
        for status, number in setting.counts.items():
            if status != Status.NOT_APPLICABLE.value:
                expected[status] += number
    assert counted == expected
    assert len(list(demo.iter_findings(no_evidence=False, closed=False))) == sum(len(s.findings) for s in demo.settings)


def _reasons_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Reason))


def test_the_words_of_the_reasons_are_made_when_read_and_not_kept_after(demo):
    before = _reasons_alive()
    worded = sum(len(f.reasons) for s in demo.settings for f in s.findings)
    assert worded > 1000
    assert _reasons_alive() == before  # read, and let go with the findings that carried them


def test_headlines_are_the_findings_without_their_words_and_having_gives_only_the_statuses_asked(demo):
    for setting in demo.settings:
        findings = tuple(setting.findings)
        assert [tuple(h) for h in setting.headlines()] == [
            (f.requirement, f.status, f.flags, f.evidence) for f in findings]
        wanted = {Status.NOT_MET, Status.OVERDUE}
        assert tuple(setting.findings_having(wanted)) == tuple(f for f in findings if f.status in wanted)
    assert any(f.status is Status.NOT_MET for s in demo.settings for f in s.findings_having({Status.NOT_MET}))


def test_a_setting_built_with_a_tuple_answers_headlines_and_having_from_it():
    finding = Finding("r1", Status.MET, (Reason(Status.MET, "seen"),))
    other = Finding("r2", Status.NOT_MET, (Reason(Status.NOT_MET, "missed"),))
    findings = Findings(2, lambda: iter((finding, other)))
    assert [h.requirement for h in findings.headlines()] == ["r1", "r2"]
    assert list(findings.having(frozenset({Status.NOT_MET}))) == [other]
