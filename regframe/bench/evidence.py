"""Benchmark: reading a large evidence XML file, against a bare lxml loop over the same file.

``run(items, workdir)`` writes a synthetic file with :mod:`regframe.samples.synth` (the same
generator as ``regframe synth`` and ``make bench``: about 3,500 settings, monthly metrics,
and ``items`` evidence items in a realistic mix of kinds), then times two stages, each in its own subprocess so that
peak RSS is that stage's alone:

* **bare**: ``lxml.etree.iterparse`` over the file, clearing each element and deleting
  its earlier siblings, touching nothing else: the floor for any streamed reader;
* **regframe**: :func:`regframe.load_evidence`, which validates, pseudonymises and holds
  every item in memory.

The two stages run in turn ``repeat`` times (three by default), so that a busy moment
on the machine falls on both alike, and each stage's figure is its fastest run, as
``timeit`` takes it: the slower runs measure the machine, not the code. Every run's
time is kept in ``runs``.

Targets: regframe's peak RSS under 1 GB with every item held, and its time within 3x
the bare loop. Rerun with ``python -m regframe.bench.evidence 1000000``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SETTINGS = 3500
CHILDREN = 15000
PEAK_RSS_TARGET_MB = 1024
RATIO_TARGET = 3.0


def generate(path: Path, items: int, seed: int = 2015) -> None:
    """Write a synthetic evidence file of about ``items`` items with :mod:`regframe.samples.synth` (3,500 settings)."""
    from regframe.samples.synth import Plan, write_synthetic_evidence

    write_synthetic_evidence(path, Plan(SETTINGS, CHILDREN, items, dt.date(2026, 10, 31), seed))


_BARE = """
import json, resource, sys, time
from lxml import etree
start = time.perf_counter()
count = 0
for _event, element in etree.iterparse(sys.argv[1], events=("end",)):
    count += 1
    element.clear(keep_tail=True)
    while element.getprevious() is not None:
        del element.getparent()[0]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "elements": count,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_REGFRAME = """
import json, resource, sys, time
import regframe.ingest.evidence_xml  # imports are not what is measured
from regframe import load_evidence
from regframe.evidence.pseudonym import PseudonymKey
start = time.perf_counter()
evidence = load_evidence([sys.argv[1]], key=PseudonymKey.from_text("benchmark-key-not-secret"))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "items": len(evidence.items), "settings": len(evidence.settings),
                  "placements": len(evidence.placements), "metrics": len(evidence.metrics),
                  "rejected": evidence.rejected, "diagnostics": len(evidence.diagnostics),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _stage(script: str, path: Path) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; it reports its own time and peak RSS (ru_maxrss, KiB on Linux)."""
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run's figures, the highest peak memory of all runs, and every run's time."""
    best = min(runs, key=lambda figures: figures["seconds"])
    return {**best, "peak_rss_mb": max(figures["peak_rss_mb"] for figures in runs),
            "runs": [round(figures["seconds"], 3) for figures in runs]}


def run(items: int, workdir: Path, repeat: int = 3) -> dict[str, Any]:
    """Generate a file of ``items`` items in ``workdir`` and measure both stages; the figures as a dict."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"evidence-{items}.xml"
    started = time.perf_counter()
    generate(path, items)
    generated = time.perf_counter() - started
    bare_runs, our_runs = [], []
    for _ in range(max(1, repeat)):
        bare_runs.append(_stage(_BARE, path))
        our_runs.append(_stage(_REGFRAME, path))
    bare, ours = _fastest(bare_runs), _fastest(our_runs)
    ratio = ours["seconds"] / bare["seconds"] if bare["seconds"] else float("inf")
    return {
        "items": items,
        "file": str(path),
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "generate_seconds": round(generated, 2),
        "bare": {**bare, "items_per_second": round(items / bare["seconds"])},
        "regframe": {**ours, "items_per_second": round(items / ours["seconds"])},
        "ratio": round(ratio, 2),
        "ratio_per_round": [round(o["seconds"] / b["seconds"], 2) for b, o in zip(bare_runs, our_runs, strict=False)],
        "targets": {
            "peak_rss_mb_below": PEAK_RSS_TARGET_MB, "ratio_below": RATIO_TARGET,
            "met": ours["peak_rss_mb"] < PEAK_RSS_TARGET_MB and ratio < RATIO_TARGET,
        },
    }


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m regframe.bench.evidence", description=__doc__.splitlines()[0])
    parser.add_argument("items", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each stage, in turn (default 3)")
    args = parser.parse_args(argv)
    if args.workdir is None:
        with tempfile.TemporaryDirectory(prefix="regframe-bench-") as folder:
            figures = run(args.items, Path(folder), args.repeat)
    else:
        figures = run(args.items, args.workdir, args.repeat)
    print(json.dumps(figures, indent=2))
    return 0 if figures["targets"]["met"] else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
