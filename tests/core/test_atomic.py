"""Atomic writing: whole files or none, several files as one, and no temporary file outliving its run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from regframe.core import atomic
from regframe.core.atomic import atomic_path, atomic_paths, stale_temporaries, sweep


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_failure_while_writing_leaves_the_destination_as_it_was_and_no_temporary_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("previous")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")
    assert (target.read_text(), _names(tmp_path)) == ("previous", ["report.json"])


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_every_exit_path_python_sees_removes_the_temporary_file(tmp_path, stop):
    target = tmp_path / "report.xlsx"
    with pytest.raises(stop), atomic_path(target) as temporary:
        temporary.write_bytes(b"PK")
        raise stop()
    assert _names(tmp_path) == []


def test_several_files_are_renamed_only_once_all_are_written(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "a.json"
    first.write_text("old a")
    second.write_text("old b")
    with pytest.raises(RuntimeError), atomic_paths([first, second]) as (one, two):
        one.write_text("new a")
        two.write_text("new b, half")
        raise RuntimeError("killed while writing the second")
    assert (first.read_text(), second.read_text(), _names(tmp_path)) == ("old a", "old b", ["a.json", "a.xlsx"])
    with atomic_paths([first, second]) as (one, two):
        one.write_text("new a")
        two.write_text("new b")
    assert (first.read_text(), second.read_text(), _names(tmp_path)) == ("new a", "new b", ["a.json", "a.xlsx"])


def test_a_temporary_file_is_named_by_the_machine_and_process_writing_it(tmp_path):
    with atomic_path(tmp_path / "report.xlsx") as temporary:
        assert temporary.name.startswith(f".report.xlsx.{atomic.HOST}-{os.getpid()}.")
        assert temporary.name.endswith(".tmp")


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temporary_files_are_those_of_gone_processes_or_a_day_old(tmp_path):
    dead = tmp_path / f".report.xlsx.{atomic.HOST}-{_dead_pid()}.abcd1234.tmp"
    running = tmp_path / f".report.json.{atomic.HOST}-{os.getpid()}.abcd1234.tmp"
    elsewhere = tmp_path / ".report.xlsx.ffffff-1.abcd1234.tmp"
    old_elsewhere = tmp_path / ".report.json.ffffff-1.efgh5678.tmp"
    unsigned_old = tmp_path / ".report.xlsx.k2j4h5g6.tmp"
    unsigned_new = tmp_path / ".report.json.k2j4h5g6.tmp"
    not_ours_old = tmp_path / ".notes.k2j4h5g6.tmp"
    for path in (dead, running, elsewhere, old_elsewhere, unsigned_old, unsigned_new, not_ours_old):
        path.write_bytes(b"")
    day_ago = time.time() - atomic.STALE_AFTER - 60
    for path in (old_elsewhere, unsigned_old, unsigned_new, not_ours_old):
        os.utime(path, (day_ago, day_ago))
    os.utime(unsigned_new, None)
    assert stale_temporaries(tmp_path) == [old_elsewhere, dead, unsigned_old]
    assert sweep(tmp_path) == [old_elsewhere, dead, unsigned_old]
    assert _names(tmp_path) == sorted(p.name for p in (running, elsewhere, unsigned_new, not_ours_old))


def test_writing_into_a_folder_sweeps_what_a_killed_run_left_there(tmp_path):
    left = tmp_path / f".report.xlsx.{atomic.HOST}-{_dead_pid()}.abcd1234.tmp"
    left.write_bytes(b"323 MB, once")
    atomic.atomic_write_bytes(tmp_path / "other.json", b"{}")
    assert _names(tmp_path) == ["other.json"]


def test_a_process_sweeps_a_folder_once_however_many_files_it_writes_there(tmp_path):
    for index in range(3):
        atomic.atomic_write_bytes(tmp_path / f"SC{index}.html", b"<p>")
    left = tmp_path / f".SC9.html.{atomic.HOST}-{_dead_pid()}.abcd1234.tmp"
    left.write_bytes(b"")
    atomic.atomic_write_bytes(tmp_path / "SC3.html", b"<p>")
    assert left.exists()  # swept already by this process; the next run's first write clears it
    assert sweep(tmp_path) == [left]
