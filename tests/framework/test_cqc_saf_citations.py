"""CQC's quality statements cite their own page, or say plainly that it was not found.

Issue 17 found quality statements cited from CQC's evidence-category pages as if those were
their own. The rule held here: a quality statement's citation either points at the statement's
own CQC page (``single-assessment-framework/<key question>/<statement>`` on cqc.org.uk, under the
key question the statement sits in), or its text starts ``OWN PAGE UNCONFIRMED:`` and the URL
is some other page. Anything else is a citation passed off as the statement's own.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from regframe.framework import check_framework
from regframe.framework.model import Citation, Requirement, RequirementKind
from tests.conftest import REPO

MARKER = "OWN PAGE UNCONFIRMED:"
CQC_HOSTS = {"cqc.org.uk", "www.cqc.org.uk"}
SAF_PATH = "/guidance-regulation/providers/assessment/single-assessment-framework/"

#: The statements whose own page was not found on 2026-12-03 (docs/policy/sources.rst says where each name was read).
OWN_PAGE_NOT_FOUND = {
    "cqc-saf.safe.safe-systems-pathways-and-transitions",
    "cqc-saf.effective.assessing-needs",
    "cqc-saf.effective.delivering-evidence-based-care-and-treatment",
    "cqc-saf.effective.supporting-people-to-live-healthier-lives",
    "cqc-saf.effective.monitoring-and-improving-outcomes",
    "cqc-saf.effective.consent-to-care-and-treatment",
    "cqc-saf.caring.responding-to-peoples-immediate-needs",
    "cqc-saf.caring.workforce-wellbeing-and-enablement",
    "cqc-saf.responsive.providing-information",
    "cqc-saf.responsive.equity-in-access",
    "cqc-saf.well-led.capable-compassionate-and-inclusive-leaders",
    "cqc-saf.well-led.workforce-equality-diversity-and-inclusion",
    "cqc-saf.well-led.governance-management-and-sustainability",
    "cqc-saf.well-led.partnerships-and-communities",
    "cqc-saf.well-led.environmental-sustainability-sustainable-development",
}


def own_page_key_question(url: str) -> str | None:
    """The key question of a CQC statement page's URL, or None if the URL is not such a page."""
    parts = urlsplit(url)
    if parts.hostname not in CQC_HOSTS or not parts.path.startswith(SAF_PATH):
        return None
    rest = parts.path[len(SAF_PATH):].strip("/").split("/")
    return rest[0] if len(rest) == 2 and all(rest) else None


def citation_status(requirement_id: str, citation: Citation) -> str:
    """``own-page``, ``unconfirmed`` or ``wrong`` for a quality statement ``cqc-saf.<kq>.<slug>``."""
    key_question = requirement_id.split(".")[1]
    cited = own_page_key_question(citation.url)
    if citation.note.startswith(MARKER):
        return "unconfirmed" if cited is None else "wrong"
    return "own-page" if cited == key_question else "wrong"


def _citation(url: str, note: str = "") -> Citation:
    return Citation(instrument="CQC single assessment framework", provision="QS X", url=url,
                    last_checked=dt.date(2026, 12, 3), note=note)


@pytest.mark.parametrize(("url", "note", "expected"), [
    ("https://www.cqc.org.uk" + SAF_PATH + "safe/learning-culture", "", "own-page"),
    ("https://cqc.org.uk" + SAF_PATH + "safe/learning-culture/", "read", "own-page"),
    # an evidence-categories page passed off as the statement's own: the bug issue 17 found
    ("https://cqc.org.uk/guidance-regulation/providers/assessment/mental-health-services-evidence-categories/safe", "", "wrong"),
    # the right kind of page, but under another key question
    ("https://www.cqc.org.uk" + SAF_PATH + "well-led/learning-culture", "", "wrong"),
    # a look-alike host is not CQC's site
    ("https://gl-cqc.axis12.com" + SAF_PATH + "safe/learning-culture", "", "wrong"),
    # the framework's front page is not a statement's page
    ("https://www.cqc.org.uk" + SAF_PATH.rstrip("/"), "", "wrong"),
    ("https://cqc.org.uk/guidance-regulation/providers/assessment/mental-health-services-evidence-categories/safe",
     MARKER + " not found", "unconfirmed"),
    # saying "not found" while citing the statement's own page contradicts itself
    ("https://www.cqc.org.uk" + SAF_PATH + "safe/learning-culture", MARKER + " not found", "wrong"),
])
def test_citation_status_of_one_statement(url: str, note: str, expected: str) -> None:
    assert citation_status("cqc-saf.safe.learning-culture", _citation(url, note)) == expected


@pytest.fixture(scope="module")
def statements() -> list[Requirement]:
    framework, problems = check_framework()
    assert framework is not None, problems
    return [r for r in framework.requirements() if r.kind is RequirementKind.QUALITY_STATEMENT]


def test_every_shipped_quality_statement_cites_its_own_page_or_says_it_was_not_found(statements: list[Requirement]) -> None:
    assert len(statements) == 34
    status = {r.id: citation_status(r.id, r.citation) for r in statements}
    assert {i for i, s in status.items() if s == "wrong"} == set()
    assert {i for i, s in status.items() if s == "unconfirmed"} == OWN_PAGE_NOT_FOUND
    assert sum(s == "own-page" for s in status.values()) == 19


def test_a_statement_cited_from_its_own_page_was_checked_in_the_december_pass(statements: list[Requirement]) -> None:
    own = [r for r in statements if r.id not in OWN_PAGE_NOT_FOUND]
    assert {r.id: r.citation.last_checked for r in own if r.citation.last_checked < dt.date(2026, 12, 3)} == {}


def test_the_sources_page_lists_each_statement_as_the_catalogue_cites_it(statements: list[Requirement]) -> None:
    """docs/policy/sources.rst's table: one row per statement, with the catalogue's URL and status."""
    page = (REPO / "docs" / "policy" / "sources.rst").read_text(encoding="utf-8")
    rows = re.findall(r"^   \* - (.+)\n     - (.+)\n     - (.+)\n     - (\S+)\n", page, flags=re.M)
    listed = {title: (status.startswith("**own page not found**"), url) for title, _, status, url in rows}
    assert listed == {r.title: (r.id in OWN_PAGE_NOT_FOUND, r.citation.url) for r in statements}
