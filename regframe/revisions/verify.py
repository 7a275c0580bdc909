"""``regframe verify``: run the shipped features (and a policy team's own) against a framework.

The features are the Panel's recommendations as acceptance criteria (see
:mod:`regframe.bdd`). Verifying a revision runs them with ``Given the
framework under test`` loading the revision, in a pytest subprocess so that
a failing or broken feature cannot take the caller down with it. Results come
back through pytest-bdd's cucumber JSON and are grouped by recommendation
(the feature's ``@r1`` .. ``@s8`` tag) or, for other features, by file.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import attrs

from regframe.core.resources import features_dir

#: what pytest-bdd's cucumber JSON calls the outcome of a step, mapped to ours
_FAILED = {"failed"}

RUNNER = """\
from pytest_bdd import scenarios

scenarios(*{paths!r})
"""


@attrs.frozen
class ScenarioResult:
    group: str  # "R1", "S5", or the feature's file for features about no one recommendation
    feature: str
    file: str
    scenario: str
    passed: bool
    failure: str = ""  # the assertion's message, when it failed


@attrs.frozen
class GroupResult:
    group: str
    files: tuple[str, ...]
    passed: int
    failed: int
    failures: tuple[ScenarioResult, ...]

    @property
    def ok(self) -> bool:
        return self.failed == 0


@attrs.frozen
class Verification:
    framework: str  # the path given, or "shipped"
    scenarios: tuple[ScenarioResult, ...]
    pytest_exit: int
    output: str  # pytest's own output, for when something other than a feature failed

    @property
    def failed(self) -> list[ScenarioResult]:
        return [s for s in self.scenarios if not s.passed]

    @property
    def ok(self) -> bool:
        return self.pytest_exit == 0 and not self.failed and bool(self.scenarios)

    def groups(self) -> list[GroupResult]:
        grouped: dict[str, list[ScenarioResult]] = {}
        for scenario in self.scenarios:
            grouped.setdefault(scenario.group, []).append(scenario)
        return [GroupResult(name, tuple(sorted({s.file for s in items})), sum(s.passed for s in items),
                            sum(not s.passed for s in items), tuple(s for s in items if not s.passed))
                for name, items in sorted(grouped.items(), key=lambda kv: _group_key(kv[0]))]


def _group_key(name: str) -> tuple:
    match = re.fullmatch(r"([RS])(\d)", name)
    if match:
        return (0 if match.group(1) == "R" else 1, int(match.group(2)), "")
    return (2, 0, name)


def _plugin_installed() -> bool:
    return any(ep.name == "regframe" for ep in importlib.metadata.entry_points(group="pytest11"))


def _failure(steps: Sequence[dict]) -> str:
    for step in steps:
        result = step.get("result", {})
        if result.get("status") in _FAILED:
            message = result.get("error_message", "") or ""
            errors = [line[1:].strip() for line in message.splitlines() if line.startswith("E ")]
            first = next((e for e in errors if e), "")
            return f"{step.get('keyword', '').strip()} {step.get('name', '')}: {first}".strip()
    return ""


def _group(tags: Sequence[str], file: str) -> str:
    for tag in tags:
        if re.fullmatch(r"[rs]\d", tag):
            return tag.upper()
    return file


def read_cucumber(path: Path, roots: Sequence[Path]) -> list[ScenarioResult]:
    """Scenario results from pytest-bdd's cucumber JSON."""
    data = json.loads(path.read_text(encoding="utf-8") or "[]")
    results = []
    for feature in data:
        uri = feature.get("uri", "")
        file = _relative(uri, roots)
        feature_tags = [t["name"].lstrip("@") for t in feature.get("tags", [])]
        for element in feature.get("elements", []):
            tags = feature_tags + [t["name"].lstrip("@") for t in element.get("tags", [])]
            steps = element.get("steps", [])
            failed = any(s.get("result", {}).get("status") in _FAILED for s in steps)
            results.append(ScenarioResult(_group(tags, file), feature.get("name", ""), file, _scenario_name(element),
                                          not failed, _failure(steps) if failed else ""))
    return results


def _scenario_name(element: dict) -> str:
    name = element.get("name", "")
    example = re.search(r"\[(.+)\]$", element.get("id", ""))
    return f"{name} [{example.group(1)}]" if example and "[" not in name else name


def _relative(uri: str, roots: Sequence[Path]) -> str:
    """The feature's path relative to the features folder it came from (pytest-bdd's uri may be relative to
    any of them, or absolute)."""
    path = Path(uri)
    for root in roots:
        for candidate in (root / path, root.parent / path, path):
            if candidate.is_file():
                try:
                    return str(candidate.resolve().relative_to(root.resolve()))
                except ValueError:
                    continue
    return uri


def verify(framework: Path | None = None, extra: Sequence[Path] = (), cucumber_json: Path | None = None,
           include_shipped: bool = True) -> Verification:
    """Run the features against ``framework`` (a manifest or revision; None for the shipped one)."""
    roots = ([features_dir()] if include_shipped else []) + [Path(p).resolve() for p in extra]
    with tempfile.TemporaryDirectory(prefix="regframe-verify-") as tmp:
        folder = Path(tmp)
        (folder / "test_regframe_features.py").write_text(RUNNER.format(paths=[str(r) for r in roots]), encoding="utf-8")
        (folder / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n", encoding="utf-8")
        report = cucumber_json.resolve() if cucumber_json is not None else folder / "cucumber.json"
        command = [sys.executable, "-m", "pytest", str(folder / "test_regframe_features.py"), "-q", "--no-header",
                   "-p", "no:cacheprovider", "-c", str(folder / "pytest.ini"), "--rootdir", str(folder),
                   f"--cucumberjson={report}"]
        if not _plugin_installed():
            command += ["-p", "regframe.bdd.plugin"]
        if framework is not None:
            command += ["--regframe-framework", str(Path(framework).resolve())]
        environment = {k: v for k, v in os.environ.items() if k != "REGFRAME_FRAMEWORK"}
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=environment, check=False)
        scenarios = read_cucumber(report, roots) if report.is_file() else []
    return Verification(str(framework) if framework is not None else "shipped", tuple(scenarios), done.returncode,
                        done.stdout + done.stderr)


def to_text(result: Verification, label: str) -> str:
    """Pass or fail per recommendation, naming every failing scenario and why."""
    lines = [f"regframe verify: {label}"]
    for group in result.groups():
        total = group.passed + group.failed
        verdict = "pass" if group.ok else "FAIL"
        lines.append(f"  {group.group:<10} {verdict}  {group.passed}/{total} scenarios  ({', '.join(group.files)})"
                     if group.group != group.files[0] else f"  {group.group}  {verdict}  {group.passed}/{total} scenarios")
        for failure in group.failures:
            lines.append(f"      failed: {failure.scenario}")
            if failure.failure:
                lines.append(f"        {failure.failure}")
    passed = sum(s.passed for s in result.scenarios)
    lines.append(f"{len(result.scenarios)} scenarios: {passed} passed, {len(result.scenarios) - passed} failed")
    return "\n".join(lines) + "\n"
