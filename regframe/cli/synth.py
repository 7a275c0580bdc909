"""``regframe synth``: write a synthetic national-scale dataset (for benchmarks and load tests)."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from regframe.cli.common import iso_date
from regframe.core.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "synth", help="generate a synthetic national dataset (evidence XML and an LA return)",
        description="Write DIR/evidence.xml and DIR/la-return.xlsx with the given numbers of settings, placed "
                    "children and evidence items, plus twelve months of monthly figures. Repeatable for a seed.",
    )
    parser.add_argument("--settings", type=int, default=3500, metavar="N", help="settings (default 3500)")
    parser.add_argument("--children", type=int, default=15000, metavar="M", help="placed children (default 15000)")
    parser.add_argument("--items", type=int, default=1_000_000, metavar="K", help="evidence items (default 1000000)")
    parser.add_argument("--as-at", type=iso_date, default=dt.date(2026, 10, 31), metavar="DATE",
                        help="the date the data runs up to (default 2026-10-31)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder to write")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from regframe.samples.synth import synthesise

    if min(args.settings, args.children, args.items) < 1:
        print("regframe: error: --settings, --children and --items must be at least 1")
        return ExitCode.USAGE
    started = time.monotonic()
    counts = synthesise(args.output, args.settings, args.children, args.items, args.as_at, args.seed)
    print(f"wrote {args.output}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
          + f" in {time.monotonic() - started:.1f} s")
    return ExitCode.OK
