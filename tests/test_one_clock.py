"""One clock: nothing that reads or assesses evidence looks at the wall clock; ``as_at`` is the only "now"."""

from __future__ import annotations

import ast
import datetime as real_dt
import importlib
import pkgutil
import time as real_time
import types
from pathlib import Path

import pytest

import regframe
from regframe.evidence.pseudonym import PseudonymKey

PACKAGE = Path(regframe.__file__).parent
NO_CLOCK = ("ingest", "assess")
#: (module or alias, attribute) pairs that read the clock, however they are imported
CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
               ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime")}


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent)) if path.is_relative_to(PACKAGE.parent) else path.name


def _clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Attribute, ast.Name)):
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
            if (owner, node.attr) in CLOCK_CALLS:
                found.append(f"{_name(path)}:{node.lineno}: {owner}.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "time" and any(a.name in ("time", "time_ns") for a in node.names):
            found.append(f"{_name(path)}:{node.lineno}: from time import time")
    return found


def test_no_module_that_reads_or_assesses_evidence_mentions_the_clock():
    found = [hit for package in NO_CLOCK for path in sorted((PACKAGE / package).rglob("*.py")) for hit in _clock_calls(path)]
    assert found == []


#: where the clock may be read: the command line (the day a command runs, printed where it counts as "now"),
#: the benchmarks (they time things), and the atomic writer (the age of a temporary file left by a writer gone)
CLOCK_ALLOWED = (("cli",), ("bench",), ("core", "atomic.py"))


def test_only_the_command_line_the_benchmarks_and_the_atomic_writer_mention_the_clock():
    """The catalogues' checks, the revisions' diff, the reports: none reads the clock (each takes the day it is
    given), so the same inputs give the same output whenever they are run."""
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _clock_calls(path)
             if not any(path.relative_to(PACKAGE).parts[:len(allowed)] == allowed for allowed in CLOCK_ALLOWED)]
    assert found == []


def test_the_scan_finds_a_clock_call(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("import datetime as dt\nfrom time import time\nday = dt.date.today()\nnow = datetime.now()\n")
    assert [hit.split(": ", 1)[1] for hit in _clock_calls(planted)] == [
        "from time import time", "date.today", "datetime.now"]


class _NoClock(Exception):
    pass


def _stopped(*_args, **_kwargs):
    raise _NoClock("the wall clock was read")


class _Stand_in(type):
    """A class that is the real ``date``/``datetime`` in every way (construction, isinstance, attributes) but its clock."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)

    def __call__(cls, *args, **kwargs):
        return cls.real(*args, **kwargs)

    def __getattr__(cls, name: str):
        return getattr(cls.real, name)


class _Date(metaclass=_Stand_in):
    real = real_dt.date
    today = staticmethod(_stopped)


class _DateTime(metaclass=_Stand_in):
    real = real_dt.datetime
    now = today = utcnow = staticmethod(_stopped)


def _stopped_modules(monkeypatch) -> None:
    """In every ingest and assess module, ``datetime`` and ``time`` whose clocks raise."""
    fake_dt = types.SimpleNamespace(**{k: getattr(real_dt, k) for k in dir(real_dt) if not k.startswith("__")})
    fake_dt.date, fake_dt.datetime = _Date, _DateTime
    fake_time = types.SimpleNamespace(**{k: getattr(real_time, k) for k in dir(real_time) if not k.startswith("__")})
    fake_time.time = fake_time.time_ns = _stopped
    for package in NO_CLOCK:
        base = importlib.import_module(f"regframe.{package}")
        for info in pkgutil.walk_packages(base.__path__, f"regframe.{package}."):
            module = importlib.import_module(info.name)
            for name, value in list(vars(module).items()):
                if value is real_dt:
                    monkeypatch.setattr(module, name, fake_dt)
                elif value is real_time:
                    monkeypatch.setattr(module, name, fake_time)
                elif value is real_dt.date:
                    monkeypatch.setattr(module, name, _Date)
                elif value is real_dt.datetime:
                    monkeypatch.setattr(module, name, _DateTime)


def test_the_stopped_clock_is_noticed(monkeypatch):
    _stopped_modules(monkeypatch)
    from regframe.ingest import la_return

    with pytest.raises(_NoClock):
        la_return.dt.date.today()


def test_reading_and_assessing_the_demo_and_a_return_without_its_date_never_read_the_clock(tmp_path, monkeypatch):
    from tests import small_inputs

    undated = small_inputs.la_return(tmp_path / "undated.xlsx", as_at=None)
    from regframe.samples import demo

    _stopped_modules(monkeypatch)
    from regframe.assess import assess
    from regframe.ingest import load_evidence

    evidence = load_evidence([*demo.demo_paths(), undated], key=PseudonymKey.from_text("clock-test-key-0123"),
                             la_code=demo.EXTRACT_LA)
    assessment = assess(regframe.load_framework(), evidence, real_dt.date(2026, 10, 31))
    assert len(assessment.settings) == 12
