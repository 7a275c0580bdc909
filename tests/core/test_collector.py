"""The garbage collector's pause (regframe.core.collector): put back as it was, and what was made in the pause
left where the next full collection walks it, not in the youngest generation."""

from __future__ import annotations

import gc

import pytest

from regframe.core.collector import collector_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _ids(generation: int) -> set[int]:
    return {id(o) for o in gc.get_objects(generation=generation)}


def test_what_was_made_in_the_pause_is_in_the_oldest_generation_afterwards(collector_on):
    with collector_paused():
        assert not gc.isenabled()
        made = [[number] for number in range(2000)]
    assert gc.isenabled()
    young, oldest = _ids(0), _ids(2)
    assert not any(id(record) in young for record in made)
    assert all(id(record) in oldest for record in made)


def test_a_collector_that_was_off_stays_off_and_nothing_is_moved():
    was = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            made = [[number] for number in range(100)]
        assert not gc.isenabled()
        assert all(id(record) in _ids(0) for record in made)
    finally:
        if was:
            gc.enable()


def test_objects_the_program_froze_stay_frozen(collector_on):
    kept = [[number] for number in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            made = [[number] for number in range(100)]
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen  # the program's own freeze is not undone
        assert all(id(record) in _ids(0) for record in made)  # and nothing else was moved
    finally:
        gc.unfreeze()
    assert kept


def test_the_collector_is_put_back_when_the_block_raises(collector_on):
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()
