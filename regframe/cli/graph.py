"""``regframe graph export``: write the requirement graph for Gephi, yEd, Graphviz or a script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regframe.cli.common import add_framework_option, iso_date, load_framework_arg
from regframe.core.exitcodes import ExitCode
from regframe.framework.export import FORMATS, export
from regframe.framework.graph import build_graph


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("graph", help="export the requirement graph")
    commands = parser.add_subparsers(dest="graph_command", metavar="SUBCOMMAND")
    commands.required = True
    exporter = commands.add_parser(
        "export", help="write the graph as GraphML, GEXF, node-link JSON or Graphviz DOT",
        description="Write the framework's requirements, evidence kinds and typed links to a file.",
    )
    exporter.add_argument("--format", choices=FORMATS, required=True, help="file format")
    exporter.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="file to write")
    exporter.add_argument("--as-at", type=iso_date, metavar="DATE", help="only requirements in force on DATE")
    add_framework_option(exporter)
    exporter.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    graph = build_graph(load_framework_arg(args.framework))
    try:
        export(graph, args.format, args.output, args.as_at)
    except OSError as error:
        print(f"regframe: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.OUTPUT
    print(f"wrote {args.output} ({graph.graph.number_of_nodes()} nodes, {graph.graph.number_of_edges()} links)")
    return ExitCode.OK
