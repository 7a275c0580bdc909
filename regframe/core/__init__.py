"""The ground floor every other layer stands on: diagnostics, exit codes, atomic writes, shipped resources.

Nothing here knows about standards, evidence or reports.
"""
