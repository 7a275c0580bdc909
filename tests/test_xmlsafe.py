"""The hardened XML parser refuses entity tricks and reports malformed input with its line."""

from __future__ import annotations

import pytest

from regframe import xmlsafe

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<foo>&xxe;</foo>
"""


def test_billion_laughs_is_refused_with_a_doctype_error(tmp_path):
    path = tmp_path / "lol.xml"
    path.write_bytes(BILLION_LAUGHS)
    tree, problems = xmlsafe.parse_file(path)
    assert tree is None
    assert [(p.code, p.location.line) for p in problems] == [("RF102", 2)]
    assert "DOCTYPE" in problems[0].message


def test_external_entity_is_refused_and_nothing_is_read(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_bytes(EXTERNAL_ENTITY)
    tree, problems = xmlsafe.parse_file(path)
    assert tree is None
    assert [p.code for p in problems] == ["RF102"]


def test_doctype_hidden_in_utf16_is_still_refused():
    tree, problems = xmlsafe.parse_bytes(EXTERNAL_ENTITY.decode().encode("utf-16"), "x.xml")
    assert tree is None and [p.code for p in problems] == ["RF102"]


def test_streaming_parse_refuses_a_doctype(tmp_path):
    path = tmp_path / "lol.xml"
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(xmlsafe.UnsafeXML) as raised:
        list(xmlsafe.iterparse_file(path))
    assert raised.value.diagnostic.code == "RF102"


def test_malformed_xml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<a>\n<b>\n</a>\n")
    tree, problems = xmlsafe.parse_file(path)
    assert tree is None
    assert [(p.code, p.location.file, p.location.line) for p in problems] == [("RF101", str(path), 3)]


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b" " * 2000 + b"</a>")
    tree, problems = xmlsafe.parse_file(path, max_bytes=1000)
    assert tree is None and [p.code for p in problems] == ["RF103"]


def test_missing_file_is_a_diagnostic_not_an_exception(tmp_path):
    tree, problems = xmlsafe.parse_file(tmp_path / "nope.xml")
    assert tree is None and [p.code for p in problems] == ["RF106"]


def test_streaming_can_hash_the_file_in_the_same_pass(tmp_path):
    import hashlib

    path = tmp_path / "doc.xml"
    path.write_bytes(b"<a>" + b"<b/>" * 50000 + b"</a>\n<!-- trailing -->\n")
    digest = hashlib.sha256()
    for _event, element in xmlsafe.iterparse_file(path, digest=digest):
        if element.tag == "b":
            break  # stopping early still hashes the whole file
    assert digest.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
