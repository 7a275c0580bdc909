"""Tests of regframe.cli."""
