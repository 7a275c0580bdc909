@proposal @r1
Feature: The joint inspection proposal gives R1 its full force
  R1 asks for independently commissioned, non-instructed advocacy for every
  disabled child in a residential setting. The framework in force gives
  advocacy support, but no requirement obliges anyone to provide that advocacy
  with regular visits. The proposal in
  standards/revisions/joint-inspection-proposal.xml would, from 1 April 2027.

  Scenario: The shipped framework falls short of R1 in its strict sense
    Given the shipped framework
    Then not every disabled child placed in a residential setting has independent non-instructed advocacy required by a requirement in force on 2027-05-01 with an advocacy-visit cadence

  Scenario: The proposal meets R1 in its strict sense
    Given the framework revised by "joint-inspection-proposal.xml"
    Then every disabled child placed in a residential setting has independent non-instructed advocacy required by a requirement in force on 2027-05-01 with an advocacy-visit cadence

  Scenario: Under the proposal, an advocate who stops visiting is a failing of R1
    Given the framework revised by "joint-inspection-proposal.xml"
    And a dual-registered residential special school "SC1"
    And a child placed there for 52 weeks a year, 180 miles from home, whose advocate last visited on 2027-02-01
    When the gap report is produced as at 2027-05-01
    Then "Proposal R1.1: independent non-instructed advocacy" is overdue at "SC1"
    And recommendation R1 is failing at "SC1"

  Scenario: Under the shipped framework the same gap goes unseen
    Given the shipped framework
    And a dual-registered residential special school "SC1"
    And a child placed there for 52 weeks a year, 180 miles from home, whose advocate last visited on 2027-02-01
    When the gap report is produced as at 2027-05-01
    Then "CHR 2015 reg 7(2)(b)(iii)" is met at "SC1"
    And recommendation R1 is at_risk at "SC1"
