@recommendation @national @system_level @r7
Feature: R7 - leadership and provider investment in the workforce
  Staff turnover, vacancies and agency reliance were part of what went wrong.
  The framework must keep the staffing duties in force and measure the
  staffing signals R7 relies on against thresholds.

  Background:
    Given the framework under test

  Scenario: Sufficient staff is required in force
    Then recommendation R7 is addressed by requirements in force on 2026-10-31
    And recommendation R7 is addressed on 2026-10-31 by "CHR 2015 reg 13(2)(d)"
    And recommendation R7 is addressed on 2026-10-31 by a requirement held by the provider

  Scenario: The staffing indicators R7 relies on have thresholds
    Then recommendation R7 relies on the "staff turnover" indicator
    And recommendation R7 relies on the "staff vacancies per place" indicator
    And recommendation R7 relies on the "agency share" indicator
    And the indicators recommendation R7 relies on have amber and red thresholds in force on 2026-10-31
