"""Reference pages generated from the code: CLI, diagnostics, exit codes, LA return columns, API, performance."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
from collections import defaultdict
from pathlib import Path

from sphinx.util import logging

from .rst import Pages, esc, heading, indent, list_table, literal, literal_block

logger = logging.getLogger(__name__)

REF_DIR = "_generated/reference"
#: snippets included by other pages (excluded from the build as documents)
INCLUDE_DIR = "_generated/includes"
HELP_WIDTH = 96


# ------------------------------------------------------------------ importing everything


def import_all() -> tuple[list[str], list[str]]:
    """Import every regframe module so every diagnostic code is registered.

    ``regframe.bdd`` (and anything under it) is skipped when pytest-bdd is not
    installed. Returns the modules imported and those skipped, with why.
    """
    import regframe

    try:
        import pytest_bdd  # noqa: F401
        have_bdd = True
    except ImportError:
        have_bdd = False
    imported, skipped = [], []

    def onerror(name: str) -> None:
        skipped.append(f"{name} (could not be walked)")

    for info in pkgutil.walk_packages(regframe.__path__, "regframe.", onerror=onerror):
        name = info.name
        if (name == "regframe.bdd" or name.startswith("regframe.bdd.")) and not have_bdd:
            skipped.append(f"{name} (pytest-bdd is not installed)")
            continue
        if name.endswith("__main__"):
            continue
        try:
            importlib.import_module(name)
        except Exception as error:  # a colleague's half-written module must not stop the docs
            logger.warning("rfdocs: cannot import %s: %s: %s", name, type(error).__name__, error)
            skipped.append(f"{name} ({type(error).__name__})")
        else:
            imported.append(name)
    return imported, skipped


# ------------------------------------------------------------------ diagnostics


def _declaring_modules() -> dict[str, list[str]]:
    import sys

    from regframe.core.diagnostics import DiagnosticCode

    found: dict[str, list[str]] = defaultdict(list)
    for name, module in sorted(sys.modules.items()):
        if not (name == "regframe" or name.startswith("regframe.")) or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, DiagnosticCode) and name not in found[value.id]:
                found[value.id].append(name)
    return found


def diagnostics_page() -> str:
    from regframe.core.diagnostics import registered_codes

    codes = registered_codes()
    modules = _declaring_modules()
    out = [".. _diagnostic-codes:", "", heading("Diagnostic codes", "=", over=True),
           f"Every problem regframe reports has a code. These are all {len(codes)} of them, generated from "
           ":func:`regframe.core.diagnostics.registered_codes` after importing every regframe module. The severity "
           "is the default; a reader may raise or lower it for a particular case and says so in the message. "
           "*error* means the record (or file) was rejected; *warning* means it was kept but needs explaining; "
           "*info* is a remark. Messages carry the location: ``file:line`` for text, ``file!sheet!cell`` for "
           "workbooks, ``file:row N:column`` for CSV.", ""]
    by_hundred: dict[str, list] = defaultdict(list)
    for c in codes:
        by_hundred[c.id[:3] + "xx" if c.id[:2] == "RF" and c.id[2:3].isdigit() else "other"].append(c)
    for group in sorted(by_hundred):
        members = by_hundred[group]
        where = sorted({m for c in members for m in modules.get(c.id, [])})
        out.append(heading(f"{group}: {', '.join(m.removeprefix('regframe.') for m in where) or 'regframe'}", "-"))
        for c in members:
            body = [f"**{esc(c.summary)}**", ""]
            if c.explanation:
                body += [c.explanation.strip(), ""]
            body.append(f":Severity: {c.severity.value}")
            if modules.get(c.id):
                body.append(":Declared in: " + ", ".join(literal(m) for m in modules[c.id]))
            out.append(f".. diagnostic:: {c.id} || {c.severity.value}\n\n{indent(chr(10).join(body))}\n")
    return "\n".join(out)


# ------------------------------------------------------------------ exit codes


def exit_codes_page() -> str:
    from sphinx.pycode import ModuleAnalyzer

    from regframe.core.exitcodes import ExitCode

    docs = ModuleAnalyzer.for_module("regframe.core.exitcodes").find_attr_docs()
    out = [".. _exit-codes:", "", heading("Exit codes", "=", over=True),
           "Every ``regframe`` command ends with one of these codes (:class:`regframe.core.exitcodes.ExitCode`); "
           "scripts and CI jobs can branch on them and they never change meaning. Generated from the enum.", ""]
    for member in ExitCode:
        text = " ".join(docs.get(("ExitCode", member.name), [])).strip()
        out.append(f".. exit-code:: {member.name} || {member.value}\n\n   {esc(text)}\n")
    return "\n".join(out)


# ------------------------------------------------------------------ the LA return


def la_return_columns() -> tuple[str, dict[str, list[str]]]:
    """The column reference page, and which LA-return columns feed each evidence kind."""
    from regframe.ingest import la_return_columns as cols

    feeders: dict[str, list[str]] = defaultdict(list)
    out = [heading("LA return columns", "=", over=True),
           "Every column of the regframe LA oversight return, generated from :mod:`regframe.ingest.la_return_columns` "
           "(the same definitions build the template's headers, data validation and input messages, and drive "
           "the reader). *Required* columns must be filled on every row; other columns may be left blank. "
           "Headers are matched after normalising case, spaces and punctuation, and the aliases listed are "
           "accepted too, so an LA's own spreadsheet usually reads without renaming anything.", "",
           f"Besides the data sheets, the {literal(cols.INSTRUCTIONS_SHEET)} sheet holds the return's "
           f"{literal(cols.LA_CODE_LABEL)} and {literal(cols.AS_AT_LABEL)} (each in the cell right of its label). "
           f"A row whose {literal('example column')} says {literal(cols.EXAMPLE_MARKER)} is the worked example "
           "and is skipped.", ""]
    for sheet in cols.SHEETS:
        out.append(heading(f"Sheet {sheet.name!r}", "-").replace("'", '"'))
        out += [esc(sheet.title) + ".", "",
                f"One row per {', '.join(literal(k) for k in sheet.key)}: a second row with the same key is "
                f"reported as a duplicate. Example row marker column: {literal(sheet.example_column)}.", ""]
        for column in sheet.columns:
            rules = []
            if column.minimum is not None or column.maximum is not None:
                rules.append(f"range {column.minimum if column.minimum is not None else '…':g} to "
                             f"{column.maximum if column.maximum is not None else '…':g}"
                             if isinstance(column.minimum, (int, float)) and isinstance(column.maximum, (int, float))
                             else f"range {column.minimum} to {column.maximum}")
            if column.choices:
                rules.append("one of " + ", ".join(literal(c) for c in column.choices))
            if column.not_future:
                rules.append("not after the return's *Data as at* date")
            feeds = column.feeds
            feeds_text = literal(feeds)
            for token in feeds.replace("(", " ").split():
                if token.startswith("ek."):
                    feeds_text = f":ek:`{token}`" + (f" ({esc(feeds.split('(', 1)[1].rstrip(')'))})"
                                                     if "(" in feeds else "")
                    feeders[token].append(f":retcol:`{sheet.name}/{column.header}`")
            body = [esc(column.help), "",
                    f":Header: {literal(column.header)} (machine name {literal(column.name)})",
                    f":Type: {column.type.value}",
                    f":Required: {'yes' if column.required else 'no'}"]
            if rules:
                body.append(":Rules: " + "; ".join(rules))
            body.append(f":Feeds: {feeds_text}")
            if column.aliases:
                body.append(":Also accepted: " + ", ".join(literal(a) for a in column.aliases))
            if column.example not in (None, ""):
                body.append(f":Example: {literal(column.example)}")
            out.append(f".. la-column:: {sheet.name}/{column.header}\n\n{indent(chr(10).join(body))}\n")
        out.append("Summary of the sheet:\n")
        out.append(list_table(
            ["Column", "Type", "Required", "Help"],
            [[f":retcol:`{column.header} <{sheet.name}/{column.header}>`", column.type.value,
              "yes" if column.required else "no", esc(column.help)] for column in sheet.columns],
            widths=[22, 10, 8, 60]))
    return "\n".join(out), dict(feeders)


# ------------------------------------------------------------------ the CLI


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:  # argparse has no public walk
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((name, helps.get(name, ""), sub))
    return found


def _help(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=HELP_WIDTH, max_help_position=30)
    return parser.format_help()


def cli_page() -> str:
    from regframe.cli import build_parser

    parser = build_parser()
    out = [".. _cli:", "", heading("Command-line reference", "=", over=True),
           "Generated from the parser itself (:func:`regframe.cli.build_parser`), so it is exactly what "
           "``regframe COMMAND --help`` prints. Exit codes are listed under :ref:`exit-codes`.", "",
           ".. command:: regframe", "", indent(literal_block(_help(parser))), ""]

    def walk(prefix: str, sub: argparse.ArgumentParser, help_text: str, depth: int) -> None:
        name = f"{prefix}"
        out.append(heading(literal(name), "-" if depth == 1 else "~"))
        if help_text:
            out.extend([esc(help_text[:1].upper() + help_text[1:]) + ".", ""])
        out.extend([f".. command:: {name}", "", indent(literal_block(_help(sub))), ""])
        for child, child_help, child_parser in _subparsers(sub):
            walk(f"{prefix} {child}", child_parser, child_help, depth + 1)

    for name, help_text, sub in _subparsers(parser):
        walk(f"regframe {name}", sub, help_text, 1)
    return "\n".join(out)


def command_names() -> set[str]:
    from regframe.cli import build_parser

    names: set[str] = set()

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        for name, _, sub in _subparsers(parser):
            names.add(f"{prefix} {name}")
            walk(f"{prefix} {name}", sub)

    walk("regframe", build_parser())
    return names


def command_snippets(pages: Pages) -> None:
    """One include per command the hand-written pages talk about: a link if it exists, a sentence if not."""
    names = command_names()
    for name, what in (("regframe diff", "compares a framework with a revision"),
                       ("regframe impact", "shows what a revision changes for assessed settings"),
                       ("regframe verify", "runs the feature files against a framework or revision"),
                       ("regframe report", "writes the gap report"),
                       ("regframe profile", "writes the one-page profile of each setting named"),
                       ("regframe validate", "checks catalogue, revision and evidence files"),
                       ("regframe template la-return", "writes a blank LA return"),
                       ("regframe standards list", "lists the instruments")):
        slug = name.replace(" ", "-")
        if name in names:
            text = f"The :cmd:`{name}` command {what}; its options are in the :ref:`CLI reference <cli>`."
        else:
            text = (f"``{name}`` ({what}) is not part of this build of regframe yet; this sentence is generated "
                    "and turns into a link to its reference once the command exists.")
        pages.write(f"{INCLUDE_DIR}/cmd-{slug}.rst", text + "\n")


# ------------------------------------------------------------------ API


#: the modules the docs single out for inspection software, in reading order
CORE_MODULES = ("regframe.framework.model", "regframe.framework.graph", "regframe.framework", "regframe.evidence", "regframe.assess.mapping",
                "regframe.assess", "regframe.assess.results", "regframe.revisions.revision", "regframe.revisions.diff", "regframe.report")


def _documentable() -> list[str]:
    """Every regframe module worth a page: all but entry points, the version file and the CLI's command modules."""
    import regframe

    try:
        import pytest_bdd  # noqa: F401
        have_bdd = True
    except ImportError:
        have_bdd = False
    names = []
    for info in pkgutil.walk_packages(regframe.__path__, "regframe."):
        name = info.name
        if name.endswith(".__main__") or name == "regframe._version":
            continue
        if name.startswith("regframe.cli."):
            continue
        if name.startswith("regframe.bdd") and not have_bdd:
            continue
        names.append(name)
    return names


def api_page() -> tuple[str, list[str], list[str]]:
    import regframe

    available, missing = [], []
    for name in dict.fromkeys([*CORE_MODULES, *_documentable()]):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - absent or half-written: say so on the page
            missing.append(name)
        else:
            available.append(name)
    rows = []
    for public in regframe.__all__:
        value = getattr(regframe, public)
        if public == "__version__":
            rows.append([literal("__version__"), "data", f"the installed version ({esc(regframe.__version__)})"])
            continue
        module = getattr(value, "__module__", "regframe")
        if module not in available:
            logger.warning("rfdocs: regframe.%s is defined in %s, which has no API page", public, module)
        doc = (getattr(value, "__doc__", "") or "").strip().splitlines()
        summary = esc(doc[0]) if doc else ""
        kind = "class" if isinstance(value, type) else "function"
        role = "class" if kind == "class" else "func"
        rows.append([f":py:{role}:`~{module}.{public}`", kind, summary])
    stubs = []
    for public in regframe.__all__:
        value = getattr(regframe, public)
        if public == "__version__":
            stubs.append(f".. py:data:: __version__\n   :no-index-entry:\n\n   The installed version "
                         f"(``{regframe.__version__}`` when these pages were built).\n")
            continue
        module = getattr(value, "__module__", "regframe")
        directive, role = ("class", "class") if isinstance(value, type) else ("function", "func")
        doc = (getattr(value, "__doc__", "") or "").strip().splitlines()
        summary = esc(doc[0]) if doc else ""
        stubs.append(f".. py:{directive}:: {public}\n   :no-index-entry:\n   :no-typesetting:\n")
        del summary, role
    core = [m for m in CORE_MODULES if m in available]
    supporting = [m for m in available if m not in CORE_MODULES]
    out = [heading("Python API", "=", over=True),
           ".. automodule:: regframe", "   :no-members:", "",
           heading("The stable API: ``regframe.__all__``", "-"),
           "Every name below is importable from ``regframe`` directly and is covered by the "
           ":doc:`stability promise </software/stability>`. Each links to its full documentation in the module "
           "that defines it. Generated from ``regframe.__all__``; examples are in :doc:`/software/api-examples`.",
           "", list_table(["Name", "Kind", "Summary"], rows, widths=[28, 10, 62]), *stubs,
           heading("Core modules", "-"),
           "The modules inspection software works with, documented from their docstrings and type hints. Names "
           "outside ``regframe.__all__`` may change between minor versions.", ""]
    missing_core = [m for m in CORE_MODULES if m in missing]
    if missing_core:
        out += ["Not in this build (being written, or not importable): "
                + ", ".join(literal(m) for m in missing_core) + ".", ""]
    out += [".. toctree::", "   :maxdepth: 1", "", *(f"   {name}" for name in core), "",
            heading("Supporting modules", "-"),
            "Everything else in the package, for contributors and the curious (readers, checks, the CLI's "
            "parser, the benchmark), on :doc:`one page <supporting>`.", "",
            ".. toctree::", "   :maxdepth: 1", "", "   supporting", ""]
    return "\n".join(out), core, supporting


def supporting_page(names: list[str]) -> str:
    """Every supporting module on one page: one page each would put dozens more pages in the navigation."""
    out = [heading("Supporting modules", "=", over=True),
           "The rest of the package, documented from docstrings and type hints. None of it is covered by the "
           ":doc:`stability promise </software/stability>` except through ``regframe.__all__``.", ""]
    out += [f"* :py:mod:`{name}`" for name in names]
    out.append("")
    for name in names:
        out += [f".. rubric:: {literal(name)}", "   :class: rf-group", "",
                f".. automodule:: {name}", "   :members:", "   :undoc-members:", ""]
    return "\n".join(out)


def module_page(name: str) -> str:
    """A module's page: every member, documented or not (type hints name undocumented classes too)."""
    options = ["   :members:", "   :undoc-members:"]
    return "\n".join([heading(literal(name), "=", over=True), f".. automodule:: {name}", *options, ""])


# ------------------------------------------------------------------ shipped revisions


def revisions_include() -> str:
    """A table of the revisions shipped in ``standards/revisions/``, read with regframe's own reader."""
    from collections import Counter

    from regframe.core.resources import standards_dir
    from regframe.revisions.revision import read_revision

    rows = []
    for path in sorted((standards_dir() / "revisions").glob("*.xml")):
        revision, problems = read_revision(path)
        if revision is None:
            logger.warning("rfdocs: cannot read revision %s: %s", path.name, "; ".join(str(p) for p in problems[:3]))
            continue
        kinds = Counter(type(change).__name__.lower() for change in revision.changes)
        changes = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
        rows.append([literal(path.name), esc(revision.title), literal(revision.base), changes,
                     esc(" ".join(revision.rationale.split())[:400]) + ("…" if len(revision.rationale) > 400 else "")])
    if not rows:
        return "There are no revisions in ``standards/revisions/`` in this build.\n"
    return ("Generated from ``standards/revisions/`` with regframe's revision reader:\n\n"
            + list_table(["File", "Title", "Base", "Changes", "Rationale"], rows, widths=[16, 18, 14, 14, 38]))


# ------------------------------------------------------------------ performance, schemas


#: figures measured when this release was made, kept so every build of the docs can show them
RECORDED_BENCH = ("software/bench-2026-12-07-14fe5fb.json",
                  "measured on 7 December 2026 (01:45–01:51 UTC) on this project's 2-core, 24 GB build "
                  "machine, with nothing else running, by ``python -m regframe.bench --repeat 2`` (commit "
                  "14fe5fb; the other runs are in the text above, the fast spell's 23:18 run of fbdd8e7 on "
                  "6 December, which met every target, in ``docs/software/bench-2026-12-06-fbdd8e7.json``, the "
                  "21:21 run of 1f4ac53 in ``docs/software/bench-2026-12-06-1f4ac53.json``, the 20:29 run of "
                  "2263d1d in ``docs/software/bench-2026-12-06-2263d1d.json`` and the 19:05 run of f555190 in "
                  "``docs/software/bench-2026-12-06.json``)")


def bench_page(repo: Path) -> str:
    found = repo / "bench-out" / "bench.json"
    if found.is_file():
        where = "the figures from ``bench-out/bench.json``, as written by the last ``make bench`` on the machine that built these docs"
    else:
        found = repo / "docs" / RECORDED_BENCH[0]
        where = f"the figures recorded in ``docs/{RECORDED_BENCH[0]}``, {RECORDED_BENCH[1]}; run ``make bench`` to measure your own"
        if not found.is_file():
            return ("No benchmark figures are included in this build. Run ``make bench`` (it writes "
                    "``bench-out/bench.json``) and rebuild the docs to include them.\n")
    data = json.loads(found.read_text(encoding="utf-8"))
    try:
        from regframe.bench.national import render

        text = render(data)
    except Exception:  # noqa: BLE001 - the format is the bench's; fall back to the raw figures
        text = json.dumps(data, indent=2)
    return where[0].upper() + where[1:] + ":\n\n" + literal_block(text)


def _limit_value(name: str, value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f} to 1"
    if isinstance(value, int) and name.endswith("_bytes"):
        for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
            if value >= size and value % size == 0:
                return f"{value // size:,} {unit}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def limits_include() -> str:
    """The spreadsheet readers' limits, from their ``Limits`` classes and the comments on each field."""
    import attrs
    from sphinx.pycode import ModuleAnalyzer

    out = []
    for title, module in (("xlsx (LA returns, Annex A): ``regframe.io.xlsxsafe.Limits``", "regframe.io.xlsxsafe"),
                          ("ODS (Ofsted's workbook): ``regframe.io.ods.Limits``", "regframe.io.ods")):
        limits = importlib.import_module(module).Limits
        said = ModuleAnalyzer.for_module(module).find_attr_docs()
        rows = [(literal(field.name), esc(_limit_value(field.name, field.default)),
                 esc(" ".join(said.get(("Limits", field.name), [])).strip()))
                for field in attrs.fields(limits)]
        out += [f"**{title}**", "", list_table(("limit", "default", "what it bounds"), rows, widths=(22, 14, 64)), ""]
    return "\n".join(out)


def schema_include(relative_to_docs: str, path: Path, language: str, missing: str) -> str:
    if path.is_file():
        return f".. literalinclude:: {relative_to_docs}\n   :language: {language}\n"
    return missing + "\n"
