@recommendation @supplementary @system_level @s3
Feature: S3 - integrated provision in the Families First pathfinders

  Scenario: S3 is answered in force or by an explicit proposal
    Given the framework under test
    Then recommendation S3 is addressed on 2026-10-31 by a requirement in force or by a proposal in "csprp2023-proposals.xml"
