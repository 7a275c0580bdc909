"""Benchmark: reading every real Ofsted file, the CSVs together and the 2025 ODS workbook alone.

``python -m regframe.bench.ofsted ../shared/data/ofsted`` times two stages, each in its own
subprocess so that peak RSS is that stage's alone, each run ``--repeat`` times (three by
default) with the fastest run reported, as ``timeit`` takes it:

* **csv**: :func:`regframe.load_evidence` over every ``.csv`` file under the folder (all eras,
  the cross-file inspection merge and the judgement items included);
* **ods**: :func:`regframe.load_evidence` over every ``.ods`` workbook (streamed with lxml).

Prints one JSON object: each stage's files, rows read, fastest and every run's seconds, and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

_STAGE = """
import json, resource, sys, time
from pathlib import Path
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
paths = [Path(p) for p in sys.argv[1:]]
start = time.perf_counter()
evidence = load_evidence(paths, key=PseudonymKey.from_text("bench-key-0123456789"))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": round(seconds, 3), "rows": sum(f.read for f in evidence.inputs),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def _stage(paths: list[Path], repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", _STAGE, *map(str, paths)], capture_output=True, text=True,
                              check=True)
        runs.append(json.loads(done.stdout))
    fastest = min(runs, key=lambda r: r["seconds"])
    return {"files": len(paths), "rows": fastest["rows"], "seconds": fastest["seconds"],
            "runs": [r["seconds"] for r in runs], "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def run(folder: Path, repeat: int = 3) -> dict[str, Any]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {
        "csv": _stage([p for p in files if p.suffix.lower() == ".csv"], repeat),
        "ods": _stage([p for p in files if p.suffix.lower() == ".ods"], repeat),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regframe.bench.ofsted", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of Ofsted files, e.g. ../shared/data/ofsted")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.folder, args.repeat), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
