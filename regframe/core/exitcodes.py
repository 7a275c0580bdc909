"""The CLI's exit codes, as a documented enum (after compliance-trestle), and the one table that explains them.

Scripts and CI jobs branch on these, so they never change meaning. Every verb
ends with one of them by the same rules; ``regframe --help``, the README and the
docs' exit-codes page are written from :data:`EXIT_TABLE` (a test keeps the
README in step), so the explanation exists once.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    #: the command did what was asked and its input was clean: every file read, no record rejected,
    #: no error. Warnings do not count unless ``--strict`` is given. A ``report`` exits 0 whatever
    #: ratings it finds, unless ``--fail-on`` is given.
    OK = 0
    #: the command ran but something needs attention: an input could not be read, a record was
    #: rejected, or an error was found (even when a report was written: its Summary says so);
    #: with ``--strict``, any warning too; with ``--fail-on red|amber``, a setting rated that or
    #: worse; features that fail (``verify``); a recommendation left uncovered (``diff --fail-on-uncovered``)
    FINDINGS = 1
    #: the command line itself is wrong (unknown option, missing argument, bad date), the pseudonym
    #: key cannot be used (key file unreadable, key under 16 characters), or files whose child ids
    #: carry no LA code were given beside files that name their LA without ``--la`` (RF341)
    USAGE = 2
    #: regframe itself failed; please report it with the message printed
    INTERNAL = 3
    #: an output file could not be written (permissions, disk full); no partial file is left
    OUTPUT = 4
    #: stopped by Ctrl-C or a termination signal (SIGTERM, SIGHUP) before it finished; no partial or
    #: temporary file is left, and every file it was writing is as it was before the run (128 + SIGINT)
    INTERRUPTED = 130


#: (code, when) for each exit code, in words short enough for ``--help`` and the README
EXIT_TABLE: tuple[tuple[ExitCode, str], ...] = (
    (ExitCode.OK, "done, and the input was clean (warnings allowed unless --strict); a report exits 0 "
                  "whatever its ratings unless --fail-on"),
    (ExitCode.FINDINGS, "an input unreadable, a record rejected or an error found, even if a report was written; "
                        "with --strict any warning; with --fail-on red|amber a setting rated so or worse; "
                        "failing features (verify)"),
    (ExitCode.USAGE, "bad command line, unusable pseudonym key, or child ids without an LA beside files that "
                     "name theirs (give --la)"),
    (ExitCode.INTERNAL, "regframe itself failed (rerun with --debug and report it)"),
    (ExitCode.OUTPUT, "an output file could not be written; no partial file is left"),
    (ExitCode.INTERRUPTED, "stopped by Ctrl-C or a termination signal (SIGTERM, SIGHUP); no partial or temporary "
                           "file is left"),
)


def epilog() -> str:
    """The exit codes as ``--help`` prints them."""
    return "Exit codes: " + "; ".join(f"{code.value} {text}" for code, text in EXIT_TABLE) + "."


def markdown_table() -> str:
    """The exit codes as the README's table."""
    lines = ["| exit | when |", "|---|---|"]
    lines += [f"| {code.value} | {text} |" for code, text in EXIT_TABLE]
    return "\n".join(lines) + "\n"
