@recommendation @national @setting_level @r1
Feature: R1 - independent non-instructed advocacy for every child
  The Panel found that only 2 of the 108 children at the Hesley settings had
  independent advocacy. A gap report must show, setting by setting, where a
  child has no advocate, and the framework must keep requirements in force
  that oblige someone to give children advocacy.

  Background:
    Given the framework under test
    And a dual-registered residential special school "SC1"

  Scenario Outline: A child with no advocate is a failing of R1 at the school
    Given a child placed there for 52 weeks a year, 180 miles from home, with no advocate
    When the gap report is produced as at <report date>
    Then "CHR 2015 reg 7(2)(b)(iii)" is not_met at "SC1"
    And recommendation R1 is failing at "SC1"
    And the "no advocate share" indicator is red at "SC1"

    Examples:
      | report date |
      | 2026-10-31  |
      | 2027-05-01  |

  Scenario: A child whose advocate visits keeps R1 off the failing list
    Given a child placed there for 52 weeks a year, 180 miles from home, with an advocate
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 7(2)(b)(iii)" is met at "SC1"
    And the "no advocate share" indicator is not raised at "SC1"
    And recommendation R1 is at_risk at "SC1"

  Scenario: Children's homes and residential special schools must both give advocacy
    Then recommendation R1 is addressed on 2027-05-01 by "CHR 2015 reg 7(2)(b)(iii)"
    And recommendation R1 is addressed on 2027-05-01 by "rssnms2022.part7.advocacy"
    And recommendation R1 relies on the "no advocate share" indicator

  Scenario Outline: The share of children without an advocate against its thresholds
    Given <without> children placed there for 52 weeks a year, 180 miles from home, with no advocate
    And <with> children placed there for 52 weeks a year, 180 miles from home, with an advocate
    When the gap report is produced as at 2026-10-31
    Then the "no advocate share" indicator is <level> at "SC1"

    Examples: a quarter without is amber, a half is red
      | without | with | share | level      |
      | 1       | 3    | 25%   | amber      |
      | 1       | 4    | 20%   | not raised |
      | 2       | 2    | 50%   | red        |
      | 2       | 3    | 40%   | amber      |
