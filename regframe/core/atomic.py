"""Atomic file writing: a reader never sees a half-written output file, and a killed run leaves no litter for long.

Everything regframe writes (catalogues, reports, templates) goes through here:
the bytes go to a temporary file in the destination's folder, are flushed to
disk, and the temporary file is renamed over the destination. If anything
fails on the way, on every exit path Python sees (an exception, Ctrl-C, and the
termination signals the command line turns into one), the temporary file is
removed and the destination is left as it was.

A process killed outright (``SIGKILL``, a power cut) cannot clean up, so each
temporary file's name says which process on which machine wrote it:
``.report.xlsx.<host>-<pid>.<random>.tmp``. The first time a process writes into a
folder, :func:`sweep` removes the temporary files there whose process has gone (on
this machine), and any older than :data:`STALE_AFTER` whoever wrote them, so the
next run clears what a killed one left.

:func:`atomic_paths` writes several files as one: all are written to temporary
files first and renamed into place only once every one is complete, so a failure
while writing any of them leaves every destination as it was. The renames
themselves are not one step (no file system offers that for two files); a
report's files carry the same run id (:mod:`regframe.report.runid`), so a reader
can tell a pair that was not written together.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

#: a temporary file older than this is stale, whichever process or machine wrote it
STALE_AFTER = 24 * 60 * 60
#: a short token for this machine, so a shared folder's temporary files are judged only by the machine that wrote them
HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<host>[0-9a-f]{6})-(?P<pid>\d+)\.[^.]+\.tmp$")
#: the names regframe gave its temporary files before they said who wrote them: mkstemp's eight characters
#: after the name of a file of a kind regframe writes
_UNSIGNED = re.compile(r"^\.(?P<name>.+\.(?:xlsx|json|html|xml|csv|dot|graphml|gexf|txt|md))\.[a-z0-9_]{8}\.tmp$")
#: the folders this process has swept already: once each is enough (a run writing 2,000 profiles into one
#: folder would otherwise list it 2,000 times)
_SWEPT: set[str] = set()


def _temporary(destination: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.{HOST}-{os.getpid()}.", suffix=".tmp",
                                    dir=destination.parent)
    os.close(handle)
    return Path(name)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` is running on this machine (on Windows, where asking could end it, always True)."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) terminates the process there: judge by age only
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def stale_temporaries(folder: Path, *, now: float | None = None) -> list[Path]:
    """The temporary files in ``folder`` that no running process will finish: its writer has gone, or it is old.

    A file named by this machine's process ``pid`` is stale once that process has gone; any
    other (another machine's, or one of the unsigned names earlier regframe versions gave) once it
    is :data:`STALE_AFTER` old.
    """
    now = time.time() if now is None else now
    stale = []
    try:
        entries = sorted((entry.name, entry) for entry in os.scandir(folder)
                         if entry.name.startswith(".") and entry.name.endswith(".tmp"))
    except OSError:
        return []
    for name, entry in entries:
        signed = _TEMPORARY.match(name)
        if signed is None and _UNSIGNED.match(name) is None:
            continue
        try:
            age = now - entry.stat().st_mtime
        except OSError:
            continue
        if age > STALE_AFTER or (signed is not None and signed["host"] == HOST and not _alive(int(signed["pid"]))):
            stale.append(Path(folder) / name)
    return stale


def sweep(folder: Path) -> list[Path]:
    """Remove the stale temporary files in ``folder`` (see :func:`stale_temporaries`); return those removed."""
    _SWEPT.add(os.path.abspath(folder))
    removed = []
    for path in stale_temporaries(folder):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _sweep_once(folder: Path) -> None:
    if os.path.abspath(folder) not in _SWEPT:
        sweep(folder)


def _commit(temporary: Path, destination: Path) -> None:
    with temporary.open("rb+") as written:
        os.fsync(written.fileno())
    os.chmod(temporary, _mode_for(destination))


@contextlib.contextmanager
def atomic_paths(destinations: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield a temporary path beside each destination; rename them all into place once the block succeeds.

    Nothing is renamed until every file is written and flushed, so a failure while writing any
    of them leaves every destination as it was, and the temporary files are removed.
    """
    temporaries: list[Path] = []
    try:
        for destination in map(Path, destinations):
            destination.parent.mkdir(parents=True, exist_ok=True)
            _sweep_once(destination.parent)
            temporaries.append(_temporary(destination))
        yield temporaries
        for temporary, destination in zip(temporaries, destinations, strict=True):
            _commit(temporary, Path(destination))
        for temporary, destination in zip(temporaries, destinations, strict=True):
            os.replace(temporary, destination)
    finally:
        for temporary in temporaries:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; rename it into place on success.

    Use this when a library (openpyxl, say) insists on writing to a path itself.
    """
    with atomic_paths([Path(destination)]) as (temporary,):
        yield temporary


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
