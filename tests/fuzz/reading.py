"""Reading a fuzzed file through the public API, and the properties every reading must have."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from regframe.core.diagnostics import Diagnostic
from regframe.evidence.model import EvidenceSet
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence

KEY = PseudonymKey.from_text("fuzzing key, not a secret", "fuzz")


@contextlib.contextmanager
def written(files: dict[str, bytes]) -> Iterator[Path]:
    """A fresh folder holding ``files``, removed afterwards.

    A fresh folder each time, so that no cache keyed by path and modification time (the SSDA903
    reader's episodes beside a reviews table) carries one example into the next.
    """
    folder = Path(tempfile.mkdtemp(prefix="regframe-fuzz-"))
    try:
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def read_files(files: dict[str, bytes], *, la_code: str | None = "901") -> Iterator[tuple[EvidenceSet, Path]]:
    """``files`` written to a fresh folder and read with :func:`~regframe.ingest.load_evidence`."""
    with written(files) as folder:
        yield load_evidence(sorted(folder / name for name in files), key=KEY, la_code=la_code), folder


def assert_located(diagnostics: Iterable[Diagnostic], folder: Path) -> None:
    """Every diagnostic names a file of the run (and so where the problem is)."""
    for diagnostic in diagnostics:
        assert diagnostic.location.file, f"diagnostic without a location: {diagnostic}"
        assert Path(diagnostic.location.file).resolve().is_relative_to(folder.resolve()), \
            f"diagnostic located outside the input: {diagnostic}"


def rejected(evidence: EvidenceSet) -> bool:
    """Whether the reader refused anything: an error, or a record rejected."""
    return bool(evidence.errors) or evidence.rejected > 0
