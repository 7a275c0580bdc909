"""``regframe template la-return|link -o FILE``: write blank input templates for analysts to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regframe.core.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "template", help="write blank input templates (the LA oversight return, the CQC link file)",
        description="Write a blank input template. `la-return` is the xlsx workbook placing and host LAs fill in: "
                    "children placed in residential settings, and monthly signals about those settings. `link` is "
                    "the CSV that says which CQC location is which Ofsted setting (URN, CQC location ID, Note).",
    )
    kinds = parser.add_subparsers(dest="template", metavar="TEMPLATE")
    kinds.required = True
    la_return = kinds.add_parser(
        "la-return", help="the LA oversight return workbook (xlsx)",
        description="Write the LA oversight return: an Instructions sheet, 'Children placed' and 'Setting signals' "
                    "sheets with dropdowns, date and number checks, input messages and a worked example row.",
    )
    la_return.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="where to write the xlsx")
    la_return.set_defaults(handler=run_la_return)
    link = kinds.add_parser(
        "link", help="the Ofsted URN <-> CQC location link file (CSV)",
        description="Write the link file's header row (URN, CQC location ID, Note). Fill in one row per setting "
                    "registered with both regulators and give the file with the Ofsted and CQC files: regframe "
                    "then joins each CQC location's evidence to its Ofsted setting. The Note column is not read.",
    )
    link.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="where to write the CSV")
    link.set_defaults(handler=run_link)


def run_la_return(args: argparse.Namespace) -> int:
    from regframe.ingest.la_return_template import write_template

    try:
        written = write_template(args.output)
    except OSError as error:
        print(f"regframe: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.OUTPUT
    print(f"wrote {written}", file=sys.stderr)
    return ExitCode.OK


def run_link(args: argparse.Namespace) -> int:
    from regframe.ingest.cqc_link import write_template

    try:
        written = write_template(args.output)
    except OSError as error:
        print(f"regframe: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.OUTPUT
    print(f"wrote {written}", file=sys.stderr)
    return ExitCode.OK
