"""The ``regframe`` command line.

One module per command group (``validate``, ``standards``, ``graph``, ...),
each with a ``register(subparsers)`` function that adds its parser and sets
``handler``. ``main`` parses, dispatches, and turns outcomes into the exit
codes of :class:`regframe.core.exitcodes.ExitCode`: a handler returns one, usage
errors exit 2, Ctrl-C and the termination signals exit 130 once every temporary
file is removed, and anything unexpected exits 3 with a one-line message (the
traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence

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


class Terminated(BaseException):
    """A termination signal (SIGTERM, SIGHUP) received while a command ran, raised where the command was.

    Python's default for these signals ends the process at once, so no ``finally`` runs and a
    temporary file being written is left behind. Raised as an exception instead (a
    ``BaseException``, like ``KeyboardInterrupt``, so no handler of ordinary errors catches it), it
    unwinds the command: every temporary file is removed and every output is left as it was.
    """


#: the signals a command is stopped by, and cleans up after, where the platform has them
TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _terminate(signum: int, _frame: object) -> None:
    signal.signal(signum, signal.SIG_IGN)  # a second signal must not cut the cleaning up short
    raise Terminated(signal.Signals(signum).name)


@contextlib.contextmanager
def _terminations_raised() -> Iterator[None]:
    """While a command runs, its termination signals raise :class:`Terminated` (main thread only: the
    only one that receives signals); the handlers before it are put back afterwards.

    A signal already ignored stays ignored: ``nohup regframe report ...`` must outlive its terminal.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _terminate) for signum in TERMINATING
                if signal.getsignal(signum) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    with _terminations_raised():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
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
    except (KeyboardInterrupt, Terminated) as stopped:
        how = f" by {stopped}" if isinstance(stopped, Terminated) else ""
        print(f"regframe: interrupted{how}; no partial or temporary file was left", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as error:  # the last line of defence: a clear message, a documented code
        if args.debug:
            traceback.print_exc()
        print(f"regframe: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return ExitCode.INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
