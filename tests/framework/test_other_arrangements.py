"""Where a looked-after child may be placed in 'other arrangements' (CPPCR 2010 regs 27A and 27C, issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.framework import check_framework
from regframe.framework.model import Regulator, Requirement, SettingKind

OTHER_ARRANGEMENTS = {SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, SettingKind.CQC_HEALTH_PROVISION}


@pytest.fixture(scope="module")
def requirements() -> dict[str, Requirement]:
    framework, problems = check_framework()
    assert framework is not None, problems
    return {r.id: r for r in framework.requirements()}


@pytest.mark.parametrize(("rid", "start"), [
    ("cppcr2010.r27a", dt.date(2021, 9, 9)),   # under-16s: SI 2021/161
    ("cppcr2010.r27c", dt.date(2023, 10, 28)),  # 16 and 17: SI 2023/416
])
def test_the_placement_restriction_binds_the_placing_authority_from_its_start(
        requirements: dict[str, Requirement], rid: str, start: dt.date) -> None:
    restriction = requirements[rid]
    assert (restriction.effective.start, restriction.regulators) == (start, (Regulator.PLACING_LA,))
    # a registered children's home is not 'other arrangements', so the restriction is not assessed there
    assert set(restriction.applies_to) == OTHER_ARRANGEMENTS
    assert not restriction.in_force(start - dt.timedelta(days=1)) and restriction.in_force(start)
