@recommendation @supplementary @setting_level @s5
Feature: S5 - closed cultures: the provider's word is not enough
  The Panel found too much reliance on providers' own reports. When the
  provider says a requirement is met and an independent source says it is
  not, the gap report must say so.

  Background:
    Given the framework under test
    And a children's home "SC5"

  Scenario: A provider's self-report contradicted by the independent person is flagged
    Given the provider reported "CHR 2015 reg 20" met on 2026-08-01
    And the independent person found "CHR 2015 reg 20" not met on 2026-09-14
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 20" is not_met at "SC5"
    And "CHR 2015 reg 20" is flagged provider_contradicted at "SC5"
    And "SC5" is rated amber

  Scenario: A provider's word alone is uncorroborated, not met
    Given the provider reported "CHR 2015 reg 20" met on 2026-08-01
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 20" is uncorroborated at "SC5"
    And "CHR 2015 reg 20" is not flagged provider_contradicted at "SC5"

  Scenario: A whistleblower's concern contradicts the provider too
    Given the provider reported "CHR 2015 reg 12" met on 2026-08-01
    And a whistleblower found "CHR 2015 reg 12" a concern on 2026-10-12
    When the gap report is produced as at 2026-10-31
    Then "CHR 2015 reg 12" is not_met at "SC5"
    And "CHR 2015 reg 12" is flagged provider_contradicted at "SC5"

  Scenario: Routes for staff to raise concerns are in force
    Then recommendation S5 is addressed on 2026-10-31 by "CHR 2015 reg 34"
    And recommendation S5 is addressed on 2026-10-31 by "CQC QS Freedom to speak up"
    And recommendation S5 relies on the "complaints 12m" indicator
