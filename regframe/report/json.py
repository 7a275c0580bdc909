"""The assessment as JSON, for inspection software: deterministic, atomic, described by a shipped schema.

The document is :class:`~regframe.assess.results.Assessment` unstructured by the
shared converter (:mod:`regframe.framework.converter`): dates as ISO strings, enums as
their values, ``None`` and empty lists kept so the shape never varies. Keys
are sorted; lists that are sets in disguise (a finding's flags and evidence
ids, a setting's unevidenced requirements, a lens entry's ids, a provider
group's settings) are written sorted, so the same assessment gives the same
bytes whatever order its builder collected them in. Ordered lists (settings
worst first, findings, reasons, inputs, notes) keep the assessment's order.
No timestamp is written. The schema is ``assessment.schema.json`` beside this
module (JSON Schema draft 2020-12); :func:`schema` loads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from regframe.assess.results import Assessment, Flag
from regframe.core.atomic import atomic_path
from regframe.framework.converter import converter

SCHEMA_RESOURCE = "assessment.schema.json"
_FLAG_ORDER = {flag.value: index for index, flag in enumerate(Flag)}


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _normalise_setting(data: dict[str, Any]) -> dict[str, Any]:
    for finding in data["findings"]:
        finding["flags"] = sorted(finding["flags"], key=_FLAG_ORDER.__getitem__)
        finding["evidence"] = sorted(finding["evidence"])
    data["no_evidence"] = sorted(data["no_evidence"])
    for entry in data["lens"]:
        for key in ("failing", "at_risk", "indicators"):
            entry[key] = sorted(entry[key])
    return data


def _normalise_closed(data: dict[str, Any]) -> dict[str, Any]:
    if data["assessment"] is not None:
        _normalise_setting(data["assessment"])
    return data


def _normalise_group(data: dict[str, Any]) -> dict[str, Any]:
    data["settings"] = sorted(data["settings"])
    data["settings_with_failings"] = sorted(data["settings_with_failings"])
    return data


def iter_json(assessment: Assessment) -> Iterator[str]:
    """The document in pieces, keys sorted, one setting (or evidence item) per line: no giant string is built."""
    head = converter.unstructure(attrs.evolve(assessment, settings=(), groups=(), evidence=(), closed=()))
    streamed = {
        "settings": lambda: (_normalise_setting(converter.unstructure(s)) for s in assessment.settings),
        "closed": lambda: (_normalise_closed(converter.unstructure(c)) for c in assessment.closed),
        "groups": lambda: (_normalise_group(converter.unstructure(g)) for g in assessment.groups),
        "evidence": lambda: (converter.unstructure(e) for e in assessment.evidence),
    }
    yield "{"
    for index, key in enumerate(sorted(head)):
        yield ("," if index else "") + "\n" + _dumps(key) + ":"
        if key in streamed:
            yield "["
            empty = True
            for position, item in enumerate(streamed[key]()):
                yield ("," if position else "") + "\n" + _dumps(item)
                empty = False
            yield "]" if empty else "\n]"
        else:
            yield _dumps(head[key])
    yield "\n}\n"


def assessment_to_json(assessment: Assessment) -> str:
    """The JSON document as one string (UTF-8 text, keys sorted, ending in a newline)."""
    return "".join(iter_json(assessment))


def write_json(assessment: Assessment, path: str | Path) -> Path:
    """Write the JSON document to ``path`` atomically, in UTF-8; return the path."""
    path = Path(path)
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        buffer: list[str] = []
        size = 0
        for piece in iter_json(assessment):
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                stream.write("".join(buffer))
                buffer, size = [], 0
        stream.write("".join(buffer))
    return path


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) the document follows, shipped with the package."""
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)
