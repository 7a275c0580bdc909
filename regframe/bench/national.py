"""The national-scale benchmark behind ``make bench``.

1. ``regframe synth`` writes a national dataset (3,500 settings, 15,000 children,
   1,000,000 evidence items, twelve months of figures) unless it is already there.
2. The whole pipeline (load → assess → xlsx + JSON) runs in one child process,
   which reports each stage's wall time and its own peak RSS at the end.
3. Each I/O stage's bare baseline runs in its own child process over the same
   data: an ``lxml.etree.iterparse`` loop over the evidence XML, an openpyxl
   read-only loop over the LA return, an openpyxl write-only loop writing as many
   rows and cells as the report has, and ``json.dumps`` of a same-sized plain structure.
4. The assessment alone is timed at 250k, 500k and 1M items to show it grows linearly.

Nothing here asserts a time: the figures are printed (and written as JSON) for
people to read and compare. Rerun with ``make bench`` or
``python -m regframe.bench [--items N] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

AS_AT = "2026-10-31"

PIPELINE = r"""
import json, resource, sys, time, datetime as dt
from pathlib import Path
folder = Path(sys.argv[1]); out = Path(sys.argv[2]); as_at = dt.date.fromisoformat(sys.argv[3])
stages = {}
t = time.perf_counter()
import regframe
from regframe.assess.status import GAP_STATUSES
from regframe.assess import assess
from regframe.report import write_json, write_xlsx
framework = regframe.load_framework(); graph = regframe.build_graph(framework)
stages["framework"] = time.perf_counter() - t
t = time.perf_counter()
evidence = regframe.load_evidence([folder / "evidence.xml"], key=regframe.PseudonymKey.from_text("benchmark-key-benchmark"))
stages["load_evidence_xml"] = time.perf_counter() - t
t = time.perf_counter()
returns = regframe.load_evidence([folder / "la-return.xlsx"], key=regframe.PseudonymKey.from_text("benchmark-key-benchmark"))
evidence.merge(returns)
stages["load_la_return"] = time.perf_counter() - t
t = time.perf_counter()
assessment = assess(graph, evidence, as_at)
stages["assess"] = time.perf_counter() - t
t = time.perf_counter()
write_xlsx(assessment, graph, out / "gaps.xlsx")
stages["write_xlsx"] = time.perf_counter() - t
t = time.perf_counter()
write_json(assessment, out / "gaps.json")
stages["write_json"] = time.perf_counter() - t
gap_rows = sum(sum(1 for f in s.findings if f.status in GAP_STATUSES) + len(s.no_evidence) for s in assessment.settings)
findings = sum(len(s.findings) + len(s.no_evidence) for s in assessment.settings)
print(json.dumps({"stages": stages, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "items": len(evidence.items), "settings": len(evidence.settings), "placements": len(evidence.placements),
                  "findings": findings, "gap_rows": gap_rows, "xlsx_bytes": (out / "gaps.xlsx").stat().st_size,
                  "json_bytes": (out / "gaps.json").stat().st_size}))
"""

ASSESS_ONLY = r"""
import json, resource, sys, time, datetime as dt
from pathlib import Path
import regframe
from regframe.assess import assess
folder = Path(sys.argv[1]); as_at = dt.date.fromisoformat(sys.argv[2])
graph = regframe.build_graph(regframe.load_framework())
evidence = regframe.load_evidence([folder / "evidence.xml"], key=regframe.PseudonymKey.from_text("benchmark-key-benchmark"))
t = time.perf_counter(); assessment = assess(graph, evidence, as_at); seconds = time.perf_counter() - t
print(json.dumps({"items": len(evidence.items), "assess_seconds": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE_XML = r"""
import json, resource, sys, time
from lxml import etree
t = time.perf_counter(); n = 0
for _, element in etree.iterparse(sys.argv[1], events=("end",), resolve_entities=False, no_network=True, load_dtd=False):
    if element.getparent() is not None and element.getparent().getparent() is None:
        n += 1; element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
print(json.dumps({"seconds": time.perf_counter() - t, "elements": n,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE_XLSX_READ = r"""
import json, resource, sys, time
from openpyxl import load_workbook
t = time.perf_counter(); n = 0
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        n += 1
book.close()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE_XLSX_WRITE = r"""
import json, resource, sys, time, tempfile, os
from openpyxl import Workbook
rows, cols = int(sys.argv[1]), int(sys.argv[2])
t = time.perf_counter()
book = Workbook(write_only=True); sheet = book.create_sheet("Gaps")
for r in range(rows):
    sheet.append([f"SC{r % 3500:06d}", "CHR 2015 reg 12(2)(a)(iii)", "no_evidence", "a reason of some length", r] + [None] * (cols - 5))
handle, name = tempfile.mkstemp(suffix=".xlsx"); os.close(handle); book.save(name); os.unlink(name)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE_JSON = r"""
import json, resource, sys, time
n = int(sys.argv[1])
data = [{"requirement": f"chr2015.r{i % 40}.2.a", "status": "met", "reasons": [{"status": "met", "message": "latest independent finding is positive"}],
         "flags": [], "evidence": ["S00000001"]} for i in range(n)]
t = time.perf_counter(); text = json.dumps(data, sort_keys=True, indent=1)
print(json.dumps({"seconds": time.perf_counter() - t, "bytes": len(text),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(script: str, *args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"benchmark stage failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _synth(folder: Path, items: int, settings: int = 3500, children: int = 15000) -> float:
    if (folder / "evidence.xml").exists() and (folder / "la-return.xlsx").exists():
        return 0.0
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "regframe", "synth", "--settings", str(settings), "--children",
                    str(children), "--items", str(items), "--as-at", AS_AT, "-o", str(folder)], check=True)
    return time.perf_counter() - started


def run(items: int, out: Path, scaling: bool = True) -> dict[str, Any]:
    data = out / f"data-{items}"
    report: dict[str, Any] = {"items_requested": items, "synth_seconds": _synth(data, items)}
    pipeline = _child(PIPELINE, str(data), str(out), AS_AT)
    report["pipeline"] = pipeline
    stages = pipeline["stages"]
    bare_xml = _child(BARE_XML, str(data / "evidence.xml"))
    bare_read = _child(BARE_XLSX_READ, str(data / "la-return.xlsx"))
    bare_write = _child(BARE_XLSX_WRITE, str(pipeline["gap_rows"]), "12")
    bare_json = _child(BARE_JSON, str(pipeline["findings"]))
    report["baselines"] = {"lxml_iterparse": bare_xml, "openpyxl_read": bare_read, "openpyxl_write": bare_write,
                           "json_dumps": bare_json}
    report["ratios"] = {
        "load_evidence_xml / lxml iterparse": stages["load_evidence_xml"] / bare_xml["seconds"],
        "load_la_return / openpyxl read": stages["load_la_return"] / bare_read["seconds"],
        "write_xlsx / openpyxl write-only (same rows)": stages["write_xlsx"] / bare_write["seconds"],
        "write_json / json.dumps (same findings)": stages["write_json"] / bare_json["seconds"],
    }
    report["total_seconds_load_to_reports"] = sum(v for k, v in stages.items() if k != "framework")
    report["items_per_second_load"] = pipeline["items"] / stages["load_evidence_xml"]
    if scaling:
        report["scaling"] = []
        for size in (items // 4, items // 2, items):
            folder = out / f"data-{size}"
            _synth(folder, size)
            report["scaling"].append(_child(ASSESS_ONLY, str(folder), AS_AT))
    return report


def render(report: dict[str, Any]) -> str:
    p = report["pipeline"]
    lines = [
        f"national benchmark: {p['settings']:,} settings, {p['items']:,} evidence items, {p['placements']:,} placements",
        f"  findings {p['findings']:,}; gap rows {p['gap_rows']:,}; xlsx {p['xlsx_bytes'] / 1e6:.1f} MB; "
        f"json {p['json_bytes'] / 1e6:.1f} MB",
    ]
    for stage, seconds in p["stages"].items():
        lines.append(f"  {stage:18} {seconds:8.1f} s")
    lines.append(f"  load → assess → xlsx + JSON: {report['total_seconds_load_to_reports']:.1f} s "
                 f"(target < 90 s); peak RSS {p['peak_rss_mb']:.0f} MB (target < 2048 MB)")
    lines.append(f"  evidence XML load: {report['items_per_second_load']:,.0f} items/s")
    lines.append("  ratios to bare baselines over the same data:")
    for name, ratio in report["ratios"].items():
        lines.append(f"    {name:45} {ratio:5.2f}x")
    for name, base in report["baselines"].items():
        lines.append(f"    baseline {name:20} {base['seconds']:6.1f} s, peak {base['peak_rss_mb']:.0f} MB")
    if report.get("scaling"):
        lines.append("  assessment scaling (items → seconds, µs/item):")
        for point in report["scaling"]:
            lines.append(f"    {point['items']:>9,} → {point['assess_seconds']:6.1f} s "
                         f"({1e6 * point['assess_seconds'] / point['items']:.1f} µs/item)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regframe.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--no-scaling", action="store_true", help="skip the 250k/500k/1M assessment runs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    report = run(args.items, args.out, scaling=not args.no_scaling)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print(render(report))
    print(f"(figures also in {args.out / 'bench.json'})")
    return 0
