"""``regframe impact BASE REVISION``: what a revision would change for the settings in some evidence."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regframe.cli.common import add_evidence_options, iso_date, load_framework_arg
from regframe.core.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "impact",
        help="assess the same evidence under a framework and a revision, and show which settings would change",
        description=(
            "Assess the evidence under BASE and under REVISION (framework manifests or revision files) as at a "
            "date, and report each setting whose requirement statuses, flags, rating or recommendation lens "
            "would change, and how. --demo uses the bundled demo evidence (as at its own date unless --as-at). "
            "Exit 0 when the report is printed; 1 with --strict if the evidence had problems."
        ),
    )
    parser.add_argument("base", type=Path, metavar="BASE", help="framework manifest or revision file")
    parser.add_argument("revision", type=Path, metavar="REVISION", help="revision file (or another manifest)")
    parser.add_argument("--evidence", nargs="+", type=Path, default=[], metavar="PATH", help="evidence files or folders")
    parser.add_argument("--demo", action="store_true", help="use the bundled demo evidence")
    parser.add_argument("--as-at", type=iso_date, metavar="DATE", help="assess as at DATE (default: today; the demo's date with --demo)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    add_evidence_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from regframe.cli import UsageError
    from regframe.cli.common import exit_for, load_for_command, print_diagnostics
    from regframe.core.atomic import atomic_write_bytes
    from regframe.evidence.pseudonym import PseudonymKey
    from regframe.revisions.impact import impact, to_json, to_text

    for path in (args.base, args.revision):
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    paths, as_at, la_code = list(args.evidence), args.as_at, args.la_code
    if args.demo:
        from regframe.samples.demo import AS_AT, EXTRACT_LA, demo_paths

        paths, as_at, la_code = [*demo_paths(), *paths], as_at or AS_AT, la_code or EXTRACT_LA
    if not paths:
        raise UsageError("give --evidence PATH... or --demo")
    base, revised = load_framework_arg(args.base), load_framework_arg(args.revision)
    key = PseudonymKey.resolve(args.pseudonym_key_file)
    evidence = load_for_command(paths, key, la_code)
    print_diagnostics(evidence.diagnostics, stream=sys.stderr)
    result = impact(base, revised, evidence, as_at or dt.date.today())
    if args.format == "json":
        text = to_json(result)
    else:
        refs = {r.id: r.ref for framework in (base, revised) for r in framework.requirements()}
        text = to_text(result, refs)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            atomic_write_bytes(args.output, text.encode("utf-8"))
        except OSError as error:
            print(f"regframe: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
            return ExitCode.OUTPUT
    return exit_for(evidence.diagnostics, strict=args.strict)
