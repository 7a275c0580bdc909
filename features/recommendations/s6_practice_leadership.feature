@recommendation @supplementary @system_level @s6
Feature: S6 - practice leadership as the basis of leadership development

  Scenario: S6 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation S6 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
