"""``regframe report``: the main job. Read evidence, assess every setting, write the gap report."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from regframe.core.exitcodes import ExitCode
from regframe.cli.common import (
    add_evidence_options,
    add_framework_option,
    exit_for,
    iso_date,
    load_for_command,
    load_framework_arg,
    print_diagnostics,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="assess settings against the framework and write the joint-inspection gap report (xlsx, JSON)",
        description=(
            "Read evidence (evidence XML, LA returns, SSDA903, Annex A, Ofsted CSVs), assess every setting as at "
            "a date, and write the gap report. --demo uses the bundled fictional dataset. Exit 0 when the report "
            "is written from clean input, whatever ratings it finds; 1 when an input could not be read, a record "
            "was rejected or an error was found (the report is still written, and its Summary says so), with "
            "--strict when there was any warning too, and with --fail-on red|amber when a setting is rated so or "
            "worse; 2 for files without an LA code beside files that name theirs (give --la); 4 if the report "
            "cannot be written."
        ),
    )
    parser.add_argument("--evidence", nargs="+", type=Path, default=[], metavar="PATH",
                        help="evidence files or folders (format detected from content)")
    parser.add_argument("--settings", nargs="+", type=Path, default=[], metavar="OFSTED_CSV",
                        help="Ofsted provider-level CSV(s) giving the register of settings")
    parser.add_argument("--demo", action="store_true", help="use the bundled demo dataset")
    parser.add_argument("--as-at", type=iso_date, metavar="DATE",
                        help="assess as at DATE (default: today; the demo's own date with --demo)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx", help="spreadsheet to write")
    parser.add_argument("--json", type=Path, metavar="FILE.json", help="also write the JSON report")
    parser.add_argument("--quiet", action="store_true", help="print nothing but problems")
    parser.add_argument("--fail-on", choices=["red", "amber"], metavar="RATING",
                        help="exit 1 if any setting is rated RATING (red or amber) or worse, for pipelines")
    add_framework_option(parser)
    add_evidence_options(parser)
    parser.set_defaults(handler=run)


class Progress:
    """A one-line progress display, only when stderr is a terminal (never in logs or pipes)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done != total and now - self.last < 0.2:
            return
        self.last = now
        width = 30
        filled = int(width * done / max(total, 1))
        print(f"\rassessing settings [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
        if done == total:
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from regframe.assess import assess
    from regframe.evidence.pseudonym import ENV_VAR
    from regframe.evidence.pseudonym import PseudonymKey
    from regframe.report import write_json, write_xlsx

    paths: list[Path] = [*args.settings, *args.evidence]
    key = None
    as_at = args.as_at
    la_code = args.la_code
    if args.demo:
        from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths

        paths = [*demo_paths(), *paths]
        as_at = as_at or AS_AT
        la_code = la_code or EXTRACT_LA
        if args.pseudonym_key_file is None and not os.environ.get(ENV_VAR):
            # The demo's children are fictional, so a published key is safe and makes the demo reproducible.
            key = PseudonymKey.from_text(DEMO_KEY, "demo")
    if not paths:
        print("regframe: error: give --evidence PATH... (and/or --settings OFSTED.csv), or --demo", file=sys.stderr)
        return ExitCode.USAGE
    as_at = as_at or dt.date.today()
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a))

    started = time.monotonic()
    framework = load_framework_arg(args.framework)
    key = key or PseudonymKey.resolve(args.pseudonym_key_file)
    evidence = load_for_command(paths, key, la_code)
    for note in evidence.notes:
        say(f"note: {note}")
    if evidence.diagnostics:
        print_diagnostics(evidence.diagnostics, stream=sys.stderr)
    say(f"read {len(evidence.inputs)} file(s): {len(evidence.settings)} settings, {len(evidence.items)} evidence "
        f"items, {len(evidence.placements)} placements, {len(evidence.metrics)} monthly figures; "
        f"{evidence.rejected} record(s) rejected")
    if not evidence.settings:
        print("regframe: error: no settings found in the input; nothing to assess", file=sys.stderr)
        return ExitCode.FINDINGS

    from regframe.framework.graph import build_graph
    from regframe.assess.mapping import check_mapping

    graph = build_graph(framework)
    assessment = assess(graph, evidence, as_at, progress=Progress(not args.quiet))
    # the references that resolve to no requirement, as the assessment met them (they are in the report too)
    mapping = check_mapping(graph, evidence).diagnostics
    if mapping:
        print_diagnostics(mapping, stream=sys.stderr)
    try:
        write_xlsx(assessment, graph, args.output)
        if args.json:
            write_json(assessment, args.json)
    except OSError as error:
        print(f"regframe: cannot write the report: {error}", file=sys.stderr)
        return ExitCode.OUTPUT

    ratings = {r: sum(1 for s in assessment.settings if s.rating.value == r) for r in ("red", "amber", "green")}
    say(f"assessed {len(assessment.settings)} settings as at {as_at.isoformat()}: "
        f"{ratings['red']} red, {ratings['amber']} amber, {ratings['green']} green "
        f"({time.monotonic() - started:.1f} s)")
    if assessment.closed:
        say(f"{len(assessment.closed)} setting(s) closed, resigned or cancelled by {as_at.isoformat()} were not rated "
            "(listed on the About sheet)")
    for group in assessment.groups:
        if group.stands_out:
            say(f"provider group with failings at {len(group.settings_with_failings)} settings: {group.owner}")
    if assessment.settings:
        worst = assessment.settings[0]
        say(f"highest risk: {worst.setting.urn} {worst.setting.name or ''} ({worst.rating.value}): "
            + "; ".join(worst.rating_reasons[:2]))
    say(f"wrote {args.output.resolve()}")
    if args.json:
        say(f"wrote {args.json.resolve()}")
    code = exit_for([*evidence.diagnostics, *mapping], args.strict)
    if code is not ExitCode.OK:
        errors = len(evidence.errors)
        print(f"regframe: the input was not clean ({errors} error(s)"
              f"{'' if errors or not args.strict else ', warnings with --strict'}): the report was written, "
              "and exit code 1 says it rests on incomplete input", file=sys.stderr)
        return code
    if args.fail_on is not None:
        worst = [s for s in assessment.settings if s.rating.rank <= {"red": 0, "amber": 1}[args.fail_on]]
        if worst:
            print(f"regframe: {len(worst)} setting(s) rated {args.fail_on} or worse (--fail-on {args.fail_on})",
                  file=sys.stderr)
            return ExitCode.FINDINGS
    return ExitCode.OK
