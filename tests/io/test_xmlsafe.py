"""The hardened XML parser refuses entity tricks and reports malformed input with its line."""

from __future__ import annotations

import pytest

from regframe.io import xmlsafe

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


# The DOCTYPE check walks the whole prolog (everything before the root's start tag), however long.

HIDDEN_ENTITY = (
    '<!DOCTYPE evidence [<!ENTITY x "expanded by the parser">]>\n'
    '<evidence xmlns="urn:x-regframe:evidence:1" version="1">\n'
    '<setting urn="SC1" kind="childrens-home"/>\n'
    '<item id="a" setting="SC1" source="provider" kind="ek.provider-self-assessment" observed="2026-01-02"'
    ' summary="&x;"/>\n'
    '</evidence>\n'
)

#: Prologs longer than the 64 KB the check used to read, and the line the DOCTYPE after each is on.
LONG_PROLOGS = {
    "one 70 KB comment": ("<!--" + "x" * 70_000 + "-->\n", 3),
    "many small comments, PIs and blank lines": ("<!-- c -->\n<?pi data?>\n\n" * 4000, 12_002),
    "70 KB of spaces": (" " * 70_000 + "\n", 3),
}


def _hidden(padding: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + padding + HIDDEN_ENTITY).encode()


@pytest.fixture(params=LONG_PROLOGS.values(), ids=LONG_PROLOGS.keys())
def long_prolog(request):
    return request.param


def test_a_doctype_after_a_long_prolog_is_refused_by_the_streaming_parse_at_its_line(long_prolog, tmp_path):
    padding, line = long_prolog
    path = tmp_path / "hidden.xml"
    path.write_bytes(_hidden(padding))
    with pytest.raises(xmlsafe.UnsafeXML) as raised:
        with xmlsafe.streaming(path) as events:
            next(iter(events))
    assert (raised.value.diagnostic.code, raised.value.diagnostic.location.line) == ("RF102", line)


def test_a_doctype_after_a_long_prolog_is_refused_by_parse_bytes_before_parsing(long_prolog):
    padding, line = long_prolog
    tree, problems = xmlsafe.parse_bytes(_hidden(padding), "hidden.xml")
    assert tree is None and [(p.code, p.location.line) for p in problems] == [("RF102", line)]


def test_a_doctype_after_a_long_prolog_is_reported_by_the_evidence_reader_and_nothing_is_read(long_prolog, tmp_path):
    from regframe.evidence.pseudonym import PseudonymKey
    from regframe.ingest import IngestContext
    from regframe.ingest.evidence_xml import read

    padding, line = long_prolog
    path = tmp_path / "hidden.xml"
    path.write_bytes(_hidden(padding))
    evidence = read(path, IngestContext(key=PseudonymKey.from_text("test-key-0123456789")))
    assert [(d.code, d.location.file, d.location.line) for d in evidence.diagnostics] == [("RF102", str(path), line)]
    assert (len(evidence.items), len(evidence.settings)) == (0, 0)


def test_doctype_text_inside_a_comment_is_not_a_doctype():
    data = b'<?xml version="1.0"?>\n<!-- was: <!DOCTYPE r SYSTEM "old.dtd"> -->\n<r a="1"/>\n'
    tree, problems = xmlsafe.parse_bytes(data, "x.xml")
    assert (tree.getroot().get("a"), problems) == ("1", [])


def test_a_start_tag_inside_a_comment_does_not_end_the_prolog():
    data = b'<!-- <r> and <!DOCTYPE r> are only text here -->\n<!DOCTYPE r [<!ENTITY x "e">]>\n<r a="&x;"/>\n'
    tree, problems = xmlsafe.parse_bytes(data, "x.xml")
    assert tree is None and [(p.code, p.location.line) for p in problems] == [("RF102", 2)]


def test_a_comment_that_never_ends_is_left_to_lxml_to_report_even_if_it_mentions_a_doctype():
    tree, problems = xmlsafe.parse_bytes(b'<?xml version="1.0"?>\n<!-- <!DOCTYPE r> ' + b"x" * 70_000, "x.xml")
    assert tree is None and [p.code for p in problems] == ["RF101"]


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-16"),  # with its byte-order mark
    lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    lambda text: text.encode("utf-16-be"),  # no mark: lxml still reads it, from the "<?" it starts with
    lambda text: text.encode("utf-32-le"),
], ids=["utf-16", "utf-16-be-bom", "utf-16-be-no-bom", "utf-32-le-no-bom"])
def test_a_doctype_after_a_long_comment_in_utf16_or_utf32_is_refused_at_its_line(encode, tmp_path):
    data = encode('<?xml version="1.0"?>\n<!--' + "x" * 70_000 + "-->\n" + HIDDEN_ENTITY)
    tree, problems = xmlsafe.parse_bytes(data, "x.xml")
    assert tree is None and [(p.code, p.location.line) for p in problems] == [("RF102", 3)]
    path = tmp_path / "hidden.xml"
    path.write_bytes(data)
    with pytest.raises(xmlsafe.UnsafeXML) as raised:
        list(xmlsafe.iterparse_file(path))
    assert (raised.value.diagnostic.code, raised.value.diagnostic.location.line) == ("RF102", 3)


def test_a_stream_is_checked_through_its_whole_prolog_and_rewound_for_the_parse():
    import io

    hostile = io.BytesIO(_hidden(LONG_PROLOGS["one 70 KB comment"][0]))
    with pytest.raises(xmlsafe.UnsafeXML), xmlsafe.streaming(hostile):
        pass
    benign = io.BytesIO(b"<!--" + b"x" * 70_000 + b"-->\n<r><b/></r>")
    with xmlsafe.streaming(benign) as events:
        assert [element.tag for _event, element in events] == ["b", "r"]


def test_a_declared_encoding_that_keeps_ascii_is_read_and_one_that_can_hide_a_doctype_is_refused():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<r a="café"/>\n'.encode("latin-1")
    tree, problems = xmlsafe.parse_bytes(latin, "x.xml")
    assert (tree.getroot().get("a"), problems) == ("café", [])
    # In UTF-7, "+ADw-" is "<": lxml switches encoding at the declaration and would read this DOCTYPE.
    utf7 = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r +AFs-+ADw-!ENTITY x +ACI-e+ACIAPgBdAD4-<r a="&x;"/>'
    tree, problems = xmlsafe.parse_bytes(utf7, "x.xml")
    assert tree is None and [(p.code, p.message) for p in problems] == [
        ("RF108", "the XML declaration names encoding 'UTF-7', in which regframe cannot check the document "
                  "for a DOCTYPE; save it as UTF-8")]


def test_load_evidence_names_a_doctype_after_a_long_prolog_as_the_reason_it_refused_the_file(long_prolog, tmp_path):
    from regframe.evidence.pseudonym import PseudonymKey
    from regframe.ingest import load_evidence

    padding, line = long_prolog
    path = tmp_path / "hidden.xml"
    path.write_bytes(_hidden(padding))
    evidence = load_evidence([path], key=PseudonymKey.from_text("test-key-0123456789"))
    assert [(d.code, d.location.file, d.location.line) for d in evidence.diagnostics] == [("RF102", str(path), line)]
    assert evidence.items == []


# ExpatStream: the evidence reader's parser, with the same protections as lxml's.

def _starts(path, **options) -> list[tuple[str, list[str], int]]:
    stream = xmlsafe.ExpatStream(path, **options)
    seen: list[tuple[str, list[str], int]] = []
    stream.parser.StartElementHandler = lambda name, found: seen.append((name, found, stream.parser.CurrentLineNumber))
    stream.run()
    return seen


def test_expat_is_refused_a_doctype_after_a_long_prolog_before_it_parses_a_byte(long_prolog, tmp_path):
    padding, line = long_prolog
    path = tmp_path / "hidden.xml"
    path.write_bytes(_hidden(padding))
    with pytest.raises(xmlsafe.UnsafeXML) as raised:
        xmlsafe.ExpatStream(path)
    assert (raised.value.diagnostic.code, raised.value.diagnostic.location.line) == ("RF102", line)


def test_expat_itself_refuses_a_doctype_that_got_past_the_prolog_check(tmp_path, monkeypatch):
    """Belt and braces: were the prolog walk ever fooled, expat's own DOCTYPE callback refuses the document."""
    monkeypatch.setattr(xmlsafe, "_check_stream", lambda stream, where: None)
    path = tmp_path / "lol.xml"
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(xmlsafe.UnsafeXML) as raised:
        _starts(path)
    assert (raised.value.diagnostic.code, raised.value.diagnostic.location.line) == ("RF102", 2)


def test_expat_expands_no_entity_it_was_not_told_of(tmp_path):
    path = tmp_path / "entity.xml"
    path.write_bytes(b'<r>\n<a b="&x;"/>\n</r>\n')
    with pytest.raises(xmlsafe.NotWellFormed) as raised:
        _starts(path)
    assert (raised.value.message, raised.value.line) == ("undefined entity", 2)


def test_expat_gives_names_with_their_namespace_attributes_in_order_and_lines(tmp_path):
    path = tmp_path / "doc.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<r xmlns="urn:x">\n<a z="1" y="&amp;"/>\n\n<b/>\n</r>\n')
    assert _starts(path) == [("urn:x}r", [], 2), ("urn:x}a", ["z", "1", "y", "&"], 3), ("urn:x}b", [], 5)]


def test_expat_stops_at_a_file_that_grew_past_the_limit_while_it_was_read(tmp_path):
    path = tmp_path / "growing.xml"
    path.write_bytes(b"<r>" + b"<a/>" * 100)
    stream = xmlsafe.ExpatStream(path, max_bytes=1000)  # 403 bytes when checked
    with path.open("ab") as more:
        more.write(b"<a/>" * 1000)
    with pytest.raises(xmlsafe.UnsafeXML) as raised:
        stream.run()
    assert (raised.value.diagnostic.code, raised.value.diagnostic.message) == (
        "RF103", "file grew past the limit of 1,000 bytes while it was read")


def test_expat_holds_no_more_of_one_tag_than_the_limit(tmp_path, monkeypatch):
    """Checked as the file streams, after each chunk: what expat holds unparsed is the tag it is still reading."""
    monkeypatch.setattr(xmlsafe, "_FEED_BYTES", 1024)
    path = tmp_path / "long.xml"
    path.write_bytes(b'<r>\n<a/>\n<a b="' + b"x" * 5000 + b'"/>\n</r>\n')
    assert len(_starts(path, max_pending=6000)) == 3
    with pytest.raises(xmlsafe.NotWellFormed) as raised:
        _starts(path, max_pending=4000)
    assert (raised.value.message, raised.value.line) == ("a tag, attribute value or text runs past 4,000 bytes", 3)


def test_expat_hashes_the_whole_file_even_when_the_parse_stops_early(tmp_path):
    import hashlib

    path = tmp_path / "doc.xml"
    path.write_bytes(b"<a>" + b"<b/>" * 50000 + b"<broken" + b" " * 2_000_000 + b"</a>\n")
    digest = hashlib.sha256()
    with pytest.raises(xmlsafe.NotWellFormed):
        xmlsafe.ExpatStream(path, digest=digest, max_pending=1000).run()
    assert digest.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("text", ["<a><b/><b/></a>", "<a><b/><b>"], ids=["whole", "broken"])
def test_a_stream_lets_its_handlers_go_when_the_parse_ends_so_what_they_hold_is_freed_at_once(tmp_path, text):
    # a handler that refers to its parser (for line numbers) and to a reader's caches is a reference cycle;
    # let go, the caches are freed by reference counting, with no collection
    import gc
    import weakref

    class Cache:
        pass

    path = tmp_path / "doc.xml"
    path.write_text(text, encoding="utf-8")
    stream = xmlsafe.ExpatStream(path)
    cache = Cache()
    seen: list[int] = []

    def start(_name, _attributes, cache=cache, parser=stream.parser):
        seen.append(parser.CurrentLineNumber)

    stream.parser.StartElementHandler = start
    freed = weakref.ref(cache)
    del cache, start
    enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            stream.run()
        except xmlsafe.NotWellFormed:
            assert text.endswith("<b>")
        assert stream.parser.StartElementHandler is None
        del stream
        assert freed() is None and len(seen) == 3
    finally:
        if enabled:
            gc.enable()
