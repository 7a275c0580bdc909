"""Does a reader's memory grow when it is fed many damaged files? ``python -m tests.fuzz.read_loop [ofsted|la-return] [N]``.

A fuzz run's memory grows as hypothesis keeps its record of every example tried, so its peak says
nothing about the reader. This loop reads ``N`` (default 20,000) small files, each damaged at random,
through :func:`tests.fuzz.reading.read_files` as the fuzz tests do, and prints the process's peak RSS
every fifth of the way: Ofsted CSVs with random rows and a few bytes changed, or LA returns (the
workbook :func:`tests.small_inputs.la_return` writes) with a few bytes of the children's sheet
changed. A reader that kept something of each file (a cache without a bound, cycles the collector
never frees: the LA return reader pauses the collector) shows as a peak that keeps rising.
"""

from __future__ import annotations

import io
import random
import resource
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.fuzz.mutate import csv_line
from tests.fuzz.reading import read_files
from tests.small_inputs import OFSTED_HEADER, la_return, ofsted_row

#: the characters of the random owner names: accents, a superscript digit, a byte cp1252 lacks, CSV's own
NAME_CHARACTERS = 'abcdé³\x90,"'


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def changed(rng: random.Random, data: bytes, start: int = 0, least: int = 0, most: int = 3) -> bytes:
    """``data`` with ``least`` to ``most`` random bytes past ``start`` replaced by random bytes."""
    out = bytearray(data)
    for _ in range(rng.randint(least, most)):
        out[rng.randrange(start, len(out))] = rng.randrange(256)
    return bytes(out)


def damaged_csv(rng: random.Random, head: bytes) -> bytes:
    rows = "".join(csv_line(ofsted_row(f"SC{rng.randrange(100000, 999999)}",
                                       "".join(rng.choice(NAME_CHARACTERS) for _ in range(rng.randrange(1, 40)))))
                   for _ in range(rng.randrange(1, 6)))
    return changed(rng, head + rows.encode("utf-8"), start=len(head))


def damaged_return(rng: random.Random, parts: dict[str, bytes], sheet: str = "xl/worksheets/sheet2.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, changed(rng, data, least=1) if name == sheet else data)
    return out.getvalue()


def files(kind: str, rng: random.Random) -> Callable[[], dict[str, bytes]]:
    """A maker of one damaged input of ``kind`` (file name to bytes) at each call."""
    if kind == "ofsted":
        head = "".join(csv_line(row) for row in (OFSTED_HEADER, ofsted_row("SC100001", "Keep Ltd"))).encode("utf-8")
        return lambda: {"providers.csv": damaged_csv(rng, head)}
    if kind == "la-return":
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(la_return(Path(folder) / "return.xlsx")) as archive:
                parts = {name: archive.read(name) for name in archive.namelist()}
        return lambda: {"return.xlsx": damaged_return(rng, parts)}
    raise SystemExit(f"no such kind of file: {kind!r} (ofsted or la-return)")


def main(kind: str = "ofsted", count: int = 20_000, seed: int = 7) -> None:
    make = files(kind, random.Random(seed))
    step = max(1, count // 5)
    for number in range(count + 1):
        with read_files(make()):
            pass
        if number % step == 0:
            print(f"{kind}: {number:>7,} files read: peak RSS {peak_mb()} MB", flush=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(arguments[0] if arguments else "ofsted", int(arguments[1]) if len(arguments) > 1 else 20_000)
