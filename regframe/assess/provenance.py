"""The user's folders stay theirs: an assessment names every input by its file name, never by its path.

A report travels (an email to a director, a file shared with a regulator), and the
folders it was made from say who made it and where they keep children's data. So
the :class:`~regframe.assess.results.Assessment` every report is written from holds
each input's file name and SHA-256 (the digest identifies the file exactly, where
two folders hold files of the same name), and each item's provenance as
``name:line`` or ``name!sheet!cell``. Messages that name a file (a diagnostic
saying which file repeats which) are rewritten the same way. This is done once,
where the assessment is built, so the JSON, the workbook and the profiles agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import PurePath

import attrs

from regframe.core.diagnostics import Diagnostic, Location
from regframe.evidence.model import InputFile, Setting


@functools.lru_cache(maxsize=1024)
def file_name(path: str) -> str:
    """The last part of ``path`` (``path`` itself when it has none, as ``""`` or ``"<input>"``).

    Kept for the few paths a run reads: every item an assessment's findings rest on is named
    by its file's name, and parsing the same path for each of them cost a tenth of a second
    in a national run.
    """
    return PurePath(path).name or path


class FileNames:
    """Rewrites the paths of known files as their file names, in locations and in free text.

    ``paths`` are the files an assessment read or tried to read. In text, a folder of one
    of them is removed where it starts a path (after a space, a quote, a bracket or the
    start of the text), so ``/home/ana/returns/la-return.xlsx!Sheet!B4`` becomes
    ``la-return.xlsx!Sheet!B4``; a folder on its own becomes its last part.
    """

    def __init__(self, paths: Iterable[str]) -> None:
        folders = {str(PurePath(p).parent) for p in paths if p and PurePath(p).name}
        folders -= {".", ""}
        # longest first, so /a/b/c is removed before /a/b
        self._folders = sorted(folders, key=lambda f: (-len(f), f))
        self._pattern = re.compile(
            r"(?<![\w.~/\\-])(" + "|".join(re.escape(f) for f in self._folders) + r")(?:[/\\]|(?![\w.-]))"
        ) if self._folders else None

    def text(self, text: str) -> str:
        """``text`` with every known folder removed from the paths it names."""
        if self._pattern is None or not text:
            return text

        def replace(match: re.Match[str]) -> str:
            whole = match.group(0)
            return "" if whole[-1:] in ("/", "\\") else file_name(match.group(1))

        return self._pattern.sub(replace, text)

    def location(self, location: Location | None) -> Location | None:
        """``location`` naming its file by name."""
        if location is None or not location.file:
            return location
        # built field by field: attrs.evolve looks the fields up each time, and this runs for every item used
        return Location(file=file_name(location.file), line=location.line, column=location.column,
                        sheet=location.sheet, cell=location.cell, row=location.row, path=location.path)

    def location_text(self, location: Location) -> str:
        """``str(self.location(location))``, without making the location (this runs for every item used)."""
        return location.text(file_name(location.file)) if location.file else str(location)

    def diagnostic(self, diagnostic: Diagnostic) -> Diagnostic:
        location = self.location(diagnostic.location) or diagnostic.location
        return attrs.evolve(diagnostic, message=self.text(diagnostic.message), location=location)

    def input_file(self, found: InputFile) -> InputFile:
        return attrs.evolve(found, path=file_name(found.path))

    def setting(self, setting: Setting) -> Setting:
        if setting.provenance is None or not setting.provenance.file:
            return setting
        return attrs.evolve(setting, provenance=self.location(setting.provenance))

    @classmethod
    def of(cls, inputs: Iterable[InputFile], diagnostics: Iterable[Diagnostic]) -> FileNames:
        """The names of the files read (``inputs``) and of those named by problems (a file that could not be read)."""
        return cls([*(i.path for i in inputs), *(d.location.file for d in diagnostics if d.location.file)])
