"""The Ofsted readers' caches keep only short texts: hostile long cells are read the same but never kept."""

from __future__ import annotations

import datetime as dt

from regframe.ingest import ofsted_columns, ofsted_csv
from regframe.ingest.ofsted_columns import CACHED_SQUASH_CHARS, squash
from regframe.ingest.ofsted_csv import CACHED_DATE_CHARS, parse_date


def test_a_long_cell_is_squashed_as_a_short_one_would_be_but_not_cached():
    cache = ofsted_columns._cached_squash
    cache.cache_clear()
    long = "Children\u2019s  HOME " + "x" * CACHED_SQUASH_CHARS
    assert squash(long) == "children's home " + "x" * CACHED_SQUASH_CHARS
    assert cache.cache_info().currsize == 0
    assert squash("Children\u2019s  HOME") == "children's home"
    assert cache.cache_info().currsize == 1


def test_a_long_date_cell_is_read_as_before_but_not_cached():
    cache = ofsted_csv._cached_date
    cache.cache_clear()
    long = "2015-04-01" + "T" + "0" * CACHED_DATE_CHARS
    assert parse_date(long) == dt.date(2015, 4, 1)  # ISO with anything after the day, as before
    assert cache.cache_info().currsize == 0
    assert parse_date(" 01/04/2015 ") == dt.date(2015, 4, 1)
    assert cache.cache_info().currsize == 1
    for _ in range(1000):
        parse_date("1/4/2015" + " " * CACHED_DATE_CHARS)  # stripped: short, so cached once
    assert cache.cache_info().currsize == 2
