@recommendation @national @system_level @r3
Feature: R3 - joint commissioning in statutory guidance
  R3 asks DfE and NHS England to require local authorities and ICBs to
  commission together. It is a duty on the system, not on a setting: the
  framework must answer it, in force or by an explicit proposal.

  Background:
    Given the framework under test

  Scenario: R3 is answered in force or by an explicit proposal
    Then recommendation R3 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"

  Scenario: The sufficiency signals R3 relies on can be measured
    Then recommendation R3 relies on the "far from home share" indicator
    And recommendation R3 relies on the "fifty two week share" indicator
    And the indicators recommendation R3 relies on have amber and red thresholds in force on 2026-10-31
