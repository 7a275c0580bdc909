"""Benchmarks of the assessment alone: its findings digest, its growth with the evidence, incremental runs.

Each measurement runs in a fresh interpreter over a synthetic dataset written by
``regframe synth`` (:mod:`regframe.samples.synth`; 3,500 settings and 15,000 children,
as ``make bench`` uses, unless told otherwise), and reports its own wall and CPU time
and peak memory:

``python -m regframe.bench digest``
    The findings digest (:func:`regframe.assess.digest.findings_digest`) of a run, checked
    against :data:`KNOWN_DIGESTS`: the digests recorded before the assessment was rebuilt
    around what settings share (issue 18). A changed digest means the findings changed.
``python -m regframe.bench growth``
    The assessment at 250k, 500k, 1M and 3M items (``--sizes``): its time (the fastest of
    ``--repeat`` runs, wall and CPU), beside a bare ``lxml`` iterparse of the same evidence
    file, and its peak memory, beside the memory the loaded evidence already held and the
    number of met findings; and the CPU time of wording every setting's reasons once (done by
    the first report to read them, not by the assessment).
``python -m regframe.bench profile``
    The assessment of the national dataset under ``cProfile``: its top functions by their own time.
``python -m regframe.bench instructions``
    The instructions one assessment of a dataset (350 settings unless told otherwise) takes, counted
    by Valgrind's ``callgrind``: a figure the machine's load does not move, for comparing two
    versions of the code where seconds cannot tell them apart (set ``PYTHONPATH`` to the tree to
    count). It needs ``valgrind`` on the PATH and takes minutes.
``python -m regframe.bench incremental``
    A full run, then one LA's new monthly return read and re-assessed with
    :meth:`regframe.assess.IncrementalAssessment.extend`, against the full run; the
    extended assessment's digest is checked against a full run over the same evidence.

Nothing here asserts a time: the figures are printed (and written as JSON) for people
to read. ``--out DIR`` (default ``bench-out``) holds the datasets, shared with ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

AS_AT = "2026-10-31"
SETTINGS = 3_500
CHILDREN = 15_000
#: the pseudonym key the benchmarks read with (the data are synthetic)
KEY = "benchmark-key-benchmark"
#: the sizes ``growth`` measures by default
GROWTH_SIZES = (250_000, 500_000, 1_000_000, 3_000_000)
#: the placing LA whose new monthly return ``incremental`` reads (one of the 150 the synthetic children come from)
INCREMENTAL_LA = "801"

#: THE table of recorded findings digests, which ``make bench`` and ``python -m regframe.bench digest`` both
#: check: (settings, children, items, framework) of a synthetic dataset (seed, as-at date and key as the
#: benchmarks use them) -> the digest of its assessment. ``framework`` is :func:`framework_fingerprint` of the
#: framework assessed against: a digest of another framework is never checked against it. Recorded with the
#: assessment as it stood before it was rebuilt around what settings share (issue 18; first at e8b48b7), then
#: anew with main's own assessment at d43ceb8 after Ofsted history signals and assurance indicators were
#: worded anew, which the rebuilt assessment gives too; anew once more when a reason for many late records
#: gave the range of their delays instead of every one (3,059 reason lines of the national run, nothing else);
#: and anew when the evidence kinds were given nouns, so that those reasons name restraint records in lower case
#: mid-sentence (the same 3,059 lines, and 299 of the 350-setting run's, nothing else, in these datasets, whose
#: only reasons naming a kind are late restraint records' and LADO referrals'; a new framework fingerprint), and
#: re-keyed, the digests the same, when two nouns of kinds no cadence counts were mended; and anew when a count of
#: children reads as a whole where it is one ("all 4 children placed", "both children", "the one child has had", not
#: "4 of 4 children" or "1 of 1 children have had"): 2,037 lines of the national run (1,192 reasons, 845 indicator
#: figures' words) and 227 of the 350-setting run's, none once the count's words are read as (count, total); and anew
#: when a duration in a sentence was written in words ("more than 1 working day", not "1 working-day"): 997 findings
#: of the national run and 104 of the 350-setting run's, none once "working-day" is read as "working day".
#: A deliberate change to the rules, their words or the catalogue changes them: record the new ones with
#: ``python -m regframe.bench digest`` and say why in the commit.
KNOWN_DIGESTS: dict[tuple[int, int, int, str], str] = {
    (350, 1_500, 100_000, "72fd18e6f7821fa24843855499d031dcc9966dac48facac576554d0a02925ea1"):
        "e42194507021fc75d0800f750332eb4fe35815958d68fba7b1b96da678ffc496",
    (3_500, 15_000, 1_000_000, "72fd18e6f7821fa24843855499d031dcc9966dac48facac576554d0a02925ea1"):
        "7e061588b825539d1c2254e03328da2b7ce69500a853b39787e4e332486747d2",
}

#: the sub-commands of ``python -m regframe.bench`` this module answers
COMMANDS = frozenset({"digest", "growth", "incremental", "instructions", "profile"})


def framework_fingerprint(framework: Any) -> str:
    """The SHA-256 of a framework's canonical JSON: any change to a catalogue changes it, and nothing else.

    Where its files were read is left out (the locations of its ``<include>`` elements hold the folder it
    was loaded from), so the same catalogues in another checkout have the same fingerprint.
    """
    import hashlib

    from regframe.framework.converter import converter

    data = converter.unstructure(framework)
    data["manifest"].pop("include_origins", None)
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def known_digest(items: int, settings: int = SETTINGS, children: int = CHILDREN,
                 framework: str | None = None) -> str | None:
    """The digest recorded for a synthetic dataset of this size assessed against ``framework`` (a
    :func:`framework_fingerprint`; the shipped framework's when not given), if any."""
    if framework is None:
        import regframe

        framework = framework_fingerprint(regframe.load_framework())
    return KNOWN_DIGESTS.get((settings, children, items, framework))


_LOAD = r"""
import json, resource, sys, time, datetime as dt
from pathlib import Path
import regframe
from regframe.assess import IncrementalAssessment, assess, findings_digest
folder = Path(sys.argv[1]); as_at = dt.date.fromisoformat(sys.argv[2]); key = regframe.PseudonymKey.from_text(sys.argv[3])
graph = regframe.build_graph(regframe.load_framework())
evidence = regframe.load_evidence([folder / "evidence.xml"], key=key)
evidence.merge(regframe.load_evidence([folder / "la-return.xlsx"], key=key))

def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

ASSESS = _LOAD + r"""
loaded, loaded_peak = rss_mb(), peak_mb()
runs = []
for run in range(int(sys.argv[4])):
    if run:
        del assessment  # one assessment at a time in memory
    wall, cpu = time.perf_counter(), time.process_time()
    assessment = assess(graph, evidence, as_at)
    runs.append((time.perf_counter() - wall, time.process_time() - cpu))
cpu = time.process_time()  # the reasons are worded when first read: the last run's, once, timed apart
reasons = sum(len(s.reasons) for s in assessment.assessed())
word_cpu = time.process_time() - cpu
figures = {"items": len(evidence.items), "settings": len(evidence.settings),
           "assess_seconds": min(w for w, _ in runs), "assess_cpu_seconds": min(c for _, c in runs),
           "word_cpu_seconds": word_cpu, "reasons": reasons,
           "runs": [round(w, 2) for w, _ in runs], "rss_loaded_mb": loaded, "peak_before_assess_mb": loaded_peak,
           "peak_rss_mb": peak_mb(), "rss_after_mb": rss_mb(),
           "findings": sum(len(s.findings) + len(s.no_evidence) for s in assessment.settings),
           "met": sum(s.counts["met"] for s in assessment.settings)}
if "--digest" in sys.argv:
    started = time.perf_counter()
    figures["digest"] = findings_digest(assessment)
    figures["digest_seconds"] = time.perf_counter() - started
print(json.dumps(figures))
"""

INCREMENTAL = _LOAD + r"""
items, settings = len(evidence.items), len(evidence.settings)
wall, cpu = time.perf_counter(), time.process_time()
live = IncrementalAssessment(graph, evidence, as_at)
full = (time.perf_counter() - wall, time.process_time() - cpu)
import gc
wall = time.perf_counter()
gc.collect()  # the full collection the results of the run call for comes now, not inside the read below
collected = time.perf_counter() - wall
wall = time.perf_counter()
more = regframe.load_evidence([Path(sys.argv[4])], key=key)
read = time.perf_counter() - wall
wall, cpu = time.perf_counter(), time.process_time()
extended = live.extend(more)
again = (time.perf_counter() - wall, time.process_time() - cpu)
wall = time.perf_counter()
whole = assess(graph, live.evidence, as_at)
rerun = time.perf_counter() - wall
print(json.dumps({"items": items, "settings": settings,
                  "return_rows": len(more.placements), "return_items": len(more.items),
                  "full_seconds": full[0], "full_cpu_seconds": full[1], "collect_seconds": collected,
                  "read_return_seconds": read,
                  "extend_seconds": again[0], "extend_cpu_seconds": again[1], "reassessed": len(live.reassessed),
                  "full_rerun_seconds": rerun, "digest_equal": findings_digest(extended) == findings_digest(whole),
                  "peak_rss_mb": peak_mb()}))
"""

PROFILE = _LOAD + r"""
import cProfile, io, pstats
profile = cProfile.Profile()
profile.enable()
assess(graph, evidence, as_at)
profile.disable()
text = io.StringIO()
pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(int(sys.argv[4]))
print(json.dumps({"items": len(evidence.items), "settings": len(evidence.settings), "profile": text.getvalue()}))
"""

COUNTED = _LOAD + r"""
for _ in range(int(sys.argv[4])):  # after the load, as many assessments as asked: none, to count the rest
    assess(graph, evidence, as_at)
"""

BARE_XML = r"""
import json, sys, time
from lxml import etree
wall, cpu = time.perf_counter(), time.process_time()
for _, element in etree.iterparse(sys.argv[1], events=("end",), resolve_entities=False, no_network=True, load_dtd=False):
    if element.getparent() is not None and element.getparent().getparent() is None:
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
print(json.dumps({"seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu}))
"""


def _child(script: str, *args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"benchmark stage failed:\n{result.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def dataset(out: Path, items: int, settings: int = SETTINGS, children: int = CHILDREN) -> Path:
    """The folder of a synthetic dataset of this size, written by ``regframe synth`` unless already there.

    National-sized ones are ``out/data-ITEMS``, the folders ``make bench`` uses; others name their size.
    """
    name = f"data-{items}" if (settings, children) == (SETTINGS, CHILDREN) else f"data-{settings}-{children}-{items}"
    folder = out / name
    if not ((folder / "evidence.xml").exists() and (folder / "la-return.xlsx").exists()):
        subprocess.run([sys.executable, "-m", "regframe", "synth", "--settings", str(settings), "--children",
                        str(children), "--items", str(items), "--as-at", AS_AT, "-o", str(folder)], check=True)
    return folder


def write_one_la_return(folder: Path, settings: int, children: int, items: int, la: str, path: Path) -> int:
    """A new monthly return from one placing LA, for the children of the synthetic dataset it places; the rows."""
    import datetime as dt
    import random

    from regframe.samples.synth import Plan, make_children, make_settings, write_la_return

    as_at = dt.date.fromisoformat(AS_AT)
    plan = Plan(settings, children, items, as_at)
    rng = random.Random(plan.seed)  # as regframe.samples.synth.write_synthetic_evidence draws them
    placed = [child for child in make_children(plan, make_settings(plan, rng), rng) if child.la == la]
    write_la_return(path, placed, as_at)
    return len(placed)


#: the line in which callgrind gives the instructions it counted
_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.MULTILINE)


def collected(report: str) -> int:
    """The instructions callgrind counted, from what it wrote to standard error."""
    found = _COLLECTED.findall(report)
    if len(found) != 1:
        raise RuntimeError(f"callgrind did not say how many instructions it counted:\n{report[-3000:]}")
    return int(found[0])


class NoValgrind(RuntimeError):
    """``valgrind`` is not on the PATH: nothing can be counted."""


def instructions(out: Path, items: int, settings: int, children: int, runs: int = 2) -> dict[str, Any]:
    """The instructions of one assessment of a dataset: callgrind counts a process that loads it and assesses
    it ``runs`` times, and one that only loads it (the two run side by side); the difference over ``runs``.

    Counted with ``PYTHONHASHSEED=0``, so that sets and dicts of strings are laid out alike in every run.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise NoValgrind("valgrind is not on the PATH (Debian's package valgrind), and its callgrind tool does the "
                         "counting: nothing was counted")
    folder = dataset(out, items, settings, children)
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as scratch:
        counting = [subprocess.Popen([valgrind, "--tool=callgrind", f"--callgrind-out-file={scratch}/{n}.out",
                                      sys.executable, "-c", COUNTED, str(folder), AS_AT, KEY, str(n)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment)
                    for n in (0, runs)]
        reports = [process.communicate()[1] for process in counting]
    for process, report in zip(counting, reports, strict=True):
        if process.returncode != 0:
            raise RuntimeError(f"benchmark stage failed under callgrind:\n{report[-3000:]}")
    loaded, assessed = (collected(report) for report in reports)
    return {"items": items, "settings": settings, "children": children, "runs": runs,
            "load_instructions": loaded, "instructions_per_assessment": (assessed - loaded) // runs}


def render_instructions(figures: dict[str, Any]) -> str:
    return (f"one assessment of {figures['items']:,} items, {figures['settings']:,} settings: "
            f"{figures['instructions_per_assessment']:,} instructions (callgrind; the mean of {figures['runs']}, "
            f"beyond the {figures['load_instructions']:,} of loading the data)")


def digest(out: Path, items: int, settings: int, children: int) -> dict[str, Any]:
    folder = dataset(out, items, settings, children)
    figures = _child(ASSESS, str(folder), AS_AT, KEY, "1", "--digest")
    known = known_digest(items, settings, children)
    return {**figures, "known_digest": known, "unchanged": None if known is None else figures["digest"] == known}


def growth(out: Path, sizes: tuple[int, ...], repeat: int = 2) -> list[dict[str, Any]]:
    """Each size's assessment (fastest of ``repeat`` runs, as ``timeit`` counts) beside the bare iterparse's."""
    points = []
    for size in sizes:
        folder = dataset(out, size)
        bares = [_child(BARE_XML, str(folder / "evidence.xml")) for _ in range(max(1, repeat))]
        figures = _child(ASSESS, str(folder), AS_AT, KEY, str(max(1, repeat)))
        points.append({**figures, "bare_iterparse_seconds": min(b["seconds"] for b in bares),
                       "bare_iterparse_cpu_seconds": min(b["cpu_seconds"] for b in bares),
                       "ratio": figures["assess_seconds"] / min(b["seconds"] for b in bares),
                       "cpu_ratio": figures["assess_cpu_seconds"] / min(b["cpu_seconds"] for b in bares)})
    return points


def incremental(out: Path, items: int) -> dict[str, Any]:
    folder = dataset(out, items)
    new_return = folder / f"la-return-{INCREMENTAL_LA}-new.xlsx"
    rows = write_one_la_return(folder, SETTINGS, CHILDREN, items, INCREMENTAL_LA, new_return)
    figures = _child(INCREMENTAL, str(folder), AS_AT, KEY, str(new_return))
    return {**figures, "la": INCREMENTAL_LA, "children_in_return": rows,
            "speed_up": figures["full_seconds"] / (figures["read_return_seconds"] + figures["extend_seconds"])}


def render_growth(points: list[dict[str, Any]]) -> str:
    lines = ["assessment growth (3,500 settings; times in s, memory in MB):",
             f"  {'items':>9}  {'assess':>7}  {'cpu':>6}  {'words cpu':>9}  {'iterparse':>9}  {'ratio':>5}  "
             f"{'cpu ratio':>9}  {'loaded':>7}  {'peak':>6}  {'met findings':>12}"]
    for p in points:
        lines.append(f"  {p['items']:>9,}  {p['assess_seconds']:7.1f}  {p['assess_cpu_seconds']:6.1f}  "
                     f"{p['word_cpu_seconds']:9.1f}  {p['bare_iterparse_seconds']:9.1f}  {p['ratio']:5.2f}  "
                     f"{p['cpu_ratio']:9.2f}  "
                     f"{p['rss_loaded_mb']:7.0f}  {p['peak_rss_mb']:6.0f}  {p['met']:>12,}")
    return "\n".join(lines)


def render_incremental(figures: dict[str, Any]) -> str:
    return "\n".join([
        f"incremental: {figures['items']:,} items, {figures['settings']:,} settings; LA {figures['la']}'s new return "
        f"({figures['children_in_return']} children, {figures['return_items']:,} items)",
        f"  full assessment        {figures['full_seconds']:7.2f} s (cpu {figures['full_cpu_seconds']:.2f} s)",
        f"  (a full garbage collection after it, {figures['collect_seconds']:.2f} s)",
        f"  read the new return    {figures['read_return_seconds']:7.2f} s",
        f"  extend (re-judge {figures['reassessed']} settings) {figures['extend_seconds']:7.2f} s "
        f"(cpu {figures['extend_cpu_seconds']:.2f} s)",
        f"  extend alone is {figures['full_seconds'] / figures['extend_seconds']:.0f}x faster than the full run, "
        f"read + extend {figures['speed_up']:.0f}x; "
        f"findings equal to a full run over the same evidence: {figures['digest_equal']}",
    ])


def render_digest(figures: dict[str, Any]) -> str:
    verdict = {True: "unchanged", False: "CHANGED", None: "no digest recorded for this size"}[figures["unchanged"]]
    return (f"findings digest of {figures['items']:,} items, {figures['settings']:,} settings: {figures['digest']} "
            f"({verdict}); assessment {figures['assess_seconds']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regframe.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("digest", help="the findings digest of a run, against the one recorded")
    check.add_argument("--items", type=int, default=100_000)
    check.add_argument("--settings", type=int, default=350)
    check.add_argument("--children", type=int, default=1_500)
    grow = commands.add_parser("growth", help="the assessment at 250k / 500k / 1M / 3M items")
    grow.add_argument("--sizes", default=",".join(str(s) for s in GROWTH_SIZES), help="comma-separated item counts")
    grow.add_argument("--repeat", type=int, default=2, help="runs of each, the fastest counted (default 2)")
    count = commands.add_parser("instructions", help="the instructions of one assessment, counted by callgrind")
    count.add_argument("--items", type=int, default=100_000)
    count.add_argument("--settings", type=int, default=350)
    count.add_argument("--children", type=int, default=1_500)
    count.add_argument("--runs", type=int, default=2, help="assessments counted, their mean given (default 2)")
    again = commands.add_parser("incremental", help="one LA's new return re-assessed, against the full run")
    again.add_argument("--items", type=int, default=1_000_000)
    look = commands.add_parser("profile", help="the assessment under cProfile, top functions by their own time")
    look.add_argument("--items", type=int, default=1_000_000)
    look.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report: Any
    if args.command == "digest":
        report = digest(args.out, args.items, args.settings, args.children)
        text = render_digest(report)
        failed = report["unchanged"] is False
    elif args.command == "profile":
        report = _child(PROFILE, str(dataset(args.out, args.items)), AS_AT, KEY, str(args.top))
        text, failed = report["profile"], False
    elif args.command == "instructions":
        try:
            report = instructions(args.out, args.items, args.settings, args.children, max(1, args.runs))
        except NoValgrind as missing:
            print(f"python -m regframe.bench instructions: {missing}", file=sys.stderr)
            return 2
        text, failed = render_instructions(report), False
    elif args.command == "growth":
        report = growth(args.out, tuple(int(s) for s in args.sizes.split(",")), args.repeat)
        text, failed = render_growth(report), False
    else:
        report = incremental(args.out, args.items)
        text, failed = render_incremental(report), not report["digest_equal"]
    (args.out / f"bench-{args.command}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(text)
    print(f"(figures also in {args.out / f'bench-{args.command}.json'}; {time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
