"""A setting's name where people read it: withheld or missing names say so, published ones are tidied."""

from __future__ import annotations

import pytest

from regframe.report.names import NOT_PUBLISHED, published, shown


@pytest.mark.parametrize(("given", "as_published", "as_shown"), [
    ("Fenwick  House ", "Fenwick House", "Fenwick House"),
    ("REDACTED", "", NOT_PUBLISHED),  # Ofsted withholds children's homes' names
    (" redacted", "", NOT_PUBLISHED),
    ("", "", NOT_PUBLISHED),  # known only from an LA return
])
def test_a_name_is_published_tidied_or_said_to_be_withheld(given, as_published, as_shown):
    assert published(given) == as_published
    assert shown(given) == as_shown
