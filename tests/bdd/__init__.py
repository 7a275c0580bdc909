"""Tests of regframe.bdd."""
