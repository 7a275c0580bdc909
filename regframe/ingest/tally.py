"""Building an :class:`~regframe.evidence.InputFile` record with a reader's counts."""

from __future__ import annotations

from pathlib import Path

from regframe.evidence.model import InputFile, NotRead
from regframe.ingest import sha256_of


def input_file(path: Path, fmt: str, accepted: int = 0, rejected: int = 0, skipped: int = 0, *,
               blank: int = 0, unused: int = 0, rows: int | None = None,
               not_read: tuple[NotRead, ...] = ()) -> InputFile:
    """The record of one file read, with every row it read counted once.

    ``skipped`` are records read but outside regframe's scope (a foster placement in an SSDA903
    extract): neither kept nor a problem. ``rows`` is what the reader counted as it read, never
    derived from the other counts (so a row that went nowhere shows as a file not
    :attr:`~regframe.evidence.InputFile.accounted` for); ``None`` only for a file that could not be
    read at all. ``not_read`` are the sheets whose rows were not all read (:func:`regframe.ingest.sheets.not_read`).
    """
    try:
        digest = sha256_of(path)
    except OSError:
        digest = ""
    total = rows if rows is not None else accepted + rejected + skipped + blank + unused
    return InputFile(str(path), digest, fmt, accepted, rejected, skipped, blank, unused, total, not_read=not_read)
