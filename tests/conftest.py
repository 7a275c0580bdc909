"""Shared fixtures: paths to the small fixture catalogue and to the shared real-world data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
TESTS = HERE
REPO = HERE.parent
FIXTURES = HERE / "fixtures"
#: ../shared/data beside the repository; REGFRAME_SHARED_DATA names it elsewhere (a git worktree's checkout)
SHARED_DATA = Path(os.environ.get("REGFRAME_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture
def fixture_manifest() -> Path:
    return FIXTURES / "catalogue" / "framework.xml"


@pytest.fixture
def fixture_framework(fixture_manifest):
    from regframe.framework import check_framework

    framework, problems = check_framework(fixture_manifest)
    assert framework is not None
    return framework


@pytest.fixture
def fixture_graph(fixture_framework):
    from regframe.framework.graph import build_graph

    return build_graph(fixture_framework)


def shared_data(*parts: str) -> Path:
    """A file in ../shared/data, or skip the test: a plain clone does not have it."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    return path
