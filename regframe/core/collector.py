"""Python's cyclic garbage collector paused while a large structure without cycles is built (one rule, used by
the evidence XML reader, the LA return reader and the assessment).

A national run holds a million evidence items for as long as it runs. CPython's collector
walks every object a generation holds each time that generation is collected: the youngest
after every 700 net allocations, the middle one after ten of those, the oldest when the
objects promoted since its last collection exceed a quarter of those it then held. Reading
the evidence and judging it make millions of objects and no reference cycles, so each of
those walks finds nothing, and the number of them grows with the size of what is held:

* unpaused, the collector walked the evidence again and again while it was being read;
* paused and simply put back, everything made meanwhile is still in the youngest
  generation: the first allocation afterwards walks all of it (0.4 s after the national
  assessment), and a collection of the middle generation walks it again (0.5 s);
* a full collection falls due in the next stage that allocates much, because the oldest
  generation's count was taken before the million items arrived (0.4 s in the LA return's
  read after the XML, measured with ``gc.callbacks`` on the national benchmark).

So, on the way out, everything is moved straight into the oldest generation (``gc.freeze()``
then ``gc.unfreeze()``), which the next full collection walks anyway. Garbage in cycles is not
lost: a full collection still finds it, only later than a young collection would have. Where
the program had frozen objects of its own (``gc.get_freeze_count()``), unfreezing would thaw
them too, so the move is skipped and the collector is only put back. If the collector was off
when the pause began, it stays off.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block, then put back as it was (see the module docstring)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
