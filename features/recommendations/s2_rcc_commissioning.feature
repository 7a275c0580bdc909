@recommendation @supplementary @system_level @s2
Feature: S2 - commissioning in the Regional Care Cooperative pathfinders

  Scenario: S2 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation S2 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
