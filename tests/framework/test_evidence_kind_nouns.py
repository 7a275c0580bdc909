"""An evidence kind as a sentence names it: its noun and plural from the vocabulary, else its title."""

from __future__ import annotations

import pytest

import regframe
from regframe.framework.catalogue import read_file, write_file
from regframe.framework.graph import build_graph
from regframe.framework.model import EvidenceKind, Independence, Vocabulary

SHIPPED = build_graph(regframe.load_framework())


@pytest.mark.parametrize(("count", "words"), [(1, "notification of a serious event"),
                                              (0, "notifications of a serious event"),
                                              (3, "notifications of a serious event")])
def test_a_kind_with_a_noun_is_named_by_it_and_its_plural(count, words):
    kind = EvidenceKind("ek.n", "Notification of a serious event", "d", Independence.PROVIDER,
                        noun="notification of a serious event", plural="notifications of a serious event")
    assert kind.named(count) == words


def test_a_kind_without_a_noun_is_named_by_its_title_as_written():
    kind = EvidenceKind("ek.c", "Complaint", "d", Independence.INDEPENDENT)
    assert (kind.named(1), kind.named(2)) == ("Complaint", "Complaints")


@pytest.mark.parametrize(("kind_id", "one", "many"), [
    ("ek.restraint-record", "restraint or behaviour-management record", "restraint or behaviour-management records"),
    ("ek.lado-referral", "LADO referral", "LADO referrals"),
    ("ek.reg40-notification", "notification of a serious event", "notifications of serious events"),
    ("ek.iro-review", "looked-after child review chaired by the IRO", "looked-after child reviews chaired by the IRO"),
    ("ek.statement-of-purpose", "statement of purpose", "statements of purpose"),
    ("ek.independent-visitor-report", "independent visitor's monitoring report",
     "independent visitor's monitoring reports"),
])
def test_the_shipped_kinds_read_as_english_mid_sentence(kind_id, one, many):
    kind = SHIPPED.evidence_kind(kind_id)
    assert (kind.named(1), kind.named(7)) == (one, many)


def test_every_shipped_kind_has_a_noun_and_a_plural():
    kinds = SHIPPED.framework.evidence_kinds()
    assert len(kinds) == 23
    assert [k.id for k in kinds if not (k.noun and k.plural)] == []


def test_a_noun_survives_writing_and_reading_the_vocabulary(tmp_path):
    kind = EvidenceKind("ek.n", "Notification", "d", Independence.PROVIDER, noun="notification",
                        plural="notifications")
    plain = EvidenceKind("ek.p", "Plain", "d", Independence.PROVIDER)
    path = tmp_path / "kinds.xml"
    write_file(Vocabulary("v", "1", "Kinds", (kind, plain)), path)
    read, problems = read_file(path)
    assert problems == []
    assert [(k.noun, k.plural) for k in read.evidence_kinds] == [("notification", "notifications"), ("", "")]


def test_a_noun_comes_with_its_plural():
    with pytest.raises(ValueError, match="noun and a plural"):
        EvidenceKind("ek.n", "Notice", "d", Independence.PROVIDER, noun="notice")
    with pytest.raises(ValueError, match="noun and a plural"):
        EvidenceKind("ek.n", "Notice", "d", Independence.PROVIDER, plural="notices")


def test_the_schema_refuses_a_noun_without_its_plural(tmp_path):
    path = tmp_path / "kinds.xml"
    path.write_text('<vocabulary xmlns="urn:x-regframe:catalogue:1" id="v" version="1"><title>Kinds</title>'
                    '<evidence-kind id="ek.n" independence="provider"><title>Notice</title><noun>notice</noun>'
                    '<description>d</description></evidence-kind></vocabulary>')
    read, problems = read_file(path)
    assert read.evidence_kinds == ()  # the kind is refused, the vocabulary kept
    assert [(p.code, str(p.location), p.message) for p in problems] == [
        ("RF104", f"{path}:1", "Element 'noun': The attribute 'plural' is required but missing.")]
