@recommendation @national @system_level @r4
Feature: R4 - a support programme for commissioners
  R4 asks DfE, DHSC and NHS England for a programme helping commissioners
  forecast need and shape the market: a system duty the framework must answer.

  Scenario: R4 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation R4 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
