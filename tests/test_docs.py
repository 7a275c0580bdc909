"""The documentation's generated catalogue matches the framework, and the examples in the docs run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

from rfdocs import catalogue  # noqa: E402

import regframe  # noqa: E402
from regframe.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def framework() -> regframe.Framework:
    return regframe.load_framework()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, framework: regframe.Framework) -> list[Path]:
    root = tmp_path_factory.mktemp("docs")
    return catalogue.write_catalogue(root, framework, regframe.build_graph(framework))


def listed_instruments(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["standards", "list", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_one_catalogue_page_per_instrument_listed_by_regframe_standards_list(
    pages: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    instruments = [row["instrument"] for row in listed_instruments(capsys)]
    names = sorted(p.stem for p in pages)
    assert names == sorted([*instruments, "index"])
    assert len(pages) == len(instruments) + 1


def test_requirement_count_on_the_pages_equals_the_frameworks(pages: list[Path], framework: regframe.Framework,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    entries = {}
    for page in pages:
        if page.stem != "index":
            entries[page.stem] = re.findall(r"^\.\. requirement:: (\S+) \|\|", page.read_text(encoding="utf-8"),
                                            re.MULTILINE)
    on_pages = [rid for ids in entries.values() for rid in ids]
    assert len(on_pages) == len(framework.requirements())
    assert sorted(on_pages) == sorted(r.id for r in framework.requirements())
    listed = {row["instrument"]: row["requirements"] for row in listed_instruments(capsys)}
    assert {name: len(ids) for name, ids in entries.items()} == listed


def test_every_link_of_a_requirement_is_a_cross_reference_on_its_page(pages: list[Path],
                                                                      framework: regframe.Framework) -> None:
    page = next(p for p in pages if p.stem == "chr2015").read_text(encoding="utf-8")
    entry = page.split(".. requirement:: chr2015.r12 ||", 1)[1].split("\n.. requirement::", 1)[0]
    graph = regframe.build_graph(framework)
    for link in graph.links_out("chr2015.r12"):
        role = ":ek:" if link.rel is regframe.Rel.EVIDENCED_BY else ":req:"
        assert f"{role}`" in entry and f"<{link.target}>`" in entry, link


def test_doc_examples(tmp_path: Path) -> None:
    """Run the docs' doctest blocks (API examples, worked status examples) with Sphinx's doctest builder."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "doctest", "-d", str(tmp_path / "doctrees"), str(DOCS),
         str(tmp_path / "doctest")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = (tmp_path / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert "0 failures in tests" in output
    assert re.search(r"\b[1-9]\d* tests\b", output), output


def test_every_registered_diagnostic_code_has_an_entry() -> None:
    from rfdocs import reference

    from regframe.core.diagnostics import registered_codes

    reference.import_all()
    page = reference.diagnostics_page()
    entries = set(re.findall(r"^\.\. diagnostic:: (\S+) \|\|", page, re.MULTILINE))
    assert entries == {c.id for c in registered_codes()}
    assert entries  # the registry is not empty once every module is imported


def test_every_exit_code_and_every_command_is_documented() -> None:
    from rfdocs import reference

    from regframe.core.exitcodes import ExitCode

    page = reference.exit_codes_page()
    assert {m.name for m in ExitCode} == set(re.findall(r"^\.\. exit-code:: (\w+) \|\|", page, re.MULTILINE))
    cli = reference.cli_page()
    documented = set(re.findall(r"^\.\. command:: (.+)$", cli, re.MULTILINE))
    assert documented == reference.command_names() | {"regframe"}


def test_the_citation_routes_element_is_described_in_the_framework_and_revision_pages() -> None:
    framework_page = (DOCS / "policy" / "framework.rst").read_text()
    revisions_page = (DOCS / "policy" / "revisions.rst").read_text()
    assert "Where bare citations are read" in framework_page
    assert all(word in framework_page for word in ("<citation-routes>", "source", "setting-kind", "RF214"))
    assert "``citation-routes``\n    replaces the base's whole table" in revisions_page
