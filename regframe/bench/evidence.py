"""Benchmark: reading a large evidence XML file, against a bare lxml loop over the same file.

``run(items, workdir)`` writes a synthetic file with :mod:`regframe.evidence_xml_writer`
(about 3,500 settings, placements, monthly metrics, and ``items`` evidence items in a
realistic mix of kinds), then times two stages, each in its own subprocess so that
peak RSS is that stage's alone:

* **bare**: ``lxml.etree.iterparse`` over the file, clearing each element and deleting
  its earlier siblings, touching nothing else: the floor for any streamed reader;
* **regframe**: :func:`regframe.load_evidence`, which validates, pseudonymises and holds
  every item in memory.

Targets: regframe's peak RSS under 1 GB with every item held, and its time within 3x
the bare loop. Rerun with ``python -m regframe.bench.evidence 1000000``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..evidence import (
    Action,
    ActionKind,
    EvidenceItem,
    Metric,
    MetricValue,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Placement,
    Setting,
    Source,
)
from ..model import SettingKind

SETTINGS = 3500
PEAK_RSS_TARGET_MB = 1024
RATIO_TARGET = 3.0
_LAS = [f"E{code:08d}" for code in range(6000001, 6000153)]
_START = dt.date(2022, 4, 1)
_DAYS = 730

# (weight, kind, source) - the mix of a year or two of evidence across England's settings
_MIX = [
    (30, "ek.reg44-report", Source.INDEPENDENT_PERSON),
    (10, "ek.reg40-notification", Source.PROVIDER),
    (10, "ek.advocacy-visit", Source.ADVOCATE),
    (9, "ek.ofsted-judgement", Source.OFSTED),
    (8, "ek.ofsted-action", Source.OFSTED),
    (8, "ek.complaint", Source.COMPLAINANT),
    (5, "ek.reg45-report", Source.PROVIDER),
    (5, "ek.lado-referral", Source.LADO),
    (5, "ek.provider-self-assessment", Source.PROVIDER),
    (5, "ek.cqc-score", Source.CQC),
    (3, "ek.cqc-breach", Source.CQC),
    (2, "ek.whistleblowing", Source.WHISTLEBLOWER),
]
_JUDGEMENTS = ["sccif-ch.overall", "sccif-ch.protect", "sccif-ch.leaders"]
_CITATIONS = ["Regulation 12(2)(a)", "Regulation 13", "Regulation 35(3)(a)", "Regulation 32(3)(b)", "Regulation 20",
              "Regulation 40(4)", "Regulation 44", "Regulation 45(2)"]
_STATEMENTS = ["cqc-saf.safe.safeguarding", "cqc-saf.safe.safe-and-effective-staffing",
               "cqc-saf.effective.assessing-needs", "cqc-saf.well-led.governance-management-and-sustainability"]
_CQC_REGS = ["Regulation 12", "Regulation 13(2)", "Regulation 17", "Regulation 18"]


def synthetic_settings(rng: random.Random, count: int = SETTINGS) -> list[Setting]:
    kinds = ([SettingKind.CHILDRENS_HOME] * 85 + [SettingKind.RESIDENTIAL_SPECIAL_SCHOOL] * 6
             + [SettingKind.RSS_CHILDRENS_HOME] * 5 + [SettingKind.SECURE_CHILDRENS_HOME] * 1
             + [SettingKind.CQC_HEALTH_PROVISION] * 3)
    settings = []
    for index in range(count):
        kind = rng.choice(kinds)
        dual = kind is SettingKind.RSS_CHILDRENS_HOME or rng.random() < 0.05
        settings.append(Setting(
            urn=f"SC{100000 + index}" if index % 2 else f"{1000000 + index}", kind=kind,
            cqc_location_id=f"1-{rng.randrange(10**9, 10**10)}" if dual else None,
            local_authority=rng.choice(_LAS), places=rng.randint(1, 12), owner=f"Provider {index % 700}",
            sector="Private", registration_status="Active",
        ))
    return settings


def synthetic_items(rng: random.Random, settings: list[Setting], count: int) -> Iterator[EvidenceItem]:
    weights = [w for w, _, _ in _MIX]
    urns = [s.urn for s in settings]
    grades = list(OfstedGrade)
    for index in range(count):
        _, kind, source = rng.choices(_MIX, weights)[0]
        observed = _START + dt.timedelta(days=rng.randrange(_DAYS))
        refs: tuple[str, ...] = ()
        outcome = action = child = occurred = None
        if kind == "ek.ofsted-judgement":
            refs, outcome = (rng.choice(_JUDGEMENTS),), Outcome(OutcomeKind.GRADE, grade=rng.choice(grades))
        elif kind == "ek.ofsted-action":
            refs = (rng.choice(_CITATIONS),)
            action = Action(rng.choice([ActionKind.OFSTED_REQUIREMENT, ActionKind.OFSTED_RECOMMENDATION]),
                            observed + dt.timedelta(days=rng.choice([28, 56, 90])))
        elif kind == "ek.cqc-score":
            refs, outcome = (rng.choice(_STATEMENTS),), Outcome(OutcomeKind.SCORE, score=rng.randint(1, 4))
        elif kind == "ek.cqc-breach":
            refs, action = (rng.choice(_CQC_REGS),), Action(ActionKind.CQC_REQUIREMENT_NOTICE)
        elif kind == "ek.lado-referral":
            occurred, child = observed - dt.timedelta(days=rng.randrange(0, 5)), str(rng.randrange(100000, 120000))
        elif kind == "ek.advocacy-visit":
            child, outcome = str(rng.randrange(100000, 120000)), Outcome(OutcomeKind.RECORDED)
        elif kind == "ek.reg44-report":
            outcome = Outcome(rng.choice([OutcomeKind.MET, OutcomeKind.MET, OutcomeKind.CONCERN]))
        yield EvidenceItem(
            id=f"i{index}", setting=rng.choice(urns), source=source, kind=kind, observed=observed,
            independence=source.default_independence, child=child, occurred=occurred, references=refs,
            outcome=outcome, action=action,
        )


def synthetic_placements(rng: random.Random, settings: list[Setting]) -> Iterator[Placement]:
    for setting in settings:
        for _ in range(rng.randint(1, 8)):
            yield Placement(child=str(rng.randrange(100000, 120000)), setting=setting.urn,
                            placing_la=rng.choice(_LAS), start=_START + dt.timedelta(days=rng.randrange(_DAYS)),
                            weeks_per_year=rng.choice([38, 52]), distance_miles=round(rng.uniform(1, 200), 1))


def synthetic_metrics(rng: random.Random, settings: list[Setting]) -> Iterator[MetricValue]:
    for setting in settings:
        for month in range(12):
            first = dt.date(2023 + (3 + month) // 12, (3 + month) % 12 + 1, 1)
            yield MetricValue(setting.urn, first, Metric.RESTRAINT_INCIDENTS, rng.randint(0, 12))
            yield MetricValue(setting.urn, first, Metric.CHILDREN_RESIDENT, rng.randint(1, 8))


def generate(path: Path, items: int, seed: int = 2015) -> None:
    """Write a synthetic evidence file of ``items`` items (child ids are fake LA ids, pseudonymised on reading)."""
    from ..evidence_xml_writer import write_evidence

    rng = random.Random(seed)
    settings = synthetic_settings(rng)
    write_evidence(
        path, settings, list(synthetic_placements(rng, settings)), synthetic_items(rng, settings, items),
        list(synthetic_metrics(rng, settings)), child_la=_LAS[0], producer="regframe.bench",
    )


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
from regframe.pseudonym import PseudonymKey
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


def run(items: int, workdir: Path) -> dict[str, Any]:
    """Generate a file of ``items`` items in ``workdir`` and measure both stages; the figures as a dict."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"evidence-{items}.xml"
    started = time.perf_counter()
    generate(path, items)
    generated = time.perf_counter() - started
    bare = _stage(_BARE, path)
    ours = _stage(_REGFRAME, path)
    ratio = ours["seconds"] / bare["seconds"] if bare["seconds"] else float("inf")
    return {
        "items": items,
        "file": str(path),
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "generate_seconds": round(generated, 2),
        "bare": {**bare, "items_per_second": round(items / bare["seconds"])},
        "regframe": {**ours, "items_per_second": round(items / ours["seconds"])},
        "ratio": round(ratio, 2),
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
    args = parser.parse_args(argv)
    if args.workdir is None:
        with tempfile.TemporaryDirectory(prefix="regframe-bench-") as folder:
            figures = run(args.items, Path(folder))
    else:
        figures = run(args.items, args.workdir)
    print(json.dumps(figures, indent=2))
    return 0 if figures["targets"]["met"] else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
