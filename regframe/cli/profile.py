"""``regframe profile``: the one-page HTML profile of each named setting, as the gap report assesses it."""

from __future__ import annotations

import argparse
import sys
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
        "profile",
        help="write the one-page profile (self-contained HTML, prints on A4) of each setting named",
        description=(
            "Read evidence as `regframe report` does, assess every setting as at a date, and write one page per "
            "setting named: the setting, its owner and registrations, risk and assurance, the reasons, and a "
            "timeline of 24 months of signals by source. The page needs no server and no script: open it from "
            "an email, print it on A4. Files are named profile-URN.html. Exit 0 when every page is written; "
            "1 with --strict if the input had any problem; 2 if a URN is not a setting in the input (nothing is "
            "written then); 4 if a page cannot be written."
        ),
    )
    parser.add_argument("urns", nargs="+", metavar="URN", help="the settings to profile, in any case; give them before --evidence and --settings "
                             "(which take several paths each) or after --")
    add_assessment_inputs(parser)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                        help="folder to write the pages into (created if missing)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but problems")
    add_framework_option(parser)
    add_evidence_options(parser)
    parser.set_defaults(handler=run)


def resolve_urns(asked: list[str], known: set[str]) -> list[str]:
    """The settings' own URNs for those asked (matched in any case, each once, in the order asked).

    A URN that is no setting in the input is a usage error naming every such URN.
    """
    from regframe.cli import UsageError

    by_folded = {urn.casefold(): urn for urn in sorted(known)}
    unknown = [urn for urn in asked if urn.strip().casefold() not in by_folded]
    if unknown:
        names = ", ".join(repr(u) for u in dict.fromkeys(unknown))
        raise UsageError(f"no setting with URN {names} among the {len(known)} setting(s) in the input")
    return list(dict.fromkeys(by_folded[urn.strip().casefold()] for urn in asked))


def run(args: argparse.Namespace) -> int:
    from regframe.report.profile import ProfileBuilder, write_profiles

    inputs = AssessmentInputs.from_args(args)
    say = say_unless(args.quiet)
    framework = load_framework_arg(args.framework)
    evidence = inputs.read(say)
    urns = resolve_urns(args.urns, set(evidence.settings))
    graph, assessment, mapping = assess_evidence(framework, evidence, inputs.as_at)
    try:
        written = write_profiles(ProfileBuilder(assessment, evidence, graph), urns, args.output)
    except OSError as error:
        print(f"regframe: cannot write a profile: {error}", file=sys.stderr)
        return ExitCode.OUTPUT
    for path in written:
        say(f"wrote {path.resolve()}")
    return exit_for([*evidence.diagnostics, *mapping], args.strict) if args.strict else ExitCode.OK
