"""``regframe validate PATH...``: check catalogues, revisions and evidence files, printing every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..diagnostics import Diagnostic, Location, make
from ..formats import Format, detect
from ..ingest import UNKNOWN_FORMAT
from .common import add_evidence_options, add_format_option, exit_for, print_diagnostics

_SKIP_FOLDERS = {"schema", ".git", "__pycache__"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check catalogue, revision and evidence files; print every problem with its location",
        description=(
            "Check files and folders. Catalogue files are checked together (schema, then duplicate ids, "
            "dangling links, cycles, links into withdrawn requirements, requirements without a regulator, "
            "suspect links); evidence files (evidence XML, Ofsted CSV, SSDA903, Annex A, LA returns) are read "
            "as `regframe report` would read them. Exit 1 if any error is found (any problem with --strict)."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to check")
    add_format_option(parser, ["text", "json"], "text")
    add_evidence_options(parser)
    parser.set_defaults(handler=run)


def _files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and not _SKIP_FOLDERS.intersection(p.relative_to(path).parts)
                       and p.suffix.lower() in {".xml", ".csv", ".xlsx", ".xlsm"})
            )
        else:
            files.append(path)
    return files


def validate_paths(paths: list[Path], la_code: str | None = None, key_file: Path | None = None) -> list[Diagnostic]:
    """Every problem in the files and folders given (the API behind the command)."""
    from .. import framework as fw

    catalogue: list[Path] = []
    revisions: list[Path] = []
    evidence: list[Path] = []
    problems: list[Diagnostic] = []
    for path in _files(paths):
        if not path.is_file():
            problems.append(make(UNKNOWN_FORMAT, "no such file", Location(file=str(path))))
            continue
        fmt = detect(path)
        if fmt is Format.CATALOGUE or (fmt is Format.UNKNOWN and path.suffix.lower() == ".xml"):
            catalogue.append(path)  # an unreadable XML file is reported by the catalogue reader
        elif fmt is Format.REVISION:
            revisions.append(path)
        else:
            evidence.append(path)
    if catalogue:
        documents, found = fw.read_documents(catalogue)
        problems.extend(found)
        for manifest, path in ((m, Path(m.origin.file)) for m in documents.manifests if m.origin):
            problems.extend(fw.manifest_files(manifest, path)[1])
        problems.extend(fw.semantic_problems(documents))
    if revisions:
        from ..revision import validate_revision_file

        for path in revisions:
            problems.extend(validate_revision_file(path))
    if evidence:
        from ..ingest import load_evidence
        from ..pseudonym import PseudonymKey

        key = PseudonymKey.resolve(key_file)
        problems.extend(load_evidence(evidence, key=key, la_code=la_code).diagnostics)
    return problems


def run(args: argparse.Namespace) -> int:
    problems = validate_paths(args.paths, args.la_code, args.pseudonym_key_file)
    print_diagnostics(problems, args.format)
    code = exit_for(problems, args.strict)
    if args.format == "text":
        errors = sum(1 for p in problems if p.is_error)
        summary = f"{errors} error(s), {len(problems) - errors} other problem(s)" if problems else "no problems found"
        print(summary, file=sys.stderr)
    return code
