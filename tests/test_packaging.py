"""A built wheel carries standards/, evidence/ and features/ and finds them from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    return next(out.glob("regframe-*.whl"))


def test_wheel_contains_the_data_folders_and_the_typing_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "regframe/py.typed" in names
    assert "regframe/_data/standards/schema/catalogue.xsd" in names
    assert "regframe/_data/standards/evidence-kinds.xml" in names
    assert "regframe/_data/standards/README.md" in names
    assert "regframe/report/templates/profile.html.j2" in names  # the setting profile's template


def test_the_wheel_requires_jinja2_for_the_profile_template(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [line for line in archive.read(metadata).decode().splitlines() if line.startswith("Requires-Dist:")]
    assert any(line.startswith("Requires-Dist: jinja2") and "extra" not in line for line in requires)


def test_installed_wheel_finds_its_framework_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    probe = (
        "import regframe, regframe.core.resources as r, sys;"
        "print(regframe.__file__); print(r.standards_dir()); print(r.catalogue_schema_path().is_file());"
        "from regframe.report.profile import _environment as e; print(e().get_template('profile.html.j2').filename)"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(target)},
                            capture_output=True, text=True, check=True)
    module, standards, schema_found, template = result.stdout.split()
    assert module.startswith(str(target))
    assert template == str(target / "regframe" / "report" / "templates" / "profile.html.j2")
    assert standards == str(target / "regframe" / "_data" / "standards")
    assert schema_found == "True"
