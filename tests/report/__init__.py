"""Tests of regframe.report."""
