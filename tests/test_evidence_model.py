"""The evidence set: merging what several sources say about one setting."""

from __future__ import annotations

from regframe.evidence import EvidenceSet, Setting
from regframe.model import SettingKind


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
