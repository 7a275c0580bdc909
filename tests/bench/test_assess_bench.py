"""The assessment's benchmarks: the new monthly return they read, and the digests they check against."""

from __future__ import annotations

import subprocess
import sys

import attrs
import pytest

import regframe
from regframe.bench import assess as bench

SETTINGS, CHILDREN, ITEMS = 30, 300, 3_000


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return bench.dataset(tmp_path_factory.mktemp("bench"), ITEMS, SETTINGS, CHILDREN)


def test_one_las_new_return_holds_that_las_children_and_only_them(dataset, tmp_path):
    key = regframe.PseudonymKey.from_text(bench.KEY)
    path = tmp_path / "la-return-801.xlsx"
    rows = bench.write_one_la_return(dataset, SETTINGS, CHILDREN, ITEMS, "801", path)
    new = regframe.load_evidence([path], key=key)
    whole = regframe.load_evidence([dataset / "la-return.xlsx"], key=key)
    theirs = {(p.child, p.setting, p.start) for p in whole.placements if p.placing_la == "801"}
    assert rows == len(theirs) > 0
    assert {(p.child, p.setting, p.start) for p in new.placements} == theirs
    assert not [d for d in new.diagnostics if d.is_error]


def test_the_framework_fingerprint_is_of_the_catalogues_not_of_the_folder_they_were_read_from(tmp_path):
    import shutil
    from pathlib import Path

    shipped = Path(regframe.__file__).resolve().parent.parent / "standards"
    shutil.copytree(shipped, tmp_path / "standards")
    here = regframe.load_framework()
    there = regframe.load_framework(tmp_path / "standards" / "framework.xml")
    assert here.manifest.include_origins[0].file != there.manifest.include_origins[0].file
    assert bench.framework_fingerprint(here) == bench.framework_fingerprint(there)
    assert bench.framework_fingerprint(attrs.evolve(there, manifest=attrs.evolve(there.manifest, version="0.0-other"))) != bench.framework_fingerprint(here)


def test_the_known_digests_are_of_the_sizes_the_benchmarks_run_and_the_shipped_framework():
    shipped = bench.framework_fingerprint(regframe.load_framework())
    assert bench.known_digest(1_000_000) == bench.KNOWN_DIGESTS[(bench.SETTINGS, bench.CHILDREN, 1_000_000, shipped)]
    assert bench.known_digest(1_000_000, framework="e" * 64) is None  # a digest of another framework is not its
    assert bench.known_digest(123) is None
    assert all(len(digest) == 64 and len(key[3]) == 64 for key, digest in bench.KNOWN_DIGESTS.items())


def test_the_sub_commands_are_answered_by_the_assessment_bench(dataset, tmp_path):
    done = subprocess.run([sys.executable, "-m", "regframe.bench", "--out", str(dataset.parent), "digest",
                           "--items", str(ITEMS), "--settings", str(SETTINGS), "--children", str(CHILDREN)],
                          capture_output=True, text=True, check=True)
    assert "no digest recorded for this size" in done.stdout
    assert (dataset.parent / "bench-digest.json").exists()


CALLGRIND_REPORT = """==4711== Callgrind, a call-graph generating cache profiler
==4711== For interactive control, run 'callgrind_control -h'.
==4711==
==4711== Events    : Ir
==4711== Collected : 4296040244
==4711==
==4711== I   refs:      4,296,040,244
"""


def test_the_instructions_counted_are_read_from_callgrinds_collected_line():
    assert bench.collected(CALLGRIND_REPORT) == 4_296_040_244
    with pytest.raises(RuntimeError, match="did not say how many instructions"):
        bench.collected(CALLGRIND_REPORT.replace("Collected", "Counted"))


def test_without_valgrind_nothing_is_counted_and_the_exit_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.main(["--out", str(tmp_path), "instructions", "--items", "3000", "--settings", "30"]) == 2
    assert "valgrind is not on the PATH" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no dataset written, no figures file


@pytest.mark.skipif(bench.shutil.which("valgrind") is None, reason="valgrind is not installed here")
def test_one_assessments_instructions_are_counted_beyond_the_load(dataset):
    figures = bench.instructions(dataset.parent, ITEMS, SETTINGS, CHILDREN, runs=1)
    assert figures["runs"] == 1 and figures["settings"] == SETTINGS
    assert 0 < figures["instructions_per_assessment"] < figures["load_instructions"]


def test_growth_times_the_wording_of_every_settings_reasons_apart_from_the_assessment(dataset):
    import datetime as dt

    figures = bench._child(bench.ASSESS, str(dataset), bench.AS_AT, bench.KEY, "1")
    key = regframe.PseudonymKey.from_text(bench.KEY)
    evidence = regframe.load_evidence([dataset / "evidence.xml"], key=key)
    evidence.merge(regframe.load_evidence([dataset / "la-return.xlsx"], key=key))
    assessed = regframe.assess.assess(regframe.build_graph(regframe.load_framework()), evidence,
                                      dt.date.fromisoformat(bench.AS_AT))
    assert figures["reasons"] == sum(len(s.reasons) for s in assessed.assessed()) > 0
    assert figures["word_cpu_seconds"] >= 0
    [line] = bench.render_growth([{**figures, "bare_iterparse_seconds": 1.0, "ratio": 1.0, "cpu_ratio": 1.0}]
                                 ).splitlines()[2:]
    assert line.split()[3] == f"{figures['word_cpu_seconds']:.1f}"
