@recommendation @supplementary @system_level @s7
Feature: S7 - a SEND practice guide among the first three

  Scenario: S7 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation S7 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
