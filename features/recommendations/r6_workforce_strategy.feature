@recommendation @national @system_level @r6
Feature: R6 - an integrated workforce strategy
  There is no national strategy in force, but the workforce standards it would
  build on are: qualifications, supervision and training in children's homes,
  and staffing under CQC's fundamental standards.

  Background:
    Given the framework under test

  Scenario: R6 is addressed by workforce requirements in force
    Then recommendation R6 is addressed by requirements in force on 2026-10-31
    And recommendation R6 is addressed on 2026-10-31 by "CHR 2015 reg 32(4)"
    And recommendation R6 is addressed on 2026-10-31 by "CHR 2015 reg 33(4)"
    And recommendation R6 is addressed on 2026-10-31 by "HSCA RA 2014 reg 18"

  Scenario: Both regulators hold the workforce requirements
    Then recommendation R6 is addressed on 2026-10-31 by a requirement held by Ofsted
    And recommendation R6 is addressed on 2026-10-31 by a requirement held by CQC
