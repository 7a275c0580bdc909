"""Tests of regframe.io."""
