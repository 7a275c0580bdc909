"""Tests of regframe.core."""
