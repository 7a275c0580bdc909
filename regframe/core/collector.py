"""Python's cyclic garbage collector paused while a large structure without cycles is built (one rule, used by
the evidence XML reader, the LA return reader and the assessment).

A national run holds a million evidence items for as long as it runs. CPython's collector
walks every object a generation holds each time that generation is collected: the youngest
after every 700 net allocations, the middle one after ten of those, the oldest when the
objects promoted since its last collection exceed a quarter of those it then held. Reading
the evidence and judging it make millions of objects and no reference cycles, so each of
those walks finds nothing, and the number of them grows with the size of what is held:
unpaused, the collector walked the evidence again and again while it was being read.

On the way out, one collection of the young and middle generations (``gc.collect(1)``) walks
what the block made, once: cycles made in the block are freed there and then, and the survivors
go to the oldest generation and are counted towards its next collection, as CPython's own rule
wants. Put back without it, everything made in the pause would still be in the youngest
generation and the first allocations afterwards would walk it (0.4 s after the national
assessment), then a collection of the middle generation again (0.5 s).

An earlier version moved it straight to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``): no walk at all, but ``freeze`` sets every generation's count back to zero
and what ``unfreeze`` puts in the oldest generation is not counted as promoted there. Code
that enters the pause again and again (a reader fed many small files, as the fuzz tests do)
then never let a full collection fall due, and the cycles of every block were kept: 23.9 GB
before the kernel stopped a fuzz run. The collection on exit is what bounds memory here.

If the collector was off when the pause began, it stays off and nothing is collected. Objects
the program has frozen (``gc.freeze``) are left frozen.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block; on the way out what the block made is collected once and
    the collector put back as it was (see the module docstring)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.collect(1)
            gc.enable()
