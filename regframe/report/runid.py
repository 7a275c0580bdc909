"""The run id a report's files share, so a reader can tell whether an xlsx and a JSON were written together.

``regframe report -o report.xlsx --json report.json`` writes two files. Both are written in
full before either is renamed into place (:func:`regframe.core.atomic.atomic_paths`), but a
process killed between the two renames leaves a new workbook beside the previous JSON. Each
file therefore carries a run id (the workbook on its About sheet and as its document
identifier, the JSON as its top-level ``run_id``): equal ids mean the files describe the same
assessment.

The id is derived from what the assessment rests on, never from the clock, so reports stay
deterministic: the SHA-256 of every input file (sorted, so the order files were given in does
not matter), the ``as_at`` date, the framework's id and version, and regframe's version (a
new release may assess the same inputs differently). Options that change what is read
without changing a file (the pseudonym key, ``--la``) are not part of it.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from regframe.assess.results import Assessment
from regframe.io import xmlsafe

#: hexadecimal characters of the SHA-256 kept: 128 bits, more than enough to tell runs apart
LENGTH = 32
_JSON_KEY = '"run_id":'
_CORE_PART = "docProps/core.xml"
_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"


def run_id(assessment: Assessment) -> str:
    """The assessment's run id (see the module's documentation for what goes into it)."""
    digest = hashlib.sha256()
    for sha256 in sorted(i.sha256 for i in assessment.inputs):
        digest.update(f"input {sha256}\n".encode())
    digest.update(f"as_at {assessment.as_at.isoformat()}\n".encode())
    digest.update(f"framework {assessment.framework} {assessment.framework_version}\n".encode())
    digest.update(f"regframe {assessment.regframe_version}\n".encode())
    return digest.hexdigest()[:LENGTH]


def read_run_id(path: str | Path) -> str | None:
    """The run id written in a report file (the JSON or the workbook), or ``None`` if it has none.

    The JSON is scanned line by line for its top-level key (the writer puts each on a line of its
    own, and a string value cannot hold a raw line break), so a large report is not parsed whole.
    """
    path = Path(path)
    with path.open("rb") as handle:
        start = handle.read(2)
    if start == b"PK":
        return _workbook_run_id(path)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(_JSON_KEY):
                return line[len(_JSON_KEY):].strip().rstrip(",").strip('"')
    return None


def _workbook_run_id(path: Path) -> str | None:
    with zipfile.ZipFile(path) as archive:
        core = archive.read(_CORE_PART)
    tree, _problems = xmlsafe.parse_bytes(core, f"{path}!{_CORE_PART}")
    if tree is None:
        return None
    found = tree.getroot().find(_IDENTIFIER)
    return found.text if found is not None and found.text else None
