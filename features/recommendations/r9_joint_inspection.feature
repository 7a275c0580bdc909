@recommendation @national @setting_level @r9
Feature: R9 - a simpler framework and joint Ofsted-CQC inspection
  R9(b) asks for joint inspection of residential settings for disabled
  children. Until it exists, a gap report sets one regulator's findings beside
  the other's: at a dual-registered setting, a requirement both regulators
  hold but only one has looked at must stand out.

  Background:
    Given the framework under test
    And a dual-registered residential special school "SC9"

  Scenario: A requirement only Ofsted has evidenced is flagged single_regulator
    Given Ofsted found "CHR 2015 reg 12" good on 2026-03-10
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 12" is met at "SC9"
    And "CHR 2015 reg 12" is flagged single_regulator at "SC9"

  Scenario: When CQC has looked too, the flag goes
    Given Ofsted found "CHR 2015 reg 12" good on 2026-03-10
    And CQC found "HSCA RA 2014 reg 13" met on 2026-05-19
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 12" is not flagged single_regulator at "SC9"
    And "HSCA RA 2014 reg 13" is met at "SC9"

  Scenario: Ofsted and CQC seeing safeguarding differently is flagged
    Given Ofsted found "CHR 2015 reg 12" good on 2026-03-10
    And CQC found "HSCA RA 2014 reg 13" not met on 2026-05-19
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 12" is flagged regulators_disagree at "SC9"
    And "HSCA RA 2014 reg 13" is not_met at "SC9"
    And recommendation R9 is failing at "SC9"

  Scenario: A setting registered with Ofsted only is never single_regulator
    Given a children's home "SC10"
    And Ofsted found "CHR 2015 reg 12" good on 2026-03-10
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 12" is not flagged single_regulator at "SC10"

  Scenario: R9(b) pairs Ofsted and CQC requirements; R9(a) has a proposal
    Then recommendation R9(b) is addressed on 2026-10-31 by "CHR 2015 reg 12"
    And recommendation R9(b) is addressed on 2026-10-31 by "HSCA RA 2014 reg 13"
    And recommendation R9(b) is addressed on 2026-10-31 by a requirement held by Ofsted
    And recommendation R9(b) is addressed on 2026-10-31 by a requirement held by CQC
    And recommendation R9(a) is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
