"""CQC's API location records (a JSON document, JSON Lines) and the URN to CQC location link file, fuzzed."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.fuzz.budget import fuzz, verdict
from tests.fuzz.mutate import HOSTILE_TEXT, csv_line, damaged, field
from tests.fuzz.reading import assert_located, read_files, rejected

#: the record every example keeps (in scope: a care home for children, rated)
KEEP: dict[str, Any] = json.loads((FIXTURES / "cqc" / "location.json").read_text(encoding="utf-8"))
KEEP_ID = KEEP["locationId"]

LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**40, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(HOSTILE_TEXT), st.text(max_size=12),
    st.sampled_from(("2025-10-01", "2025-13-01", "Good", "Inadequate", "Y", "N", "Location", "Provider", "RA2",
                     "Caring for children", "1-900000102", "-1", "³")),
)
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
#: JSON text no encoder writes but a file may hold
RAW = st.sampled_from(('{"locationId": "1-9", "locationId": "1-8"}', "[" * 20_000, '{"a": ' * 5000, "NaN",
                       '{"locationId": 1e400}', '{"locationId": "' + "9" * 5000 + '"}', '"\\ud800"',
                       '{"locationId": "\\u0000"}', "{}", "[]", "null", '{"locationId": -0}'))


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*at, index))
    return found


PATHS = _paths(KEEP)[1:]


@st.composite
def record(draw: st.DrawFn) -> dict[str, Any]:
    """The kept record with one to three values replaced (or keys removed), under a new location id."""
    changed = json.loads(json.dumps(KEEP))
    changed["locationId"] = draw(field("1-900000102", "1-900000103", KEEP_ID))
    for path in draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3)):
        holder: Any = changed
        try:
            for step in path[:-1]:
                holder = holder[step]
            if draw(st.booleans()) and isinstance(holder, dict):
                holder.pop(path[-1], None)
            else:
                holder[path[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):  # an earlier change took the path away
            continue
    return changed


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


@fuzz("cqc-json")
@given(records=st.lists(st.one_of(record(), VALUES), min_size=1, max_size=4), data=st.data())
def test_cqc_json_document(records, data):
    document = _line([KEEP, *records]).encode("utf-8", "surrogatepass")
    if data.draw(st.booleans()):
        document = data.draw(damaged(document))  # the one document is then lost or kept whole: no kept check
        kept_whole = False
    else:
        kept_whole = True
    with read_files({"locations.json": document}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        if kept_whole:
            assert KEEP_ID in evidence.settings, "the valid record beside the broken ones was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))


@fuzz("cqc-jsonl")
@given(records=st.lists(st.one_of(record().map(_line), VALUES.map(_line), RAW), min_size=1, max_size=5),
       data=st.data())
def test_cqc_json_lines(records, data):
    head = (_line(KEEP) + "\n").encode("utf-8")
    document = head + "\n".join(records).encode("utf-8", "surrogatepass") + b"\n"
    document = data.draw(damaged(document, len(head)))
    with read_files({"locations.jsonl": document}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        if evidence.inputs and evidence.inputs[0].format == "cqc-api":
            assert KEEP_ID in evidence.settings, "the valid line before the broken ones was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))


LINK_ROW = st.tuples(field("SC123456", "1234567", "sc100002 ", "SC12345"), field("1-900000101", "RH8Q6", " 1-9 ", ""),
                     field("a note", "")).map(list)


@fuzz("cqc-link")
@given(rows=st.lists(LINK_ROW, min_size=1, max_size=6), data=st.data())
def test_cqc_link_file(rows, data):
    head = (csv_line(["URN", "CQC location ID", "Note"]) + csv_line(["SC100001", "1-900000999", "kept"])).encode("utf-8")
    document = head + "".join(csv_line(r) for r in rows).encode("utf-8", "surrogatepass")
    document = data.draw(damaged(document, len(head)))
    with read_files({"links.csv": document}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        assert any(link.urn == "SC100001" and link.location_id == "1-900000999" for link in evidence.cqc_links), \
            "the valid link before the damaged rows was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))
