@recommendation @supplementary @system_level @s8
Feature: S8 - SEND standards aligned with children's social care standards

  Scenario: S8 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation S8 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
