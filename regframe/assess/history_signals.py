"""Signals in a setting's Ofsted history: downgrades, runs below good, suspensions, overdue inspections.

Each is a metric named by an indicator's thresholds in ``standards/indicators.xml``
(registered with :func:`regframe.assess.indicators.metric`), computed from the
:class:`~regframe.evidence.history.SettingHistory` that several years of Ofsted
files build, and from Ofsted judgement items where only those are known
(evidence XML). The provider-group rule is here too, once, for the report,
the profile and revisions alike: :func:`owner_counts`.

Grades are ranked outstanding 1, good 2, requires improvement (or the older
"adequate") 3, inadequate 4; "below good" is rank 3 or 4.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from regframe.assess.indicators import SettingFacts, Value, metric
from regframe.evidence.history import SettingHistory
from regframe.evidence.model import EvidenceItem, OfstedGrade, OutcomeKind, Setting
from regframe.evidence.published import published
from regframe.framework.cadence import months_before
from regframe.framework.model import SettingKind, Source

RANK = {OfstedGrade.OUTSTANDING: 1, OfstedGrade.GOOD: 2, OfstedGrade.REQUIRES_IMPROVEMENT: 3, OfstedGrade.INADEQUATE: 4}
#: the window of the suspension and provider-group signals: the assessment's default window
WINDOW_MONTHS = 12
#: the indicator whose threshold is the provider-group rule
PROVIDER_GROUP_INDICATOR = "ind.provider-group-inadequate-or-suspended"
PROVIDER_GROUP_METRIC = "owner-settings-inadequate-or-suspended-12m"


def full_overall(history: SettingHistory | None, as_at: dt.date) -> list[tuple[dt.date, OfstedGrade]]:
    """The overall grade of each full inspection on or before ``as_at``, oldest first."""
    if history is None:
        return []
    graded = []
    for inspection in history.full_inspections:
        judgement = inspection.judgement("overall")
        if inspection.date <= as_at and judgement is not None and judgement.grade is not None:
            graded.append((inspection.date, judgement.grade))
    return graded


def _label(grade: OfstedGrade) -> str:
    return grade.value.replace("-", " ")


@metric("ofsted-downgrade-steps")
def downgrade(facts: SettingFacts) -> Value:
    graded = full_overall(facts.history, facts.as_at)
    if len(graded) < 2:
        return None, "fewer than two full inspections with an overall judgement on record"
    (before_on, before), (after_on, after) = graded[-2], graded[-1]
    steps = RANK[after] - RANK[before]
    return float(max(steps, 0)), (f"overall {_label(before)} on {before_on.isoformat()}, then {_label(after)} on "
                                  f"{after_on.isoformat()}")


@metric("ofsted-below-good-run")
def below_good_run(facts: SettingFacts) -> Value:
    graded = full_overall(facts.history, facts.as_at)
    if not graded:
        return None, "no full inspection with an overall judgement on record"
    run = 0
    for _day, grade in reversed(graded):
        if RANK[grade] < 3:
            break
        run += 1
    return float(run), f"{run} consecutive full inspection(s) below good, the latest on {graded[-1][0].isoformat()}"


def suspended_in_window(setting: Setting, history: SettingHistory | None, as_at: dt.date) -> list[dt.date]:
    """The dates the setting is known suspended within the window before ``as_at``.

    From the history's dated register entries and events; a setting whose only record says it is
    suspended, undated (an evidence export), counts as suspended on ``as_at``.
    """
    start = months_before(as_at, WINDOW_MONTHS)
    if history is not None and history.statuses:
        return [p.on for p in history.suspended_between(start + dt.timedelta(days=1), as_at)]
    if setting.registration_status.strip().lower() == "suspended":
        known = setting.status_as_at
        if known is None or start < known <= as_at:
            return [known or as_at]
    return []


@metric("ofsted-suspended-12m")
def suspended(facts: SettingFacts) -> Value:
    dates = suspended_in_window(facts.setting, facts.history, facts.as_at)
    if not dates:
        return 0.0, f"not known to be suspended in the {WINDOW_MONTHS} months to {facts.as_at.isoformat()}"
    return 1.0, f"registration suspended: shown on {', '.join(sorted({d.isoformat() for d in dates}))}"


def inadequate_in_window(items: Iterable[EvidenceItem], as_at: dt.date) -> list[dt.date]:
    """Dates of Ofsted overall judgements of inadequate within the window (from any reader's items)."""
    start = months_before(as_at, WINDOW_MONTHS)
    ofsted, grade, inadequate = Source.OFSTED, OutcomeKind.GRADE, OfstedGrade.INADEQUATE  # looked up once, not per item
    return sorted({
        item.observed for item in items
        if item.source is ofsted and item.outcome is not None and item.outcome.kind is grade
        and item.outcome.grade is inadequate and any(r.endswith(".overall") for r in item.references)
        and start < item.observed <= as_at
    })


@metric("owner-settings-inadequate-or-suspended-12m")
def owner_failing(facts: SettingFacts) -> Value:
    owner = owner_key(facts.setting)
    if not owner:
        return None, "owner not known"
    urns = facts.owner_failing.get(owner, ())
    return float(len(urns)), (f"{len(urns)} setting(s) of {facts.setting.owner.strip()} judged inadequate or suspended "
                              f"in the {WINDOW_MONTHS} months to {facts.as_at.isoformat()}"
                              + (f": {', '.join(urns)}" if urns else ""))


def owner_key(setting: Setting) -> str:
    """The owner as the provider-group rule groups it: case and spacing ignored, redacted owners none."""
    return published(setting.owner).lower()


def owner_counts(settings: Sequence[Setting], items: Mapping[str, Sequence[EvidenceItem]],
                 histories: dict[str, SettingHistory], as_at: dt.date) -> dict[str, tuple[str, ...]]:
    """THE provider-group rule: per owner, its settings judged inadequate or suspended in the window."""
    failing: dict[str, list[str]] = defaultdict(list)
    for setting in settings:
        owner = owner_key(setting)
        if owner and counts_against_owner(setting, items.get(setting.urn, ()), histories.get(setting.urn), as_at):
            failing[owner].append(setting.urn)
    return {owner: tuple(sorted(urns)) for owner, urns in failing.items()}


def counts_against_owner(setting: Setting, items: Iterable[EvidenceItem], history: SettingHistory | None,
                         as_at: dt.date) -> bool:
    """Whether a setting counts in its owner's provider-group tally: judged inadequate or suspended in the window."""
    return bool(inadequate_in_window(items, as_at) or suspended_in_window(setting, history, as_at))


_LEFT = {"resigned", "cancelled", "closed", "left"}


def not_current(facts: SettingFacts) -> str | None:
    """Why an overdue-inspection rule cannot apply: the setting had left the register, or no register
    dated within the window shows it (then it may have closed unseen). ``None`` when it applies."""
    setting, history, as_at = facts.setting, facts.history, facts.as_at
    if setting.closed_on is not None and setting.closed_on <= as_at:
        return f"left the register on {setting.closed_on.isoformat()}"
    status = history.status_on(as_at) if history is not None else setting.registration_status
    if status and status.strip().lower() in _LEFT:
        return f"registration status {status} on {as_at.isoformat()}"
    if history is not None and history.register:
        seen = max(e.as_at for e in history.register if e.as_at is not None and e.as_at <= as_at) \
            if any(e.as_at is not None and e.as_at <= as_at for e in history.register) else None
        if seen is None or seen <= months_before(as_at, WINDOW_MONTHS):
            return (f"on no register dated in the {WINDOW_MONTHS} months to {as_at.isoformat()}"
                    + (f" (last {seen.isoformat()})" if seen else "") + ": not known to be registered")
    return None


def _months_between(start: dt.date, end: dt.date) -> float:
    return round((end - start).days / (365.25 / 12), 1)


@metric("months-since-full-inspection")
def months_since_full(facts: SettingFacts) -> Value:
    """Months since the last full inspection (history, else the latest Ofsted judgement item)."""
    why_not = not_current(facts)
    if why_not is not None:
        return None, why_not
    dates = []
    if facts.history is not None:
        dates = [i.date for i in facts.history.full_inspections if i.date <= facts.as_at]
    if not dates:
        dates = [i.observed for i in facts.of_kind("ek.ofsted-judgement") if i.source is Source.OFSTED
                 and i.observed <= facts.as_at and "full" in i.summary.lower()]
    if not dates:
        return None, "no full inspection on record"
    last = max(dates)
    return _months_between(last, facts.as_at), f"last full inspection {last.isoformat()}"


@metric("months-since-inspection-twice-yearly")
def months_since_any_twice_yearly(facts: SettingFacts) -> Value:
    """Months since any inspection, for homes Ofsted must visit twice a year (secure, or last judged below good)."""
    graded = full_overall(facts.history, facts.as_at)
    secure = facts.setting.kind is SettingKind.SECURE_CHILDRENS_HOME
    below_good = bool(graded) and RANK[graded[-1][1]] >= 3
    if not (secure or below_good):
        return None, "not a home Ofsted must inspect twice a year (good or better at its last full inspection)"
    why_not = not_current(facts)
    if why_not is not None:
        return None, why_not
    dates = [i.date for i in facts.history.inspections if i.date <= facts.as_at] if facts.history else []
    if not dates:
        return None, "no inspection on record"
    last = max(dates)
    why = "a secure children's home" if secure else f"last judged {_label(graded[-1][1])}"
    return _months_between(last, facts.as_at), f"{why}; last inspection of any kind {last.isoformat()}"

