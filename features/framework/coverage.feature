@coverage
Feature: The framework gives force to every recommendation, and holds together
  A revision must not leave a recommendation with nothing behind it, a
  requirement with nobody to hold it, or a deadline no evidence can show met.

  Background:
    Given the framework under test

  Scenario Outline: Every recommendation is answered, in force or by an explicit proposal
    Then every recommendation is addressed on <date> by a requirement in force or by a proposal in "csprp2023-proposals.xml"

    Examples:
      | date       |
      | 2026-10-31 |
      | 2027-05-01 |

  Scenario Outline: Every requirement in force has someone to hold it
    Then no requirement in force on <date> lacks a regulator

    Examples:
      | date       |
      | 2026-10-31 |
      | 2027-05-01 |

  Scenario: Every cadence can be checked from the evidence it names
    Then every cadence in force on 2026-10-31 that names an evidence kind can be reached from that evidence kind
    And every cadence in force on 2027-05-01 that names an evidence kind can be reached from that evidence kind
