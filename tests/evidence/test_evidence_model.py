"""The evidence model: merging what several sources say about one setting, and records as values."""

from __future__ import annotations

import datetime as dt

import attrs

from regframe.core.diagnostics import Location
from regframe.evidence import EvidenceItem, EvidenceSet, Metric, MetricValue, Setting, Source
from regframe.framework.model import Independence, SettingKind


def test_a_registers_kind_beats_one_guessed_from_a_placement_code_whichever_comes_first():
    guessed = Setting("SC1", SettingKind.CHILDRENS_HOME, kind_inferred=True, local_authority="Northmoor")
    registered = Setting("SC1", SettingKind.RSS_CHILDRENS_HOME, "Wilsic", owner="Group")
    for order in ((guessed, registered), (registered, guessed)):
        merged = EvidenceSet()
        for setting in order:
            merged.add_setting(setting)
        result = merged.settings["SC1"]
        assert (result.kind, result.kind_inferred, result.name, result.local_authority) == (
            SettingKind.RSS_CHILDRENS_HOME, False, "Wilsic", "Northmoor")


def test_gaps_are_filled_but_known_values_are_kept():
    merged = EvidenceSet()
    merged.add_setting(Setting("SC1", SettingKind.CHILDRENS_HOME, "First name", places=4))
    merged.add_setting(Setting("SC1", SettingKind.CHILDRENS_HOME, "Second name", cqc_location_id="1-1"))
    assert (merged.settings["SC1"].name, merged.settings["SC1"].places, merged.settings["SC1"].cqc_location_id) == (
        "First name", 4, "1-1")


def _item(line: int, **changes: object) -> EvidenceItem:
    values: dict[str, object] = dict(
        id="I1", setting="SC1", source=Source.OFSTED, kind="ek.ofsted-judgement", observed=dt.date(2026, 3, 2),
        independence=Independence.REGULATOR, references=["Regulation 12"], provenance=Location("a.xml", line))
    values.update(changes)
    return EvidenceItem(**values)  # type: ignore[arg-type]


def test_items_are_values_equal_and_hashed_alike_whatever_line_they_were_read_from():
    first, second = _item(3), _item(90)
    assert first == second and hash(first) == hash(second)
    assert len({first, second, _item(4, kind="ek.reg44-report")}) == 2
    assert first.references == ("Regulation 12",)  # a list given is kept as a tuple


def test_metric_values_and_locations_compare_and_hash_by_value():
    month = dt.date(2026, 3, 1)
    assert len({MetricValue("SC1", month, Metric.COMPLAINTS, 2.0, provenance=Location("a.xml", 5)),
                MetricValue("SC1", month, Metric.COMPLAINTS, 2.0, provenance=Location("b.xml", 9))}) == 1
    assert {Location("a.xml", 5), Location("a.xml", 5)} == {Location("a.xml", 5)}
    assert sorted([Location("b.xml", 1), Location("a.xml", 7), Location("a.xml", 2)]) == [
        Location("a.xml", 2), Location("a.xml", 7), Location("b.xml", 1)]


def test_an_item_read_with_its_files_location_and_a_line_has_that_line_as_its_provenance():
    file = Location("returns/a.xml")
    item = EvidenceItem("e1", "SC1", Source.PROVIDER, "ek.x", dt.date(2026, 1, 5), Independence.PROVIDER,
                        provenance=file, line=7)
    assert item.provenance == Location("returns/a.xml", 7) and file.line is None  # the shared one is unchanged
    assert attrs.evolve(item, setting="SC2").provenance == Location("returns/a.xml", 7)
    whole = Location("r.xlsx", sheet="Visits", cell="B4")
    assert EvidenceItem("e2", "SC1", Source.PROVIDER, "ek.x", dt.date(2026, 1, 5), Independence.PROVIDER,
                        provenance=whole).provenance is whole
    month = dt.date(2026, 1, 1)
    assert MetricValue("SC1", month, Metric.COMPLAINTS, 2.0, provenance=file, line=9).provenance == Location(
        "returns/a.xml", 9)
