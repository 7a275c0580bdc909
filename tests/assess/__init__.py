"""Tests of regframe.assess."""
