"""The Wilsic Grange profile in a real headless browser (Debian's chromium): one A4 page, nothing overflows.

Skipped, with the reason, where /usr/bin/chromium is not installed (``apt-get install chromium``).

How overflow is checked: the page itself has no script, so the test loads a *copy* of it with one probe
script added at the end of the body, in a window the size of an A4 sheet at 96 dpi (794 x 1123 px), and
reads back what the browser laid out (``--dump-dom``): the document's ``scrollWidth`` against its
``clientWidth``, every element whose right edge passes the window's, and how many timeline marks are drawn
inside the SVG's box. That measures the real layout (fonts, wrapping, the SVG's scaling), which the
parser test can only infer from the CSS rules.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import attrs
import lxml.html
import pytest

from regframe.cli import main
from regframe.core.exitcodes import ExitCode

CHROMIUM = Path("/usr/bin/chromium")
A4_AT_96_DPI = (794, 1123)
WILSIC = "SC900001"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="no headless browser: /usr/bin/chromium is absent (apt-get install chromium)")

PROBE = """<script>
(function () {
  var root = document.documentElement, svg = document.querySelector('svg.timeline').getBoundingClientRect();
  var marks = Array.prototype.slice.call(document.querySelectorAll('svg.timeline .mark'));
  var inside = marks.filter(function (m) {
    var r = m.getBoundingClientRect();
    return r.width > 0 && r.left >= svg.left && r.right <= svg.right && r.top >= svg.top && r.bottom <= svg.bottom;
  }).length;
  var wide = Array.prototype.slice.call(document.querySelectorAll('body *')).filter(function (e) {
    return e.getBoundingClientRect().right > root.clientWidth + 0.5;
  }).map(function (e) { return e.tagName + '.' + e.getAttribute('class'); });
  var out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
                                    marks: marks.length, inside: inside, wide: wide.slice(0, 5)});
  document.body.appendChild(out);
})();
</script>
"""


def chromium(profile_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile_dir}",
               *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def pdf_pages(pdf: Path) -> tuple[int, str]:
    """The page count and the first page's size, from pdfinfo where poppler-utils is installed, else the PDF."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)
        return pages, size
    data = pdf.read_bytes()
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data)), f"{float(box[1]):.2f} x {float(box[2]):.2f} pts"


def png_size(png: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    return width, height


def measure(page: Path, tmp_path: Path) -> dict:
    probed = tmp_path / f"probed-{page.name}"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path / "chromium-dom", "--window-size={},{}".format(*A4_AT_96_DPI), "--hide-scrollbars",
                   "--dump-dom", probed.as_uri()).stdout
    return json.loads(lxml.html.document_fromstring(dom).get_element_by_id("probe").text_content())


@pytest.fixture(scope="module")
def wilsic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    assert main(["profile", WILSIC, "--demo", "-o", str(out), "--quiet"]) == ExitCode.OK
    return out / f"profile-{WILSIC}.html"


def test_wilsic_grange_prints_on_exactly_one_a4_page(wilsic, tmp_path):
    pdf = tmp_path / "wilsic.pdf"
    chromium(tmp_path / "chromium-pdf", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", wilsic.as_uri())
    pages, size = pdf_pages(pdf)
    assert pages == 1
    width, height = (float(v) for v in re.findall(r"[\d.]+", size)[:2])
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 is 595.3 x 841.9 points


def test_wilsic_grange_has_no_horizontal_overflow_and_every_mark_inside_the_timeline(wilsic, tmp_path):
    drawn = lxml.html.document_fromstring(wilsic.read_text(encoding="utf-8")).find_class("mark")
    found = measure(wilsic, tmp_path)
    assert found["scrollWidth"] <= found["clientWidth"] == A4_AT_96_DPI[0]
    assert found["wide"] == []
    assert found["marks"] == len(drawn) == 62
    assert found["inside"] == found["marks"]


def test_a_very_long_unbroken_name_still_does_not_overflow(tmp_path):
    from regframe.assess import assess
    from regframe.evidence.pseudonym import PseudonymKey
    from regframe.framework.graph import build_graph
    from regframe.framework.loading import load_framework
    from regframe.ingest import load_evidence
    from regframe.report.profile import ProfileBuilder, write_profile
    from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths

    evidence = load_evidence(demo_paths(), key=PseudonymKey.from_text(DEMO_KEY, "demo"), la_code=EXTRACT_LA)
    evidence.settings[WILSIC] = attrs.evolve(evidence.settings[WILSIC], name="W" * 200, owner="O" * 200)
    graph = build_graph(load_framework())
    page = write_profile(ProfileBuilder(assess(graph, evidence, AS_AT), evidence, graph).profile(WILSIC), tmp_path)
    found = measure(page, tmp_path)
    assert found["scrollWidth"] <= found["clientWidth"]
    assert found["wide"] == []


def test_a_screenshot_at_a4_size_is_taken(wilsic, tmp_path):
    """The picture a reviewer looks at (its path is printed with -s); the test checks it was made at A4 size."""
    png = tmp_path / "wilsic.png"
    chromium(tmp_path / "chromium-png", "--window-size={},{}".format(*A4_AT_96_DPI), "--hide-scrollbars",
             f"--screenshot={png}", wilsic.as_uri())
    assert png_size(png) == A4_AT_96_DPI
    print(f"screenshot: {png}")
