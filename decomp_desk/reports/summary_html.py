"""The printed progress summary as HTML for a QTextDocument (no Qt here), written with the page kit
(reports/page_kit.py) like every printed page.

Every figure on the page comes from `ctx.progress` (domain/progress.py), the same computation the
Progress tab and `progress --json` use.
"""
from __future__ import annotations

from decomp_desk.domain.progress import MEANINGFUL_PERCENT, MEANINGFUL_POINTS, Progress
from decomp_desk.domain.types import COUNTED_ADVERSE_EVENTS, SCORE_NAMES, AdverseEvent, SessionPoint
from decomp_desk.reports.function_html import function_block
from decomp_desk.reports.page_data import SummaryContext
from decomp_desk.reports.page_kit import (
    DASH,
    e,
    keep_together,
    letterhead_html,
    long_date,
    medium_date,
    not_cleared_banner,
    page,
    percent,
    plural,
    signed,
)

TITLE = "Spinal decompression progress summary"
CHART_RESOURCE = "chart.png"
SECTION_GAP = 16  # px above each section


# --- formatting ------------------------------------------------------------------------------------

def event_labels(p: SessionPoint) -> list[str]:
    """The session's recorded after-effects, adverse ones first, soreness last."""
    order = list(COUNTED_ADVERSE_EVENTS) + [AdverseEvent.SORENESS]
    return [ev.label for ev in order if ev in p.adverse_events]


def session_notes(p: SessionPoint) -> str:
    """"Stop button (min 12); muscle spasm; soreness": short, so a session's row stays one line."""
    notes = []
    if p.stop_button:
        notes.append(f"Stop button (min {p.stop_minute})" if p.stop_minute is not None else "Stop button")
    notes.extend(label.lower() for label in event_labels(p))
    text = "; ".join(notes)
    return text[:1].upper() + text[1:]


# --- the page ----------------------------------------------------------------------------------------

def summary_html(ctx: SummaryContext) -> str:
    """The whole printed progress summary. The chart is `<img src="chart.png">` (CHART_RESOURCE)."""
    pr = ctx.progress
    return page(
        _document_title(ctx),
        letterhead_html(ctx.letterhead, tax_id=False),  # the tax id is for the pages about money
        not_cleared_banner(ctx.not_cleared),
        f'<p class="title">{e(TITLE)}</p>',
        _patient_block(ctx),
        _result_block(pr),
        _figures_block(pr),
        _chart_block(pr),
        function_block(ctx.function, pr.sessions_completed),
        _sessions_block(pr),
        _events_block(pr),
        _signature_block(ctx),
    )


def _document_title(ctx: SummaryContext) -> str:
    """Also the running footer and the PDF's title."""
    return f"{TITLE} \u2013 {ctx.patient_name} \u2013 chart {ctx.chart_number}"


def _patient_block(ctx: SummaryContext) -> str:
    pr = ctx.progress
    if pr.first_session is None:
        course_dates = "No sessions yet"
    elif pr.first_session == pr.latest_session:
        course_dates = long_date(pr.first_session)
    else:
        course_dates = f"{long_date(pr.first_session)} \u2013 {long_date(pr.latest_session)}"
    conditions = ", ".join(ctx.conditions) if ctx.conditions else DASH
    rows = [
        (("Patient", ctx.patient_name), ("Chart number", ctx.chart_number)),
        (("Date of birth", long_date(ctx.date_of_birth)), ("Printed", long_date(ctx.printed_on))),
        (("Treated region", ctx.region_label or DASH), ("Course", ctx.course_status_label or DASH)),
        (("Course dates", course_dates),
         ("Sessions completed", f"{pr.sessions_completed} of {pr.sessions_planned}")),
    ]
    html = ['<table width="100%" cellspacing="0" cellpadding="3" style="margin-top: 4px;">']
    for (l1, v1), (l2, v2) in rows:
        html.append(
            f'<tr><td width="17%" class="label">{e(l1)}</td><td width="41%" class="value">{e(v1)}</td>'
            f'<td width="20%" class="label">{e(l2)}</td><td width="22%" class="value">{e(v2)}</td></tr>'
        )
    html.append(f'<tr><td class="label">Conditions</td><td colspan="3" class="value">{e(conditions)}</td></tr>')
    html.append("</table>")
    return "".join(html)


def _result_block(pr: Progress) -> str:
    return (
        '<table width="100%" cellspacing="0" cellpadding="9" style="margin-top: 10px;">'
        f'<tr><td class="result">{e(pr.plain_sentence())}</td></tr></table>'
    )


def _figures_block(pr: Progress) -> str:
    html = ['<p class="section">Your scores</p>']
    if pr.baseline is None:
        html.append('<p class="muted">Your starting (baseline) scores are taken before your first session; '
                    "this table fills in once that session is recorded.</p>")
        return keep_together("".join(html), SECTION_GAP)
    first, last = pr.points[0], pr.points[-1]
    html.append(
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="4">'
        "<thead><tr>"
        '<th align="left" width="22%">Score (0 to 10)</th>'
        f'<th class="center" width="21%">Baseline<br><span class="sub">{e(medium_date(first.date))}</span></th>'
        f'<th class="center" width="21%">Latest<br><span class="sub">{e(medium_date(last.date))}</span></th>'
        '<th class="center" width="16%">Change</th>'
        '<th class="center" width="20%">Improvement</th>'
        "</tr></thead>"
    )
    for name in SCORE_NAMES:
        html.append(
            f"<tr><td>{e(name.capitalize())}</td>"
            f'<td class="center">{getattr(pr.baseline, name)}</td>'
            f'<td class="center">{getattr(pr.latest, name)}</td>'
            f'<td class="center">{e(signed(pr.change[name]))}</td>'
            f'<td class="center">{e(percent(pr.improvement_percent[name]))}</td></tr>'
        )
    html.append("</table>")
    rule = (f"a fall of at least {MEANINGFUL_POINTS} points and at least {MEANINGFUL_PERCENT}% "
            "from the baseline pain score")
    if pr.sessions_completed == 1:
        verdict = ('<span class="value">Starting scores recorded.</span> <span class="muted">Change and improvement '
                   "are measured against them from your next session on.</span>")
    elif pr.meaningful_pain_improvement:
        verdict = (f'<span class="good">Meaningful pain improvement: yes</span> '
                   f'<span class="muted">({e(rule)}).</span>')
    else:
        verdict = (f'<span class="value">Meaningful pain improvement: no</span> '
                   f'<span class="muted">(that needs {e(rule)}).</span>')
    html.append(f'<p style="margin-top: 5px;">{verdict}</p>')
    html.append('<p class="muted">0 means none, 10 the worst you can imagine; lower is better. Improvement is the '
                "fall as a percentage of the baseline (n/a when the baseline is 0).</p>")
    return keep_together("".join(html), SECTION_GAP)


def _chart_block(pr: Progress) -> str:
    """The chart from the second session on (one point is no trend, and it would cost the page)."""
    if not pr.points:
        return ""
    if len(pr.points) == 1:
        return ('<p class="muted" style="margin-top: 6px;">The chart of your scores, session by session, '
                "begins with your second session.</p>")
    return keep_together(
        '<p class="section">Scores session by session</p>'
        f'<p align="center" style="margin-top: 2px;"><img src="{CHART_RESOURCE}"></p>'
        '<p class="muted">Scores you reported before each session (filled markers) and after it (hollow markers, '
        "where recorded).</p>",
        SECTION_GAP,
    )


def _sessions_block(pr: Progress) -> str:
    """The session list. Its heading is the table's first header row, so it can never be left alone at
    the foot of a page, and it repeats (with the column heads) on every page the list runs onto."""
    if not pr.points:
        return ""
    has_after = any(p.after is not None for p in pr.points)
    columns = 3 + len(SCORE_NAMES) * (2 if has_after else 1) + 1
    rows = ' rowspan="2"' if has_after else ""
    span = ' colspan="2"' if has_after else ""
    html = [
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="2" '
        f'style="margin-top: {SECTION_GAP}px;"><thead>',
        f'<tr><td colspan="{columns}" class="caption"><p class="section">Sessions</p></td></tr>',
        f'<tr><th class="center" width="5%"{rows}>No.</th><th align="left" width="14%"{rows}>Date</th>',
        f'<th class="center" width="9%"{rows}>Minutes</th>',
    ]
    for name in SCORE_NAMES:
        html.append(f'<th class="center"{span}>{e(name.capitalize())}</th>')
    html.append(f'<th align="left"{rows}>Notes</th></tr>')
    if has_after:
        html.append("<tr>" + '<td class="subhead" width="6%">before</td><td class="subhead" width="6%">after</td>'
                    * len(SCORE_NAMES) + "</tr>")
    html.append("</thead>")
    for p in pr.points:
        cells = [
            f'<td class="center">{p.number}</td>', f"<td>{e(medium_date(p.date))}</td>",
            f'<td class="center">{p.duration_min}</td>',
        ]
        for name in SCORE_NAMES:
            cells.append(f'<td class="center">{getattr(p.before, name)}</td>')
            if has_after:
                after = getattr(p.after, name) if p.after is not None else DASH
                cells.append(f'<td class="center after">{after}</td>')
        # never an empty last cell: QTextDocument then drops the top margin of the block after the table
        cells.append(f'<td class="note">{e(session_notes(p)) or "&nbsp;"}</td>')
        html.append("<tr>" + "".join(cells) + "</tr>")
    html.append("</table>")
    return "".join(html)


def _events_block(pr: Progress) -> str:
    html = ['<p class="section">Stop button and adverse events</p>']
    stops = [p for p in pr.points if p.stop_button]
    if stops:
        items = []
        for p in stops:
            minute = f", at minute {p.stop_minute}" if p.stop_minute is not None else ""
            items.append(f"session {p.number} ({medium_date(p.date)}{minute})")
        html.append(f'<p><span class="value">Stop button pressed in {e(plural(len(stops), "session"))}:</span> '
                    f"{e('; '.join(items))}.</p>")
    elif pr.points:
        html.append("<p>Stop button: not pressed in any session.</p>")
    else:
        html.append("<p>Stop button: no sessions yet.</p>")
    adverse = [(p, [ev.label for ev in COUNTED_ADVERSE_EVENTS if ev in p.adverse_events]) for p in pr.points]
    adverse = [(p, labels) for p, labels in adverse if labels]
    if adverse:
        items = [f"session {p.number} ({medium_date(p.date)}): {', '.join(l.lower() for l in labels)}"
                 for p, labels in adverse]
        html.append(f"<p><span class=\"value\">Adverse events: {pr.adverse_event_count}</span> "
                    f"\u2013 {e('; '.join(items))}.</p>")
    else:
        html.append("<p>Adverse events: none recorded.</p>")
    sore = [p for p in pr.points if AdverseEvent.SORENESS in p.adverse_events]
    if sore:
        which = ", ".join(str(p.number) for p in sore)
        html.append(f"<p>Soreness after {e(plural(len(sore), 'session'))} "
                    f"(session{'s' if len(sore) > 1 else ''} {e(which)}); soreness is the expected after-effect "
                    "and is not counted as an adverse event.</p>")
    return keep_together("".join(html), SECTION_GAP)


def _signature_block(ctx: SummaryContext) -> str:
    clinician = ctx.clinician.strip() or DASH
    lines = (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        '<td width="58%"><p><span class="label">Clinician</span>&nbsp; '
        f'<span class="value">{e(clinician)}</span></p>'
        '<hr style="margin-top: 30px;"><p class="label">Signature</p></td>'
        '<td width="8%">&nbsp;</td>'
        '<td width="34%"><p>&nbsp;</p><hr style="margin-top: 30px;"><p class="label">Date</p></td>'
        "</tr></table>"
    )
    return keep_together(lines, 20)
