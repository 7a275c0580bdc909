"""``regframe validate PATH...``: check catalogues, revisions and evidence files, printing every problem."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import attrs

from regframe.cli.common import (
    add_evidence_options,
    add_format_option,
    add_framework_option,
    exit_for,
    iso_date,
    mapping_problems,
    print_diagnostics,
)
from regframe.core.diagnostics import Diagnostic, Location, make
from regframe.core.paths import is_dir, is_file
from regframe.framework.cadence import CadenceError, Duration
from regframe.framework.model import Manifest
from regframe.ingest import UNKNOWN_FORMAT, detect_format, expand, unreadable
from regframe.io.formats import Format

#: folders of a catalogue tree that hold no catalogue or evidence files
_SKIP_FOLDERS = {"schema", ".git", "__pycache__"}
#: files that sit beside catalogues and evidence as documentation or schemas, never read as either
_SKIP_SUFFIXES = {".md", ".rst", ".xsd"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check catalogue, revision and evidence files; print every problem with its location",
        description=(
            "Check files and folders. Catalogue files are checked together (schema, then duplicate ids, "
            "dangling links, cycles, links into withdrawn requirements, requirements without a regulator, "
            "suspect links), and a manifest's citation routes against the instruments of its files; evidence "
            "files (evidence XML, Ofsted CSV, SSDA903, Annex A, LA returns) are read "
            "as `regframe report` would read them, their format recognised from the content, not the file name, "
            "and their items mapped onto the framework (--framework, default the shipped one) to report "
            "references that resolve to no requirement. A file in a folder that is in no format regframe reads is "
            "a warning; named, an error. With --max-age, each catalogue citation last checked longer ago than "
            "that before --as-at (default today, printed) is a warning (RF220). "
            "Exit 1 if any error is found (any problem with --strict); 2 on a usage error."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to check")
    add_format_option(parser, ["text", "json"], "text")
    add_framework_option(parser)
    add_evidence_options(parser)
    parser.add_argument("--max-age", metavar="AGE",
                        help="warn on catalogue citations not checked within AGE of --as-at: 12m, 18m, 2y, 6w, 90d")
    parser.add_argument("--as-at", type=iso_date, metavar="DATE",
                        help="the day --max-age counts back from (default: today, printed)")
    parser.set_defaults(handler=run)


def _files(paths: list[Path]) -> list[tuple[Path, bool]]:
    """Files named, and the files in folders named, found as ``load_evidence`` finds them (by content, not suffix).

    Each comes with whether it was named itself. Inside folders, schema folders and documentation
    (README.md, *.xsd) are passed over, since catalogue folders hold them; every other file is
    checked, whatever its name.
    """
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if is_dir(path):
            files.extend((p, False) for p in expand([path]) if p.suffix.lower() not in _SKIP_SUFFIXES
                         and not _SKIP_FOLDERS.intersection(p.relative_to(path).parts))
        else:
            files.append((path, True))
    return files


def check_paths(paths: list[Path], la_code: str | None = None, key_file: Path | None = None,
                framework: Path | None = None, max_age: Duration | None = None,
                as_at: dt.date | None = None) -> tuple[list[Diagnostic], list[str]]:
    """Every problem in the files and folders given, and the notes for the user (such as a random pseudonym key).

    Evidence items are mapped onto ``framework`` (a manifest or revision; default the shipped framework),
    so a reference that resolves to no requirement is reported as ``regframe report`` would report it.
    With ``max_age`` (and ``as_at``, which it needs), the catalogue files' citations older than that are
    warnings (RF220).
    """
    from regframe.framework import loading as fw

    catalogue: list[Path] = []
    revisions: list[Path] = []
    evidence: list[Path] = []
    problems: list[Diagnostic] = []
    notes: list[str] = []
    for path, named in _files(paths):
        if not is_file(path):
            problems.append(make(UNKNOWN_FORMAT, "no such file", Location(file=str(path))))
            continue
        fmt = detect_format(path)  # as load_evidence detects it, so each file's head is read once here
        if fmt is Format.CATALOGUE or (fmt is Format.UNKNOWN and path.suffix.lower() == ".xml"):
            catalogue.append(path)  # an unreadable XML file is reported by the catalogue reader
        elif fmt is Format.REVISION:
            revisions.append(path)
        elif named or fmt is not Format.UNKNOWN:
            evidence.append(path)  # a named file of no known format is reported by load_evidence, as for report
        else:
            problems.append(unreadable(path, named=False))
    if catalogue:
        documents, found = fw.read_documents(catalogue)
        problems.extend(found)
        given = {p.resolve() for p in catalogue}
        complete: list[Manifest] = []  # manifests every file of which exists
        included: list[Path] = []  # the files they include that were not given: part of the framework all the same
        for manifest, path in ((m, Path(m.origin.file)) for m in documents.manifests if m.origin):
            files, missing = fw.manifest_files(manifest, path)
            problems.extend(missing)
            if not missing:
                complete.append(manifest)
            included.extend(p for p in files if p not in given and p not in included)
        # a manifest's files are judged as `report --framework` judges them, whether they were named or not
        others, found = fw.read_documents(included)
        problems.extend(found)
        framework_documents = fw.Documents(*(mine + theirs for mine, theirs in zip(
            attrs.astuple(documents, recurse=False), attrs.astuple(others, recurse=False), strict=True)))
        for manifest in complete:
            problems.extend(fw.route_problems(manifest, framework_documents))
        problems.extend(fw.semantic_problems(framework_documents))
        if max_age is not None:
            from regframe.framework.staleness import stale_citations

            if as_at is None:
                raise ValueError("a maximum age is counted back from a day: give as_at")
            problems.extend(stale_citations(framework_documents.instruments, max_age, as_at))
    if revisions:
        from regframe.revisions.revision import validate_revision_file

        for path in revisions:
            problems.extend(validate_revision_file(path))
    if evidence:
        from regframe.cli.common import load_for_command
        from regframe.evidence.pseudonym import PseudonymKey

        key = PseudonymKey.resolve(key_file)
        loaded = load_for_command(evidence, key, la_code)
        notes.extend(loaded.notes)
        problems.extend(loaded.diagnostics)
        if loaded.items:
            mapped, note = mapping_problems(loaded, framework)
            problems.extend(mapped)
            notes.extend([note] if note else [])
    return problems, notes




def run(args: argparse.Namespace) -> int:
    max_age = None
    if args.max_age is not None:
        from regframe.framework.staleness import checked_since, parse_age

        try:
            max_age = parse_age(args.max_age)
        except CadenceError as error:
            print(f"regframe: --max-age: {error}", file=sys.stderr)
            return 2
    elif args.as_at is not None:
        print("regframe: --as-at is the day --max-age counts back from; give --max-age too", file=sys.stderr)
        return 2
    as_at = args.as_at or (dt.date.today() if max_age is not None else None)  # the command's only "now"
    if max_age is not None and as_at is not None:
        given = "given" if args.as_at else "today"
        print(f"regframe: citations checked before {checked_since(max_age, as_at).isoformat()} are stale "
              f"(max age {max_age}, as at {as_at.isoformat()}, {given})", file=sys.stderr)
    problems, notes = check_paths(args.paths, args.la_code, args.pseudonym_key_file, args.framework, max_age, as_at)
    for note in notes:
        print(f"regframe: note: {note}", file=sys.stderr)
    print_diagnostics(problems, args.format)
    code = exit_for(problems, args.strict)
    if args.format == "text":
        errors = sum(1 for p in problems if p.is_error)
        summary = f"{errors} error(s), {len(problems) - errors} other problem(s)" if problems else "no problems found"
        print(summary, file=sys.stderr)
    return code
