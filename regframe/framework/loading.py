"""Loading a whole framework (or a loose set of catalogue files) with all three tiers of checks.

``load_framework`` is what importers call: it returns a :class:`Framework` or
raises :class:`FrameworkInvalid` carrying every problem. ``check_paths`` is
what ``regframe validate`` calls: it never raises, and returns whatever could
be read alongside every diagnostic.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.core.resources import default_framework_path
from regframe.core.text import shown
from regframe.framework import catalogue, checks
from regframe.framework.model import Framework, Instrument, LinkSet, Manifest, Vocabulary

MANIFEST_INCLUDE_MISSING = code(
    "RF212", Severity.ERROR, "manifest includes a file that does not exist",
    "A framework manifest's ``<include href>`` is resolved relative to the manifest; the file is not there.",
)
NOT_A_MANIFEST = code(
    "RF213", Severity.ERROR, "expected a framework manifest",
    "A framework is loaded from its manifest (``<framework>`` root), which names the files that make it up.",
)


class FrameworkInvalid(Exception):
    """A framework that has errors; ``diagnostics`` lists every one of them."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error]
        lines = "\n".join(str(d) for d in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"framework has {len(errors)} error(s):\n{lines}{more}")


@attrs.frozen
class Documents:
    """Catalogue documents read from some files, sorted by kind."""

    instruments: tuple[Instrument, ...] = ()
    linksets: tuple[LinkSet, ...] = ()
    vocabularies: tuple[Vocabulary, ...] = ()
    manifests: tuple[Manifest, ...] = ()


def read_documents(paths: Iterable[Path]) -> tuple[Documents, list[Diagnostic]]:
    """Read every file (tiers one and two), keeping what can be read."""
    sorted_docs: dict[type, list] = {Instrument: [], LinkSet: [], Vocabulary: [], Manifest: []}
    problems: list[Diagnostic] = []
    for path in paths:
        document, found = catalogue.read_file(path)
        problems.extend(found)
        if document is not None:
            sorted_docs[type(document)].append(document)
    documents = Documents(
        tuple(sorted_docs[Instrument]), tuple(sorted_docs[LinkSet]),
        tuple(sorted_docs[Vocabulary]), tuple(sorted_docs[Manifest]),
    )
    return documents, problems


def semantic_problems(documents: Documents) -> list[Diagnostic]:
    """Tier three, across all the documents together (whatever the date: :func:`regframe.framework.checks.check`)."""
    requirements = [r for i in documents.instruments for r in i.requirements]
    kinds = [k for v in documents.vocabularies for k in v.evidence_kinds]
    extra = [link for s in documents.linksets for link in s.links]
    return checks.check(requirements, kinds, extra)


def route_problems(manifest: Manifest, documents: Documents) -> list[Diagnostic]:
    """The manifest's citation routes checked against the instruments of its files (read into ``documents``)."""
    return checks.check_routes(manifest.citation_routes, (i.id for i in documents.instruments))


def manifest_files(manifest: Manifest, manifest_path: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The files a manifest includes, and RF212 at its ``<include>`` for each that is not a file.

    An href no file can have (longer than the system allows a name to be) is said so, with the
    system's reason, rather than raising.
    """
    base = manifest_path.parent
    files, problems = [], []
    for index, href in enumerate(manifest.includes):
        where = manifest.include_origin(index) or Location(file=str(manifest_path))
        try:
            path = (base / href).resolve()
            found = path.is_file()
        except OSError as error:
            problems.append(make(MANIFEST_INCLUDE_MISSING, f"{shown(href)} cannot name a file: "
                                 f"{error.strerror or type(error).__name__}", where))
            continue
        if found:
            files.append(path)
        else:
            problems.append(make(MANIFEST_INCLUDE_MISSING, f"{href} (looked for {path})", where))
    return files, problems


def check_framework(path: str | Path | None = None) -> tuple[Framework | None, list[Diagnostic]]:
    """Load a framework from its manifest with every check; never raises for bad input."""
    manifest_path = Path(path) if path is not None else default_framework_path()
    document, problems = catalogue.read_file(manifest_path)
    if document is None:
        return None, problems
    if not isinstance(document, Manifest):
        return None, [*problems, make(NOT_A_MANIFEST, f"{manifest_path} is a {type(document).__name__}",
                                      Location(file=str(manifest_path)))]
    files, missing = manifest_files(document, manifest_path)
    documents, found = read_documents(files)
    problems = [*problems, *missing, *found, *semantic_problems(documents), *route_problems(document, documents)]
    framework = Framework(document, documents.instruments, documents.linksets, documents.vocabularies)
    return framework, problems


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime_key: tuple[float, ...]) -> tuple[Framework | None, tuple[Diagnostic, ...]]:
    framework, problems = check_framework(path)
    return framework, tuple(problems)


def _mtimes(manifest: Path) -> tuple[float, ...]:
    folder = manifest.parent
    return tuple(sorted(p.stat().st_mtime for p in folder.rglob("*.xml")))


def load_framework(path: str | Path | None = None) -> Framework:
    """Load a framework, raising :class:`FrameworkInvalid` if it has any error.

    Warnings (suspect links, links into withdrawn requirements) do not stop
    loading; call :func:`check_framework` to see them. Results are cached per
    manifest while no catalogue file in its folder changes.
    """
    manifest = (Path(path) if path is not None else default_framework_path()).resolve()
    framework, problems = _cached(str(manifest), _mtimes(manifest))
    if framework is None or any(p.is_error for p in problems):
        raise FrameworkInvalid(problems)
    return framework


def catalogue_files(folder: Path) -> list[Path]:
    """The catalogue files of a folder, skipping its schemas and revisions."""
    skip = {"schema", "revisions"}
    return sorted(p for p in folder.rglob("*.xml") if not skip.intersection(p.relative_to(folder).parts))
