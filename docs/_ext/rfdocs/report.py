"""The gap report's sheets and columns, read from a real report, and the demo's results.

The demo is assessed and its workbook written to a temporary folder at build
time; the sheet names and header rows documented here are read back from
that file, so the page lists exactly the columns the report has. The words
about each column are written here; a column without words is a build warning
(an error under ``-W``), so a new column cannot go undocumented.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sphinx.util import logging

from .rst import esc, heading, indent, list_table, literal

logger = logging.getLogger(__name__)

SHEET_TEXT = {
    "Summary": "One row per setting, by risk (red before amber before green), then lowest assurance first, then "
               "risk score, with at most five reasons in plain words. Start here.",
    "Charts": "Two charts and the small tables behind them: settings by risk and assurance, and the requirements "
              "not met and overdue at each red or amber setting.",
    "Gaps": "Every requirement with evidence that is short of met at every setting (not met, overdue, "
            "uncorroborated, stale), most serious status first within each setting: the working list for an "
            "inspection. Requirements with no evidence at all are counted on *Coverage* instead. An Excel "
            "table, so it filters and sorts. Past Excel's row limit it continues on *Gaps (2)*, *Gaps (3)* and "
            "so on, in the same order.",
    "Coverage": "What is known apart from what is failing: for each setting and each regulator holding "
                "requirements there (Ofsted, CQC, or others such as placing authorities), how many of those "
                "requirements are independently evidenced in their window, stale, provider only, or have none.",
    "Matrix": "Settings by standard: how many requirements are failing (not met or overdue) at each setting "
              "under each regulation or standard (the requirement at the top of its ``part-of`` chain), as a "
              "heat map. Only standards with a failing requirement somewhere have a column.",
    "Indicators": "Each risk indicator's value at each setting and the threshold level it reached.",
    "Recommendations": "Each setting read against each of the Panel's recommendations (the *lens*).",
    "Provider groups": "Settings grouped by owner. A group with failings at two or more settings *stands out* "
                       "(highlighted), as the Hesley Group's homes should have.",
    "Evidence": "Every evidence item the assessment relied on, with where it came from; the ids in "
                ":col:`Gaps/Evidence` are looked up here.",
    "About": "The framework and version, the *as at* date, the regframe version, every input file with its "
             "SHA-256 and accepted/rejected/skipped counts, how to read the report (the status, flag and lens "
             "meanings), notes, and every diagnostic met while reading the input. Not a table.",
}

COLUMN_TEXT = {
    ("*", "URN"): "The setting's Ofsted unique reference number (``SC`` and six digits for a children's home).",
    ("*", "Setting"): "The setting's name as registered.",
    ("Summary", "Kind"): "The kind of setting (children's home, residential special school, a residential special "
                         "school registered as a children's home, secure children's home, CQC health provision).",
    ("Summary", "Local authority"): "The local authority the setting is in (the host LA).",
    ("Summary", "Owner"): "The organisation that owns the setting; settings with one owner form a provider group.",
    ("Summary", "Dual-registered"): "Yes when the setting is registered with CQC as well as Ofsted (it has a CQC "
                                    "location id), so CQC's requirements apply too.",
    ("Summary", "Children"): "Children placed at the setting on the *as at* date (a count; no child is named).",
    ("Summary", "Risk"): "Red, amber or green: signs of harm or failure only, by the risk rule (see "
                         ":ref:`rating-rule`). The one rating; there is no other RAG.",
    ("Summary", "Assurance"): "High, medium or low: how much of what binds the setting is independently and "
                              "recently known, by the assurance rule (see :ref:`rating-rule`).",
    ("Summary", "Rated good, but …"): "Yes when the Hesley pattern holds: a regulator's latest judgement is good "
                                     "or outstanding while other independent sources show red signs.",
    ("Summary", "Reasons"): "At most five reasons a director can act on, most serious first, each naming the "
                            "requirement by reference and title and the evidence by source, date and figure. The "
                            "JSON report has them all.",
    ("Summary", "Assurance because"): "Why assurance is not higher (or, when high, what it rests on).",
    ("Summary", "Risk score"): "A number for ordering settings of the same rating; higher is worse. It adds "
                               "weight for red and amber indicators, standards with a requirement not met, overdue "
                               "requirements, the provider-contradicted and regulators-disagree flags, and "
                               "inadequate judgements or CQC scores of 1 (the weights are in "
                               ":func:`regframe.assess.rate`).",
    ("Charts", "Risk"): "A risk rating; the three columns to its right count settings by assurance.",
    ("Charts", "Low assurance"): "Settings of that risk with low assurance.",
    ("Charts", "Medium assurance"): "Settings of that risk with medium assurance.",
    ("Charts", "High assurance"): "Settings of that risk with high assurance.",
    ("Charts", ""): "An empty spacer column between the two tables.",
    ("Charts", "Red or amber setting"): "A red or amber setting, in Summary order; the columns to its right count "
                                        "its requirements not met and overdue.",
    ("Coverage", "Assurance"): "The setting's assurance, as on Summary.",
    ("Coverage", "Regulator"): "Who holds the requirements counted on the row: Ofsted, CQC, or others (placing "
                               "authorities, government) when neither regulator does. A requirement both hold "
                               "counts under each.",
    ("Coverage", "Applicable"): "Requirements held by that regulator that apply to the setting.",
    ("Coverage", "Evidenced"): "An independent finding in the requirement's window, or a regulator's action on it "
                               "still open.",
    ("Coverage", "Stale"): "Independent evidence exists, but all of it is older than the window.",
    ("Coverage", "Provider only"): "Only the provider's own word in the window.",
    ("Coverage", "None"): "Nothing at all, or only records of events (referrals, notifications).",
    ("Coverage", "Evidenced share"): "Evidenced as a share of applicable, as a percentage.",
    ("Indicators", "Axis"): "Risk (a red or amber level raises risk) or Assurance (it lowers assurance), as the "
                            "indicator declares in the framework.",
    ("Gaps", "Requirement id"): "The requirement's stable id: it never changes meaning, so filters and lookups "
                                "keyed on it survive renumbering. Each has an entry in the :ref:`catalogue`.",
    ("Gaps", "Ref"): "The requirement's human reference (``CHR 2015 reg 12(2)(a)``).",
    ("Gaps", "Requirement"): "The requirement's title.",
    ("Gaps", "Standard"): "The reference of the regulation or standard the requirement belongs to.",
    ("Gaps", "Standard title"): "That standard's title.",
    ("Gaps", "Instrument"): "The instrument (regulations, standards, framework) it comes from.",
    ("Gaps", "Regulators"): "Who holds the requirement: ofsted, cqc, placing-la, host-la, icb, provider, "
                            "government.",
    ("Gaps", "Status"): "The requirement's status at this setting: exactly one, the first that applies of not met, "
                        "overdue, uncorroborated, stale, no evidence (see :ref:`status-rules`). Met and not "
                        "applicable requirements are not listed.",
    ("Gaps", "Flags"): "Things worth a second look beside the status: regulators disagree, provider contradicted, "
                       "single regulator, suspect mapping (see :ref:`flags`).",
    ("Gaps", "Reasons"): "Every rule that applied, one per line, naming the evidence (source, date, verdict), "
                         "not only the one that set the status.",
    ("Gaps", "Evidence"): "The ids of the evidence items that bear on the requirement at this setting; look them up "
                          "on the Evidence sheet.",
    ("Matrix", "Risk"): "The setting's risk, as on Summary.",
    ("Matrix", "Failing"): "The setting's requirements not met or overdue.",
    ("Matrix", "*standard*"): "Every further column is one standard (its reference, rotated): the number of the "
                              "setting's failing requirements under it. Colour runs from white (none) to red "
                              "(the most).",
    ("Indicators", "Indicator"): "The indicator's stable id (``ind.restraint-rate``); see the :doc:`indicators "
                                 "</_generated/catalogue/ind>`.",
    ("Indicators", "Title"): "The indicator's title.",
    ("Indicators", "Metric"): "The metric it is computed from (the threshold's ``metric``).",
    ("Indicators", "Value"): "The value at this setting on the *as at* date; empty when there was not enough data.",
    ("Indicators", "Threshold"): "The threshold value of the level reached; empty when none was.",
    ("Indicators", "Level"): "Red, amber, or empty: the highest threshold level the value crossed.",
    ("Indicators", "Basis"): "How the value was computed, in words (months and counts used).",
    ("Recommendations", "Recommendation"): "The recommendation's reference (``CSPRP 2023 R1``); each has a page "
                                           "under :ref:`recommendations`.",
    ("Recommendations", "Title"): "The recommendation's title.",
    ("Recommendations", "State"): "Failing, at risk, OK or not applicable (see :ref:`lens-states`).",
    ("Recommendations", "Failing requirements"): "References of the requirements behind it that are not met or "
                                                 "overdue at this setting.",
    ("Recommendations", "At-risk requirements"): "References of the requirements behind it that are uncorroborated, "
                                                 "stale or unevidenced.",
    ("Recommendations", "Indicators"): "Ids of the indicators it relies on that are at amber or red.",
    ("Provider groups", "Owner"): "The owning organisation (settings with no owner recorded, or a redacted "
                                  "one, are not grouped).",
    ("Provider groups", "Settings"): "How many settings it owns in the input.",
    ("Provider groups", "Red"): "How many of them are rated red.",
    ("Provider groups", "Amber"): "How many are amber.",
    ("Provider groups", "Green"): "How many are green.",
    ("Provider groups", "Settings with failings"): "How many have a requirement not met or overdue, or a red "
                                                   "rating.",
    ("Provider groups", "Stands out"): "Yes when two or more of its settings have failings.",
    ("Provider groups", "Setting URNs"): "The URNs of its settings.",
    ("Provider groups", "URNs with failings"): "The URNs of those with failings.",
    ("Evidence", "Evidence id"): "The item's id, as listed in :col:`Gaps/Evidence`.",
    ("Evidence", "Kind"): "The kind of evidence (an :ref:`evidence kind <evidence-kinds>`), by title.",
    ("Evidence", "Source"): "Who produced it: a regulator, an independent party, the provider, or an LA.",
    ("Evidence", "Observed"): "When it was observed (the visit, inspection or report date). The window counts from "
                              "this date.",
    ("Evidence", "Provenance"): "Where it was read from: file name and line, sheet and cell, or row (the file "
                                "by its name only; About gives each input's SHA-256).",
}

#: sheets whose header is not on row 1
HEADER_ROW = {"Summary": None}  # filled from regframe.report.xlsx.SUMMARY_TITLE_ROWS


def run_demo():  # noqa: ANN201
    """Assess the bundled demo as ``make demo`` does (with a fixed pseudonym key); return what the pages need."""
    import regframe
    from regframe.assess import assess
    from regframe.evidence.pseudonym import PseudonymKey
    from regframe.samples.demo import AS_AT, EXTRACT_LA, demo_paths

    framework = regframe.load_framework()
    graph = regframe.build_graph(framework)
    evidence = regframe.load_evidence(demo_paths(), key=PseudonymKey.from_text("regframe-docs-demo-key"),
                                      la_code=EXTRACT_LA)
    assessment = assess(graph, evidence, AS_AT)
    return graph, assessment


def read_headers(graph, assessment) -> dict[str, list[str]]:  # noqa: ANN001
    from openpyxl import load_workbook

    from regframe.report import write_xlsx
    from regframe.report.xlsx import SUMMARY_TITLE_ROWS

    headers: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.xlsx"
        write_xlsx(assessment, graph, path)
        book = load_workbook(path, read_only=True)
        try:
            for ws in book.worksheets:
                if ws.title == "About":
                    headers[ws.title] = []
                    continue
                row = SUMMARY_TITLE_ROWS + 1 if ws.title == "Summary" else 1
                values = next(ws.iter_rows(min_row=row, max_row=row, values_only=True), ())
                names = ["" if v is None else str(v) for v in values]
                while names and names[-1] == "":
                    names.pop()
                headers[ws.title] = names
        finally:
            book.close()
    return headers


def _column_text(sheet: str, column: str, standards: set[str]) -> str | None:
    from regframe.assess.status import FLAG_MEANINGS, STATUS_MEANINGS
    from regframe.report.xlsx import FLAG_LABELS, STATUS_LABELS

    for key in ((sheet, column), ("*", column)):
        if key in COLUMN_TEXT:
            return COLUMN_TEXT[key]
    status = {label: s for s, label in STATUS_LABELS.items()}
    flag = {label: f for f, label in FLAG_LABELS.items()}
    if sheet in ("Summary", "Charts") and column in status:
        return f"How many requirements are *{column.lower()}* at the setting" + (
            "" if sheet == "Summary" else " (all settings of that kind)") + ": " + STATUS_MEANINGS[status[column]]
    if sheet == "Summary" and column in flag:
        return f"How many of the setting's findings carry the flag: {FLAG_MEANINGS[flag[column]]}"
    if sheet == "Matrix" and column in standards:
        return COLUMN_TEXT[("Matrix", "*standard*")]
    return None


def report_columns_page(headers: dict[str, list[str]], graph) -> str:  # noqa: ANN001
    standards = {graph.root(r.id).ref for r in graph.requirements()}
    out = [".. _report-columns:", "", heading("Every sheet and column of the gap report", "=", over=True),
           "The sheets in the order the workbook has them, and every column of each. The sheet and column names "
           "are read from a report written at build time (the demo's), so this page lists what the report "
           "really has. The JSON report (``--json``) holds the same assessment; see :doc:`/software/schemas`.",
           ""]
    for sheet, names in headers.items():
        base = sheet.split(" (")[0] if sheet.startswith("Gaps (") else sheet
        out += [f".. _sheet-{sheet.lower().replace(' ', '-')}:", "", heading(f"{sheet}", "-")]
        text = SHEET_TEXT.get(base)
        if text is None:
            logger.warning("rfdocs: the report has a sheet %r the docs do not describe (docs/_ext/rfdocs/report.py)",
                           sheet)
            text = ""
        out += [text, ""]
        matrix_standards = 0
        for column in names:
            if sheet == "Matrix" and column in standards:
                matrix_standards += 1
                continue
            words = _column_text(base, column, standards)
            if words is None:
                logger.warning("rfdocs: report column %s/%s has no description (docs/_ext/rfdocs/report.py)",
                               sheet, column)
                words = ""
            label = column or "(blank)"
            out.append(f".. report-column:: {sheet}/{label}\n\n{indent(words)}\n")
        if matrix_standards:
            out += [f"*Standard columns* ({matrix_standards} in the demo report, one per standard with gaps): "
                    + COLUMN_TEXT[("Matrix", "*standard*")], ""]
    return "\n".join(out)


def rule_includes() -> dict[str, str]:
    """The rules' own wording, from the code, as reST lists for the status page (one wording, written once)."""
    from regframe.assess.assurance import ASSURANCE_RULE
    from regframe.assess.rating import RATED_GOOD_BUT_RULE, RATING_RULE
    from regframe.assess.reasons import REASON_RANKING, REASON_RULES

    def items(pairs) -> str:  # noqa: ANN001
        return "\n".join(f"*{esc(key)}*\n    {esc(value)}" for key, value in pairs) + "\n"

    return {
        "rating": items((r.value, text) for r, text in RATING_RULE.items()),
        "assurance": items((a.value, text) for a, text in ASSURANCE_RULE.items()),
        "rated-good-but": esc(RATED_GOOD_BUT_RULE) + "\n",
        "reasons": esc(REASON_RANKING) + "\n\n" + items(REASON_RULES.items()),
    }


def demo_page(graph, assessment) -> str:  # noqa: ANN001
    from regframe.report.xlsx import KIND_LABELS

    rows = []
    for s in assessment.settings:
        counts = s.counts
        rows.append([literal(s.setting.urn), esc(s.setting.name), esc(KIND_LABELS.get(s.setting.kind, s.setting.kind.value)),
                     f"**{s.rating.value}**", s.assurance.value, f"{s.risk_score:.1f}", str(counts.get("not_met", 0)),
                     str(counts.get("overdue", 0))])
    worst = assessment.settings[0]
    out = [f"The demo report as at {assessment.as_at.isoformat()}, computed when these docs were built "
           f"({len(assessment.settings)} settings, regframe {esc(assessment.regframe_version)}):", "",
           list_table(["URN", "Setting", "Kind", "Risk", "Assurance", "Score", "Not met", "Overdue"], rows,
                      widths=[10, 20, 26, 8, 9, 7, 8, 8]),
           f"The first row, **{esc(worst.setting.name)}**, is **{worst.rating.value}** for risk with "
           f"**{worst.assurance.value}** assurance. Its reasons, as the Summary shows them:", ""]
    out += [f"#. {esc(reason.text)}" for reason in worst.reasons[:5]]
    out.append("")
    failing = [e.recommendation for e in worst.lens if e.state.value == "failing"]
    if failing:
        from .catalogue import recommendation_ref

        out += [f"Recommendations failing at {esc(worst.setting.name)}: "
                + ", ".join(recommendation_ref(graph, r) for r in failing) + ".", ""]
    standing = [g for g in assessment.groups if g.stands_out]
    if standing:
        out.append("Provider groups that stand out (failings at two or more settings): "
                   + "; ".join(f"{esc(g.owner)} ({', '.join(g.settings_with_failings)})" for g in standing) + ".")
        out.append("")
    return "\n".join(out)
