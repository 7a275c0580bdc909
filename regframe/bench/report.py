"""Benchmark: writing the gap workbook and the JSON for a national-size assessment, against bare openpyxl.

``run(settings, gaps, workdir)`` builds a synthetic :class:`~regframe.assess.results.Assessment`
(``settings`` settings, ``gaps`` gap rows each, plus met findings, indicators, a lens
and 25 evidence items per setting) over a synthetic framework of 120 standards, then
times, each in its own subprocess so peak RSS is that stage's alone:

* **bare**: an openpyxl write-only loop writing the same sheets with the same number
  of rows and columns of plain values (no styles, tables or charts), split at Excel's
  row limit the same way: what "just dump it with openpyxl" would cost;
* **regframe**: :func:`regframe.report.write_xlsx` then :func:`regframe.report.write_json`.

Both build the assessment first, untimed. Targets: the xlsx writer no slower than
the bare loop (ratio below 1) and peak RSS under 2 GB. Rerun with
``python -m regframe.bench.report`` (national size: 3,500 settings x 430 gaps, about
1.5 million gap rows) or ``python -m regframe.bench.report --settings 350``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from regframe.assess.results import (
    Assessment,
    EvidenceUse,
    Finding,
    Flag,
    IndicatorResult,
    LensEntry,
    LensState,
    Rating,
    Reason,
    SettingAssessment,
    Status,
)
from regframe.evidence.model import InputFile, Setting
from regframe.framework.model import (
    Citation,
    Confidence,
    Effective,
    Framework,
    Instrument,
    Link,
    Manifest,
    Regulator,
    Rel,
    Requirement,
    RequirementKind,
    SettingKind,
)

SETTINGS = 3_500
GAPS_PER_SETTING = 430
PEAK_RSS_TARGET_MB = 2048
RATIO_TARGET = 1.0
STANDARDS = 120
LIMBS = 12
_AS_AT = dt.date(2025, 3, 31)
_KINDS = (SettingKind.CHILDRENS_HOME, SettingKind.RSS_CHILDRENS_HOME, SettingKind.RESIDENTIAL_SPECIAL_SCHOOL)
_INSTRUMENTS = ("synth-chr", "synth-cqc", "synth-nms")


def framework() -> Framework:
    """``STANDARDS`` top-level standards of ``LIMBS`` limbs each, spread over three instruments."""
    start = dt.date(2015, 4, 1)
    by_instrument: dict[str, list[Requirement]] = {name: [] for name in _INSTRUMENTS}

    def requirement(rid: str, ref: str, kind: RequirementKind, title: str, instrument: str,
                    parent: str | None) -> Requirement:
        return Requirement(
            id=rid, ref=ref, kind=kind, title=title, statement=title + ".", effective=Effective(start),
            citation=Citation(instrument, ref, "https://example.org/" + rid, _AS_AT),
            confidence=Confidence.UNCONFIRMED, instrument=instrument,
            regulators=(Regulator.OFSTED, Regulator.CQC), applies_to=_KINDS,
            links=(Link(rid, Rel.PART_OF, parent),) if parent else (),
        )

    for index in range(STANDARDS):
        instrument = _INSTRUMENTS[index % 3]
        top = f"{instrument}.r{index}"
        ref = f"{instrument.upper()} reg {index}"
        rows = by_instrument[instrument]
        rows.append(requirement(top, ref, RequirementKind.OUTCOME, f"Standard {index}", instrument, None))
        for limb in range(LIMBS):
            rows.append(requirement(f"{top}.{limb}", f"{ref}({limb})", RequirementKind.DUTY,
                                    f"Limb {limb} of standard {index}", instrument, top))
    instruments = tuple(
        Instrument(id=name, version="1", title=name, short_title=name.upper(), publisher="benchmark",
                   effective=Effective(start), citation=Citation(name, "whole", "https://example.org/" + name, _AS_AT),
                   requirements=tuple(rows))
        for name, rows in by_instrument.items()
    )
    return Framework(manifest=Manifest(id="benchmark", version="1", title="Benchmark framework"),
                     instruments=instruments)


def assessment(settings: int = SETTINGS, gaps: int = GAPS_PER_SETTING, seed: int = 7) -> Assessment:
    """A synthetic assessment: ``settings`` settings with ``gaps`` gap rows each (a fifth with no evidence at all)."""
    rng = random.Random(seed)
    limbs = [f"{_INSTRUMENTS[i % 3]}.r{i}.{limb}" for i in range(STANDARDS) for limb in range(LIMBS)]
    statuses = [Status.NOT_MET, Status.OVERDUE, Status.UNCORROBORATED, Status.STALE]
    results = []
    evidence = []
    for number in range(settings):
        urn = f"SC{number:06d}"
        chosen = rng.sample(limbs, min(len(limbs), gaps + 40))
        no_evidence = tuple(chosen[: gaps // 5])
        findings = []
        for index, rid in enumerate(chosen[gaps // 5:]):
            status = rng.choice(statuses) if index < gaps - len(no_evidence) else Status.MET
            item = f"ev-{number:06d}-{index % 25:02d}"
            findings.append(Finding(rid, status, (
                Reason(status, f"Evidence {item} observed on 2024-{1 + index % 12:02d}-{1 + index % 28:02d} "
                               f"says {status.value.replace('_', ' ')}"),
            ), (Flag.PROVIDER_CONTRADICTED,) if index % 7 == 0 else (), (item,)))
        for index in range(25):
            evidence.append(EvidenceUse(f"ev-{number:06d}-{index:02d}", urn, "ek.reg44-report", "independent-person",
                                        dt.date(2024, 1 + index % 12, 1 + index % 28), f"evidence/national.xml:{index}"))
        counts = Counter(f.status.value for f in findings)
        counts[Status.NO_EVIDENCE.value] += len(no_evidence)
        results.append(SettingAssessment(
            setting=Setting(urn=urn, kind=_KINDS[number % 3], name=f"Setting {number}", owner=f"Owner {number // 3}",
                            local_authority=f"LA {number % 152}"),
            rating=(Rating.RED, Rating.AMBER, Rating.GREEN)[number % 3], rating_reasons=("synthetic",),
            risk_score=float(100 - number % 100), counts=dict(counts), findings=tuple(findings),
            no_evidence=no_evidence,
            indicators=(IndicatorResult("ind.restraint-rate", "restraint-rate", 1.5, None, 2.0, "synthetic"),),
            lens=(LensEntry("csprp2023.r1", LensState.OK),), children=5,
        ))
    return Assessment(
        framework="benchmark", framework_version="1", as_at=_AS_AT, regframe_version="benchmark",
        inputs=(InputFile("evidence/national.xml", hashlib.sha256(b"national").hexdigest(), "evidence-xml",
                          accepted=len(evidence)),),
        settings=tuple(results), groups=(), evidence=tuple(evidence),
    )


_PRELUDE = """
import json, resource, sys, time
from pathlib import Path
from regframe.bench.report import assessment, framework
from regframe.framework.graph import build_graph
settings, gaps, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
built = time.perf_counter()
a = assessment(settings, gaps)
graph = build_graph(framework())
built = time.perf_counter() - built
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_REGFRAME = _PRELUDE + """
from regframe.report import write_json, write_xlsx
from regframe.report.xlsx import _Report
start = time.perf_counter()
write_xlsx(a, graph, folder / "report.xlsx")
xlsx = time.perf_counter() - start
start = time.perf_counter()
write_json(a, folder / "report.json")
json_seconds = time.perf_counter() - start
print(json.dumps({"seconds": xlsx, "json_seconds": json_seconds, "build_seconds": built,
                  "gap_rows": _Report(a, graph).gap_rows,
                  "xlsx_mb": round((folder / "report.xlsx").stat().st_size / 2**20, 1),
                  "json_mb": round((folder / "report.json").stat().st_size / 2**20, 1),
                  "rss_after_build_mb": rss_before,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_BARE = _PRELUDE + """
from openpyxl import Workbook
from regframe.report.xlsx import EXCEL_MAX_ROWS, GAP_COLUMNS, _Report
report = _Report(a, graph)  # only for the counts the real writer's sheets have
start = time.perf_counter()
book = Workbook(write_only=True)
def sheet(title, width, rows):
    ws = book.create_sheet(title)
    ws.append([f"column {i}" for i in range(width)])
    written = 1
    for row in rows:
        if written == EXCEL_MAX_ROWS:
            ws = book.create_sheet(title + " (more)")
            ws.append([f"column {i}" for i in range(width)])
            written = 1
        ws.append(row)
        written += 1
sheet("Summary", 21, ([s.setting.urn, s.setting.name, s.setting.kind.value, s.setting.local_authority,
                       s.setting.owner, "No", s.children, s.rating.value, s.risk_score, *range(11),
                       "; ".join(s.rating_reasons)] for s in a.settings))
def gaps():
    for s in a.settings:
        for f in s.findings:
            if f.status in GAP_STATUSES:
                yield [s.setting.urn, s.setting.name, f.requirement, f.requirement, f.requirement, f.requirement,
                       f.requirement, "instrument", "ofsted, cqc", f.status.value,
                       "; ".join(x.value for x in f.flags), "; ".join(r.message for r in f.reasons),
                       "; ".join(f.evidence)]
        for rid in s.no_evidence:
            yield [s.setting.urn, s.setting.name, rid, rid, rid, rid, rid, "instrument", "ofsted, cqc",
                   "no_evidence", "", "no evidence at all", ""]
sheet("Gaps", len(GAP_COLUMNS), gaps())
sheet("Matrix", 4 + len(report.groups), ([s.setting.urn, s.setting.name, s.rating.value, sum(c.values()),
                                          *(c.get(g, 0) for g in report.groups)]
                                         for s, c in zip(a.settings, report.gaps_by_group)))
sheet("Indicators", 9, ([s.setting.urn, s.setting.name, i.indicator, i.indicator, i.metric, i.value, i.threshold,
                         i.level.value if i.level else None, i.basis] for s in a.settings for i in s.indicators))
sheet("Recommendations", 8, ([s.setting.urn, s.setting.name, e.recommendation, e.recommendation, e.state.value,
                              "", "", ""] for s in a.settings for e in s.lens))
sheet("Evidence", 7, ([e.id, e.setting, e.setting, e.kind, e.source, e.observed, e.provenance] for e in a.evidence))
book.save(folder / "bare.xlsx")
print(json.dumps({"seconds": time.perf_counter() - start, "build_seconds": built, "gap_rows": report.gap_rows,
                  "xlsx_mb": round((folder / "bare.xlsx").stat().st_size / 2**20, 1),
                  "rss_after_build_mb": rss_before,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _stage(script: str, settings: int, gaps: int, folder: Path) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; it reports its own time and peak RSS (ru_maxrss, KiB on Linux)."""
    done = subprocess.run([sys.executable, "-c", script, str(settings), str(gaps), str(folder)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(settings: int, gaps: int, workdir: Path, *, bare: bool = True) -> dict[str, Any]:
    """Measure the regframe writers (and the bare loop unless ``bare`` is false); the figures as a dict."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ours = _stage(_REGFRAME, settings, gaps, workdir)
    figures: dict[str, Any] = {"settings": settings, "gaps_per_setting": gaps, "gap_rows": ours["gap_rows"],
                               "regframe": ours}
    ok = ours["peak_rss_mb"] < PEAK_RSS_TARGET_MB
    if bare:
        theirs = _stage(_BARE, settings, gaps, workdir)
        ratio = ours["seconds"] / theirs["seconds"] if theirs["seconds"] else float("inf")
        figures["bare"] = theirs
        figures["ratio"] = round(ratio, 2)
        ok = ok and ratio < RATIO_TARGET
    figures["wall_seconds"] = round(time.perf_counter() - started, 1)
    figures["targets"] = {"peak_rss_mb_below": PEAK_RSS_TARGET_MB, "ratio_below": RATIO_TARGET, "met": ok}
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m regframe.bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=int, default=SETTINGS)
    parser.add_argument("--gaps", type=int, default=GAPS_PER_SETTING, help="gap rows per setting")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare openpyxl loop (it is slow)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.workdir is None:
        with tempfile.TemporaryDirectory(prefix="regframe-bench-") as folder:
            figures = run(args.settings, args.gaps, Path(folder), bare=not args.no_bare)
    else:
        figures = run(args.settings, args.gaps, args.workdir, bare=not args.no_bare)
    print(json.dumps(figures, indent=2))
    return 0 if figures["targets"]["met"] else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
