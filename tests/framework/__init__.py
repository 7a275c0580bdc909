"""Tests of regframe.framework."""
