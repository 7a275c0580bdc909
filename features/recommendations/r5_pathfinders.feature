@recommendation @national @system_level @r5
Feature: R5 - community and school provision prioritised in pathfinders
  R5 asks the children's social care and SEND pathfinders to prioritise
  community and school provision: a system duty the framework must answer.

  Scenario: R5 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation R5 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
