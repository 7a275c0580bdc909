"""What Ofsted withholds: one rule for every reader, rule and report that meets a withheld name.

Ofsted publishes every children's home's name, address and often its owner as ``REDACTED``. Its readers
keep that as a blank (:mod:`regframe.ingest.ofsted_csv`); the provider-group rule never groups settings by a
withheld owner (:mod:`regframe.assess.history_signals`); the reports say the name is not published
(:mod:`regframe.report.names`).
"""

from __future__ import annotations

#: how Ofsted's files withhold a name
WITHHELD = "REDACTED"


def withheld(text: str) -> bool:
    """Whether a cell is Ofsted's mark of a withheld value (whatever its case and surrounding spaces)."""
    return text.strip().upper() == WITHHELD


def published(text: str) -> str:
    """A name as published, its spacing tidied; ``""`` where it is withheld or blank."""
    return "" if withheld(text) else " ".join(text.split())
