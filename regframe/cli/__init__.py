"""The ``regframe`` command line.

One module per command group (``validate``, ``standards``, ``graph``, ...),
each with a ``register(subparsers)`` function that adds its parser and sets
``handler``. ``main`` parses, dispatches, and turns outcomes into the exit
codes of :class:`regframe.core.exitcodes.ExitCode`: a handler returns one, usage
errors exit 2, and anything unexpected exits 3 with a one-line message (the
traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from regframe._version import __version__
from regframe.core.exitcodes import ExitCode, epilog
from regframe.evidence.pseudonym import PseudonymKeyError
from regframe.framework.loading import FrameworkInvalid
from regframe.ingest import LAScopeError

#: Command modules, in the order ``regframe --help`` lists them.
COMMAND_MODULES = [
    "validate",
    "standards",
    "graph",
    "evidence",
    "report",
    "profile",
    "synth",
    "template",
    "diff",
    "verify",
    "impact",
]


class UsageError(Exception):
    """A bad command-line value found after parsing (e.g. an unreadable date)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regframe",
        description="Joint Ofsted-CQC gap assessment for residential settings for disabled children in England.",
        epilog=epilog(),
    )
    parser.add_argument("--version", action="version", version=f"regframe {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(args.handler(args))
    except FrameworkInvalid as invalid:
        from regframe.cli.common import print_diagnostics

        print_diagnostics(invalid.diagnostics, stream=sys.stderr)
        print("regframe: the framework has errors; run `regframe validate` on it", file=sys.stderr)
        return ExitCode.FINDINGS
    except LAScopeError as error:
        from regframe.cli.common import print_diagnostics

        print_diagnostics(error.diagnostics, stream=sys.stderr)
        print("regframe: error: give the LA code of the files above with --la CODE", file=sys.stderr)
        return ExitCode.USAGE
    except (UsageError, PseudonymKeyError) as error:
        print(f"regframe: error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print("regframe: interrupted", file=sys.stderr)
        return ExitCode.INTERNAL
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as error:  # the last line of defence: a clear message, a documented code
        if args.debug:
            traceback.print_exc()
        print(f"regframe: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return ExitCode.INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
