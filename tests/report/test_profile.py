"""The one-page setting profile, read back with an HTML parser: sections, one mark per dated item, escaping, privacy.

Each test builds a small assessment and a few evidence items by hand, renders
the page and parses it with lxml.html, so what is checked is what a browser
would be given. (The real-browser checks are in test_profile_browser.py.)
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
import lxml.html
import pytest

from regframe.assess.results import Assessment, Assurance, Rating, SettingAssessment, SettingReason
from regframe.evidence.model import (
    EvidenceItem,
    Metric,
    MetricValue,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Setting,
)
from regframe.framework.model import Independence, SettingKind, Source
from regframe.report.profile import (
    ITEM_LANES,
    NOT_GIVEN,
    Standing,
    Tone,
    build_profile,
    lane_for,
    monthly_figures,
    profile_filename,
    render_profile,
    standing,
    tone,
    window_start,
    write_profile,
)
from regframe.report.runid import run_id

AS_AT = dt.date(2026, 10, 31)
D = dt.date
CHILD = "C-5eed1e55c0ffee00"  # a pseudonym: not to be shown either


def setting(**changes) -> Setting:
    base = Setting("SC123456", SettingKind.RSS_CHILDRENS_HOME, "Elm House", "Residential special school",
                   education_urn="123999", cqc_location_id="1-123456789", local_authority="Northmoor",
                   region="North East", sector="Private", places=12, owner="Elm Care Ltd",
                   registration_status="Active", registered_on=D(2012, 4, 1))
    return attrs.evolve(base, **changes)


def result(site: Setting | None = None, reasons: tuple[str, ...] = ("red indicator(s) ind.restraint-rate",),
           rating: Rating = Rating.RED) -> SettingAssessment:
    return SettingAssessment(
        setting=site or setting(), rating=rating, rating_reasons=reasons, risk_score=12.0,
        counts={"not_met": 3, "overdue": 1, "uncorroborated": 0, "stale": 2, "no_evidence": 40, "met": 50},
        findings=(), no_evidence=(), indicators=(), lens=(), children=4, assurance=Assurance.LOW,
        reasons=tuple(SettingReason("test", Rating.RED, text) for text in reasons))


def assessment(*settings: SettingAssessment) -> Assessment:
    return Assessment(framework="fw", framework_version="1", as_at=AS_AT, regframe_version="9.9", inputs=(),
                      settings=settings, groups=(), evidence=())


_COUNTER = iter(range(10_000))


RECORDED = Outcome(OutcomeKind.RECORDED)


def item(source: Source, kind: str, observed: dt.date, outcome: Outcome | None = RECORDED,
         **changes) -> EvidenceItem:
    independence = {Source.OFSTED: Independence.REGULATOR, Source.CQC: Independence.REGULATOR,
                    Source.PROVIDER: Independence.PROVIDER}.get(source, Independence.INDEPENDENT)
    values = dict(id=f"E{next(_COUNTER):04d}", setting="SC123456", source=source, kind=kind, observed=observed,
                  independence=independence, outcome=outcome)
    values.update(changes)
    return EvidenceItem(**values)


GOOD = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD)


def evidence_items() -> list[EvidenceItem]:
    """Two items outside the window (one before it, one after the as-at date) and 14 inside, every lane used."""
    return [
        item(Source.OFSTED, "ek.ofsted-judgement", D(2024, 10, 31), GOOD),  # the day before the window: not drawn
        item(Source.OFSTED, "ek.ofsted-judgement", D(2024, 11, 1), GOOD),  # the window's first day
        item(Source.OFSTED, "ek.ofsted-judgement", D(2026, 3, 10), GOOD),
        item(Source.OFSTED, "ek.ofsted-action", D(2026, 3, 10), Outcome(OutcomeKind.NOT_MET)),
        item(Source.CQC, "ek.cqc-score", D(2026, 5, 19), Outcome(OutcomeKind.SCORE, score=2)),
        item(Source.PLACING_LA, "ek.statutory-visit", D(2026, 6, 15), child=CHILD),
        item(Source.PLACING_LA, "ek.iro-review", D(2026, 6, 15), child=CHILD),
        item(Source.HOST_LA, "ek.la-oversight-return", D(2026, 6, 15)),
        item(Source.PLACING_LA, "ek.advocacy-visit", AS_AT, Outcome(OutcomeKind.NOT_MET), child=CHILD,
             id=f"la-return:{CHILD}:ek.advocacy-visit:no-advocate",
             summary="Jane Smith (born 02/03/2011, BD1 4AB) has no advocate"),
        item(Source.INDEPENDENT_PERSON, "ek.reg44-report", D(2026, 1, 14)),
        item(Source.PROVIDER, "ek.reg45-report", D(2026, 8, 21), Outcome(OutcomeKind.MET)),
        item(Source.LADO, "ek.lado-referral", D(2026, 5, 11)),
        item(Source.WHISTLEBLOWER, "ek.whistleblowing", D(2026, 10, 12), Outcome(OutcomeKind.CONCERN)),
        item(Source.COMPLAINANT, "ek.complaint", D(2026, 7, 2)),
        item(Source.PROVIDER, "ek.provider-self-assessment", D(2026, 2, 1), Outcome(OutcomeKind.MET)),
        item(Source.OFSTED, "ek.ofsted-judgement", D(2026, 11, 1), GOOD),  # after the as-at date: not drawn
    ]


EXPECTED_LANES = {"ofsted": 3, "cqc": 1, "placing-la": 4, "reg44": 1, "reg45": 1, "lado": 1, "others": 2,
                  "provider": 1}


def metrics() -> list[MetricValue]:
    return [
        MetricValue("SC123456", D(2024, 10, 1), Metric.RESTRAINT_INCIDENTS, 99),  # before the window
        MetricValue("SC123456", D(2026, 9, 1), Metric.RESTRAINT_INCIDENTS, 8, Source.PROVIDER),
        MetricValue("SC123456", D(2026, 9, 1), Metric.RESTRAINT_INCIDENTS, 12, Source.PLACING_LA),
        MetricValue("SC123456", D(2026, 10, 1), Metric.RESTRAINT_INCIDENTS, 36),
        MetricValue("SC123456", D(2026, 10, 1), Metric.AGENCY_SHARE, 40),
        MetricValue("SC123456", D(2026, 9, 1), Metric.AGENCY_SHARE, 30),
    ]


def page(site_result: SettingAssessment | None = None, items: list[EvidenceItem] | None = None,
         figures: list[MetricValue] | None = None) -> tuple[str, lxml.html.HtmlElement]:
    site_result = site_result or result()
    html = render_profile(build_profile(site_result, evidence_items() if items is None else items,
                                        metrics() if figures is None else figures, assessment(site_result),
                                        {"ek.ofsted-judgement": "Ofsted inspection judgement"}))
    return html, lxml.html.document_fromstring(html)


# ---------------------------------------------------------------- sections


def test_the_page_has_every_section_with_the_settings_facts():
    _, doc = page()
    for section in ("setting", "registrations", "counts", "reasons", "timeline", "legend", "risk", "assurance"):
        assert doc.get_element_by_id(section) is not None, section
    rows = {tr.findtext("th"): tr.findtext("td") for tr in doc.get_element_by_id("setting").iter("tr")}
    assert rows["URN"] == "SC123456"
    assert rows["Name"] == "Elm House"
    assert rows["Owner"] == "Elm Care Ltd"
    assert rows["Local authority"] == "Northmoor (North East)"
    assert rows["Children placed"].startswith("4 ")
    registrations = {tr.findtext("th"): tr.findtext("td") for tr in doc.get_element_by_id("registrations").iter("tr")}
    assert registrations["Registered with"] == "Ofsted and CQC (dual registration)"
    assert registrations["CQC location id"] == "1-123456789"
    assert registrations["Education URN"] == "123999"
    assert registrations["Registered on"] == "1 Apr 2012"
    assert registrations["Not met"] == "3" and registrations["Overdue"] == "1"
    assert doc.get_element_by_id("risk").text_content() == "Riskred"
    assert doc.find(".//footer").text_content().startswith("As at 31 Oct 2026. regframe 9.9, framework fw 1.")


def test_the_page_carries_the_run_id_in_its_head_and_footer():
    _, doc = page()
    expected = run_id(assessment(result()))
    assert doc.find('.//head/meta[@name="regframe-run-id"]').get("content") == expected
    assert doc.find(".//footer").text_content().endswith(f" Run id {expected}.")


def test_a_redacted_name_and_a_cqc_only_setting_are_shown_as_such():
    site = setting(urn="1-99", kind=SettingKind.CQC_HEALTH_PROVISION, name="REDACTED", owner="", education_urn=None,
                   cqc_location_id="1-99", closed_on=D(2026, 9, 30))
    _, doc = page(result(site))
    assert doc.find(".//h1").text_content() == "name not published (1-99)"
    assert doc.findtext(".//title") == "Setting profile: name not published (1-99)"
    registrations = {tr.findtext("th"): tr.findtext("td") for tr in doc.get_element_by_id("registrations").iter("tr")}
    assert registrations["Registered with"] == "CQC"
    assert registrations["Ofsted URN"] == NOT_GIVEN
    assert registrations["Closed on"] == "30 Sep 2026"
    assert "Education URN" not in registrations


def test_at_most_five_reasons_are_listed_and_the_rest_counted():
    reasons = tuple(f"reason {n}" for n in range(1, 8))
    _, doc = page(result(reasons=reasons))
    assert [li.text_content() for li in doc.get_element_by_id("reasons").iter("li")] == list(reasons[:5])
    assert doc.get_element_by_id("reasons").find_class("more")[0].text_content() == \
        "and 2 more reason(s) in the gap report."


# ---------------------------------------------------------------- the adapter


def test_the_adapter_reads_risk_assurance_and_the_plain_reasons_of_the_assessment():
    assert standing(result()) == Standing(risk="red", assurance="low", reasons=("red indicator(s) ind.restraint-rate",))
    _, doc = page(result())
    assert doc.get_element_by_id("assurance").text_content() == "Assurancelow"


# ---------------------------------------------------------------- the timeline


def marks(doc: lxml.html.HtmlElement) -> dict[str, int]:
    return {g.get("data-lane"): len(g.find_class("mark")) for g in doc.iter("{*}g", "g") if g.get("data-lane")}


def test_the_window_is_24_calendar_months_ending_on_the_as_at_date():
    assert window_start(AS_AT) == D(2024, 11, 1)
    assert window_start(D(2026, 1, 1)) == D(2024, 2, 1)


def test_one_mark_per_dated_item_in_the_window_on_its_sources_lane():
    _, doc = page()
    found = marks(doc)
    assert {k: v for k, v in found.items() if k in EXPECTED_LANES} == EXPECTED_LANES
    assert sum(EXPECTED_LANES.values()) == len(evidence_items()) - 2
    assert sum(len(g.find_class("mark")) for g in doc.iter("{*}g", "g")) == 14
    assert "14 dated evidence item(s) drawn, 1 Nov 2024 to 31 Oct 2026; not drawn: 1 older, 1 dated after the " \
           "as-at date" in doc.find(".//footer").text_content()


def test_every_source_has_exactly_one_lane_and_a_kind_lane_wins_over_a_source_lane():
    for source in Source:
        assert lane_for(item(source, "ek.anything", AS_AT)) in ITEM_LANES
        assert sum(source in lane.sources for lane in ITEM_LANES) == 1, source
    assert lane_for(item(Source.PROVIDER, "ek.reg45-report", AS_AT)).key == "reg45"
    assert lane_for(item(Source.PLACING_LA, "ek.lado-referral", AS_AT)).key == "lado"


def test_marks_on_one_day_are_stacked_not_drawn_over_each_other():
    day = D(2026, 6, 15)
    items = [item(Source.PLACING_LA, "ek.iro-review", day, child=f"C-{n}") for n in range(7)]
    _, doc = page(items=items, figures=[])
    positions = [(c.get("cx"), c.get("cy")) for c in doc.find_class("mark")]
    assert len(positions) == 7
    assert len(set(positions)) == 7


def test_a_marks_colour_follows_what_the_item_found():
    assert tone(item(Source.OFSTED, "ek.ofsted-action", AS_AT, Outcome(OutcomeKind.NOT_MET))) is Tone.SIGN
    assert tone(item(Source.OFSTED, "ek.ofsted-judgement", AS_AT,
                     Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE))) is Tone.SIGN
    assert tone(item(Source.CQC, "ek.cqc-score", AS_AT, Outcome(OutcomeKind.SCORE, score=2))) is Tone.SIGN
    assert tone(item(Source.LADO, "ek.lado-referral", AS_AT)) is Tone.SIGNAL
    assert tone(item(Source.OFSTED, "ek.ofsted-judgement", AS_AT, GOOD)) is Tone.POSITIVE
    assert tone(item(Source.INDEPENDENT_PERSON, "ek.reg44-report", AS_AT)) is Tone.RECORDED
    _, doc = page()
    provider = [c for g in doc.iter("g") if g.get("data-lane") == "provider" for c in g.find_class("mark")]
    assert [c.get("fill") for c in provider] == ["#ffffff"]  # the provider's own word is hollow


def test_monthly_figures_one_bar_a_month_in_the_window_the_higher_of_two_sources():
    assert monthly_figures(metrics(), Metric.RESTRAINT_INCIDENTS, window_start(AS_AT), AS_AT) == {
        D(2026, 9, 1): 12, D(2026, 10, 1): 36}
    _, doc = page()
    lanes = {g.get("data-lane"): g for g in doc.iter("g") if g.get("data-lane")}
    bars = lanes["restraint"].find_class("figure")
    assert [b.findtext("title") for b in bars] == ["Sep 2026: 12", "Oct 2026: 36"]
    assert float(bars[1].get("height")) > float(bars[0].get("height")) > 0
    assert len(lanes["agency"].find_class("figure")) == 2
    assert lanes["agency"].find("polyline") is not None
    assert "latest 40 %" in lanes["agency"].text_content()
    assert "no figures" in lanes["leavers"].text_content()


def test_the_same_evidence_in_another_order_draws_the_same_page():
    first, _ = page()
    second, _ = page(items=list(reversed(evidence_items())), figures=list(reversed(metrics())))
    assert first == second


# ---------------------------------------------------------------- escaping, privacy, self-containment


def test_every_value_is_escaped_a_name_with_a_script_stays_text():
    hostile = setting(name="<script>alert('x')</script> & Sons", owner='<img src="x" onerror="alert(1)">')
    html, doc = page(result(hostile, reasons=("<b>bold</b> reason",)))
    assert doc.find(".//h1").text_content() == "<script>alert('x')</script> & Sons (SC123456)"
    assert doc.find(".//script") is None
    assert doc.find(".//img") is None
    assert doc.find(".//b[.='bold']") is None
    assert "&lt;script&gt;" in html
    assert [li.text_content() for li in doc.get_element_by_id("reasons").iter("li")] == ["<b>bold</b> reason"]


def test_no_child_id_pseudonym_name_date_of_birth_or_postcode_reaches_the_page():
    html, _ = page()
    for secret in (CHILD, "Jane", "Smith", "02/03/2011", "BD1", "4AB", "la-return:", "E00"):
        assert secret not in html, secret


def test_the_page_is_self_contained_no_script_no_external_resource():
    html, doc = page()
    assert doc.find(".//script") is None
    assert doc.find(".//link") is None
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert name not in ("src", "href", "xlink:href", "srcset", "action"), (element.tag, name)
            assert not name.startswith("on"), (element.tag, name)
            assert "url(" not in value
    style = doc.findtext(".//style")
    assert "url(" not in style and "@import" not in style
    assert re.search(r"@page\s*\{\s*size:\s*A4", style)


def test_widths_are_fixed_so_nothing_can_push_the_page_wider_than_a4():
    """The browser test measures overflow; this pins the rules that prevent it, wherever a browser is absent."""
    _, doc = page(result(setting(name="X" * 300, owner="Y" * 300)))
    style = doc.findtext(".//style")
    assert re.search(r"body \{[^}]*max-width: 186mm", style)
    assert "overflow-wrap: anywhere" in style
    assert re.search(r"svg\.timeline \{[^}]*width: 100%; max-width: 186mm", style)
    assert re.search(r"table \{[^}]*table-layout: fixed", style)
    svg = doc.find(".//svg")
    assert svg.get("viewbox") or svg.get("viewBox")
    box = [float(v) for v in (svg.get("viewBox") or svg.get("viewbox")).split()]
    for circle in doc.find_class("mark"):
        assert box[0] <= float(circle.get("cx")) <= box[2]
        assert box[1] <= float(circle.get("cy")) <= box[3]


def test_a_profile_is_written_atomically_under_its_urn(tmp_path):
    site_result = result(setting(urn="SC/12 34"))
    path = write_profile(build_profile(site_result, [], [], assessment(site_result)), tmp_path)
    assert path.name == profile_filename("SC/12 34") == "profile-SC_12_34.html"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("lane", [lane.key for lane in ITEM_LANES])
def test_an_empty_lane_says_none(lane):
    _, doc = page(items=[], figures=[])
    group = next(g for g in doc.iter("g") if g.get("data-lane") == lane)
    assert group.find_class("mark") == []
    assert group.find_class("note")[0].text_content() == "none"
