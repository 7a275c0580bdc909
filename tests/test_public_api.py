"""The public API stays where the docs promise it, whatever the package layout behind it."""

import importlib

import pytest

import regframe

PROMISED = [
    ("regframe", "load_framework"), ("regframe", "load_evidence"), ("regframe", "build_graph"),
    ("regframe", "check_framework"), ("regframe", "EvidenceSet"), ("regframe", "Framework"),
    ("regframe.assess", "assess"), ("regframe.report", "write_xlsx"), ("regframe.report", "write_json"),
    ("regframe.framework", "load_framework"), ("regframe.evidence", "EvidenceItem"),
    ("regframe.bdd.plugin", "pytest_configure"),
]


@pytest.mark.parametrize("module, name", PROMISED)
def test_each_promised_name_is_importable_where_the_docs_say(module, name):
    assert callable(getattr(importlib.import_module(module), name))


def test_every_name_in_regframe_all_is_there():
    assert [name for name in regframe.__all__ if not hasattr(regframe, name)] == []


def test_the_pytest_plugin_entry_point_names_the_step_library():
    from importlib.metadata import entry_points

    [plugin] = [e for e in entry_points(group="pytest11") if e.name == "regframe"]
    assert plugin.value == "regframe.bdd.plugin"
    assert importlib.import_module(plugin.value).__name__ == "regframe.bdd.plugin"
