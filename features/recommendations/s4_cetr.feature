@recommendation @supplementary @setting_level @s4
Feature: S4 - a Care, Education and Treatment Review before a 38-week-plus placement
  No requirement in force asks for a multi-agency review before a long
  residential placement; the gap report shows where such placements cluster.

  Background:
    Given the framework under test

  Scenario: S4 is answered in force or by an explicit proposal
    Then recommendation S4 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
    And recommendation S4 relies on the "fifty two week share" indicator

  Scenario: A school of 52-week placements puts S4 on the failing list
    Given a residential special school "900004"
    And 3 children placed there for 52 weeks a year, 90 miles from home, with an advocate
    When the gap report is produced as at 2026-10-31
    Then the "fifty two week share" indicator is red at "900004"
    And recommendation S4 is failing at "900004"
