@recommendation @national @setting_level @r2
Feature: R2 - advice, support and a navigator before a 38-week-plus placement
  Many Hesley children were in 52-week placements that local support might
  have made unnecessary. Nothing in force yet requires the advice and
  navigator R2 asks for, so the gap report shows where 52-week placements
  cluster, and a proposal stands in for the missing requirement.

  Background:
    Given the framework under test
    And a dual-registered residential special school "SC2"

  Scenario: A school full of 52-week placements puts R2 on the failing list
    Given 4 children placed there for 52 weeks a year, 150 miles from home, with an advocate
    When the gap report is produced as at 2026-10-31
    Then the "fifty two week share" indicator is red at "SC2"
    And recommendation R2 is failing at "SC2"

  Scenario: Term-time placements do not
    Given 4 children placed there for 38 weeks a year, 20 miles from home, with an advocate
    When the gap report is produced as at 2026-10-31
    Then the "fifty two week share" indicator is not raised at "SC2"
    And recommendation R2 is ok at "SC2"

  Scenario: R2 is answered in force or by an explicit proposal
    Then recommendation R2 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
    And recommendation R2 relies on the "fifty two week share" indicator
