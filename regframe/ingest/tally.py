"""Building an :class:`~regframe.evidence.InputFile` record with a reader's counts."""

from __future__ import annotations

from pathlib import Path

import attrs

from regframe.evidence.model import InputFile
from regframe.ingest import sha256_of


def input_file(path: Path, fmt: str, accepted: int = 0, rejected: int = 0, skipped: int = 0) -> InputFile:
    """The record of one file read: accepted, rejected and (where the model counts them) skipped records.

    ``skipped`` are records read but outside regframe's scope (a foster placement in an SSDA903
    extract): neither kept nor a problem.
    """
    extra = {"skipped": skipped} if "skipped" in attrs.fields_dict(InputFile) else {}
    return InputFile(str(path), sha256_of(path), fmt, accepted, rejected, **extra)
