"""The register respected: a setting that has left it is not rated, and is judged only for the time it was open.

A setting **closed, resigned or cancelled** on or before ``as_at`` (its ``closed_on``
date, from Ofsted's closed-homes file or a register's registration status and
date) gets no rating: rating a home that no longer exists would put it among the
live ones, and a provider group's count of failing settings would include it. It
is listed apart, with its status and date. One that closed **inside the evidence
window** (the twelve months before ``as_at``) is still assessed, as at the day it
closed, so what was wrong there while children lived in it is not lost; one that
closed before the window is listed only.

A setting whose status says it has left the register (``Resigned``, ``Cancelled``,
``Closed``) but whose date is unknown is listed apart too, with no date: it cannot
be shown to have been open at ``as_at``. A ``Suspended`` registration is still on the
register and is rated. A closure dated after ``as_at`` has not happened yet.
"""

from __future__ import annotations

import datetime as dt

from regframe.assess.status import DEFAULT_WINDOW, window_start
from regframe.evidence.model import Setting

#: registration statuses (compared case-insensitively) that mean the setting has left the register
LEFT_REGISTER = frozenset({"resigned", "cancelled", "closed", "deregistered"})


def closed_as_at(setting: Setting, as_at: dt.date) -> bool:
    """Whether ``setting`` had left the register on or before ``as_at`` (so is not rated)."""
    if setting.closed_on is not None:
        return setting.closed_on <= as_at
    return setting.registration_status.strip().casefold() in LEFT_REGISTER


def assessed_until(setting: Setting, as_at: dt.date) -> dt.date | None:
    """For a setting closed as at ``as_at``: the day to assess it as at (its closure, inside the window), else ``None``."""
    closed = setting.closed_on
    if closed is None or closed > as_at or closed <= window_start(as_at, DEFAULT_WINDOW):
        return None
    return closed
