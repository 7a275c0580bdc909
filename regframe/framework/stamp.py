"""Stamping links with their target's fingerprint, in place, keeping the files' comments and layout.

Stamping says "a person has reviewed this link against the target's current
statement". It edits only the ``fingerprint`` attributes of ``<link>``
elements, so hand-written comments and ordering survive.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from regframe.core.atomic import atomic_write_bytes
from regframe.core.resources import default_framework_path
from regframe.framework.catalogue import NS
from regframe.framework.loading import check_framework, manifest_files
from regframe.io import xmlsafe


def stamp_framework(manifest: Path | None = None, only_missing: bool = False) -> dict[str, int]:
    """Stamp every link in the framework's files; returns the number changed per file."""
    manifest = manifest or default_framework_path()
    framework, _ = check_framework(manifest)
    if framework is None:
        raise ValueError(f"{manifest} cannot be loaded")
    fingerprints = {r.id: r.fingerprint for r in framework.requirements()}
    files, _ = manifest_files(framework.manifest, Path(manifest))
    changed: dict[str, int] = {}
    for path in files:
        tree, problems = xmlsafe.parse_file(path)
        if tree is None:
            continue
        count = 0
        for link in tree.getroot().iter(f"{{{NS}}}link"):
            target = link.get("target")
            wanted = fingerprints.get(target or "")
            if wanted is None or link.get("fingerprint") == wanted:
                continue
            if only_missing and link.get("fingerprint"):
                continue
            link.set("fingerprint", wanted)
            count += 1
        if count:
            atomic_write_bytes(path, _serialise(tree))
            changed[str(path)] = count
    return changed


def _serialise(tree: etree._ElementTree) -> bytes:
    """The document as its authors laid it out: declaration, header comments each on their own line, root."""
    root = tree.getroot()
    prolog: list[bytes] = []
    node = root.getprevious()
    while node is not None:
        prolog.insert(0, etree.tostring(node, with_tail=False, encoding="UTF-8"))
        node = node.getprevious()
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False, with_tail=False)
    return b"\n".join([b'<?xml version="1.0" encoding="UTF-8"?>', *prolog, body]) + b"\n"
