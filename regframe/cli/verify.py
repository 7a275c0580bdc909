"""``regframe verify``: run the Panel's recommendations, as features, against a framework or a revision."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regframe.core.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="run the shipped features (the Panel's recommendations as acceptance tests) against a framework",
        description=(
            "Run every shipped feature, and any in --features DIR, against the shipped framework, another "
            "framework manifest (--framework) or a revision (--revision). Prints pass or fail per recommendation "
            "and names each failing scenario with the reason. Exit 0 if every scenario passes, 1 if any fails "
            "(or a feature has lint problems), 2 on a usage error. Needs pytest-bdd (the 'bdd' extra)."
        ),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--framework", type=Path, metavar="PATH", help="framework manifest (or revision) to verify")
    which.add_argument("--revision", type=Path, metavar="PATH", help="revision file to verify (applied to its base)")
    parser.add_argument("--features", type=Path, action="append", default=[], metavar="DIR",
                        help="a folder (or file) of your own features to run as well; may be repeated")
    parser.add_argument("--cucumber-json", type=Path, metavar="FILE", help="also write pytest-bdd's cucumber JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import importlib.util

    from regframe.cli import UsageError

    if importlib.util.find_spec("pytest_bdd") is None:
        raise UsageError("regframe verify needs pytest-bdd: pip install 'regframe[bdd]'")
    target = args.revision or args.framework
    if target is not None and not target.is_file():
        raise UsageError(f"{target}: no such file")
    for folder in args.features:
        if not folder.exists():
            raise UsageError(f"{folder}: no such folder")
    if target is not None:  # fail early, with the framework's own diagnostics, if it does not load
        from regframe.cli.common import load_framework_arg

        load_framework_arg(target)
    from regframe.bdd.lint import lint
    from regframe.core.resources import features_dir
    from regframe.revisions.verify import to_text, verify

    problems = lint([features_dir(), *args.features])
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"regframe: {len(problems)} problem(s) in the features; fix them first", file=sys.stderr)
        return ExitCode.FINDINGS
    result = verify(target, args.features, args.cucumber_json)
    label = f"{'revision' if args.revision else 'framework'} {target}" if target is not None else "the shipped framework"
    if not result.scenarios:
        sys.stderr.write(result.output[-4000:])
        print("regframe: no scenario ran; pytest's output is above", file=sys.stderr)
        return ExitCode.INTERNAL if result.pytest_exit not in (1, 5) else ExitCode.FINDINGS
    sys.stdout.write(to_text(result, label))
    if args.cucumber_json is not None:
        print(f"cucumber JSON written to {args.cucumber_json}")
    return ExitCode.OK if result.ok else ExitCode.FINDINGS
