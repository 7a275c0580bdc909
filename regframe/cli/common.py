"""Pieces every command shares: option types, framework loading, printing tables and diagnostics."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from regframe.core.diagnostics import Diagnostic, Severity
from regframe.core.exitcodes import ExitCode
from regframe.evidence.model import EvidenceSet
from regframe.framework.converter import converter
from regframe.framework.model import Framework


def iso_date(text: str) -> dt.date:
    """An argparse type for ``YYYY-MM-DD`` (also accepts ``DD/MM/YYYY``, as analysts type it)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def add_framework_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--framework", metavar="PATH", type=Path,
        help="framework manifest or revision file to use (default: the framework regframe ships)",
    )


def add_format_option(parser: argparse.ArgumentParser, choices: Sequence[str], default: str) -> None:
    parser.add_argument("--format", choices=list(choices), default=default, help=f"output format (default: {default})")


def add_evidence_options(parser: argparse.ArgumentParser) -> None:
    """Options for commands that read children's data."""
    parser.add_argument(
        "--pseudonym-key-file", metavar="FILE", type=Path,
        help="file holding the secret key for child pseudonyms (else $REGFRAME_PSEUDONYM_KEY, else a random key)",
    )
    parser.add_argument(
        "--la", metavar="CODE", dest="la_code",
        help="LA code to pseudonymise child ids with, for files that do not carry one (SSDA903, Annex A)",
    )
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 1) on warnings too; errors, unreadable files and rejected records always fail")


def load_framework_arg(path: Path | None) -> Framework:
    """The framework a command runs against: the shipped one, a manifest, or a revision applied to its base."""
    from regframe.revisions.revision import load_framework_or_revision

    return load_framework_or_revision(path)


def print_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str = "text", stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    items = list(diagnostics)
    if fmt == "json":
        json.dump(converter.unstructure(items), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    for diagnostic in items:
        print(diagnostic, file=stream)


def load_for_command(paths: Iterable[Path], key: Any, la_code: str | None) -> EvidenceSet:
    """``load_evidence`` as every command uses it: a path that cannot be opened is one more error, not the end.

    The API raises :class:`~regframe.ingest.InputNotFound` for it; a command goes on with what
    could be read (the RF301 error is among the diagnostics, so the command exits 1).
    """
    from regframe.ingest import InputNotFound, load_evidence

    try:
        return load_evidence(paths, key=key, la_code=la_code)
    except InputNotFound as missing:
        return missing.evidence


def exit_for(diagnostics: Iterable[Diagnostic], strict: bool = False) -> ExitCode:
    """The rule of :data:`~regframe.core.exitcodes.EXIT_TABLE`: errors always fail; with ``--strict`` warnings do too.

    Unreadable files (RF301) and rejected records (RF340) are errors among the diagnostics
    ``load_evidence`` returns, so every command that reads evidence fails on them the same way.
    """
    worst = {d.severity for d in diagnostics}
    if Severity.ERROR in worst or (strict and Severity.WARNING in worst):
        return ExitCode.FINDINGS
    return ExitCode.OK


def write_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, stream: TextIO | None = None) -> None:
    """Print rows as an aligned table, CSV or JSON (analysts pipe the CSV into spreadsheets).

    CSV cells that a spreadsheet would run as a formula are written as text (:mod:`regframe.io.csvout`);
    JSON carries every value as it is.
    """
    stream = stream or sys.stdout
    if fmt == "json":
        json.dump(list(rows), stream, indent=2, ensure_ascii=False, default=str)
        stream.write("\n")
    elif fmt == "csv":
        from regframe.io.csvout import formula_safe

        writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writerow({c: formula_safe(c) for c in columns})
        for row in rows:
            writer.writerow({c: formula_safe(_csv_cell(row.get(c))) for c in columns})
    else:
        table = [[str(c) for c in columns]] + [[_cell(row.get(c)) for c in columns] for row in rows]
        widths = [min(max(len(r[i]) for r in table), 60) for i in range(len(columns))]
        for index, line in enumerate(table):
            print("  ".join(_clip(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(line)).rstrip(), file=stream)
            if index == 0:
                print("  ".join("-" * w for w in widths), file=stream)


def _csv_cell(value: Any) -> Any:
    """A CSV cell's value: numbers as numbers (so ``-3`` is not taken for a formula), the rest as the table shows it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width``: a path keeps its end (the file's name, and after ``#`` its sheet), the rest its start.

    The rows of a table differ where a path ends: five sheets of one workbook cut at their
    start would read as five rows of the same folder.
    """
    if len(text) <= width:
        return text
    if _PATH.match(text):
        return "…" + text[len(text) - width + 1:]
    return text[: width - 1] + "…"


#: what reads as a path: absolute (``/``, ``~``, ``C:\\``) or relative (``./``, ``../``), or no spaces and a separator
_PATH = re.compile(r"(?:[/~]|\.\.?[/\\]|[A-Za-z]:[/\\]|[^\s]*[/\\])")


def mapping_problems(evidence: EvidenceSet, framework: Path | None) -> tuple[list[Diagnostic], str | None]:
    """The problems mapping ``evidence`` onto the framework gives, and a note on items that could not be checked.

    A framework that does not load is itself the problem: its errors are returned and nothing is mapped.
    """
    from regframe.assess.mapping import check_mapping
    from regframe.framework.loading import FrameworkInvalid

    try:
        loaded = load_framework_arg(framework)
    except FrameworkInvalid as invalid:
        return invalid.diagnostics, "the framework has errors, so evidence references were not checked against it"
    check = check_mapping(loaded, evidence)
    return list(check.diagnostics), check.note


# ---------------------------------------------------------------- the inputs of an assessing command (report, profile)


def add_assessment_inputs(parser: argparse.ArgumentParser) -> None:
    """``--evidence``, ``--settings``, ``--demo`` and ``--as-at``, as every command that assesses settings reads them."""
    parser.add_argument("--evidence", nargs="+", type=Path, default=[], metavar="PATH",
                        help="evidence files or folders (format detected from content)")
    parser.add_argument("--settings", nargs="+", type=Path, default=[], metavar="OFSTED_CSV",
                        help="Ofsted provider-level CSV(s) giving the register of settings")
    parser.add_argument("--history", nargs="+", type=Path, default=[], metavar="PATH",
                        help="Ofsted files (in-year inspections, earlier registers, joiners and leavers) read for the "
                             "history of the settings the other files name; a setting only these name is not rated")
    parser.add_argument("--demo", action="store_true", help="use the bundled demo dataset")
    parser.add_argument("--as-at", type=iso_date, metavar="DATE",
                        help="assess as at DATE (default: today; the demo's own date with --demo)")


class AssessmentInputs:
    """The files to read, the as-at date, the pseudonym key and LA code, resolved from the command line once."""

    def __init__(self, paths: list[Path], as_at: dt.date, key: Any, la_code: str | None,
                 history: Sequence[Path] = ()) -> None:
        self.paths = paths
        self.as_at = as_at
        self.key = key
        self.la_code = la_code
        self.history = list(history)
        #: URNs of the settings only ``history`` files named, left out of the assessment by :meth:`read`
        self.history_only: list[str] = []

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AssessmentInputs:
        """``--demo`` adds the bundled files, date and LA; no file at all is a usage error."""
        from regframe.cli import UsageError
        from regframe.evidence.pseudonym import ENV_VAR, PseudonymKey

        paths: list[Path] = [*args.settings, *args.evidence]
        key = None
        as_at = args.as_at
        la_code = args.la_code
        if args.demo:
            from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths

            paths = [*demo_paths(), *paths]
            as_at = as_at or AS_AT
            la_code = la_code or EXTRACT_LA
            if args.pseudonym_key_file is None and not os.environ.get(ENV_VAR):
                # The demo's children are fictional, so a published key is safe and makes the demo reproducible.
                key = PseudonymKey.from_text(DEMO_KEY, "demo")
        history = list(getattr(args, "history", []) or [])
        if not paths:
            raise UsageError("give --evidence PATH... (and/or --settings OFSTED.csv), or --demo"
                             + ("; --history adds history to those settings and names none itself" if history else ""))
        return cls(paths, as_at or dt.date.today(), key or PseudonymKey.resolve(args.pseudonym_key_file), la_code,
                   history)

    def read(self, say: Callable[..., None]) -> EvidenceSet:
        """Read every file, printing notes, problems (to stderr) and a one-line account of what was read.

        With ``--history``, every file is read together (so an inspection two files report counts
        once), then the settings only the history files name are left out
        (:func:`regframe.report.national.keep_described`): which settings there are is what the
        other files say, read on their own first.
        """
        evidence = load_for_command([*self.paths, *self.history], self.key, self.la_code)
        if self.history:
            from regframe.report.national import keep_described

            described = load_for_command(self.paths, self.key, self.la_code).settings
            self.history_only = keep_described(evidence, described)
        for note in evidence.notes:
            say(f"note: {note}")
        if evidence.diagnostics:
            print_diagnostics(evidence.diagnostics, stream=sys.stderr)
        say(f"read {len(evidence.inputs)} file(s): {len(evidence.settings)} settings, {len(evidence.items)} evidence items, "
            f"{len(evidence.placements)} placements, {len(evidence.metrics)} monthly figures; "
            f"{evidence.rejected} record(s) rejected")
        return evidence


def say_unless(quiet: bool) -> Callable[..., None]:
    """``print``, or nothing with ``--quiet``."""
    return (lambda *a: None) if quiet else (lambda *a: print(*a))


def assess_evidence(framework: Any, evidence: EvidenceSet, as_at: dt.date,
                    progress: Callable[[int, int], None] | None = None) -> tuple[Any, Any, list[Diagnostic]]:
    """Assess ``evidence`` against a loaded framework: the graph, the assessment, and the references mapping nowhere.

    Those mapping problems are printed to stderr (they are in the report too).
    """
    from regframe.assess import assess
    from regframe.assess.mapping import check_mapping
    from regframe.framework.graph import build_graph

    graph = build_graph(framework)
    assessment = assess(graph, evidence, as_at, progress=progress)
    mapping = list(check_mapping(graph, evidence).diagnostics)
    if mapping:
        print_diagnostics(mapping, stream=sys.stderr)
    return graph, assessment, mapping
