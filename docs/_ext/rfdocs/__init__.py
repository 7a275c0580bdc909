"""Sphinx extension for the regframe docs: generated pages, cross-reference object types, offline stdlib links.

On ``builder-inited`` it writes reStructuredText into ``docs/_generated/``
from the code and data: the catalogue (one page per instrument), the
crosswalk and Quality Standard diagrams (SVG drawn in Python), the evidence
kinds, the recommendations with their features, the CLI reference, the
diagnostic codes, the exit codes, the LA return columns, the report's sheets
and columns, the step glossary, the API module pages and a few includes.
Generated files are rewritten only when their content changes.
"""

from __future__ import annotations

import time
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.roles import XRefRole
from sphinx.util import logging

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------ object types


def _split(sig: str) -> list[str]:
    return [part.strip() for part in sig.split(" || ")]


def _parse_requirement(env, sig: str, signode: addnodes.desc_signature) -> str:  # noqa: ANN001
    rid, ref, title = (_split(sig) + ["", ""])[:3]
    signode += addnodes.desc_name(ref or rid, ref or rid)
    if title:
        signode += addnodes.desc_annotation(title, f": {title}")
    signode += nodes.Text("  ")
    signode += nodes.literal(rid, rid, classes=["rf-id"])
    return rid


def _parse_pair(env, sig: str, signode: addnodes.desc_signature) -> str:  # noqa: ANN001
    name, extra = (_split(sig) + [""])[:2]
    signode += addnodes.desc_name(name, name)
    if extra:
        signode += addnodes.desc_annotation(extra, f"  {extra}")
    return name


def _parse_column(env, sig: str, signode: addnodes.desc_signature) -> str:  # noqa: ANN001
    name = " ".join(sig.split())
    sheet, _, column = name.partition("/")
    signode += addnodes.desc_name(column, column)
    signode += addnodes.desc_annotation(sheet, f"  ({sheet} sheet)")
    return name


def _parse_exit(env, sig: str, signode: addnodes.desc_signature) -> str:  # noqa: ANN001
    name, value = (_split(sig) + [""])[:2]
    signode += addnodes.desc_name(value, value)
    signode += addnodes.desc_annotation(name, f"  {name}")
    return name


OBJECT_TYPES = (
    ("requirement", "req", _parse_requirement),
    ("evidence-kind", "ek", _parse_pair),
    ("diagnostic", "diag", _parse_pair),
    ("exit-code", "exit", _parse_exit),
    ("la-column", "retcol", _parse_column),
    ("report-column", "col", _parse_column),
    ("command", "cmd", None),
    ("step", "step", None),
)


class ColumnRole(XRefRole):
    """``:col:`Gaps/Status``` reads "Gaps › Status" unless given an explicit title."""

    def process_link(self, env, refnode, has_explicit_title, title, target):  # noqa: ANN001, ANN201
        title, target = super().process_link(env, refnode, has_explicit_title, title, target)
        if not has_explicit_title:
            title = title.replace("/", " › ", 1)
        return title, target


def status_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # noqa: ANN001, ANN201
    """``:rf-status:`passed``` shows a verify status in its colour."""
    return [nodes.inline(rawtext, text, classes=[f"rf-status-{text}"])], []


# ------------------------------------------------------------------ offline links to the standard library

_BUILTINS = {"str", "int", "float", "bool", "bytes", "dict", "list", "tuple", "set", "frozenset", "object", "type",
             "complex", "bytearray", "range", "memoryview"}
_STDLIB = ("datetime", "pathlib", "collections", "enum", "typing", "argparse", "io", "os", "re", "decimal",
           "hashlib", "json", "zipfile", "functools", "contextlib", "types", "abc", "uuid", "csv")
_EXCEPTIONS = {"Exception", "ValueError", "KeyError", "TypeError", "OSError", "RuntimeError", "LookupError"}


def _stdlib_url(target: str) -> str | None:
    base = "https://docs.python.org/3/library/"
    if target in ("None", "True", "False", "Ellipsis", "NotImplemented"):
        return f"{base}constants.html#{target}"
    if target in _BUILTINS:
        return f"{base}stdtypes.html#{target}" if target not in ("object", "type") else f"{base}functions.html#{target}"
    if target in _EXCEPTIONS:
        return f"{base}exceptions.html#{target}"
    module = target.split(".")[0]
    if module in _STDLIB and "." in target:
        page = "collections.abc" if target.startswith("collections.abc.") else module
        return f"{base}{page}.html#{target}"
    return None


def missing_reference(app: Sphinx, env, node, contnode):  # noqa: ANN001, ANN201
    """Resolve what the Python domain could not: the standard library offline, and short regframe names.

    regframe's docstrings often name a sibling by its short name (``:class:`Framework``` in a module that
    imports it, ``:data:`WRITE_ONLY_THRESHOLD``` in a re-exported function). When exactly one documented
    regframe object ends with that name, link to it; when none or several do, leave the reference
    unresolved so ``-n`` reports it.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    url = _stdlib_url(target)
    if url is not None:
        reference = nodes.reference("", "", internal=False, refuri=url, reftitle="(in Python's documentation)")
        reference += contnode
        return reference
    from sphinx.util.nodes import make_refnode

    domain = env.domains["py"]
    short = target.lstrip(".~")
    if node.get("reftype") == "mod":
        candidates = [(name, entry.docname, entry.node_id) for name, entry in domain.modules.items()
                      if name.endswith("." + short)]
    else:
        candidates = [(name, entry.docname, entry.node_id) for name, entry in domain.objects.items()
                      if name.startswith("regframe.") and name.endswith("." + short) and not entry.aliased]
    if len(candidates) > 1:  # a name exported from ``regframe`` and defined in a module: take the definition
        candidates = [c for c in candidates if c[0].count(".") > 1]
    if len(candidates) != 1:
        return None
    _, docname, node_id = candidates[0]
    return make_refnode(app.builder, node["refdoc"], docname, node_id, contnode, candidates[0][0])


def skip_member(app, what, name, obj, skip, options):  # noqa: ANN001, ANN201
    """Leave out the fixtures pytest-bdd generates for each step (their names are the step text)."""
    if name.startswith("pytestbdd_"):
        return True
    return None


# ------------------------------------------------------------------ generation


def generate(app: Sphinx) -> None:
    import regframe
    from regframe.core.resources import features_dir

    from . import catalogue, features, reference, report
    from .rst import Pages

    started = time.perf_counter()
    docs = Path(app.srcdir)
    repo = docs.parent
    pages = Pages(docs)

    reference.import_all()
    framework = regframe.load_framework()
    graph = regframe.build_graph(framework)

    la_page, feeders = reference.la_return_columns()
    pages.write(f"{reference.REF_DIR}/la-return.rst", la_page)
    feeders.setdefault("ek.ofsted-judgement", []).append(
        "the Ofsted provider-level CSV (``--settings``) and evidence XML")
    catalogue.write_catalogue(docs, framework, graph, feeders)

    features.recommendation_pages(pages, graph, features_dir(),
                                  [docs / "_generated" / "verify.json", repo / "bench-out" / "verify.json"])
    pages.write(f"{reference.REF_DIR}/diagnostics.rst", reference.diagnostics_page())
    pages.write(f"{reference.REF_DIR}/exit-codes.rst", reference.exit_codes_page())
    pages.write(f"{reference.REF_DIR}/cli.rst", reference.cli_page())
    pages.write(f"{reference.REF_DIR}/glossary.rst", features.glossary_page())
    reference.command_snippets(pages)

    api_index, core, supporting = reference.api_page()
    pages.write("_generated/api/index.rst", api_index)
    for name in core:
        pages.write(f"_generated/api/{name}.rst", reference.module_page(name))
    pages.write("_generated/api/supporting.rst", reference.supporting_page(supporting))

    demo_graph, assessment = report.run_demo()
    pages.write(f"{reference.INCLUDE_DIR}/demo-summary.rst", report.demo_page(demo_graph, assessment))
    for name, text in report.rule_includes().items():
        pages.write(f"{reference.INCLUDE_DIR}/rule-{name}.rst", text)
    headers = report.read_headers(demo_graph, assessment)
    pages.write(f"{reference.REF_DIR}/report-columns.rst", report.report_columns_page(headers, demo_graph))

    pages.write(f"{reference.INCLUDE_DIR}/bench.rst", reference.bench_page(repo))
    pages.write(f"{reference.INCLUDE_DIR}/revisions.rst", reference.revisions_include())
    pages.write(f"{reference.INCLUDE_DIR}/input-limits.rst", reference.limits_include())
    schema = repo / "regframe" / "report" / "assessment.schema.json"
    pages.write(f"{reference.INCLUDE_DIR}/schema-json.rst", reference.schema_include(
        "/../regframe/report/assessment.schema.json", schema, "json",
        "The JSON report's schema (``regframe/report/assessment.schema.json``) is not in this build yet; "
        "when it is, it is shown here in full."))
    pages.write(f"{reference.INCLUDE_DIR}/schema-jsonl.rst", reference.schema_include(
        "/../regframe/report/finding.schema.json", repo / "regframe" / "report" / "finding.schema.json", "json",
        "The JSON Lines report's schema (``regframe/report/finding.schema.json``) is not in this build yet."))
    pages.prune("_generated/api")
    pages.prune(reference.REF_DIR)
    pages.prune(reference.INCLUDE_DIR)
    logger.info("rfdocs: generated %d pages in %.1f s", len(pages.written), time.perf_counter() - started)


def setup(app: Sphinx) -> dict:
    for objtype, role, parse in OBJECT_TYPES:
        # references read as prose (requirement titles, evidence kinds), not as code
        app.add_object_type(objtype, role, objname=objtype.replace("-", " "), parse_node=parse,
                            ref_nodeclass=nodes.inline if role in ("req", "ek") else None)
    for role in ("col", "retcol"):
        app.add_role_to_domain("std", role, ColumnRole(innernodeclass=nodes.inline), override=True)
    app.add_role("rf-status", status_role)
    app.connect("builder-inited", generate)
    app.connect("missing-reference", missing_reference)
    app.connect("autodoc-skip-member", skip_member)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
