"""Writing a report's workbook and JSON as one: both complete before either replaces the file it is written over.

A run asked for ``-o report.xlsx --json report.json`` (and ``--jsonl``) writes each into a temporary file
beside its destination, and renames them into place only once both are whole
(:func:`regframe.core.atomic.atomic_paths`). A failure while writing either (a full disk,
an exception, Ctrl-C, ``SIGTERM``) leaves both previous files as they were and no temporary
file behind. Only a process killed outright between the two renames can leave a new
workbook beside the previous JSON; the two then carry different run ids
(:mod:`regframe.report.runid`), so a reader can tell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from regframe.assess.results import Assessment
from regframe.core.atomic import atomic_paths
from regframe.framework.graph import RequirementGraph
from regframe.report.findings import write_jsonl_into
from regframe.report.json import write_json_into
from regframe.report.xlsx import write_xlsx_into


def write_report_files(assessment: Assessment, graph: RequirementGraph, xlsx: str | Path,
                       json: str | Path | None = None, jsonl: str | Path | None = None) -> list[Path]:
    """Write the workbook (and the JSON and the JSON Lines, where given) as one; return the paths written."""
    writers: list[tuple[Path, Callable[[Path], None]]] = [(Path(xlsx), lambda t: write_xlsx_into(assessment, graph, t))]
    if json is not None:
        writers.append((Path(json), lambda t: write_json_into(assessment, t)))
    if jsonl is not None:
        writers.append((Path(jsonl), lambda t: write_jsonl_into(assessment, t)))
    destinations = [destination for destination, _ in writers]
    with atomic_paths(destinations) as temporaries:
        for (_, write), temporary in zip(writers, temporaries, strict=True):
            write(temporary)
    return destinations
