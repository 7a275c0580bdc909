"""The one-page setting profile: a self-contained HTML page a director can open from an email and print on A4.

The page shows who the setting is (URN, name, kind, local authority, owner),
how it is registered (Ofsted, CQC, dual registration, status and dates), its
risk and assurance, the reasons, and a timeline of 24 months of signals by
source, drawn as inline SVG: one lane per source, one mark per dated evidence
item, monthly figures (restraint, staffing) as small bars or a line.

It is built in two steps, so each can be tested alone:

* :func:`build_profile` turns one setting's assessment and its evidence into a
  view model (:class:`Profile`, attrs classes holding only display strings and
  coordinates), and
* :func:`render_profile` fills the shipped Jinja2 template
  (``templates/profile.html.j2``) with it, every value escaped.

Privacy: children appear only as a count. No evidence item's id (an LA
return's ids carry the child's pseudonym) and no free-text summary (which
could name someone) reaches the page; a mark says what kind of evidence it
is, from which source, when, and what it found.

The page reads the assessment's verdict (risk, assurance, reasons) through
one adapter, :func:`standing`, and nowhere else: when the assessment gains
new fields for these, only that function changes.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import attrs
import jinja2

from regframe.assess.provenance import file_name
from regframe.assess.results import Assessment, Rating, SettingAssessment, Status
from regframe.assess.status import Polarity, polarity, verdict
from regframe.core.atomic import atomic_write_bytes
from regframe.evidence.model import EvidenceItem, EvidenceSet, InputFile, Metric, MetricValue, OutcomeKind, Setting
from regframe.evidence.published import withheld
from regframe.framework.cadence import add_months
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import Independence, SettingKind, Source, kind_id_words
from regframe.report.names import shown
from regframe.report.runid import run_id

#: How many months the timeline covers, ending on the as-at date.
TIMELINE_MONTHS = 24
#: What the page shows where the assessment does not (yet) give a value.
NOT_GIVEN = "—"
#: At most this many reasons on the page (the rest are in the workbook and the JSON), so it stays one page.
MAX_REASONS = 5

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------- the adapter


@attrs.frozen
class Standing:
    """What the page says of a setting's standing: its risk, its assurance and the reasons, in display form."""

    risk: str  # "red", "amber" or "green"
    assurance: str  # "high", "medium" or "low"
    reasons: tuple[str, ...]


def standing(result: SettingAssessment) -> Standing:
    """The one place the profile reads a setting's verdict from its assessment: risk (the rating), assurance,
    and the ranked plain-English reasons ("rated good, but …" first when it holds), as the Summary sheet has them."""
    return Standing(
        risk=result.rating.value,
        assurance=result.assurance.value,
        reasons=tuple(reason.text for reason in result.reasons),
    )


# ---------------------------------------------------------------- lanes: which source each mark goes on


@attrs.frozen
class LaneSpec:
    """A timeline lane for evidence items: the sources (or, first, the evidence kinds) it collects."""

    key: str
    label: str
    sources: frozenset[Source] = frozenset()
    kinds: frozenset[str] = frozenset()


#: The item lanes, top to bottom. An item goes on the first lane naming its kind, else the lane naming its
#: source; every source is on exactly one lane, so every dated item gets exactly one mark.
ITEM_LANES = (
    LaneSpec("ofsted", "Ofsted", frozenset({Source.OFSTED})),
    LaneSpec("cqc", "CQC", frozenset({Source.CQC})),
    LaneSpec("placing-la", "Placing / host LAs", frozenset({Source.PLACING_LA, Source.HOST_LA})),
    LaneSpec("reg44", "Reg 44 visits", frozenset({Source.INDEPENDENT_PERSON}),
             frozenset({"ek.reg44-report", "ek.independent-visitor-report"})),
    LaneSpec("reg45", "Reg 45 reviews", kinds=frozenset({"ek.reg45-report"})),
    LaneSpec("lado", "LADO referrals", frozenset({Source.LADO}), frozenset({"ek.lado-referral"})),
    LaneSpec("others", "Advocates, complaints", frozenset({Source.ADVOCATE, Source.COMPLAINANT,
                                                           Source.WHISTLEBLOWER, Source.COURT})),
    LaneSpec("provider", "Provider's claims", frozenset({Source.PROVIDER})),
)

_LANE_BY_KIND = {kind: lane for lane in reversed(ITEM_LANES) for kind in lane.kinds}
_LANE_BY_SOURCE = {source: lane for lane in reversed(ITEM_LANES) for source in lane.sources}


def lane_for(item: EvidenceItem) -> LaneSpec:
    """The lane an item is drawn on: by its kind where a lane names it, else by its source."""
    return _LANE_BY_KIND.get(item.kind) or _LANE_BY_SOURCE[item.source]


@attrs.frozen
class MetricLaneSpec:
    """A timeline lane for one monthly figure, drawn as bars (counts) or a line (a percentage)."""

    key: str
    label: str
    metric: Metric
    style: str  # "bars" or "line"
    unit: str = ""


METRIC_LANES = (
    MetricLaneSpec("restraint", "Restraint a month", Metric.RESTRAINT_INCIDENTS, "bars"),
    MetricLaneSpec("leavers", "Staff leavers a month", Metric.STAFF_LEAVERS, "bars"),
    MetricLaneSpec("vacancies", "Staff vacancies", Metric.STAFF_VACANCIES, "bars"),
    MetricLaneSpec("agency", "Agency staff share", Metric.AGENCY_SHARE, "line", " %"),
)


class Tone(enum.Enum):
    """How a mark is coloured: what the item says, at a glance (the legend gives these words)."""

    SIGN = "sign"  # a negative finding, a poor grade or score, a concern
    SIGNAL = "signal"  # an event worth counting: a LADO referral, a complaint, a whistleblower, a notification
    POSITIVE = "positive"  # a positive finding: met, a good grade, a score of 3 or 4
    RECORDED = "recorded"  # it happened (a visit, a review, a report), no judgement attached


TONE_MEANINGS = {
    Tone.SIGN: "a sign of harm or failure (not met, concern, poor grade or score)",
    Tone.SIGNAL: "an event to count (LADO referral, complaint, whistleblowing)",
    Tone.POSITIVE: "a positive finding (met, good grade, score 3 or 4)",
    Tone.RECORDED: "recorded: a visit, review or report took place",
}


#: (fill, outline) of each tone's mark; a provider's mark is hollow, outlined in its tone's colour.
TONE_COLOURS = {
    Tone.SIGN: ("#c62828", "#8e0000"),
    Tone.SIGNAL: ("#ef6c00", "#b53d00"),
    Tone.POSITIVE: ("#43a047", "#1b5e20"),
    Tone.RECORDED: ("#9e9e9e", "#616161"),
}


@functools.lru_cache(maxsize=1)
def _shipped_signal_kinds() -> frozenset[str]:
    from regframe.framework.loading import load_framework

    return frozenset(kind.id for kind in load_framework().evidence_kinds() if kind.signal)


def tone(item: EvidenceItem, signal_kinds: frozenset[str] | None = None) -> Tone:
    """A mark's colour, from the assessment's own polarity rule (:func:`regframe.assess.status.polarity`).

    ``signal_kinds`` are the kinds the framework marks ``signal="true"``; by default the shipped
    framework's (the timeline colours marks the same under a revision that keeps them).
    """
    signals = _shipped_signal_kinds() if signal_kinds is None else signal_kinds
    found = polarity(item, signals)
    if found is Polarity.NEGATIVE:
        return Tone.SIGN
    if item.kind in signals:
        return Tone.SIGNAL
    judged = item.outcome is not None and item.outcome.kind is not OutcomeKind.RECORDED
    return Tone.POSITIVE if found is Polarity.POSITIVE and judged else Tone.RECORDED


# ---------------------------------------------------------------- the view model


@attrs.frozen
class Row:
    """A label and a value, as a table row shows them."""

    label: str
    value: str


@attrs.frozen
class Mark:
    """One dated evidence item on the timeline."""

    x: float
    y: float
    tone: str
    hollow: bool  # the provider's own word
    fill: str
    stroke: str
    title: str  # date, kind, source and finding: never an id or free text


@attrs.frozen
class LegendEntry:
    fill: str
    stroke: str
    text: str


@attrs.frozen
class Bar:
    """One month's figure, as a bar (``height`` > 0) or a point of a line."""

    x: float
    y: float
    width: float
    height: float
    title: str


@attrs.frozen
class Lane:
    key: str
    label: str
    note: str  # the count, or the latest figure
    top: float
    marks: tuple[Mark, ...] = ()
    bars: tuple[Bar, ...] = ()
    line: str = ""  # SVG polyline points, for a figure drawn as a line


@attrs.frozen
class Tick:
    x: float
    label: str  # empty for a month without a label


@attrs.frozen
class Timeline:
    start: dt.date
    end: dt.date
    period: str  # "1 Nov 2024 to 31 Oct 2026"
    width: int
    height: int
    plot_left: int
    plot_right: int
    lane_height: int
    axis_height: int
    ticks: tuple[Tick, ...]
    lanes: tuple[Lane, ...]
    drawn: int  # dated items drawn
    before: int  # items before the window, not drawn
    after: int  # items after the as-at date, not drawn


@attrs.frozen
class Profile:
    """Everything the page shows, as display strings and coordinates."""

    urn: str
    name: str  # "name not published" where Ofsted redacts it
    title: str
    as_at: str
    setting: tuple[Row, ...]
    registrations: tuple[Row, ...]
    standing: Standing
    reasons: tuple[str, ...]
    more_reasons: int
    counts: tuple[Row, ...]
    timeline: Timeline
    legend: tuple[LegendEntry, ...]
    footer: str
    run_id: str  # the run's id (regframe.report.runid), in the page's <meta> and footer: the report's files share it


def format_date(day: dt.date | None) -> str:
    """A date as a UK reader writes it ("10 Mar 2026"), whatever the machine's locale."""
    return NOT_GIVEN if day is None else f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _setting_rows(result: SettingAssessment) -> tuple[Row, ...]:
    setting = result.setting
    area = setting.local_authority or NOT_GIVEN
    if setting.region:
        area = f"{area} ({setting.region})"
    return (
        Row("URN", setting.urn),
        Row("Name", shown(setting.name)),
        Row("Kind", setting.kind.description),
        Row("Provision type", setting.provision_type or NOT_GIVEN),
        Row("Local authority", area),
        Row("Owner", setting.owner if setting.owner and not withheld(setting.owner) else NOT_GIVEN),
        Row("Sector", setting.sector or NOT_GIVEN),
        Row("Places", NOT_GIVEN if setting.places is None else str(setting.places)),
        Row("Children placed", f"{result.children} (a count; no child is named or identified here)"),
    )


def _registration_rows(setting: Setting) -> tuple[Row, ...]:
    ofsted = setting.kind is not SettingKind.CQC_HEALTH_PROVISION
    cqc = setting.cqc_location_id is not None
    registered_with = "Ofsted and CQC (dual registration)" if ofsted and cqc else "Ofsted" if ofsted else "CQC"
    rows = [
        Row("Registered with", registered_with),
        Row("Ofsted URN", setting.urn if ofsted else NOT_GIVEN),
    ]
    if setting.education_urn:
        rows.append(Row("Education URN", setting.education_urn))
    rows += [
        Row("CQC location id", setting.cqc_location_id or NOT_GIVEN),
        Row("Registration status", setting.registration_status or "not known"),
        Row("Registered on", format_date(setting.registered_on)),
    ]
    if setting.closed_on is not None:
        rows.append(Row("Closed on", format_date(setting.closed_on)))
    return tuple(rows)


def _count_rows(result: SettingAssessment) -> tuple[Row, ...]:
    counts = result.counts
    in_order = (Status.NOT_MET, Status.OVERDUE, Status.UNCORROBORATED, Status.STALE, Status.NO_EVIDENCE, Status.MET)
    words = {Status.NOT_MET: "Not met", Status.OVERDUE: "Overdue", Status.UNCORROBORATED: "Provider's word only",
             Status.STALE: "Evidence out of date", Status.NO_EVIDENCE: "No evidence", Status.MET: "Met"}
    return tuple(Row(words[s], str(counts.get(s.value, 0))) for s in in_order)


# ---------------------------------------------------------------- the timeline


#: Timeline geometry, in SVG user units (the SVG scales to the page width; 700 units = 186 mm at A4).
WIDTH = 700
PLOT_LEFT = 150
PLOT_RIGHT = 692
LANE_HEIGHT = 20
AXIS_HEIGHT = 18
_STACK = 3  # marks on one day in one lane: up to three above each other, then another column
_STEP = 6.0


def window_start(as_at: dt.date) -> dt.date:
    """The timeline's first day: the first of the month ``TIMELINE_MONTHS - 1`` months before the as-at month."""
    return add_months(as_at.replace(day=1), -(TIMELINE_MONTHS - 1))


class _Scale:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.days = (end - start).days + 1

    def x(self, day: dt.date, middle: bool = True) -> float:
        offset = (day - self.start).days + (0.5 if middle else 0.0)
        return PLOT_LEFT + offset / self.days * (PLOT_RIGHT - PLOT_LEFT)


def _ticks(scale: _Scale, start: dt.date, end: dt.date) -> tuple[Tick, ...]:
    ticks = []
    month = start
    while month <= end:
        label = f"{_MONTHS[month.month - 1]} {month.year % 100:02d}" if month.month in (1, 4, 7, 10) else ""
        ticks.append(Tick(round(scale.x(month, middle=False), 1), label))
        month = add_months(month, 1)
    return tuple(ticks)


def _mark_title(item: EvidenceItem, kind_titles: dict[str, str]) -> str:
    kind = kind_titles.get(item.kind) or kind_id_words(item.kind)
    source = item.source.value.replace("-", " ")
    return f"{format_date(item.observed)}: {kind} ({source}), {verdict(item)}"


def _item_lanes(items: Sequence[EvidenceItem], scale: _Scale, kind_titles: dict[str, str],
                first_top: float) -> list[Lane]:
    by_lane: dict[str, list[EvidenceItem]] = defaultdict(list)
    for item in items:
        by_lane[lane_for(item).key].append(item)
    lanes = []
    for index, spec in enumerate(ITEM_LANES):
        top = first_top + index * LANE_HEIGHT
        middle = top + LANE_HEIGHT / 2
        on_day: dict[dt.date, list[EvidenceItem]] = defaultdict(list)
        # sorted by value, not by file order: the same evidence draws the same page
        for item in sorted(by_lane[spec.key], key=lambda i: (i.observed, i.kind, verdict(i), i.source.value, i.id)):
            on_day[item.observed].append(item)
        marks = []
        for day, group in on_day.items():
            rows = min(len(group), _STACK)
            for position, item in enumerate(group):
                column, row = divmod(position, _STACK)
                x = scale.x(day) - column * _STEP
                y = middle + (row - (rows - 1) / 2) * _STEP
                x = min(max(x, PLOT_LEFT + 3), PLOT_RIGHT - 3)
                found = tone(item)
                hollow = item.independence is Independence.PROVIDER
                fill, stroke = TONE_COLOURS[found]
                marks.append(Mark(round(x, 1), round(y, 1), found.value, hollow, "#ffffff" if hollow else fill,
                                  fill if hollow else stroke, _mark_title(item, kind_titles)))
        count = len(marks)
        lanes.append(Lane(spec.key, spec.label, f"{count}" if count else "none", top, marks=tuple(marks)))
    return lanes


def monthly_figures(metrics: Iterable[MetricValue], metric: Metric, start: dt.date,
                    end: dt.date) -> dict[dt.date, float]:
    """One figure per month in the window: where two sources give a month, the higher (the worse) is drawn."""
    figures: dict[dt.date, float] = {}
    for value in metrics:
        if value.metric is metric and start <= value.month <= end:
            figures[value.month] = max(figures.get(value.month, value.value), value.value)
    return dict(sorted(figures.items()))


def _metric_lanes(metrics: Sequence[MetricValue], scale: _Scale, start: dt.date, end: dt.date,
                  first_top: float) -> list[Lane]:
    lanes = []
    for index, spec in enumerate(METRIC_LANES):
        top = first_top + index * LANE_HEIGHT
        figures = monthly_figures(metrics, spec.metric, start, end)
        bottom = top + LANE_HEIGHT - 2
        room = LANE_HEIGHT - 6
        ceiling = 100.0 if spec.unit == " %" else max(figures.values(), default=0.0) or 1.0
        bars = []
        for month, value in figures.items():
            left = scale.x(month, middle=False)
            right = scale.x(add_months(month, 1), middle=False)
            height = max(value, 0.0) / ceiling * room
            title = f"{_MONTHS[month.month - 1]} {month.year}: {_number(value)}{spec.unit}"
            if spec.style == "bars":
                bars.append(Bar(round(left + 1, 1), round(bottom - height, 1), round(max(right - left - 2, 1), 1),
                                round(height, 1), title))
            else:
                bars.append(Bar(round((left + right) / 2, 1), round(bottom - height, 1), 0.0, 0.0, title))
        line = " ".join(f"{b.x},{b.y}" for b in bars) if spec.style == "line" else ""
        if figures:
            values = list(figures.values())
            latest = f"{_number(values[-1])}{spec.unit}"
            note = f"latest {latest}" if spec.style == "line" else f"max {_number(max(values))}, latest {latest}"
        else:
            note = "no figures"
        lanes.append(Lane(spec.key, spec.label, note, top, bars=tuple(bars), line=line))
    return lanes


def build_timeline(items: Sequence[EvidenceItem], metrics: Sequence[MetricValue], as_at: dt.date,
                   kind_titles: dict[str, str] | None = None) -> Timeline:
    """The 24-month timeline of one setting's evidence, ending on ``as_at`` (nothing after it is drawn)."""
    start = window_start(as_at)
    scale = _Scale(start, as_at)
    dated = [i for i in items if start <= i.observed <= as_at]
    item_lanes = _item_lanes(dated, scale, kind_titles or {}, AXIS_HEIGHT)
    metric_top = AXIS_HEIGHT + len(ITEM_LANES) * LANE_HEIGHT + 6
    metric_lanes = _metric_lanes(metrics, scale, start, as_at, metric_top)
    height = metric_top + len(METRIC_LANES) * LANE_HEIGHT + 2
    return Timeline(
        start=start, end=as_at, period=f"{format_date(start)} to {format_date(as_at)}", width=WIDTH, height=height,
        plot_left=PLOT_LEFT, plot_right=PLOT_RIGHT, lane_height=LANE_HEIGHT, axis_height=AXIS_HEIGHT,
        ticks=_ticks(scale, start, as_at),
        lanes=(*item_lanes, *metric_lanes), drawn=len(dated),
        before=sum(1 for i in items if i.observed < start), after=sum(1 for i in items if i.observed > as_at),
    )


# ---------------------------------------------------------------- building and writing


class ProfileBuilder:
    """Builds profiles of any setting of one assessment (the evidence is indexed once, for many profiles)."""

    def __init__(self, assessment: Assessment, evidence: EvidenceSet, graph: RequirementGraph) -> None:
        self.assessment = assessment
        self.results = {r.setting.urn: r for r in assessment.settings}
        self.items = evidence.items_by_setting()
        self.metrics = evidence.metrics_by_setting()
        self.kind_titles = {kind.id: kind.title for kind in graph.evidence_kinds()}
        self.inputs = tuple(evidence.inputs)

    def profile(self, urn: str) -> Profile:
        return build_profile(self.results[urn], self.items.get(urn, ()), self.metrics.get(urn, ()),
                             self.assessment, self.kind_titles, self.inputs)


def build_profile(result: SettingAssessment, items: Sequence[EvidenceItem], metrics: Sequence[MetricValue],
                  assessment: Assessment, kind_titles: dict[str, str] | None = None,
                  inputs: Sequence[InputFile] | None = None) -> Profile:
    """The view model of one setting's page: ``items`` and ``metrics`` are that setting's evidence.

    ``inputs`` are the files they were read from (the evidence set's; by default the assessment's):
    the footer names those that hold this setting's evidence, with their SHA-256.
    """
    as_at = assessment.as_at
    timeline = build_timeline(items, metrics, as_at, kind_titles)
    verdict_ = standing(result)
    name = shown(result.setting.name)
    not_drawn = []
    if timeline.before:
        not_drawn.append(f"{timeline.before} older")
    if timeline.after:
        not_drawn.append(f"{timeline.after} dated after the as-at date")
    read_from = read_from_files(inputs if inputs is not None else assessment.inputs, [*items, *metrics])
    run = run_id(assessment)
    footer = (
        f"As at {format_date(as_at)}. regframe {assessment.regframe_version}, framework {assessment.framework} "
        f"{assessment.framework_version}. Timeline: {timeline.drawn} dated evidence item(s) drawn, {timeline.period}"
        + (f"; not drawn: {', '.join(not_drawn)}" if not_drawn else "")
        + ". Children appear only as counts."
        + (f" Read from {'; '.join(read_from)}." if read_from else "")
        + f" Run id {run}."
    )
    return Profile(
        urn=result.setting.urn, name=name, title=f"{name} ({result.setting.urn})", as_at=format_date(as_at),
        setting=_setting_rows(result), registrations=_registration_rows(result.setting), standing=verdict_,
        reasons=verdict_.reasons[:MAX_REASONS], more_reasons=max(len(verdict_.reasons) - MAX_REASONS, 0),
        counts=_count_rows(result), timeline=timeline,
        legend=_legend(), footer=footer, run_id=run,
    )


def read_from_files(inputs: Iterable[InputFile], records: Iterable[EvidenceItem | MetricValue]) -> list[str]:
    """The files a setting's evidence came from, as "name (SHA-256 …)": by file name, never the user's folder.

    ``inputs`` are the files read: the evidence set's (by the path each was read from) or the
    assessment's (named by file name, :mod:`regframe.assess.provenance`); a record is matched to
    its file by path, else by file name.
    """
    by_path: dict[str, InputFile] = {}
    by_name: dict[str, list[InputFile]] = defaultdict(list)
    for found in inputs:
        by_path[found.path] = found
        by_name[file_name(found.path)].append(found)
    used: dict[tuple[str, str], None] = {}
    for record in records:
        where = record.provenance.file if record.provenance is not None else ""
        if not where:
            continue
        files = [by_path[where]] if where in by_path else by_name.get(file_name(where), [])
        for found in files:
            used[(file_name(found.path), found.sha256)] = None
    return [f"{name} (SHA-256 {digest})" if digest else name for name, digest in sorted(used)]


def _legend() -> tuple[LegendEntry, ...]:
    entries = [LegendEntry(*TONE_COLOURS[t], TONE_MEANINGS[t]) for t in Tone]
    entries.append(LegendEntry("#ffffff", TONE_COLOURS[Tone.RECORDED][1], "hollow: the provider's own word"))
    return tuple(entries)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("regframe.report", "templates"),
        autoescape=True,  # every value is escaped: a setting's name is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_profile(profile: Profile) -> str:
    """The page as HTML text (UTF-8, no script, no external resource)."""
    return _environment().get_template("profile.html.j2").render(p=profile)


def profile_filename(urn: str) -> str:
    """``profile-<URN>.html``, with anything but letters, digits, ``-`` and ``_`` in the URN made ``_``."""
    return f"profile-{re.sub(r'[^A-Za-z0-9_-]', '_', urn)}.html"


def write_profile(profile: Profile, folder: Path) -> Path:
    """Write one page into ``folder`` atomically; return its path."""
    path = Path(folder) / profile_filename(profile.urn)
    atomic_write_bytes(path, render_profile(profile).encode("utf-8"))
    return path


def profiled(assessment: Assessment) -> list[str]:
    """The settings ``report --profiles`` writes a page for: every red and amber one, worst first."""
    return [r.setting.urn for r in assessment.settings if r.rating in (Rating.RED, Rating.AMBER)]


def write_profiles(builder: ProfileBuilder, urns: Iterable[str], folder: Path) -> list[Path]:
    """Write the profiles of ``urns`` into ``folder``, each atomically; return their paths in the order given."""
    return [write_profile(builder.profile(urn), folder) for urn in urns]
