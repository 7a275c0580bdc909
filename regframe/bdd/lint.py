"""Checks on feature files that pytest-bdd itself lets through.

Gherkin silently turns a mistyped step (``Gvien the ...``, ``then ...``) into
description text when it comes before a scenario's first step, and pytest-bdd
runs a scenario with no ``Then`` as a pass. A feature that asserts nothing is
worse than none, so :func:`lint` reports each of these with file and line, plus
tags that are not registered and steps the library does not define.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from regframe.bdd import TAGS

KEYWORDS = ("given", "when", "then", "and", "but")


@attrs.frozen
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def feature_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.feature")) if path.is_dir() else [path])
    return found


def _looks_like_step(line: str, previous: str = "") -> bool:
    """A step keyword in the wrong case or misspelt, or a bullet; a lower-case "and" carrying on a sentence is prose."""
    text = line.strip()
    if not text:
        return False
    if text.startswith("*"):
        return True
    word = re.split(r"[\s:,]+", text, maxsplit=1)[0]
    first = word.lower()
    if first in KEYWORDS:
        continues_sentence = word.islower() and previous.strip() != "" and not previous.rstrip().endswith((".", ":", "!", "?"))
        return not continues_sentence
    return len(first) >= 4 and bool(difflib.get_close_matches(first, KEYWORDS, n=1, cutoff=0.75))


def _descriptions(node: object, where: str) -> Iterator[tuple[int, str]]:
    description = getattr(node, "description", "") or ""
    start = node.location.line + 1  # type: ignore[attr-defined]
    lines = description.splitlines()
    for offset, line in enumerate(lines):
        if _looks_like_step(line, lines[offset - 1] if offset else ""):
            yield start + offset, f"{where} description line looks like a step that Gherkin ignored: {line.strip()!r}"


def _tags(tags: Iterable[object], file: str) -> Iterator[Problem]:
    for tag in tags:
        name = tag.name.lstrip("@")  # type: ignore[attr-defined]
        if name not in TAGS:
            yield Problem(file, tag.location.line, f"unknown tag @{name} (known: {', '.join(sorted(TAGS))})")  # type: ignore[attr-defined]


def _matchers() -> list[object]:
    from pytest_bdd import parsers

    from regframe.bdd.steps import GLOSSARY, TYPES

    return [parsers.cfparse(pattern, extra_types=TYPES) for _keyword, pattern, _doc in GLOSSARY]


def _rows(scenario: object) -> list[dict[str, str]]:
    contexts: list[dict[str, str]] = []
    for examples in getattr(scenario, "examples", []) or []:
        header = [cell.value for cell in examples.table_header.cells] if examples.table_header else []
        for row in examples.table_body or []:
            contexts.append(dict(zip(header, (cell.value for cell in row.cells), strict=False)))
    return contexts or [{}]


def _render(text: str, context: dict[str, str]) -> str:
    return re.sub(r"<([^<>]+)>", lambda m: context.get(m.group(1), m.group(0)), text)


def lint_file(path: Path, check_steps: bool = True) -> list[Problem]:
    """Every problem in one feature file."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.gherkin_parser import get_gherkin_document

    file = str(path)
    try:
        document = get_gherkin_document(str(path.resolve()))
    except GherkinParseError as error:
        return [Problem(file, getattr(error, "line", 0) or 0, f"does not parse: {error}")]
    feature = document.feature
    if feature is None:
        return [Problem(file, 1, "no Feature in this file")]
    problems = [*_tags(feature.tags, file)]
    problems += [Problem(file, line, message) for line, message in _descriptions(feature, "feature")]
    matchers = _matchers() if check_steps else []
    children = list(feature.children)
    for child in list(children):
        if child.rule is not None:
            problems += _tags(child.rule.tags, file)
            problems += [Problem(file, line, m) for line, m in _descriptions(child.rule, "rule")]
            children.extend(child.rule.children)
    background_steps: list[Any] = []  # gherkin-official's parsed steps (untyped)
    for child in children:
        if child.background is not None:
            problems += [Problem(file, line, m) for line, m in _descriptions(child.background, "background")]
            background_steps += child.background.steps
        scenario = child.scenario
        if scenario is None:
            continue
        name = f"scenario {scenario.name!r}"
        problems += _tags(scenario.tags, file)
        problems += [Problem(file, line, m) for line, m in _descriptions(scenario, name)]
        for examples in scenario.examples or []:
            problems += _tags(examples.tags, file)
            problems += [Problem(file, line, m) for line, m in _descriptions(examples, f"{name} examples")]
        if not scenario.steps:
            problems.append(Problem(file, scenario.location.line, f"{name} has no steps"))
            continue
        kind, has_then = None, False
        for step in scenario.steps:
            kind = kind if step.keyword_type == "Conjunction" else step.keyword_type
            has_then = has_then or kind == "Outcome"
        if not has_then:
            problems.append(Problem(file, scenario.location.line, f"{name} has no Then: it asserts nothing"))
        if matchers:
            for context in _rows(scenario):
                for each in [*background_steps, *scenario.steps]:
                    text = _render(each.text, context)
                    if not any(m.is_matching(text) for m in matchers):  # type: ignore[attr-defined]
                        problems.append(Problem(file, each.location.line, f"no step in regframe's library reads {text!r}"))
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.message))


def lint(paths: Iterable[Path], check_steps: bool = True) -> list[Problem]:
    """Every problem in every feature file under ``paths``."""
    return [problem for path in feature_files(paths) for problem in lint_file(path, check_steps)]
