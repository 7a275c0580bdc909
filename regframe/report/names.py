"""How a setting is named where people read it: one rule for the workbook, the profile and the national counts.

Ofsted withholds every children's home's name (:mod:`regframe.evidence.published`; its readers keep a
blank), and a setting known only from an LA return has no name at all.
What a machine reads (the JSON report) keeps the blank; what a person reads says that the name is not
published, so that a blank cell is never mistaken for a row that lost its name.
"""

from __future__ import annotations

from regframe.evidence.published import published

__all__ = ["NOT_PUBLISHED", "published", "shown"]

#: what a page or sheet shows where a setting's name is withheld or not on record
NOT_PUBLISHED = "name not published"


def shown(text: str) -> str:
    """A name as a person reads it: the published name, or :data:`NOT_PUBLISHED`."""
    return published(text) or NOT_PUBLISHED
