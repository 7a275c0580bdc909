"""Benchmark: reading an LA return, against a bare openpyxl read-only loop over the same workbook.

``python -m regframe.bench.la_return RETURN.xlsx [--repeat N]`` times, each in a fresh process and
in turn, :func:`regframe.load_evidence` on the return (every check of :mod:`regframe.io.xlsxread`,
the columns, the pseudonyms, the placements and items) and the loop the national benchmark uses as
its baseline (``openpyxl.load_workbook(read_only=True, data_only=True)`` and ``iter_rows`` over
every sheet). It prints each run, the ratio of the fastest runs (as ``timeit`` counts) and the
median of the rounds' ratios: on a shared machine the fastest runs are the fairer comparison.
The national benchmark's return is ``bench-out/data-N/la-return.xlsx`` (``regframe synth`` writes
it: 15,000 children).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

LOAD = r"""
import json, resource, sys, time
started = time.perf_counter()
import regframe
evidence = regframe.load_evidence([sys.argv[1]], key=regframe.PseudonymKey.from_text("benchmark-key-benchmark"))
print(json.dumps({"seconds": time.perf_counter() - started, "placements": len(evidence.placements),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE = r"""
import json, resource, sys, time
from openpyxl import load_workbook
started = time.perf_counter(); rows = 0
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        rows += 1
book.close()
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(script: str, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(path: Path, repeat: int = 3) -> dict[str, Any]:
    loads, bares = [], []
    for _ in range(repeat):
        loads.append(_child(LOAD, path))
        bares.append(_child(BARE, path))
    return {
        "load_seconds": [round(run["seconds"], 2) for run in loads],
        "bare_seconds": [round(run["seconds"], 2) for run in bares],
        "ratio_fastest": round(min(r["seconds"] for r in loads) / min(r["seconds"] for r in bares), 2),
        "ratio_median": round(statistics.median(a["seconds"] / b["seconds"] for a, b in zip(loads, bares, strict=True)), 2),
        "placements": loads[0]["placements"], "rows": bares[0]["rows"],
        "peak_rss_mb": {"load": max(r["peak_rss_mb"] for r in loads), "bare": max(r["peak_rss_mb"] for r in bares)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regframe.bench.la_return", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="an LA return (.xlsx)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.path, args.repeat), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
