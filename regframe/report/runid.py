"""The run id a report's files share, so a reader can tell whether an xlsx and a JSON were written together.

``regframe report -o report.xlsx --json report.json --jsonl findings.jsonl`` writes three files.
All are written in full before any is renamed into place (:func:`regframe.core.atomic.atomic_paths`),
but a process killed between two renames leaves a new workbook beside the previous JSON; and
``--profiles`` pages, or pages ``regframe profile`` wrote on another day, sit beside them in a
folder. Each file therefore carries a run id: the workbook on its About sheet and as its
document identifier, the JSON as its top-level ``run_id``, every line of the JSON Lines as its
``run_id`` field, and a profile page in ``<meta name="regframe-run-id">`` (and its footer).
Equal ids mean the files describe the same assessment; :func:`other_runs` names the files of
a set that do not.

The id is derived from what the assessment rests on, never from the clock, so reports stay
deterministic: the SHA-256 of every input file (sorted, so the order files were given in does
not matter), the ``as_at`` date, the framework's id and version, and regframe's version (a
new release may assess the same inputs differently). Options that change what is read
without changing a file (the pseudonym key, ``--la``) are not part of it.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from regframe.assess.results import Assessment
from regframe.io import xmlsafe

#: hexadecimal characters of the SHA-256 kept: 128 bits, more than enough to tell runs apart
LENGTH = 32
_JSON_KEY = '"run_id":'
#: the element a profile page carries its run id in (``templates/profile.html.j2``)
HTML_META = "regframe-run-id"
_HTML_META = re.compile(f'<meta name="{HTML_META}" content="([0-9a-f]+)">')
_HTML_HEAD_END = "</head>"
#: the longest first line read from a JSON Lines file (a finding line is a few kilobytes at most)
_LINE_LIMIT = 1 << 24
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
    """The run id written in a report file, or ``None`` if it has none.

    The workbook (its document identifier), the JSON report (its top-level key), the JSON Lines
    report (the first line's ``run_id``; an empty file has none) or a profile page (its ``<meta>``).
    Nothing is parsed whole: the JSON is scanned line by line for its top-level key (the writer
    puts each on a line of its own, and a string value cannot hold a raw line break), the JSON
    Lines' first line is read, and the page is read up to the end of its head.
    """
    path = Path(path)
    with path.open("rb") as handle:
        start = handle.read(2)
    if start == b"PK":
        return _workbook_run_id(path)
    if start[:1] == b"<":
        return _page_run_id(path)
    with path.open(encoding="utf-8") as handle:
        first = handle.readline(_LINE_LIMIT)
        found = _jsonl_run_id(first)
        if found is not None:
            return found
        for line in handle:
            if line.startswith(_JSON_KEY):
                return line[len(_JSON_KEY):].strip().rstrip(",").strip('"')
    return None


def other_runs(reference: str | Path, others: Iterable[str | Path]) -> list[Path]:
    """The files among ``others`` that are not of ``reference``'s run (a file with no run id among them).

    For the files one run wrote (``report -o X --json Y --jsonl Z --profiles DIR``): an empty list
    means all describe the same assessment as ``reference``; a file named is stale, left by an earlier
    run, or not a regframe report. A ``reference`` with no run id makes every other file stale.
    """
    expected = read_run_id(reference)
    return [Path(other) for other in others if expected is None or read_run_id(other) != expected]


def _jsonl_run_id(first: str) -> str | None:
    """The ``run_id`` of a JSON Lines report's first line, or ``None`` if the line is not one finding."""
    if not first.startswith("{") or not first.rstrip().endswith("}"):
        return None  # the JSON report's first line is a lone brace
    try:
        record = json.loads(first)
    except ValueError:
        return None
    found = record.get("run_id") if isinstance(record, dict) else None
    return found if isinstance(found, str) else None


def _page_run_id(path: Path) -> str | None:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            found = _HTML_META.search(line)
            if found is not None:
                return found.group(1)
            if _HTML_HEAD_END in line:
                break
    return None


def _workbook_run_id(path: Path) -> str | None:
    with zipfile.ZipFile(path) as archive:
        core = archive.read(_CORE_PART)
    tree, _problems = xmlsafe.parse_bytes(core, f"{path}!{_CORE_PART}")
    if tree is None:
        return None
    found = tree.getroot().find(_IDENTIFIER)
    return found.text if found is not None and found.text else None
