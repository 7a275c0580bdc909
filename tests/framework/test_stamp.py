"""Stamping links with their target's fingerprint: in place, layout kept, and a later edit makes them suspect."""

from __future__ import annotations

import shutil

from regframe.framework import check_framework
from regframe.framework.model import statement_fingerprint
from regframe.framework.stamp import stamp_framework
from tests.conftest import FIXTURES

PROTECTED = statement_fingerprint("Children are protected from harm.")  # alpha.r1's statement


def test_stamping_fills_fingerprints_keeps_the_header_and_is_idempotent(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", folder)
    before = (folder / "alpha.xml").read_text().splitlines()
    changed = stamp_framework(folder / "framework.xml")
    # links to evidence kinds have no statement to fingerprint; links to requirements do
    assert {k.rsplit("/", 1)[-1]: v for k, v in changed.items()} == {"alpha.xml": 1, "beta.xml": 1, "crosswalk.xml": 2}
    after = (folder / "alpha.xml").read_text().splitlines()
    assert len(after) == len(before)
    assert [(b, a) for b, a in zip(before, after, strict=False) if a != b] == [
        ('    <link rel="part-of" target="alpha.r1"/>', f'    <link rel="part-of" target="alpha.r1" fingerprint="{PROTECTED}"/>')]
    assert stamp_framework(folder / "framework.xml") == {}
    _, problems = check_framework(folder / "framework.xml")
    assert [p.code for p in problems] == []  # the fixture's deliberately stale crosswalk link was re-stamped


def test_a_changed_statement_makes_stamped_links_into_it_suspect(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", folder)
    stamp_framework(folder / "framework.xml")
    alpha = folder / "alpha.xml"
    alpha.write_text(alpha.read_text().replace("Children are protected from harm.", "Children are kept safe from harm."))
    _, problems = check_framework(folder / "framework.xml")
    assert sorted((p.code, p.message.split(":")[0]) for p in problems) == [
        ("RF206", "alpha.r1.a part-of alpha.r1")]


def test_only_missing_leaves_existing_fingerprints_alone(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", folder)
    changed = stamp_framework(folder / "framework.xml", only_missing=True)
    assert {k.rsplit("/", 1)[-1]: v for k, v in changed.items()} == {"alpha.xml": 1, "beta.xml": 1, "crosswalk.xml": 1}
    _, problems = check_framework(folder / "framework.xml")
    assert [p.code for p in problems] == ["RF206"]
