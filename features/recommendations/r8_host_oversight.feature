@recommendation @national @setting_level @r8
Feature: R8 - host authorities see the warning signs in settings in their area
  At Hesley, restraint rose and allegations reached the LADO month after month
  while nobody read the signals together. A gap report must flag a setting
  whose restraint is rising and whose staff are the subject of repeated LADO
  referrals, so that the host local authority looks now.

  Background:
    Given the framework under test
    And a children's home "SC8"
    And 6 children placed there for 52 weeks a year, 120 miles from home, with an advocate

  Scenario: Rising restraint and LADO referrals flag the home for its host authority
    Given restraint incidents there in each of the last 6 months, oldest first, were 2, 2, 3, 5, 7, 9
    And 6 children were resident there in each of the last 6 months
    And 5 allegations against staff there were referred to the LADO in the last 6 months
    When the gap report is produced as at 2026-10-31
    Then the "restraint trend" indicator is red at "SC8"
    And the "lado referrals 12m" indicator is red at "SC8"
    And recommendation R8 is failing at "SC8"
    And "SC8" is flagged for its host authority

  Scenario: A quiet home is not flagged
    Given restraint incidents there in each of the last 6 months, oldest first, were 1, 0, 1, 0, 1, 0
    And 6 children were resident there in each of the last 6 months
    When the gap report is produced as at 2026-10-31
    Then the "restraint trend" indicator is not raised at "SC8"
    And the "lado referrals 12m" indicator is not raised at "SC8"
    And "SC8" is not flagged for its host authority

  @threshold
  Scenario Outline: The restraint rate against its thresholds
    Given a restraint rate there of <rate> restraints per child a month over the last 3 months
    When the gap report is produced as at 2026-10-31
    Then the "restraint rate" indicator is <level> at "SC8"

    Examples: exactly at a threshold reaches it, just below does not
      | rate | level      |
      | 0.9  | not raised |
      | 1    | amber      |
      | 1.9  | amber      |
      | 2    | red        |

  @threshold
  Scenario Outline: LADO referrals in a year against their thresholds
    Given <referrals> allegations against staff there were referred to the LADO in the last 11 months
    When the gap report is produced as at 2026-10-31
    Then the "lado referrals 12m" indicator is <level> at "SC8"

    Examples:
      | referrals | level      |
      | 1         | not raised |
      | 2         | amber      |
      | 3         | amber      |
      | 4         | red        |

  Scenario: Host authorities hold requirements that give R8 force
    Then recommendation R8 is addressed on 2026-10-31 by a requirement held by the host authority
    And recommendation R8 is addressed on 2026-10-31 by "WT 2023 LADO referral"
    And recommendation R8 is addressed on 2026-10-31 by "CPPCR 2010 reg 13(4)"
    And recommendation R8 relies on the "restraint trend" indicator
    And recommendation R8 relies on the "lado referrals 12m" indicator
