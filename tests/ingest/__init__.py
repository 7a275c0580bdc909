"""Tests of regframe.ingest."""
