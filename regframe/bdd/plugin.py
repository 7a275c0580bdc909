"""The pytest plugin (entry point ``pytest11: regframe``): regframe's steps, tags and options.

Loaded by pytest wherever regframe is installed. With pytest-bdd installed it
registers the step library, so any feature file can use regframe's
vocabulary; without it, it only registers the tags, so pytest keeps working
for people who installed regframe without the ``bdd`` extra.
"""

from __future__ import annotations

import importlib.util

import pytest

from regframe.bdd import TAGS

HAS_PYTEST_BDD = importlib.util.find_spec("pytest_bdd") is not None

#: pytest imports these as plugins too (only when pytest-bdd is there to define steps with)
pytest_plugins = ["regframe.bdd.steps"] if HAS_PYTEST_BDD else []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("regframe", "regframe features")
    group.addoption(
        "--regframe-framework", dest="regframe_framework", metavar="PATH", default=None,
        help="framework manifest or revision file that 'Given the framework under test' loads "
             "(default: $REGFRAME_FRAMEWORK, else the framework regframe ships)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for tag, meaning in TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {meaning}")
