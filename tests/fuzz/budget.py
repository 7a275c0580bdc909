"""A time budget for hypothesis tests, and the counts of what they tried.

Hypothesis stops after a number of examples, never after a time. ``@fuzz`` puts a test
under a budget instead: its settings allow an effectively endless number of examples,
and while it runs, hypothesis's generation phase is told to stop once the budget is
spent (the engine asks ``ConjectureRunner.should_generate_more`` before each new
example; the decorator answers "no" past the deadline). The run then ends as a run that
found nothing ends, and the test passes having used its time. Stopping an example
part-way instead (an exception from inside the test) would leave hypothesis's record of
the draws inconsistent, which it reports as a flaky strategy. A crash found before the
deadline is shrunk and reported by hypothesis as usual: the deadline no longer applies
once an example has failed, so the shrinking is never cut short.

The budget is ``FUZZ_SECONDS`` (seconds per fuzz test; :data:`DEFAULT_SECONDS` when unset,
as in ``make test``). An example that runs longer than ``FUZZ_EXAMPLE_SECONDS`` is
interrupted (``SIGALRM``) and fails as a :class:`Hang`, so a hang is a crash, not a stall.
Should a future hypothesis not ask ``should_generate_more`` any more, a run that goes on
past twice its budget fails with that said, rather than running for ever.

Usage, on top of ``@given``::

    @fuzz("ssda903-csv")
    @given(data=...)
    def test_ssda903_csv(data):
        evidence = ...
        verdict(rejected=bool(evidence.errors))

:func:`verdict` says whether the reader refused something in this example (an error
diagnostic, a rejected record) or accepted it all; the session's summary prints, per
format, the examples tried, rejected, accepted, and the crashes (distinct exception
types at distinct places). ``@fuzz`` with no argument names the format after the test.
``fuzz`` is also a hypothesis ``settings`` object, so ``@settings(fuzz, max_examples=10)`` gives a
test fuzz's settings with a fixed count of examples (:data:`DERIVED_EXAMPLES` unless it says).
"""

from __future__ import annotations

import functools
import os
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.internal.conjecture.engine import ConjectureRunner

#: each fuzz test's budget in ``make test`` (``FUZZ_SECONDS`` unset)
DEFAULT_SECONDS = 2.0
#: the longest one example may run before it counts as a hang
DEFAULT_EXAMPLE_SECONDS = 20.0
#: as good as endless: the budget, not the count, ends a run
_ENDLESS = 10**8


def budget_seconds() -> float:
    """``FUZZ_SECONDS`` as a number of seconds, else :data:`DEFAULT_SECONDS`."""
    return float(os.environ.get("FUZZ_SECONDS") or DEFAULT_SECONDS)


def example_seconds() -> float:
    return float(os.environ.get("FUZZ_EXAMPLE_SECONDS") or DEFAULT_EXAMPLE_SECONDS)


class Hang(Exception):
    """One example ran past ``FUZZ_EXAMPLE_SECONDS``: a hang, reported as a failure."""


class _Overrun(BaseException):
    """A run went far past its budget: hypothesis no longer stops where it is told to. Not an ``Exception``,
    so hypothesis does not take it for a failure of the test and shrink it."""


@attrs.define
class Tally:
    """What one format's fuzzing tried, and what became of it."""

    tried: int = 0
    rejected: int = 0
    accepted: int = 0
    #: examples that ran without saying which (the test called no :func:`verdict`)
    unjudged: int = 0
    #: examples hypothesis abandoned part-way through drawing them (not counted as tried)
    abandoned: int = 0
    #: distinct crashes: "ExceptionType at file:line" of the innermost frame
    crashes: set[str] = attrs.field(factory=set)
    seconds: float = 0.0
    #: True when hypothesis ran out of inputs to try before the budget was spent
    exhausted: bool = False


TALLIES: dict[str, Tally] = {}
_verdict: list[bool | None] = [None]


def verdict(rejected: bool) -> None:
    """Record that the example now running was refused in part (``rejected``) or read cleanly."""
    _verdict[0] = rejected


def _signature(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/regframe/" in f.filename and "/tests/" not in f.filename] or frames
    last = ours[-1] if ours else None
    where = f" at {os.path.basename(last.filename)}:{last.lineno}" if last else ""
    return f"{type(error).__name__}{where}"


def _alarm(_signum: int, _frame: Any) -> None:
    raise Hang(f"one example ran longer than {example_seconds():g} s")


class _Run:
    """The clock of one run of a fuzz test."""

    def __init__(self) -> None:
        self.end = float("inf")
        self.grace = float("inf")
        self.failed = False
        self.spent = False


#: the run under way, which the patched engine consults
_ACTIVE: list[_Run | None] = [None]
_GENERATE_MORE = ConjectureRunner.should_generate_more


def _generate_more(runner: Any) -> bool:
    """Hypothesis's own answer, but "no" once the active run's budget is spent and nothing has failed."""
    run = _ACTIVE[0]
    if run is not None and not run.failed and time.monotonic() >= run.end:
        run.spent = True
        return False
    return _GENERATE_MORE(runner)


class _Budget(settings):
    """hypothesis settings that, applied to a test, put it under the time budget instead.

    ``fuzz`` is one of these, so it is both the decorator (``@fuzz``, ``@fuzz("format")``, on top of
    ``@given``) and settings that others may derive from: ``@settings(fuzz, max_examples=10)`` gives
    a test fuzz's other settings and a plain count of examples (not budgeted, not counted).
    """

    def __call__(self, test: Any = None) -> Any:
        """Put a hypothesis test under the time budget and count its examples under a format name.

        ``@fuzz`` names the format after the test; ``@fuzz("cqc-json")`` names it. The test is also
        marked ``fuzz``, so ``pytest -m fuzz`` runs every fuzz test wherever it lives.
        """
        if test is None or isinstance(test, str):
            return lambda inner: _budgeted(inner, test or _name_of(inner))
        return _budgeted(test, _name_of(test))


#: examples a test deriving its settings from ``fuzz`` runs (``fuzz.max_examples``) unless it says otherwise
DERIVED_EXAMPLES = 100

fuzz = _Budget(max_examples=DERIVED_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _name_of(test: Callable[..., Any]) -> str:
    return test.__name__.removeprefix("test_").replace("_", "-")


def _budgeted(test: Any, name: str) -> Any:
    if not hasattr(test, "hypothesis"):
        raise TypeError(f"@fuzz goes on top of @given; {test.__name__} is not a hypothesis test")
    tally = TALLIES.setdefault(name, Tally())
    run = _Run()
    inner = test.hypothesis.inner_test

    @functools.wraps(inner)
    def one_example(*args: Any, **kwargs: Any) -> None:
        if not run.failed and time.monotonic() >= run.grace:
            raise _Overrun
        _verdict[0] = None
        limit = example_seconds()
        timed = hasattr(signal, "setitimer") and limit > 0
        previous = signal.signal(signal.SIGALRM, _alarm) if timed else None
        if timed:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            inner(*args, **kwargs)
        except Exception as error:
            tally.tried += 1
            run.failed = True
            tally.crashes.add(_signature(error))
            raise
        except BaseException:  # hypothesis abandoning an example whose draws ran out: no input was tried
            tally.abandoned += 1
            raise
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        tally.tried += 1
        if _verdict[0] is None:
            tally.unjudged += 1
        elif _verdict[0]:
            tally.rejected += 1
        else:
            tally.accepted += 1

    test.hypothesis.inner_test = one_example
    configured = settings(max_examples=_ENDLESS, deadline=None, suppress_health_check=list(HealthCheck),
                          database=None)(test)

    @functools.wraps(configured)
    def under_budget(*args: Any, **kwargs: Any) -> None:
        started = time.monotonic()
        run.end, run.grace = started + budget_seconds(), started + 2 * budget_seconds() + 60
        run.failed = run.spent = False
        _ACTIVE[0] = run
        ConjectureRunner.should_generate_more = _generate_more  # type: ignore[method-assign, assignment]
        try:
            configured(*args, **kwargs)
            tally.exhausted = not run.spent
        except _Overrun:
            pytest.fail(f"{name}: hypothesis went on past twice the budget; it no longer asks "
                        "ConjectureRunner.should_generate_more, so tests/fuzz/budget.py must stop it otherwise")
        finally:
            ConjectureRunner.should_generate_more = _GENERATE_MORE  # type: ignore[method-assign]
            _ACTIVE[0] = None
            tally.seconds += time.monotonic() - started

    return pytest.mark.fuzz(under_budget)


def summary_lines() -> list[str]:
    """The per-format table the session prints: tried, rejected, accepted, crashes."""
    if not TALLIES or not any(t.tried for t in TALLIES.values()):
        return []
    width = max(len("format"), *(len(name) for name in TALLIES))
    head = f"{'format':<{width}}  {'seconds':>8}  {'tried':>9}  {'rejected':>9}  {'accepted':>9}  {'crashes':>7}"
    lines = [f"budget {budget_seconds():g} s per fuzz test", head, "-" * len(head)]
    for name in sorted(TALLIES):
        t = TALLIES[name]
        if not t.tried:
            continue
        note = " (every input tried)" if t.exhausted else ""
        note += f" ({t.unjudged} unjudged)" if t.unjudged else ""
        lines.append(f"{name:<{width}}  {t.seconds:>8.1f}  {t.tried:>9,}  {t.rejected:>9,}  {t.accepted:>9,}  "
                     f"{len(t.crashes):>7}{note}")
        lines.extend(f"    crash: {crash}" for crash in sorted(t.crashes))
    return lines
