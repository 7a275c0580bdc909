"""Feature lint: every shipped feature asserts something, uses known tags and known steps, and loses no line."""

from __future__ import annotations

from pathlib import Path

import pytest

from regframe.bdd import TAGS, glossary
from regframe.bdd.lint import lint, lint_file
from regframe.core.resources import features_dir


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "check.feature"
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [f"{p.line}: {p.message}" for p in lint_file(path)]


def test_every_shipped_feature_passes_the_lint():
    assert [str(p) for p in lint([features_dir()])] == []


def test_there_is_a_feature_for_every_recommendation():
    names = sorted(p.name.split("_")[0] for p in (features_dir() / "recommendations").glob("*.feature"))
    assert names == [f"r{n}" for n in range(1, 10)] + [f"s{n}" for n in range(1, 9)]


def test_a_scenario_without_then_is_reported(tmp_path):
    path = write(tmp_path, """Feature: F
  Scenario: Asserts nothing
    Given the shipped framework
    When the gap report is produced as at 2026-10-31
""")
    assert messages(path) == ["2: scenario 'Asserts nothing' has no Then: it asserts nothing"]


def test_and_after_then_counts_as_then_but_and_after_given_does_not(tmp_path):
    path = write(tmp_path, """Feature: F
  Scenario: Only givens
    Given the shipped framework
    And the framework under test
""")
    assert messages(path) == ["2: scenario 'Only givens' has no Then: it asserts nothing"]


def test_an_unknown_tag_is_reported(tmp_path):
    path = write(tmp_path, """@recommendation @r10
Feature: F
  @urgent
  Scenario: S
    Given the shipped framework
    Then no requirement in force on 2026-10-31 lacks a regulator
""")
    assert [m.split(" (known")[0] for m in messages(path)] == ["1: unknown tag @r10", "3: unknown tag @urgent"]


@pytest.mark.parametrize("line", ["given the shipped framework", "Gvien the shipped framework",
                                  "Then: no requirement lacks a regulator"])
def test_a_step_that_gherkin_turned_into_description_is_reported(tmp_path, line):
    path = write(tmp_path, f"""Feature: F
  Scenario: S
    {line}
    Given the shipped framework
    Then no requirement in force on 2026-10-31 lacks a regulator
""")
    assert messages(path) == [f"3: scenario 'S' description line looks like a step that Gherkin ignored: {line!r}"]


def test_prose_carrying_on_a_sentence_with_and_is_not_a_step(tmp_path):
    path = write(tmp_path, """Feature: F
  Children's homes must give advocacy support
  and let children meet advocates in private.

  Scenario: S
    Given the shipped framework
    Then no requirement in force on 2026-10-31 lacks a regulator
""")
    assert messages(path) == []


def test_a_step_the_library_does_not_define_is_reported_with_outline_values_filled_in(tmp_path):
    path = write(tmp_path, """Feature: F
  Scenario Outline: S
    Given the shipped framework
    Then "<ref>" is sort_of_met at "SC1"

    Examples:
      | ref            |
      | CHR 2015 reg 7 |
""")
    assert messages(path) == ["4: no step in regframe's library reads '\"CHR 2015 reg 7\" is sort_of_met at \"SC1\"'"]


def test_the_glossary_lists_every_step_with_its_keyword_and_explanation():
    entries = glossary()
    assert ("Given", "the framework under test") in [(k, p) for k, p, _ in entries]
    assert ("When", "the gap report is produced as at {day:Date}") in [(k, p) for k, p, _ in entries]
    assert all(doc for _, _, doc in entries)
    assert len({p for _, p, _ in entries}) == len(entries)


def test_every_tag_the_features_use_is_registered_as_a_marker(pytestconfig):
    markers = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert set(TAGS) <= markers
