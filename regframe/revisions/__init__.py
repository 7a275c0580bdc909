"""Revisions of the framework and what they change: applying a revision, diff, impact on settings, verify.

A revision is a dated change to the framework (:mod:`~regframe.revisions.revision`);
:mod:`~regframe.revisions.diff` says what it changes in the requirements,
:mod:`~regframe.revisions.impact` what it would change for real settings, and
:mod:`~regframe.revisions.verify` whether the Panel's recommendations still hold under it.
"""
