"""Reading evidence: one module per input format, one entry point for all of them.

``load_evidence(paths)`` detects each file's format from its content
(:mod:`regframe.io.formats`), hands it to that format's reader, and merges what
comes back into one :class:`~regframe.evidence.EvidenceSet`. Readers never
raise for bad content: they keep every valid record, report each bad one as a
diagnostic with its location, and count accepted and rejected records.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from regframe.core.diagnostics import Diagnostic, InputError, Location, Severity, code, make
from regframe.core.paths import is_dir
from regframe.evidence.history import preferred_copy
from regframe.evidence.model import EvidenceItem, EvidenceSet, Inspection
from regframe.evidence.pseudonym import RANDOM_KEY_NOTE, UNKNOWN_LA, PseudonymKey
from regframe.io.formats import Format, decode_bytes, detect

UNKNOWN_FORMAT = code(
    "RF301", Severity.ERROR, "file is not in a format regframe reads",
    "regframe reads evidence XML, Ofsted's social care statistics of every year since 2013-14 (registers, "
    "in-year inspections, joiners and leavers, closed providers; CSV or the ODS workbook), SSDA903 CSV and "
    "XML, Ofsted Annex A workbooks, the regframe LA oversight return, CQC API location records (JSON or JSON "
    "Lines) and URN-to-CQC-location link files (CSV). The format is recognised from the content (XML root "
    "element, a CSV header row among the first 30 rows, workbook sheet names, a JSON record's locationId), "
    "not the file name.",
)
FOUND_UNKNOWN_FORMAT = code(
    "RF304", Severity.WARNING, "file found in a folder is not in a format regframe reads; skipped",
    "A file inside a folder given to regframe is not evidence it can read (notes, exports of other "
    "kinds). It is named so that nothing is passed over unseen, but it does not fail the run as a "
    "file named on the command line would (RF301). A hostile XML file is refused as an error either way.",
)

ITEM_ID_IN_TWO_FILES = code(
    "RF302", Severity.WARNING, "evidence item ids repeated across files, for different evidence",
    "Findings name the evidence behind them by item id, so an id used in two files for two different "
    "observations makes them ambiguous (the report's Evidence sheet still tells them apart by file and "
    "line). Both items are kept. One warning is given for each pair of files, with the count and the "
    "first id repeated. Items that repeat an earlier one exactly are RF303, not this.",
)
ITEM_REPEATED_EXACTLY = code(
    "RF303", Severity.INFO, "evidence items or inspections repeated exactly across files were counted once",
    "The same item (same id, setting, source, kind, dates, child, references, outcome, action and "
    "summary) came from two files, or the same Ofsted inspection (same URN and event number, date, kind "
    "and judgements): typically Ofsted's register and its in-year file, which both carry an inspection "
    "made in the overlap, or two years' registers repeating a setting's latest inspection. The later copy "
    "is left out, so the evidence is not counted twice; each file's accepted count still includes it. "
    "An Ofsted inspection's judgement items are derived once from the inspection kept.",
)
INSPECTION_REPORTED_DIFFERENTLY = code(
    "RF355", Severity.WARNING, "one Ofsted inspection is reported differently by two files; the later file's copy was kept",
    "Two files give the same inspection (URN and event number) with a different date, kind or judgements: "
    "Ofsted's releases of different years sometimes date a two-day inspection by its first or its last "
    "day, and a judgement can be corrected after publication. The copy from the file with the later date "
    "(its 'as at' date, else its latest date) is kept, whatever the order the files were given in.",
)


@attrs.define
class IngestContext:
    """What every reader needs besides the file: the pseudonym key and an LA code for files that lack one."""

    key: PseudonymKey = attrs.field(factory=PseudonymKey.resolve)
    la_code: str | None = None


Reader = Callable[[Path, IngestContext], EvidenceSet]

#: format -> "module:function"; modules are imported only when a file of that format is read.
READERS: dict[Format, str] = {
    Format.EVIDENCE_XML: "regframe.ingest.evidence_xml:read",
    Format.OFSTED_CSV: "regframe.ingest.ofsted_csv:read",
    Format.OFSTED_ODS: "regframe.ingest.ofsted_csv:read",
    Format.SSDA903_CSV: "regframe.ingest.ssda903:read_csv",
    Format.SSDA903_XML: "regframe.ingest.ssda903:read_xml",
    Format.ANNEX_A: "regframe.ingest.annex_a:read",
    Format.LA_RETURN: "regframe.ingest.la_return:read",
    Format.CQC_API: "regframe.ingest.cqc_api:read",
    Format.CQC_LINK: "regframe.ingest.cqc_link:read",
}


def reader_for(fmt: Format) -> Reader | None:
    target = READERS.get(fmt)
    if target is None:
        return None
    module_name, function = target.split(":")
    return getattr(importlib.import_module(module_name), function)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files inside folders named (sorted, so runs are deterministic); see :func:`sources`."""
    return [path for path, _named in sources(paths)]


def sources(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Each file to read, and whether it was named itself (``True``) or found inside a folder named.

    Inside a folder, hidden files and everything in hidden folders (``.git``, ``.cache``) are
    passed over; every other file is looked at, whatever its name. One regframe cannot read is
    an error if it was named (RF301) and a warning if it was found (RF304): never skipped unsaid.
    """
    files: list[tuple[Path, bool]] = []
    for path in map(Path, paths):
        if is_dir(path):  # a name the system refuses is no folder: it is said unreadable when opened
            files.extend((found, False) for found in sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            files.append((path, True))
    return files


def unreadable(path: Path, named: bool) -> Diagnostic:
    """Why a file in no format regframe reads was not read: refused as hostile XML, or not evidence."""
    refused = _refused_xml(path) or _refused_workbook(path)
    if refused is not None:  # say why hostile XML or a damaged workbook was refused, not just that it was not recognised
        return refused
    if not path.is_file():
        return make(UNKNOWN_FORMAT, f"{path.name} cannot be read", Location(file=str(path)))
    broken = _broken_xml(path)
    if broken is not None:  # XML that breaks before its root element can be recognised: say where
        if named:
            return broken
        return make(FOUND_UNKNOWN_FORMAT, f"{path.name} is not in a format regframe reads (not well-formed XML: "
                                          f"{broken.message}); skipped", broken.location)
    if named:
        return make(UNKNOWN_FORMAT, f"{path.name} is not in a format regframe reads", Location(file=str(path)))
    return make(FOUND_UNKNOWN_FORMAT, f"{path.name} is not in a format regframe reads; skipped", Location(file=str(path)))


def _broken_xml(path: Path) -> Diagnostic | None:
    """RF101 at its line for a file that starts as XML and breaks before its root element has started."""
    from lxml import etree

    from regframe.io import xmlsafe

    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return None
        for _event in xmlsafe.iterparse_file(path, events=("start",)):
            return None  # the root started: the file is XML, just not a kind regframe reads
    except etree.XMLSyntaxError as error:
        return make(xmlsafe.XML_NOT_WELL_FORMED, error.msg or str(error), Location(file=str(path), line=error.lineno or None))
    except (xmlsafe.UnsafeXML, OSError):
        return None
    return None


def detect_format(path: Path) -> Format:
    """The file's format, from its content; also recognises Ofsted's files of every era (see below).

    An Ofsted CSV is one whose first 30 rows include a header of some era in the Ofsted column
    table (titles and a group row may sit above it); an ODS workbook (the 2025 release) is read
    as Ofsted's, its sheets picked by their content when read.
    """
    fmt = detect(path)
    if fmt is not Format.UNKNOWN or not path.is_file():
        return fmt
    from regframe.io import ods

    if ods.is_ods(path):
        return Format.OFSTED_ODS
    if path.suffix.lower() in (".xml", ".xlsx", ".xlsm"):
        return fmt
    with path.open("rb") as handle:
        head = decode_bytes(handle.read(64 * 1024))
    if head.lstrip().startswith("<"):
        return fmt
    from regframe.ingest.ofsted_columns import column_table

    try:
        rows = list(itertools.islice(csv.reader(io.StringIO(head, newline="")), 30))
    except csv.Error:
        return fmt
    if column_table().header_row(rows) is not None:
        return Format.OFSTED_CSV
    return fmt


def _refused_xml(path: Path) -> Diagnostic | None:
    """The diagnostic xmlsafe gives for an XML file it refuses to parse (a DOCTYPE), if that is why it is unknown."""
    from regframe.io.xmlsafe import UnsafeXML, check_prolog

    try:
        with path.open("rb") as handle:
            check_prolog(handle, str(path))  # the whole prolog, however long
    except UnsafeXML as unsafe:
        return unsafe.diagnostic
    except OSError:
        return None
    return None


def _refused_workbook(path: Path) -> Diagnostic | None:
    """Why an xlsx workbook could not be recognised (a DOCTYPE in a part, damaged data, over a limit), if it is one."""
    from regframe.io.xlsxread import refusal

    return refusal(path) if path.is_file() else None


class InputNotFound(InputError, FileNotFoundError):
    """A path given to :func:`load_evidence` does not exist or cannot be opened.

    Raised after every other path was read: ``diagnostics`` says which paths (RF301, with the
    reason), and ``evidence`` holds what the readable files gave, so a caller that wants to go
    on (the command line writes its report and exits 1) loses nothing.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic], evidence: EvidenceSet) -> None:
        super().__init__(diagnostics)
        self.evidence = evidence


class LAScopeError(InputError):
    """Some files' child ids carry no LA code while other files in the same run name theirs.

    A pseudonym is scoped by the LA the child id belongs to, so the same child read from an
    SSDA903 extract without ``--la`` and from the LA's return would become two children. That
    is a usage error (the command line exits 2), never a remark: give the LA with ``--la``
    (``la_code=`` in Python).
    """


LA_SCOPE_MIXED = code(
    "RF341", Severity.ERROR, "files without an LA code read beside files that name theirs",
    "SSDA903 and Annex A files do not say which LA's child ids they hold; LA returns and evidence XML do. "
    "Read together without --la, the same child would get two pseudonyms (one under 'UNKNOWN', one under "
    "its LA) and be counted twice, so the run stops (exit 2). Give the LA code of the files named with "
    "--la CODE (la_code= in load_evidence).",
)


def load_evidence(
    paths: Iterable[str | Path],
    *,
    key: PseudonymKey | None = None,
    la_code: str | None = None,
) -> EvidenceSet:
    """Read every file into one evidence set.

    Data-level problems are collected in ``.diagnostics`` (call
    :meth:`~regframe.evidence.EvidenceSet.raise_for_errors` to make any error fail). Two things
    raise, after everything readable was read: a path that does not exist or cannot be opened
    (:class:`InputNotFound`, a :class:`FileNotFoundError`), and child ids whose LA is unknown
    beside files that name theirs (:class:`LAScopeError`).

    Files are read in one fixed order (by resolved path) and each file once, however the paths
    were given (a folder or its files, in any order, the same file twice), so the result never
    depends on how it was asked for.
    """
    context = IngestContext(key=key or PseudonymKey.resolve(), la_code=la_code)
    result = EvidenceSet()
    if context.key.is_random:
        result.notes.append(RANDOM_KEY_NOTE)
    item_ids = _ItemIds()
    inspections = _Inspections()
    missing: list[Diagnostic] = []
    for path, named in _in_reading_order(sources(paths)):
        problem = _cannot_open(path)
        if problem is not None:
            missing.append(problem)
            result.diagnostics.append(problem)
            continue
        read = _read_one(path, named, context)
        if read.inspections:
            # Ofsted's judgement items are derived from its inspections, once each across files (below)
            read.items[:] = [item for item in read.items if not _derived_from_inspections(item)]
            result.diagnostics.extend(inspections.check(read, path))
        result.diagnostics.extend(item_ids.check(read, path))
        result.merge(read)
    if inspections.seen:
        from regframe.ingest.ofsted_csv import judgement_items

        result.inspections = inspections.kept()
        result.items.extend(judgement_items(result.inspections, result.settings))
    _link_cqc_records(result)
    result.diagnostics.extend(result._unsaid_rejections())
    scope = _scope_problem(result)
    if scope is not None:
        raise LAScopeError([scope])
    if missing:
        raise InputNotFound(missing, result)
    return result


READER_FAILED = code(
    "RF305", Severity.ERROR, "a parser regframe reads the file with failed; the file was not read",
    "Each reader turns the problems it expects in a file into diagnostics with their place, and keeps "
    "what it could read. Should a parser it relies on (lxml, csv, the text codecs, json, zlib, zipfile) "
    "still fail on something it did not expect, the failure stops that file only: it is named here with "
    "the parser's own message (and line, where the parser gives one), its records are not used, and "
    "the run goes on with the other files. Please report the file's shape (not its content) as a bug: "
    "the reader should have said what is wrong with it.",
)


def _third_party_failures() -> tuple[type[BaseException], ...]:
    """The exceptions of the parsers readers rely on: bad input, never regframe's own bug (a ``TypeError``)."""
    import json
    import zipfile
    import zlib

    from lxml import etree

    return (etree.LxmlError, csv.Error, UnicodeError, json.JSONDecodeError, zlib.error, zipfile.BadZipFile,
            EOFError, OSError)


def _read_one(path: Path, named: bool, context: IngestContext) -> EvidenceSet:
    """One file detected and read inside the boundary: a parser's failure is RF305 for that file, not a crash.

    A file in no format regframe reads gives only the diagnostic saying so (:func:`unreadable`).
    """
    try:
        reader = reader_for(detect_format(path))
        if reader is None:
            return _with(unreadable(path, named))
        return reader(path, context)
    except _third_party_failures() as error:
        line = getattr(error, "lineno", None)
        message = f"{type(error).__name__}: {error}"
        failed = EvidenceSet()
        failed.diagnostics.append(make(READER_FAILED, message[:500], Location(file=str(path), line=line or None)))
        return failed


def _with(diagnostic: Diagnostic) -> EvidenceSet:
    found = EvidenceSet()
    found.diagnostics.append(diagnostic)
    return found


def _in_reading_order(found: list[tuple[Path, bool]]) -> list[tuple[Path, bool]]:
    """Each file once (named beats found in a folder), sorted by resolved path: the order given never matters."""
    chosen: dict[str, tuple[Path, bool]] = {}
    for path, named in found:
        where = str(path.resolve())
        if where not in chosen or (named and not chosen[where][1]):
            chosen[where] = (path, named)
    return [chosen[where] for where in sorted(chosen)]


def _cannot_open(path: Path) -> Diagnostic | None:
    """RF301 for a path that does not exist or cannot be opened (permissions), with the reason."""
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return make(UNKNOWN_FORMAT, f"{path.name} cannot be read: {reason}", Location(file=str(path)))
    return None


def _scope_problem(evidence: EvidenceSet) -> Diagnostic | None:
    """RF341 when some files' children are pseudonymised under no LA and others' under the LA they name."""
    unknown = sorted(f for f, las in evidence.child_las.items() if UNKNOWN_LA in las)
    named = {f: sorted(las - {UNKNOWN_LA}) for f, las in sorted(evidence.child_las.items()) if las - {UNKNOWN_LA}}
    if not unknown or not named:
        return None
    las = sorted({la for codes in named.values() for la in codes})
    hint = f"--la {las[0]}" if len(las) == 1 else "--la CODE"
    return make(LA_SCOPE_MIXED, (
        f"child ids in {', '.join(unknown)} do not say which LA they belong to, but "
        + "; ".join(f"{f} names LA {', '.join(codes)}" for f, codes in named.items())
        + f": the same child would get two pseudonyms. Give the LA of the first with {hint} "
        "(la_code= in load_evidence)"), Location(file=unknown[0]))


def _link_cqc_records(evidence: EvidenceSet) -> None:
    """Join CQC locations to Ofsted settings once every file is read, so file order cannot matter (see cqc_link)."""
    from regframe.framework.model import SettingKind

    if evidence.cqc_links or any(s.kind is SettingKind.CQC_HEALTH_PROVISION for s in evidence.settings.values()):
        from regframe.ingest.cqc_link import apply_links

        evidence.diagnostics.extend(apply_links(evidence))


def _derived_from_inspections(item: EvidenceItem) -> bool:
    return item.id.startswith("ofsted:") and item.kind == "ek.ofsted-judgement"


class _Inspections:
    """Ofsted inspections by key (URN and event number), to count one reported by several files once."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[Inspection, str, EvidenceSet]] = {}
        self.seen = False

    def check(self, read: EvidenceSet, path: Path) -> list[Diagnostic]:
        self.seen = True
        repeated: dict[str, int] = {}
        differing: dict[str, list[str]] = {}
        for inspection in read.inspections:
            earlier = self._kept.get(inspection.key)
            if earlier is None:
                self._kept[inspection.key] = (inspection, str(path), read)
                continue
            kept, where, source = earlier
            if kept == inspection:
                if source is not read:
                    repeated[where] = repeated.get(where, 0) + 1
                if preferred_copy(inspection, kept):
                    self._kept[inspection.key] = (inspection, str(path), read)
                continue
            differing.setdefault(where, []).append("/".join(inspection.key))
            if preferred_copy(inspection, kept):
                self._kept[inspection.key] = (inspection, str(path), read)
        read.inspections = []
        where_now = str(path)
        problems = [make(ITEM_REPEATED_EXACTLY, f"{count} inspection(s) in {where_now} repeat inspections read from "
                         f"{earlier} exactly and were counted once", Location(file=where_now))
                    for earlier, count in repeated.items()]
        problems += [make(INSPECTION_REPORTED_DIFFERENTLY, f"{len(keys)} inspection(s) in {where_now} are reported "
                          f"differently by {earlier} (first: {keys[0]}); the later file's copy was kept",
                          Location(file=where_now)) for earlier, keys in differing.items()]
        return problems

    def kept(self) -> list[Inspection]:
        return sorted((entry[0] for entry in self._kept.values()), key=lambda i: (i.urn, i.date, i.key))


class _ItemIds:
    """The items already read, by value and by id, to merge exact repeats across files and warn of clashes.

    Two files can carry the same observation (Ofsted's provider-level file at 31 August
    and its in-year file overlap by design): counting it twice would double its weight,
    so a later exact copy is dropped and said so once per pair of files (RF303). Two
    different observations under one id are both kept and warned of (RF302). Nothing is
    indexed while only one file has brought items, so loading a single large file costs
    nothing here.
    """

    def __init__(self) -> None:
        self._first_file: tuple[EvidenceSet, str] | None = None
        # each distinct item (equal in all but provenance) and each id, with the file that first
        # brought it, named by the EvidenceSet read from it (a caller may give one path twice)
        self._by_value: dict[EvidenceItem, tuple[EvidenceSet, str]] | None = None
        self._by_id: dict[str, tuple[EvidenceSet, str]] = {}

    def check(self, read: EvidenceSet, path: Path) -> list[Diagnostic]:
        """Drop ``read``'s exact repeats of earlier items; one diagnostic per earlier file and kind of repeat."""
        if not read.items:
            return []
        if self._by_value is None:
            if self._first_file is None:
                self._first_file = (read, str(path))
                return []
            self._by_value = {}
            self._index(*self._first_file)
        repeated: dict[str, list[str]] = {}
        clashing: dict[str, list[str]] = {}
        kept: list[EvidenceItem] = []
        for item in read.items:
            earlier = self._by_value.get(item)
            if earlier is not None and earlier[0] is not read:
                repeated.setdefault(earlier[1], []).append(item.id)
                continue
            first_with_id = self._by_id.get(item.id)
            if first_with_id is not None and first_with_id[0] is not read:
                clashing.setdefault(first_with_id[1], []).append(item.id)
            kept.append(item)
        read.items[:] = kept
        self._index(read, str(path))
        return self._said(repeated, clashing, str(path))

    def _index(self, read: EvidenceSet, where: str) -> None:
        assert self._by_value is not None
        for item in read.items:
            self._by_value.setdefault(item, (read, where))
            self._by_id.setdefault(item.id, (read, where))

    @staticmethod
    def _said(repeated: dict[str, list[str]], clashing: dict[str, list[str]], where: str) -> list[Diagnostic]:
        problems = [
            make(ITEM_REPEATED_EXACTLY, f"{len(ids)} item(s) in {where} repeat items read from {earlier} exactly "
                 f"(first: {ids[0]!r}) and were counted once", Location(file=where))
            for earlier, ids in repeated.items()
        ]
        problems += [
            make(ITEM_ID_IN_TWO_FILES, f"{len(ids)} item id(s) in {where} were already used in {earlier} for "
                 f"different evidence (first: {ids[0]!r}); findings name items by id, so give each file its own ids",
                 Location(file=where))
            for earlier, ids in clashing.items()
        ]
        return problems
