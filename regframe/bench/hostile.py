"""Hostile LA returns at the sizes that hung or exhausted memory before (issue 19): time and peak memory of each.

Each case is an LA return made from the template whose *Children placed* sheet is replaced
by generated XML, small on disk:

* ``row-2e9``: one row numbered 2,000,000,000 (openpyxl filled in two billion empty rows: a hang);
* ``gap-10m``: a row gap to 10,000,000 (accepted after 53 s before, although Excel stops at 1,048,576);
* ``wide-row-400mb``: one row of 16,384 cells whose XML inflates to about 400 MB, compressed about
  60 to 1, under the zip-bomb ratio (grew to 7.8 GiB before it was killed);
* ``wide-row-200mb``: the same at half the size, under the 256 MiB part limit, so that the row limit
  (4 MiB of XML) is what stops it;
* ``rows-1.8m``: 1.8 million rows (reached 911 MiB before);
* ``shared-strings-max``: a shared strings table at its limits (1,048,576 strings, 32 Mi characters), the
  most a reader holds besides one row;
* ``valid-100k``: 100,000 valid children, for the memory every accepted row costs.

``python -m regframe.bench.hostile [--out DIR] [CASE ...]`` writes the files (once) and reads each
with ``regframe validate`` in a child process, printing the wall time, the CPU time, the child's
peak RSS, its exit code and what it said (interpreter start-up included: about 0.3 s of CPU). Nothing here asserts a figure: the
tests assert the diagnostics on the same generators (``tests/ingest/test_hostile_returns.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from regframe.ingest.la_return_template import AS_AT_CELL, LA_CODE_CELL, build_template
from regframe.io.cellref import column_letters

SHEET = "xl/worksheets/sheet2.xml"  # Children placed


def _template_parts(path: Path) -> tuple[str, str, str]:
    """The template's Children placed sheet as (XML before the data rows, its first three rows, XML after).

    The template is saved to ``path`` with its LA code and 'as at' date filled in, so that the only
    problems a case has are the ones it is made of.
    """
    workbook = build_template()
    workbook["Instructions"][LA_CODE_CELL] = "926"
    workbook["Instructions"][AS_AT_CELL] = dt.date(2026, 10, 31)
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SHEET).decode()
    head, rest = xml.split("<sheetData>", 1)
    body, tail = rest.split("</sheetData>", 1)
    kept = "".join(re.findall(r'<row r="[123]".*?</row>', body))
    return head + "<sheetData>", kept, "</sheetData>" + tail


def child_row(number: int, child: str, urn: str = "SC100001") -> str:
    """A valid Children placed row: child id, setting URN, placement start (a serial date), looked after."""
    return (f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{child}</t></is></c>'
            f'<c r="C{number}" t="inlineStr"><is><t>{urn}</t></is></c><c r="D{number}" s="13"><v>45000</v></c>'
            f'<c r="G{number}" t="inlineStr"><is><t>Yes</t></is></c></row>')


def _wide_row(number: int, cell_chars: int, seed: int = 19) -> Iterator[str]:
    """One row of 16,384 cells of text that compresses about 60 to 1 (a short random run, repeated)."""
    chooser = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield f'<row r="{number}">'
    for column in range(1, 16_385):
        run = "".join(chooser.choice(letters) for _ in range(300))
        text = (run * (cell_chars // len(run) + 1))[:cell_chars]
        yield f'<c r="{column_letters(column)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
    yield "</row>"


def _rows(case: str) -> Iterator[str]:
    if case == "row-2e9":
        yield child_row(4, "A1")
        yield child_row(2_000_000_000, "A2")
    elif case == "gap-10m":
        yield child_row(4, "A1")
        yield child_row(10_000_000, "A2")
    elif case == "wide-row-400mb":
        yield from _wide_row(4, 24_400)
    elif case == "wide-row-200mb":
        yield from _wide_row(4, 12_200)
    elif case == "rows-1.8m":
        for number in range(4, 1_800_004):
            yield f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>C{number}</t></is></c></row>'
    elif case == "shared-strings-max":
        for number in range(4, 10):
            yield (f'<row r="{number}"><c r="A{number}" t="s"><v>{number}</v></c><c r="C{number}" t="inlineStr"><is>'
                   f'<t>SC100001</t></is></c><c r="D{number}" s="13"><v>45000</v></c><c r="G{number}" t="inlineStr">'
                   f'<is><t>Yes</t></is></c></row>')
    elif case == "valid-100k":
        for number in range(4, 100_004):
            yield child_row(number, f"C{number}", f"SC{100_000 + number % 3_500:06d}")
    else:
        raise ValueError(f"no case {case!r}")


CASES = ("row-2e9", "gap-10m", "wide-row-400mb", "wide-row-200mb", "rows-1.8m", "shared-strings-max", "valid-100k")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write(case: str, path: Path) -> Path:
    """Write the hostile return ``case`` (one of ``CASES``) to ``path``."""
    template = path.with_suffix(".template.xlsx")
    partial = path.with_suffix(".partial.xlsx")  # renamed once whole, so a file that exists is complete
    head, first_rows, tail = _template_parts(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if case == "shared-strings-max" and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", _STRINGS_RELATIONSHIP)
            if info.filename != SHEET:
                target.writestr(info, data)
        if case == "shared-strings-max":
            _shared_strings(target)
        with target.open(SHEET, "w", force_zip64=True) as out:
            out.write((head + first_rows).encode())
            batch: list[str] = []
            for text in _rows(case):
                batch.append(text)
                if len(batch) >= 2_000:
                    out.write("".join(batch).encode())
                    batch.clear()
            out.write(("".join(batch) + tail).encode())
    template.unlink()
    partial.replace(path)
    return path


#: runs a command and prints its peak RSS: a fresh, small parent, so the figure is the command's own
_LAUNCH = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "exit": done.returncode, "output": done.stdout + done.stderr, "peak_rss_mb": usage.ru_maxrss / 1024}))
"""


def _shared_strings(target: zipfile.ZipFile) -> None:
    """A shared strings table at its limits: 1,048,576 distinct strings of 32 characters (32 Mi characters)."""
    with target.open("xl/sharedStrings.xml", "w") as out:
        out.write(f'<sst xmlns="{_MAIN}" count="1048576" uniqueCount="1048576">'.encode())
        for start in range(0, 1_048_576, 4096):
            out.write("".join(f"<si><t>C{number:031d}</t></si>" for number in range(start, start + 4096)).encode())
        out.write(b"</sst>")


_STRINGS_RELATIONSHIP = (b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                         b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


#: runs a command and prints its peak RSS: a fresh, small parent, so the figure is the command's own
_LAUNCH = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "exit": done.returncode, "output": done.stdout + done.stderr, "peak_rss_mb": usage.ru_maxrss / 1024}))
"""


def measure(path: Path, command: list[str] | None = None) -> dict[str, Any]:
    """Run ``regframe validate PATH`` in a child process: wall time, its peak RSS, exit code, what it said."""
    argv = command or [sys.executable, "-m", "regframe", "validate", str(path)]
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *argv], capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    lines = [line for line in figures.pop("output").splitlines() if " RF" in line]
    return {"seconds": round(figures["seconds"], 2), "cpu_seconds": round(figures["cpu_seconds"], 2),
            "peak_rss_mb": round(figures["peak_rss_mb"], 1),
            "exit": figures["exit"], "codes": sorted({line.split(" RF", 1)[1][:3] for line in lines}),
            "problems": len(lines), "said": [line[:240] for line in lines[:3]]}


def run(out: Path, cases: tuple[str, ...] = CASES,
        progress: Callable[[str], None] = lambda _line: None) -> dict[str, dict[str, Any]]:
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, dict[str, Any]] = {}
    for case in cases:
        path = out / f"{case}.xlsx"
        if not path.exists():
            write(case, path)
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(SHEET)
        figures[case] = {"file_bytes": path.stat().st_size, "sheet_xml_bytes": info.file_size,
                         "ratio": round(info.file_size / max(info.compress_size, 1), 1), **measure(path)}
        progress(f"{case:16} {json.dumps(figures[case])}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regframe.bench.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"which cases (default all): {', '.join(CASES)}")
    parser.add_argument("--out", type=Path, default=Path("bench-out/hostile"))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.cases) - set(CASES))
    if unknown:
        parser.error(f"no case {', '.join(unknown)}; the cases are {', '.join(CASES)}")
    figures = run(args.out, tuple(args.cases) or CASES, progress=print)
    (args.out / "hostile.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
