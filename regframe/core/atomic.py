"""Atomic file writing: a reader never sees a half-written output file.

Everything regframe writes (catalogues, reports, templates) goes through here:
the bytes go to a temporary file in the destination's folder, are flushed to
disk, and the temporary file is renamed over the destination. If anything
fails on the way, the temporary file is removed and the destination is left
as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; rename it into place on success.

    Use this when a library (openpyxl, say) insists on writing to a path itself.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, _mode_for(destination))
        os.replace(temporary, destination)
    finally:
        if temporary.exists():
            temporary.unlink()


def _mode_for(destination: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual ``0o666`` less the umask."""
    if destination.exists():
        return destination.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(destination: Path, data: bytes) -> None:
    with atomic_path(destination) as temporary:
        temporary.write_bytes(data)


