"""``regframe diff BASE REVISION``: what a revision changes, and what it does to each recommendation's force."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from regframe.cli.common import iso_date, load_framework_arg
from regframe.core.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare a framework with a revision: changes, links to re-review, and each recommendation's coverage",
        description=(
            "Compare BASE (a framework manifest or a revision file) with REVISION (a revision file or a manifest) "
            "by stable id: requirements added, withdrawn, changed and renamed, links added and removed, links "
            "whose target changed, the citation routes when they differ (where bare citations in evidence are "
            "read), and for each of the Panel's recommendations the requirements in force that "
            "give it force before and after. Exit 0; with --fail-on-uncovered, exit 1 if any recommendation "
            "loses all its force."
        ),
    )
    parser.add_argument("base", type=Path, metavar="BASE", help="framework manifest or revision file")
    parser.add_argument("revision", type=Path, metavar="REVISION", help="revision file (or another manifest)")
    parser.add_argument("--format", choices=["text", "json", "xlsx"], default="text",
                        help="output format (default: text); xlsx needs -o")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--as-at", type=iso_date, metavar="DATE",
                        help="judge coverage as at DATE (default: the day the last change takes effect, or today)")
    parser.add_argument("--fail-on-uncovered", action="store_true",
                        help="exit 1 if a recommendation that had force loses all of it")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from regframe.cli import UsageError
    from regframe.core.atomic import atomic_write_bytes
    from regframe.report.diff import to_json, to_text, write_xlsx
    from regframe.revisions.diff import diff

    for path in (args.base, args.revision):
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    if args.format == "xlsx" and args.output is None:
        raise UsageError("--format xlsx needs -o FILE")
    result = diff(load_framework_arg(args.base), load_framework_arg(args.revision), as_at=args.as_at,
                  today=dt.date.today())  # the command's only "now"; the report prints the day it judged as at
    try:
        if args.format == "xlsx":
            write_xlsx(result, args.output)
        else:
            text = to_json(result) if args.format == "json" else to_text(result)
            if args.output is None:
                sys.stdout.write(text)
            else:
                atomic_write_bytes(args.output, text.encode("utf-8"))
    except OSError as error:
        print(f"regframe: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.OUTPUT
    if args.fail_on_uncovered and result.uncovered:
        names = ", ".join(c.ref for c in result.uncovered)
        print(f"regframe: recommendations losing all force: {names}", file=sys.stderr)
        return ExitCode.FINDINGS
    return ExitCode.OK
