"""Ofsted's provider-level CSV fuzzed: rows with hostile cells, then the bytes damaged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.budget import fuzz, verdict
from tests.fuzz.mutate import csv_line, damaged, field
from tests.fuzz.reading import assert_located, read_files, rejected
from tests.small_inputs import OFSTED_HEADER, ofsted_row

TITLE = ["Children's social care providers and inspections as at 31 March 2024"]
KEEP = ofsted_row("SC100001", "Keep Ltd")

ROW = st.tuples(
    field("Ofsted Social Care Provider Webpage"), field("SC100002", "1234567", "SC12", "sc100003"), field("", "145678"),
    field("Children's home", "Residential special school", "Secure children's home", "Adoption support agency"),
    field("01/04/2015", "2015-04-01", "31/02/2015"), field("Active", "Resigned", "Closed"), field("REDACTED", "Home"),
    field("Leeds"), field("Private", "Local authority"), field("4", "0", "12"), field("Acme Ltd"),
    field("Full inspection", "Interim inspection", "Monitoring visit", "Assurance"),
    field("10/01/2024", "", "01/01/2099"), field("1", "EV123"),
    field("Good", "Outstanding", "Requires improvement to be good", "Inadequate", "Met", "Not met"),
    field("Good", "Inadequate"), field("Good", "Outstanding"),
).map(list)


@fuzz("ofsted-csv")
@given(rows=st.lists(ROW, min_size=1, max_size=6), title=st.booleans(), whole=st.booleans(), data=st.data())
def test_ofsted_csv(rows, title, whole, data):
    head = "".join(csv_line(r) for r in ([TITLE] if title else []) + [OFSTED_HEADER, KEEP]).encode("utf-8")
    document = head + "".join(csv_line(r) for r in rows).encode("utf-8", "surrogatepass")
    document = data.draw(damaged(document, 0 if whole else len(head)))
    with read_files({"providers.csv": document}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        if not whole:
            assert "SC100001" in evidence.settings, "the valid row before the damaged rows was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))
