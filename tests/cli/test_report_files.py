"""``regframe report`` writes its workbook and JSON as one, carrying one run id, and leaves no litter however it stops."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest

from regframe.cli import main
from regframe.report import read_run_id, run_id
from regframe.report.runid import other_runs
from regframe.samples.demo import demo_paths
from tests.conftest import REPO
from tests.report.report_fixtures import hesley_assessment


def _report(folder: Path, *extra: str, evidence: list[Path] | None = None) -> int:
    inputs = ["--evidence", *map(str, evidence)] if evidence is not None else ["--demo"]
    return main(["report", *inputs, "-o", str(folder / "report.xlsx"), "--json", str(folder / "report.json"),
                 "--quiet", *extra])


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_workbook_and_the_json_carry_the_same_run_id(tmp_path):
    assert _report(tmp_path) == 0
    ids = read_run_id(tmp_path / "report.xlsx"), read_run_id(tmp_path / "report.json")
    assert ids[0] is not None and ids[0] == ids[1] and len(ids[0]) == 32


def test_every_file_of_one_run_carries_its_id_and_a_stale_one_is_named(tmp_path):
    """The workbook, the JSON, every JSON Lines line and the profile pages of one run share the id; a file a
    later run did not replace (here the JSON and a profile, a run with another as-at date) is told apart."""
    def run(as_at: str, *outputs: str) -> None:
        assert main(["report", "--demo", "--as-at", as_at, "-o", str(tmp_path / "report.xlsx"), *outputs,
                     "--quiet"]) == 0

    run("2026-10-01", "--json", str(tmp_path / "report.json"), "--jsonl", str(tmp_path / "findings.jsonl"),
        "--profiles", str(tmp_path / "pages"))
    pages = sorted((tmp_path / "pages").iterdir())
    files = [tmp_path / "report.json", tmp_path / "findings.jsonl", *pages]
    assert pages and other_runs(tmp_path / "report.xlsx", files) == []
    first = read_run_id(tmp_path / "report.xlsx")
    assert {read_run_id(path) for path in files} == {first} and first is not None
    lines = (tmp_path / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["run_id"] for line in lines} == {first}
    assert f'<meta name="regframe-run-id" content="{first}">' in pages[0].read_text(encoding="utf-8")

    run("2026-10-31", "--jsonl", str(tmp_path / "findings.jsonl"))  # the JSON and the pages are left as they were
    assert read_run_id(tmp_path / "report.xlsx") not in (None, first)
    assert other_runs(tmp_path / "report.xlsx", files) == [tmp_path / "report.json", *pages]


def test_a_file_with_no_run_id_is_not_of_the_run(tmp_path):
    assert _report(tmp_path) == 0
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "other.html").write_text("<!DOCTYPE html>\n<html><head><title>x</title></head>\n"
                                         '<body><meta name="regframe-run-id" content="00"></body></html>\n')
    (tmp_path / "other.json").write_text('{"run_id": 7}\n', encoding="utf-8")
    others = [tmp_path / name for name in ("empty.jsonl", "other.html", "other.json")]
    assert [read_run_id(path) for path in others] == [None, None, None]  # a meta after the head is not read
    assert other_runs(tmp_path / "report.xlsx", [tmp_path / "report.json", *others]) == others


def test_the_run_id_is_stable_across_runs_and_file_orders_and_changes_with_an_input_byte(tmp_path, monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "run-id-test-key-0123")
    files = [tmp_path / "in" / p.name for p in demo_paths()]
    (tmp_path / "in").mkdir()
    for source, copy in zip(demo_paths(), files, strict=True):
        shutil.copy(source, copy)
    ids = []
    for name, order in (("first", files), ("again", files), ("reversed", files[::-1])):
        (tmp_path / name).mkdir()
        _report(tmp_path / name, "--as-at", "2026-10-31", "--la", "901", evidence=order)
        ids.append(read_run_id(tmp_path / name / "report.json"))
    assert ids[0] == ids[1] == ids[2]
    ofsted = next(p for p in files if p.suffix == ".csv")
    ofsted.write_bytes(ofsted.read_bytes() + b"\r\n")
    (tmp_path / "changed").mkdir()
    _report(tmp_path / "changed", "--as-at", "2026-10-31", "--la", "901", evidence=files)
    assert read_run_id(tmp_path / "changed" / "report.json") not in (None, ids[0])


def test_the_run_id_is_made_of_the_input_hashes_the_date_and_the_versions():
    assessment = hesley_assessment()
    assert run_id(assessment) == run_id(attrs.evolve(assessment, inputs=assessment.inputs[::-1], notes=("other",)))
    changed = [attrs.evolve(assessment, as_at=assessment.as_at + dt.timedelta(days=1)),
               attrs.evolve(assessment, framework_version="other"),
               attrs.evolve(assessment, regframe_version="other"),
               attrs.evolve(assessment, inputs=(attrs.evolve(assessment.inputs[0], sha256="0" * 64),
                                                *assessment.inputs[1:]))]
    assert run_id(assessment) not in {run_id(other) for other in changed}


def test_a_failure_while_writing_the_json_leaves_both_previous_files_as_they_were(tmp_path, monkeypatch, capsys):
    assert _report(tmp_path, "--as-at", "2026-10-01") == 0
    before = {name: (tmp_path / name).read_bytes() for name in ("report.xlsx", "report.json")}
    import regframe.report.pair as pair

    def failing(assessment, path):
        path.write_text('{"half": ')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pair, "write_json_into", failing)
    assert _report(tmp_path, "--as-at", "2026-10-31") == 4
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert _names(tmp_path) == ["report.json", "report.xlsx"]
    assert "No space left on device" in capsys.readouterr().err


def test_ctrl_c_while_writing_exits_130_with_nothing_changed_or_left(tmp_path, monkeypatch):
    assert _report(tmp_path, "--as-at", "2026-10-01") == 0
    before = {name: (tmp_path / name).read_bytes() for name in ("report.xlsx", "report.json")}
    import regframe.report.pair as pair

    def interrupted(assessment, path):
        path.write_text("{")
        raise KeyboardInterrupt

    monkeypatch.setattr(pair, "write_json_into", interrupted)
    assert _report(tmp_path, "--as-at", "2026-10-31") == 130
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert _names(tmp_path) == ["report.json", "report.xlsx"]


#: a report run whose writer announces, once the file is partly written, that it may be killed, then waits
_KILLABLE = """
import pathlib, sys, time
import regframe.report.pair as pair
which, marker = sys.argv[1], pathlib.Path(sys.argv[2])
real = getattr(pair, which)
def slow(*args):
    real(*args)                          # the file is whole in its temporary file...
    marker.write_text("writing")         # ...but not yet renamed: kill me now
    time.sleep(120)
setattr(pair, which, slow)
from regframe.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _killed_while_writing(folder: Path, which: str, how: signal.Signals) -> int:
    marker = folder.parent / f"{folder.name}-writing"
    argv = ["report", "--demo", "--as-at", "2026-10-31", "-o", str(folder / "report.xlsx"),
            "--json", str(folder / "report.json"), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-c", _KILLABLE, which, str(marker), *argv], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the report never started writing"
        time.sleep(0.05)
    process.send_signal(how)
    return process.wait(timeout=60)


@pytest.mark.parametrize("which", ["write_xlsx_into", "write_json_into"])
def test_sigkill_while_writing_keeps_the_previous_report_and_the_next_run_clears_the_litter(tmp_path, which):
    folder = tmp_path / "out"
    folder.mkdir()
    assert _report(folder, "--as-at", "2026-10-01") == 0
    before = {name: (folder / name).read_bytes() for name in ("report.xlsx", "report.json")}
    assert _killed_while_writing(folder, which, signal.SIGKILL) == -signal.SIGKILL
    assert {name: (folder / name).read_bytes() for name in before} == before
    left = [name for name in _names(folder) if name.endswith(".tmp")]
    assert len(left) == 2  # a killed process cannot clean up: both temporary files are there
    assert _report(folder, "--as-at", "2026-10-31") == 0
    assert _names(folder) == ["report.json", "report.xlsx"]
    assert read_run_id(folder / "report.xlsx") == read_run_id(folder / "report.json")


def test_sigterm_while_writing_exits_130_and_leaves_nothing(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    assert _report(folder, "--as-at", "2026-10-01") == 0
    before = {name: (folder / name).read_bytes() for name in ("report.xlsx", "report.json")}
    assert _killed_while_writing(folder, "write_json_into", signal.SIGTERM) == 130
    assert {name: (folder / name).read_bytes() for name in before} == before
    assert _names(folder) == ["report.json", "report.xlsx"]


def test_a_termination_signal_in_process_unwinds_and_the_handlers_are_put_back(tmp_path, monkeypatch):
    import regframe.report.pair as pair

    def terminated(assessment, path):
        path.write_text("{")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends

    before_term = signal.getsignal(signal.SIGTERM)
    previous_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        seen_hup: list[object] = []

        def watched(assessment, path):
            seen_hup.append(signal.getsignal(signal.SIGHUP))
            terminated(assessment, path)

        monkeypatch.setattr(pair, "write_json_into", watched)
        assert _report(tmp_path) == 130
        assert seen_hup == [signal.SIG_IGN]  # ignored (nohup) stays ignored
        assert signal.getsignal(signal.SIGTERM) is before_term
        assert _names(tmp_path) == []
    finally:
        signal.signal(signal.SIGHUP, previous_hup)
