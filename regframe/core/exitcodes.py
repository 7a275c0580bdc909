"""The CLI's exit codes, as a documented enum (after compliance-trestle).

Scripts and CI jobs branch on these, so they never change meaning.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    #: everything worked and nothing needs attention
    OK = 0
    #: the command ran, but found problems: invalid input, failing features,
    #: or (with ``--strict``) any diagnostic at all
    FINDINGS = 1
    #: the command line itself is wrong (unknown option, missing argument, bad date), or the
    #: pseudonym key cannot be used (key file unreadable, key under 16 characters)
    USAGE = 2
    #: regframe itself failed; please report it with the message printed
    INTERNAL = 3
    #: an output file could not be written (permissions, disk full); no partial file is left
    OUTPUT = 4
