"""The Gherkin step library: the Panel's recommendations as executable acceptance criteria.

:mod:`regframe.bdd.steps` holds the step definitions, :mod:`regframe.bdd.plugin`
the pytest plugin that registers them (with the tags and the
``--regframe-framework`` option) wherever regframe is installed alongside
pytest-bdd. A policy team writes features in this vocabulary without Python;
:func:`glossary` lists it for the docs.
"""

from __future__ import annotations

#: Tags a feature or scenario may carry, with what each means (registered as pytest markers).
TAGS: dict[str, str] = {
    "recommendation": "a feature about one of the Panel's recommendations",
    "national": "one of the Panel's 9 national recommendations",
    "supplementary": "one of the Panel's 8 supplementary recommendations",
    "setting_level": "the recommendation is tested setting by setting, on evidence",
    "system_level": "the recommendation is tested on the framework itself",
    "coverage": "a framework-coverage check",
    "proposal": "compares the framework with a proposed revision",
    "threshold": "an indicator threshold boundary",
    **{f"r{n}": f"the Panel's national recommendation R{n}" for n in range(1, 10)},
    **{f"s{n}": f"the Panel's supplementary recommendation S{n}" for n in range(1, 9)},
}


def glossary() -> list[tuple[str, str, str]]:
    """Every step the library defines, as (keyword, pattern, docstring), in definition order."""
    from regframe.bdd.steps import GLOSSARY

    return list(GLOSSARY)
