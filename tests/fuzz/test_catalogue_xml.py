"""Catalogue and revision XML fuzzed: a value of the fixture framework made hostile, then the bytes damaged.

The fixture framework (``tests/fixtures/catalogue``) and a revision of it are copied, one file is
changed (an attribute or an element's text given a hostile value: an ``<include href>`` or a
revision's ``base`` of 300 characters, a date that is no date...), and the framework, the revision
and ``regframe validate``'s checks are run on the copy.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from regframe.cli.validate import check_paths
from regframe.framework.loading import check_framework
from regframe.revisions.revision import check_revision
from tests.conftest import FIXTURES
from tests.fuzz.budget import fuzz, verdict
from tests.fuzz.mutate import damaged, hostile_text
from tests.fuzz.reading import assert_located, written

CATALOGUE = FIXTURES / "catalogue"
REVISION = FIXTURES / "revisions" / "modify.xml"
FILES = {f"catalogue/{p.name}": p.read_bytes() for p in sorted(CATALOGUE.glob("*.xml"))}
FILES["revisions/modify.xml"] = REVISION.read_bytes()


def _places(data: bytes) -> list[tuple[int, str | None]]:
    """Every value of a document that could be changed: (element index, attribute name or None for its text)."""
    root = etree.fromstring(data)
    return [(index, name) for index, element in enumerate(root.iter()) if isinstance(element.tag, str)
            for name in (*element.attrib, None)]


PLACES = {name: _places(data) for name, data in FILES.items()}


def _changed(data: bytes, index: int, attribute: str | None, value: str) -> bytes:
    root = etree.fromstring(data)
    element = [e for e in root.iter() if isinstance(e.tag, str)][index]
    try:
        if attribute is None:
            element.text = value
        else:
            element.set(attribute, value)
    except ValueError:  # text lxml cannot hold (a NUL, a surrogate): written raw instead
        return data.replace(b">", b">" + value.encode("utf-8", "surrogatepass"), 1)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


@st.composite
def framework_files(draw: st.DrawFn) -> dict[str, bytes]:
    files = dict(FILES)
    target = draw(st.sampled_from(sorted(files)))
    index, attribute = draw(st.sampled_from(PLACES[target]))
    value = draw(st.one_of(hostile_text(), st.sampled_from(("x" * 300, "../" * 100 + "a.xml", "/", ".", "a" * 255))))
    files[target] = _changed(files[target], index, attribute, value)
    if draw(st.booleans()):
        files[target] = draw(damaged(files[target]))
    return files


@fuzz("catalogue-xml")
@given(files=framework_files())
def test_catalogue_and_revision_xml(files):
    with written(files) as folder:
        _framework, problems = check_framework(folder / "catalogue" / "framework.xml")
        _revised, revision_problems = check_revision(folder / "revisions" / "modify.xml")
        validated, _notes = check_paths([folder / "catalogue", folder / "revisions" / "modify.xml"])
        for found in (problems, revision_problems, validated):
            assert_located(found, folder)
        verdict(any(p.is_error for p in (*problems, *revision_problems, *validated)))


