"""Asking the file system about a path that may be hostile: an answer, never an exception.

``Path.is_file`` and ``Path.is_dir`` raise :class:`OSError` for a name longer than the system
allows (``File name too long``) or a folder that cannot be searched, where they return ``False``
for one that does not exist. A path from a command line, a manifest's ``<include href>`` or a
revision's ``base`` can be any of those, so regframe asks through here and says, where it
matters, why a path cannot be used.
"""

from __future__ import annotations

from pathlib import Path


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file that can be looked up (``False`` for a name the system refuses)."""
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder that can be looked up (``False`` for a name the system refuses)."""
    try:
        return path.is_dir()
    except OSError:
        return False
