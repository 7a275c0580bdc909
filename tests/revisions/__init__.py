"""Tests of regframe.revisions."""
