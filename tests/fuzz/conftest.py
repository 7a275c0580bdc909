"""The fuzz budget's summary at the end of the session: per format, what was tried and what crashed."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.fuzz.budget import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("fuzz")
        for line in lines:
            terminalreporter.write_line(line)
