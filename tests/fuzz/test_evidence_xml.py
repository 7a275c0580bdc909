"""Evidence XML fuzzed: records with hostile attribute values, then the bytes damaged."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.budget import fuzz, verdict
from tests.fuzz.mutate import damaged, field
from tests.fuzz.reading import assert_located, read_files, rejected

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<evidence xmlns="urn:x-regframe:evidence:1" version="1" created="2024-01-15">\n'
        '<setting urn="SC123456" kind="childrens-home" places="4"/>\n'
        '<item id="keep-1" setting="SC123456" source="ofsted" kind="ek.ofsted-judgement" observed="2023-06-12" '
        'grade="good" refs="sccif-ch.protect"/>\n')

#: each record's attributes and some values it may take (hostile ones are added by ``field``)
RECORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "setting": {"urn": ("SC123457", "1234567", "SC1"), "kind": ("childrens-home", "rss-childrens-home", "x"),
                "places": ("4", "0"), "registered": ("2016-05-01",), "closed": ("2024-01-01",),
                "education-urn": ("145678",), "cqc-location": ("1-1234567890",), "la": ("Leeds",)},
    "placement": {"child": ("CHILD-0001",), "la": ("E08000035", "901"), "setting": ("SC123456",),
                  "start": ("2023-01-09",), "end": ("2023-06-01",), "weeks": ("52",), "distance": ("42.5",),
                  "ehc-plan": ("true", "false"), "looked-after": ("true",), "legal-status": ("C2",)},
    "item": {"id": ("a-1", "keep-1"), "setting": ("SC123456", "SC999999"), "source": ("ofsted", "cqc", "provider"),
             "kind": ("ek.ofsted-judgement", "ek.reg44-report", "EK.X"), "observed": ("2023-06-12",),
             "occurred": ("2023-06-01",), "grade": ("good", "outstanding"), "score": ("2", "5"),
             "outcome": ("met", "concern"), "action": ("ofsted-requirement",), "due": ("2023-07-31",),
             "closed": ("2023-08-01", "true"), "refs": ("Regulation 35(3)(a)", "sccif-ch.protect"),
             "child": ("CHILD-0001",), "child-la": ("E08000035",), "independence": ("independent",),
             "summary": ("a note",)},
    "metric": {"setting": ("SC123456",), "month": ("2023-06", "2023-13"), "metric": ("restraint-incidents",),
               "value": ("3", "0.5"), "source": ("provider",)},
}


@st.composite
def record(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(sorted(RECORDS)))
    names = draw(st.lists(st.sampled_from(sorted(RECORDS[tag])), unique=True, max_size=len(RECORDS[tag])))
    if draw(st.booleans()):
        names.append(draw(st.sampled_from(("occured", "xmlns:x", "bogus"))))
    attributes = " ".join(f"{name}={quoteattr(draw(field(*RECORDS[tag].get(name, ('',)))))}" for name in names)
    return f"<{tag} {attributes}/>\n"


@fuzz("evidence-xml")
@given(records=st.lists(record(), min_size=1, max_size=6), whole=st.booleans(), data=st.data())
def test_evidence_xml(records, whole, data):
    head = HEAD.encode("utf-8")
    document = head + ("".join(records) + "</evidence>\n").encode("utf-8", "surrogatepass")
    document = data.draw(damaged(document, 0 if whole else len(head)))
    with read_files({"evidence.xml": document}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        if not whole:
            assert any(i.id == "keep-1" and i.setting == "SC123456" for i in evidence.items), \
                "the valid item before the damaged records was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))
