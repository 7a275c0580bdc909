"""Tests of regframe.samples."""
