"""The national benchmark's machinery on a small dataset: every target printed beside its figure, peak memory as the
kernel saw it. (Nothing here asserts a time: the figures are for reading.)"""

from __future__ import annotations

import pytest

from regframe.bench import national


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    return national.run(600, out, repeat=2, settings=12, children=30), out


def test_a_child_s_peak_memory_is_what_the_kernel_saw_not_what_it_said():
    figures = national.child("import json; block = bytearray(300 * 2**20); block[::4096] = b'x' * len(block[::4096]);"
                             " print(json.dumps({'said': 0}))")
    assert figures["said"] == 0 and figures["peak_rss_mb"] >= 300


def test_a_failing_child_is_an_error_with_its_message():
    with pytest.raises(RuntimeError, match="exit 3"):
        national.child("import sys; print('bad', file=sys.stderr); sys.exit(3)")


def test_every_target_has_its_figure_and_a_verdict(small_run):
    report, out = small_run
    assert set(report["targets"]) == {key for _what, key, _most in national.TARGETS}
    for key, target in report["targets"].items():
        assert target["met"] == (report["figures"][key] <= target["target"])
    assert report["figures"]["json_mb"] == (out / "gaps.json").stat().st_size / 1e6
    assert report["pipeline"]["jsonl_bytes"] == (out / "gaps.jsonl").stat().st_size
    stages = report["pipeline"]["stages"]
    assert report["cpu"]["total_ratio"] == pytest.approx(
        sum(stages[s]["cpu"] for s in ("load_evidence_xml", "load_la_return", "assess", "word_reasons", "write_xlsx",
                                       "write_json"))
        / (report["baselines"]["lxml_iterparse"]["cpu"] + report["baselines"]["openpyxl_read_only"]["cpu"]
           + stages["write_xlsx"]["cpu"]))


def test_wording_the_reasons_is_a_stage_of_its_own_counted_in_the_total_and_beside_the_assessment(small_run):
    """The reasons are worded when a report first reads them: the benchmark times that apart, so neither the
    assessment's ratio nor the xlsx writer's time (part of the floor) hides it."""
    report, _out = small_run
    stages = report["pipeline"]["stages"]
    assert list(stages)[list(stages).index("assess") + 1] == "word_reasons"
    assert stages["word_reasons"]["modules_imported"] == 0
    base = report["baselines"]["lxml_iterparse"]["cpu"]
    assert report["cpu"]["assess_worded_ratio"] == pytest.approx((stages["assess"]["cpu"]
                                                                  + stages["word_reasons"]["cpu"]) / base)
    [line] = [line for line in national.render(report).splitlines() if "assess and word the reasons" in line]
    assert line.split()[-2:] == [f"{report['cpu']['assess_worded_ratio']:.2f}x",
                                 f"{report['wall']['assess_worded_ratio']:.2f}x"]


def test_figures_recorded_before_the_reasons_were_worded_apart_still_add_up():
    stage = {"wall": 1.0, "cpu": 1.0}
    pipeline = {"stages": {name: dict(stage) for name in ("load_evidence_xml", "load_la_return", "assess",
                                                          "write_xlsx", "write_json")}}
    figures = national.ratios(pipeline, {"wall": 1.0, "cpu": 1.0}, {"wall": 1.0, "cpu": 1.0}, "cpu")
    assert (figures["total_seconds"], figures["assess_worded_ratio"]) == (5.0, 1.0)


def test_each_stage_says_how_much_of_its_cpu_time_the_kernel_spent_from_the_same_run(small_run):
    report, _out = small_run
    for figures in [*report["pipeline"]["stages"].values(), *report["baselines"].values()]:
        assert 0 <= figures["system"] <= figures["cpu"] + 0.01  # the two clocks tick apart: a hundredth's leeway
    text = national.render(report)
    assert "of it, kernel" in text
    assess = report["pipeline"]["stages"]["assess"]
    [line] = [line for line in text.splitlines() if line.split()[:1] == ["assess"] and "/" not in line]
    assert line.split()[1:3] == [f"{assess['cpu']:.1f}", f"{assess['system']:.2f}"]


def test_figures_recorded_before_the_kernel_part_was_measured_still_print():
    figures = {"cpu": 1.0, "wall": 1.0}
    assert national._kernel(figures) == ""
    assert national._kernel({**figures, "system": 0.25}) == "0.25"


def test_the_timed_stages_do_not_pay_for_imports_the_baselines_made_before_their_clocks(small_run):
    report, _out = small_run
    stages = report["pipeline"]["stages"]
    assert stages["imports"]["modules_imported"] > 0  # the readers, imported before the first stage
    assert stages["load_evidence_xml"]["modules_imported"] == 0
    assert stages["assess"]["modules_imported"] == 0
    assert "imports" in national.render(report).split("target (judged")[0]


def test_the_printout_names_every_target_with_its_bound_and_says_whether_it_is_met(small_run):
    report, _out = small_run
    text = national.render(report)
    for what, key, most in national.TARGETS:
        [line] = [line for line in text.splitlines() if line.strip().startswith(what)]
        assert f"≤ {most:g}" in line and line.rstrip().endswith("yes" if report["targets"][key]["met"] else "NO")
    assert "targets met:" in text and "findings digest:" in text


def test_the_digest_is_checked_against_the_recorded_one_only_for_the_same_dataset_and_framework(monkeypatch):
    dataset = (1_000_000, 3500, 15000, "f" * 64)
    monkeypatch.setattr(national.assess, "KNOWN_DIGESTS", {(3500, 15000, 1_000_000, "f" * 64): "a" * 64})
    assert national._digest_check(["a" * 64], dataset)["same"] is True
    assert national._digest_check(["0" * 64], dataset)["same"] is False
    assert national._digest_check(["a" * 64], (*dataset[:3], "e" * 64))["checked"] is False  # another framework
    assert national._digest_check(["a" * 64], (600, 12, 30, dataset[3]))["checked"] is False
    assert national._digest_check([], dataset)["note"].startswith("skipped")


def test_the_pipeline_names_the_framework_it_assessed_against(small_run):
    report, _out = small_run
    assert len(report["pipeline"]["framework_sha256"]) == 64


def test_each_baseline_is_the_fastest_of_its_floor_runs_and_the_pipeline_runs_once_a_turn(monkeypatch, tmp_path):
    """The floor is the fastest the bare loop goes: each baseline runs --floor-runs times in each turn."""
    calls = {"iterparse": 0, "openpyxl": 0, "pipeline": 0}
    stage = {"wall": 2.0, "cpu": 2.0, "system": 0.0, "modules_imported": 0}

    def fake_child(script, *args):
        if script is national.BARE_ITERPARSE:
            calls["iterparse"] += 1
            return {"wall": 3.0 - calls["iterparse"] / 10, "cpu": 3.0 - calls["iterparse"] / 10, "system": 0.0,
                    "peak_rss_mb": 40}
        if script is national.BARE_OPENPYXL:
            calls["openpyxl"] += 1
            return {"wall": 1.0, "cpu": 1.0, "system": 0.0, "peak_rss_mb": 40}
        calls["pipeline"] += 1
        return {"stages": {name: dict(stage) for name in ("load_evidence_xml", "load_la_return", "assess",
                                                           "write_xlsx", "write_json")},
                "peak_rss_mb": 500, "json_bytes": 1, "xlsx_bytes": 1, "jsonl_bytes": 1, "digest": None, "framework_sha256": "x", "items": 1,
                "settings": 1, "placements": 1, "findings": 1}

    monkeypatch.setattr(national, "child", fake_child)
    monkeypatch.setattr(national, "synthesise", lambda *args: 0.0)
    report = national.run(600, tmp_path, repeat=2, settings=12, children=30, floor_runs=3)
    assert calls == {"iterparse": 6, "openpyxl": 6, "pipeline": 2}
    assert report["baselines"]["lxml_iterparse"]["cpu"] == pytest.approx(2.4)  # the fastest of the six
    assert report["cpu"]["assess_ratio"] == pytest.approx(2.0 / 2.4)
    assert "each baseline the fastest of 6" in national.render(report).splitlines()[0]
