"""csvsafe holds its own field and record bounds, whatever ``csv.field_size_limit`` the process has."""

from __future__ import annotations

import csv
import io

import pytest

from regframe.io import csvsafe


def _read(text: str) -> tuple[list[tuple[int, list[str]]], list[str]]:
    problems: list = []
    found = list(csvsafe.rows(io.StringIO(text, newline=""), "f.csv", problems.append))
    return found, [str(p) for p in problems]


@pytest.fixture(params=[csv.field_size_limit(), 1 << 40], ids=["default", "raised"])
def field_limit(request):
    before = csv.field_size_limit(request.param)
    yield
    csv.field_size_limit(before)


def test_a_field_past_the_bound_stops_the_rows_at_its_line_with_those_before_kept(field_limit):
    found, problems = _read("a,b\n1,2\n3," + "x" * (csvsafe.MAX_FIELD_CHARS + 1) + "\n5,6\n")
    assert found == [(1, ["a", "b"]), (2, ["1", "2"])]
    assert problems == ["f.csv:row 3: error RF110: a field longer than 131,072 characters, or a record longer than 1,048,576 (a quote "
                        "that never closes?), starts here; the rows from here on were not read"]


def test_a_quote_that_never_closes_stops_at_the_record_bound_whatever_the_global_limit(field_limit):
    found, problems = _read('a,b\n1,2\n3,"open\n' + ("y" * 1000 + "\n") * 2000)
    assert found == [(1, ["a", "b"]), (2, ["1", "2"])]
    assert problems == ["f.csv:row 3: error RF110: a field longer than 131,072 characters, or a record longer than 1,048,576 (a quote "
                        "that never closes?), starts here; the rows from here on were not read"]


def test_a_field_at_the_bound_is_read(field_limit):
    found, problems = _read("a\n" + "z" * csvsafe.MAX_FIELD_CHARS + "\n")
    assert [len(cells[0]) for _, cells in found] == [1, csvsafe.MAX_FIELD_CHARS] and problems == []
