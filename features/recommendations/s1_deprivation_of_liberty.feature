@recommendation @supplementary @setting_level @s1
Feature: S1 - readiness for lawful deprivation of liberty practice
  Restraint and confinement at Hesley were unlawful and unsafe. The framework
  must keep in force the requirements that a deprivation of liberty needs
  lawful authority, and watch restraint rates at each setting.

  Background:
    Given the framework under test

  Scenario: Lawful authority for a deprivation of liberty is required in force
    Then recommendation S1 is addressed on 2026-10-31 by "CHR 2015 reg 20(3)"
    And recommendation S1 is addressed on 2026-10-31 by "HSCA RA 2014 reg 13(5)"
    And recommendation S1 is addressed on 2026-10-31 by "CA 1989 s.25"
    And recommendation S1 relies on the "restraint rate" indicator

  Scenario: A high restraint rate puts S1 on the failing list
    Given a children's home "SC11"
    And 4 children placed there for 52 weeks a year, 60 miles from home, with an advocate
    And a restraint rate there of 2.5 restraints per child a month over the last 3 months
    When the gap report is produced as at 2026-10-31
    Then the "restraint rate" indicator is red at "SC11"
    And recommendation S1 is failing at "SC11"
