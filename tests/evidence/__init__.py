"""Tests of regframe.evidence."""
