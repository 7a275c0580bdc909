"""SSDA903 extracts fuzzed: the CSV tables (episodes and the reviews beside them) and the XML return."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.budget import fuzz, verdict
from tests.fuzz.mutate import csv_line, damaged, field
from tests.fuzz.reading import assert_located, read_files, rejected

EPISODE_HEADER = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                  "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN", "PL_DISTANCE", "PL_LA"]
#: the record every example keeps: a child in a children's home from 1 April 2022
KEEP = ["KEEP1", "01/04/2022", "S", "C2", "N2", "K2", "PR4", "", "", "", "AB1 2CD", "YZ9 8XW", "SC100001", "12.0",
        "E08000017"]
KEEP_REVIEW = ["KEEP1", "01/06/2022", "PN1"]

EPISODE = st.lists(st.tuples(
    field("1002", "1003"), field("15/05/2023", "2023-05-15", "01/04/2022"), field("S", "L"), field("C2", "V2", "J1"),
    field("N1", "N9"), field("K2", "K1", "S1", "U4", "Z1", "Z11", "R2", "H5", "K3"), field("PR4", "PR1", "PR0"),
    field("", "01/10/2024", "01/01/2020"), field("", "X1"), field("", "STAND"), field("AB1 2CD"), field("YZ9 8XW"),
    field("SC100002", "123456", "1234567", "XXXXXXX", ""), field("", "3.5", "-2"), field("", "E08000017"),
).map(list), min_size=1, max_size=5)
REVIEW = st.lists(st.tuples(field("KEEP1", "1002"), field("01/07/2022", "15/06/2023"), field("PN1", "PN0", "PN9"))
                  .map(list), min_size=1, max_size=5)


def _table(header: list[str], keep: list[str], rows: list[list[str]]) -> tuple[bytes, int]:
    """The table's bytes, and where the rows after the kept one start (damage goes from there)."""
    head = (csv_line(header) + csv_line(keep)).encode("utf-8")
    return head + "".join(csv_line(r) for r in rows).encode("utf-8", "surrogatepass"), len(head)


def _kept_placement(evidence) -> bool:
    return any(p.setting == "SC100001" and p.start == dt.date(2022, 4, 1) for p in evidence.placements)


@fuzz("ssda903-csv")
@given(episodes=EPISODE, reviews=REVIEW, which=st.sampled_from(("episodes", "reviews", "both")), data=st.data())
def test_ssda903_csv(episodes, reviews, which, data):
    episode_bytes, episode_start = _table(EPISODE_HEADER, KEEP, episodes)
    review_bytes, review_start = _table(["CHILD", "REVIEW", "REVIEW_CODE"], KEEP_REVIEW, reviews)
    if which in ("episodes", "both"):
        episode_bytes = data.draw(damaged(episode_bytes, episode_start))
    if which in ("reviews", "both"):
        review_bytes = data.draw(damaged(review_bytes, review_start))
    with read_files({"episodes.csv": episode_bytes, "reviews.csv": review_bytes}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        assert _kept_placement(evidence), "the valid episode before the damaged rows was lost"
        assert any(i.kind == "ek.iro-review" and i.observed == dt.date(2022, 6, 1) and i.setting == "SC100001"
                   for i in evidence.items), "the valid review before the damaged rows was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))


def _element(name: str, text: str) -> str:
    return f"<{name}>{escape(text)}</{name}>"


def _child(child: str, episode: list[str], review: tuple[str, str]) -> str:
    fields = dict(zip(EPISODE_HEADER, episode, strict=True))
    fields["PL"] = fields.pop("PLACE")
    body = "".join(_element(name, value) for name, value in fields.items() if name != "CHILD")
    return (f"<CHILD><HEADER>{_element('CHILDID', child)}<SEX>1</SEX><DOB>01/01/2010</DOB>"
            f"<AREVIEW>{_element('REVIEW', review[0])}{_element('REVIEW_CODE', review[1])}</AREVIEW></HEADER>"
            f"<EPISODE>{body}</EPISODE></CHILD>\n")


@fuzz("ssda903-xml")
@given(episodes=EPISODE, reviews=st.lists(st.tuples(field("01/07/2022", "15/06/2023"), field("PN1", "PN0")),
                                          min_size=5, max_size=5),
       whole=st.booleans(), data=st.data())
def test_ssda903_xml(episodes, reviews, whole, data):
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<EXPSSDA903>\n'
            + _child("KEEP1", KEEP, ("01/06/2022", "PN1"))).encode("utf-8")
    body = "".join(_child(e[0], e, r) for e, r in zip(episodes, reviews, strict=False)) + "</EXPSSDA903>\n"
    document = head + body.encode("utf-8", "surrogatepass")
    document = data.draw(damaged(document, 0 if whole else len(head)))
    with read_files({"return.xml": document}) as (evidence, folder):
        assert_located(evidence.diagnostics, folder)
        if not whole:
            assert _kept_placement(evidence), "the valid child before the damaged ones was lost"
        assert all(f.accounted for f in evidence.inputs)
        verdict(rejected(evidence))
