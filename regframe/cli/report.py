"""``regframe report``: the main job. Read evidence, assess every setting, write the gap report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from regframe.cli.common import (
    AssessmentInputs,
    add_assessment_inputs,
    add_evidence_options,
    add_framework_option,
    assess_evidence,
    exit_for,
    load_framework_arg,
    say_unless,
)
from regframe.core.exitcodes import ExitCode


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
            "(or a profile) cannot be written."
        ),
    )
    add_assessment_inputs(parser)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx", help="spreadsheet to write")
    parser.add_argument("--json", type=Path, metavar="FILE.json", help="also write the JSON report")
    parser.add_argument("--profiles", type=Path, metavar="DIR",
                        help="also write the one-page profile (HTML) of every red and amber setting into DIR")
    parser.add_argument("--quiet", action="store_true", help="print nothing but problems")
    parser.add_argument("--top", type=int, default=1, metavar="N",
                        help="print the N red or amber settings of highest risk with their first reason (default 1)")
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
    from regframe.report import write_json, write_xlsx

    inputs = AssessmentInputs.from_args(args)
    as_at = inputs.as_at
    say = say_unless(args.quiet)

    started = time.monotonic()
    framework = load_framework_arg(args.framework)
    evidence = inputs.read(say)
    if not evidence.settings:
        print("regframe: error: no settings found in the input; nothing to assess", file=sys.stderr)
        return ExitCode.FINDINGS

    graph, assessment, mapping = assess_evidence(framework, evidence, as_at, Progress(not args.quiet))
    profiles: list[Path] = []
    try:
        write_xlsx(assessment, graph, args.output)
        if args.json:
            write_json(assessment, args.json)
        if args.profiles:
            from regframe.report.profile import ProfileBuilder, profiled, write_profiles

            profiles = write_profiles(ProfileBuilder(assessment, evidence, graph), profiled(assessment), args.profiles)
    except OSError as error:
        print(f"regframe: cannot write the report: {error}", file=sys.stderr)
        return ExitCode.OUTPUT

    from regframe.report.national import national_counts

    counts = national_counts(assessment, inputs.history_only)
    say(f"assessed {counts.rated} settings as at {as_at.isoformat()}: risk {counts.risk['red']} red, "
        f"{counts.risk['amber']} amber, {counts.risk['green']} green; assurance {counts.assurance['high']} high, "
        f"{counts.assurance['medium']} medium, {counts.assurance['low']} low ({time.monotonic() - started:.1f} s)")
    say(f"rows read {counts.rows:,}: {counts.accepted:,} accepted, {counts.rejected:,} rejected, "
        f"{counts.skipped:,} skipped, {counts.blank:,} blank, {counts.unused:,} unused")
    if assessment.closed:
        say(f"{len(assessment.closed)} setting(s) closed, resigned or cancelled by {as_at.isoformat()} were not rated "
            "(listed on the About sheet)")
    for group in assessment.groups:
        if group.stands_out:
            say(f"provider group with failings at {len(group.settings_with_failings)} settings: {group.owner}")
    for ranked in counts.highest[:args.top]:
        who = ", ".join(part for part in (ranked.name, ranked.owner) if part)
        say(f"highest risk: {ranked.urn}{' ' + who if who else ''} ({ranked.risk}, {ranked.assurance} assurance): "
            f"{ranked.reason}")
    say(f"wrote {args.output.resolve()}")
    if args.json:
        say(f"wrote {args.json.resolve()}")
    if args.profiles:
        say(f"wrote {len(profiles)} profile(s) of red and amber settings into {args.profiles.resolve()}")
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
