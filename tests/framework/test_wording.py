"""The catalogue against the legislation text: every numbered provision present, every statement in our own words.

The checking rules run on a small invented text of our own (same layout as the
legislation.gov.uk PDF text layer); the held tests run them on the real revised text of
SI 2015/541 in ../shared/data/legislation and skip when it is absent.
"""

from __future__ import annotations

import pytest

from regframe.core.resources import standards_dir
from regframe.framework import check_framework
from regframe.framework.model import Confidence
from regframe.framework.wording import clean_lines, copied, parse_provisions, shared_runs, uncovered, words
from regframe.revisions.revision import load_revision_framework
from tests.conftest import FIXTURES, shared_data

INVENTED = (FIXTURES / "legislation" / "invented_regs.txt").read_text(encoding="utf-8")
CHR_TEXT = ("legislation", "chr2015_revised_2024-05-21.txt")
#: The regulations the catalogue claims to cover down to every numbered limb (issue 17).
HELD = [*range(5, 15), 32, 33, 34, 35, 40, 44, 45]


def test_page_furniture_and_annotations_are_not_the_instrument():
    text = " ".join(line for _, line in clean_lines(INVENTED))
    assert "Document Generated" not in text and "See end of Document" not in text
    assert "enabling powers" not in text and "second line that must not" not in text  # a marginal citation
    assert "Invented (Amendment) Regulations" not in text  # a textual amendment
    assert " M1" not in text and "F1" not in text and "[" not in text


def test_each_numbered_provision_is_read_with_its_own_text():
    found = {p.ref: p.text for p in parse_provisions(INVENTED, [2, 3])}
    assert list(found) == [
        "reg 2", "reg 2(1)", "reg 2(1)(a)", "reg 2(1)(b)", "reg 2(2)", "reg 2(2)(a)", "reg 2(2)(a)(i)",
        "reg 2(2)(a)(ii)", "reg 2(2)(b)",
        "reg 3", "reg 3(1)", *(f"reg 3(1)({letter})" for letter in "abcdefghi"), "reg 3(2)",
    ]
    assert found["reg 2(1)(a)"] == "bright enough to read by at any hour of the evening or night; and"
    assert found["reg 2(2)(b)"] == "that spare wicks are kept."  # the page break after it is not its text
    assert words(found["reg 3(1)(i)"]) == ["the", "insurer", "in", "writing"]


def test_a_regulation_is_only_the_next_number_and_only_those_asked_for():
    found = parse_provisions(INVENTED, [2, 4])
    assert [p.ref for p in found if p.regulation == 4] == ["reg 4", "reg 4(a)"]
    assert {p.regulation for p in found} == {2, 4}  # the schedule's "1." and "2.—(1)" are not regulations
    assert [p.heading for p in found if not p.path] == ["The lantern standard", "Unmodelled"]


def test_a_provision_without_a_requirement_is_reported():
    provisions = parse_provisions(INVENTED, [2])
    ids = [p.requirement_id("inv") for p in provisions if p.ref != "reg 2(2)(a)(ii)"]
    assert [p.ref for p in uncovered(provisions, [i.upper() for i in ids], "inv")] == ["reg 2(2)(a)(ii)"]


def test_ten_shared_words_are_a_copy_and_nine_are_not():
    source = words("Staff check each lamp before sunset every single day of the week.")
    assert shared_runs("They CHECK each lamp, before sunset; every single day of the week!", source) == [
        "check each lamp before sunset every single day of the week"]
    assert shared_runs("Staff check each lamp before sunset every single day.", source) == []
    assert shared_runs("Lamps: check each lamp before sunset every single day of", source) == []


def test_copied_statements_are_named_with_their_runs():
    statements = [("inv.r2.2.a.i", "Staff check each lamp before sunset every single day of the week."),
                  ("inv.r2.2.b", "Spare wicks are kept in stock.")]
    assert copied(statements, INVENTED) == {
        "inv.r2.2.a.i": ["check each lamp before sunset every single day of the week"]}


# ------------------------------------------------------------------ held: the real revised text


@pytest.fixture(scope="module")
def chr_text():
    return shared_data(*CHR_TEXT).read_text(encoding="utf-8")


def _statements():
    """Every statement of the shipped framework, then each one a shipped revision adds or changes."""
    framework, problems = check_framework()
    assert problems == []
    base = {(r.id, r.statement) for r in framework.requirements()}
    yield from sorted(base)
    for path in sorted((standards_dir() / "revisions").glob("*.xml")):
        revised = load_revision_framework(path)
        yield from ((f"{path.name}:{r.id}", r.statement) for r in revised.requirements() if (r.id, r.statement) not in base)


def test_every_numbered_provision_of_the_held_regulations_has_a_requirement(chr_text):
    provisions = parse_provisions(chr_text, HELD)
    framework, _ = check_framework()
    missing = uncovered(provisions, (r.id for r in framework.requirements()), "chr2015")
    assert [p.ref for p in missing] == []
    assert len(provisions) == 303


def test_no_statement_repeats_ten_words_of_the_regulations(chr_text):
    assert copied(_statements(), chr_text) == {}


def test_every_catalogued_provision_found_in_the_revised_text_is_confirmed(chr_text):
    found = {p.requirement_id("chr2015") for p in parse_provisions(chr_text, range(1, 53))}
    framework, _ = check_framework()
    chr2015 = [r for r in framework.requirements() if r.instrument == "chr2015"]
    assert [r.id for r in chr2015 if r.id in found and r.confidence is not Confidence.CONFIRMED] == []
    assert [r.id for r in chr2015 if r.id not in found] == ["chr2015.sch1", "chr2015.sch2", "chr2015.sch3", "chr2015.sch4"]
