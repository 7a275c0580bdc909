"""No report names the user's folders: files by name and SHA-256 in the JSON, the workbook and the profiles.

The run reads files by absolute path from a folder with a space and an apostrophe in its name, from
another working directory, with a file in a sub-folder regframe cannot read (a warning naming it) and
Ofsted files that repeat each other's inspections (messages naming two files). Every part of every
output is searched for the folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import openpyxl

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from regframe.samples import demo
from tests.conftest import FIXTURES

NATIONAL = FIXTURES / "ofsted-national"


def test_no_output_contains_the_folders_the_inputs_were_read_from(tmp_path, monkeypatch):
    folder = tmp_path / "Ana's returns" / "2026"
    (folder / "more").mkdir(parents=True)
    for path in demo.demo_paths():
        shutil.copy(path, folder / path.name)
    for name in ("provider_level_at_31_Aug_2023.csv", "provider_level_in_year_2022-23.csv"):
        shutil.copy(NATIONAL / name, folder / name)
    (folder / "more" / "notes.txt").write_text("not evidence\n")
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", demo.DEMO_KEY)
    code = main(["report", "--settings", str(folder / "provider_level_at_31_Aug_2023.csv"),
                 "--evidence", *(str(folder / p.name) for p in demo.demo_paths()),
                 str(folder / "provider_level_in_year_2022-23.csv"), str(folder / "more"),
                 "--la", demo.EXTRACT_LA, "--as-at", demo.AS_AT.isoformat(),
                 "-o", str(out / "report.xlsx"), "--json", str(out / "report.json"), "--profiles", str(out / "pages"),
                 "--quiet"])
    assert code == ExitCode.OK  # the unreadable file was found in a folder: a warning (RF304), not an error
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))

    # what the outputs say instead: names, digests, name:line
    inputs = {i["path"]: i["sha256"] for i in data["inputs"]}
    assert inputs == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    assert any(e["provenance"].startswith("evidence.xml:") for e in data["evidence"])
    assert any(e["provenance"].startswith("la-return-901.xlsx!") for e in data["evidence"])
    assert any("notes.txt" in d and "RF304" in d for d in data["diagnostics"])
    assert any("RF303" in d and "provider_level_at_31_Aug_2023.csv" in d for d in data["diagnostics"])
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    provenance = [row[-1] for row in book["Evidence"].iter_rows(min_row=2, values_only=True)]
    assert provenance and all(":" in p or "!" in p for p in provenance)
    pages = sorted((out / "pages").iterdir())
    assert pages and "Read from evidence.xml (SHA-256 " in pages[0].read_text(encoding="utf-8")

    # and nowhere the folder: not in the JSON, in any part of the workbook, in any page
    texts = {"report.json": (out / "report.json").read_text(encoding="utf-8")}
    with zipfile.ZipFile(out / "report.xlsx") as workbook:
        texts.update({f"report.xlsx/{n}": workbook.read(n).decode("utf-8", "replace") for n in workbook.namelist()})
    texts.update({p.name: p.read_text(encoding="utf-8") for p in pages})
    for where in (str(tmp_path), "Ana's returns", "Ana&apos;s returns", "Ana&#39;s returns", "Ana&#x27;s returns"):
        assert [name for name, text in texts.items() if where in text] == [], where
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [c for c in cells if "Ana's returns" in c or str(tmp_path) in c]
