"""A reader fed the same file again and again keeps nothing of it: what each read made is freed.

The LA return reader pauses the garbage collector (regframe.core.collector). A pause that moved what
it made into the oldest generation kept the cycles of every read: 154 objects more tracked after each
read of this small return, and 3.5 MB of memory (``python -m tests.fuzz.read_loop la-return``: 17 GB
after 5,000 reads). Now the count of tracked objects is the same after every read but the first.
"""

from __future__ import annotations

import gc

from tests.fuzz.reading import read_files
from tests.small_inputs import la_return


def _tracked_after_reading(data: bytes) -> int:
    with read_files({"return.xlsx": data}) as (evidence, _):
        assert evidence.placements  # the return was read
    del evidence
    return len(gc.get_objects())


def test_reading_an_la_return_again_and_again_keeps_nothing_of_it(tmp_path):
    data = la_return(tmp_path / "return.xlsx").read_bytes()
    _tracked_after_reading(data)  # the first read fills the caches every later read uses
    counts = [_tracked_after_reading(data) for _ in range(6)]
    assert max(counts) - min(counts) < 50, counts  # the moving pause: 154 more after each read
