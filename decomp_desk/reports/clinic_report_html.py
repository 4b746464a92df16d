"""The clinic outcome report's page (HTML for a QTextDocument, no Qt here) and its rows of figures, which
the window and `clinic-report` share. The published series stand beside the clinic's own figures, with
their citations, and the page says plainly that the clinic's figures are an uncontrolled series."""
from __future__ import annotations

from decomp_desk.domain.clinic_outcomes import (
    PUBLISHED_SERIES,
    REGION_KEYS,
    UNCONTROLLED_NOTE,
    ClinicReport,
    RegionFigures,
)
from decomp_desk.reports.page_data import ClinicReportPage
from decomp_desk.reports.page_kit import DASH, e, keep_together, page

TITLE = "Clinic outcome report"
CHART_RESOURCE = "pain-change.png"


def _n(value, suffix: str = "") -> str:
    return DASH if value is None else f"{value}{suffix}"


def _signed(value) -> str:
    if value is None:
        return DASH
    return f"+{value}" if value > 0 else f"\u2212{-value}" if value < 0 else "0.0"


ROWS: tuple[tuple[str, callable], ...] = (
    ("Courses started", lambda f: str(f.courses)),
    ("  completed / discontinued / active", lambda f: f"{f.completed} / {f.discontinued} / {f.active}"),
    ("Sessions", lambda f: str(f.sessions)),
    ("Courses with 2+ sessions", lambda f: str(f.pain_courses)),
    ("Mean pain at first session (0-10)", lambda f: _n(f.mean_baseline_pain)),
    ("Mean pain at latest session (0-10)", lambda f: _n(f.mean_latest_pain)),
    ("Meaningful pain improvement", lambda f: _n(f.meaningful_pain_percent, "%")),
    ("Adverse events per 100 sessions", lambda f: _n(f.adverse_events_per_100_sessions)),
    ("Stop-button sessions per 100", lambda f: _n(f.stop_button_sessions_per_100)),
    ("Courses with two scored ODI/NDI forms", lambda f: str(f.function_courses)),
    ("Mean ODI/NDI change (points)", lambda f: _signed(f.function_mean_change)),
    ("Meaningful function improvement", lambda f: _n(f.function_meaningful_percent, "%")),
)


def figure_rows(report: ClinicReport) -> list[tuple[str, str, str, str]]:
    """(label, lumbar, cervical, all) for the window's table and the command line."""
    return [(label, *(show(report.regions[k]) for k in REGION_KEYS)) for label, show in ROWS]


def _clinic_vs_published(f: RegionFigures) -> str:
    if f.mean_baseline_pain is None:
        return "The clinic has no lumbar course with two or more sessions in this period to set beside it."
    return (f"The clinic's lumbar courses in this period: mean pain {f.mean_baseline_pain} at the first session "
            f"and {f.mean_latest_pain} at the latest, over {f.pain_courses} course"
            f"{'s' if f.pain_courses != 1 else ''}.")


def clinic_report_html(cp: ClinicReportPage) -> str:
    r = cp.report
    head = "".join(f'<th class="center" width="16%">{k.capitalize()}</th>' for k in REGION_KEYS)
    rows = "".join(f"<tr><td>{e(label.strip())}</td>" + "".join(f'<td class="center">{e(v)}</td>' for v in values)
                   + "</tr>" for label, *values in figure_rows(r))
    series = "".join(f"<tr><td>{e(summary)}</td><td class=\"muted\">{e(citation)}</td></tr>"
                     for citation, summary in PUBLISHED_SERIES)
    return page(
        f"{TITLE} \u2013 {cp.clinic_name}",
        f'<p class="clinic">{e(cp.clinic_name)}</p>',
        f'<p class="title" style="margin-top: 4px;">{e(TITLE)}</p>',
        f'<p class="muted">{e(cp.period().capitalize())}; printed {e(cp.printed_on.isoformat())}. Pain '
        "figures count courses with at least two sessions; meaningful pain improvement is a fall of at least 2 points "
        "and 30% from the first session (of courses whose first pain was above 0); meaningful function improvement "
        "is an ODI fall of 10 points or an NDI fall of 15.</p>",
        '<table width="100%" cellspacing="0" cellpadding="8" style="margin-top: 6px;">'
        f'<tr><td class="warning"><b>Read with care.</b> {e(UNCONTROLLED_NOTE)}</td></tr></table>',
        '<p class="section" style="margin-top: 12px;">The clinic\'s figures</p>',
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="3">'
        f'<thead><tr><th align="left">Figure</th>{head}</tr></thead>{rows}</table>',
        f'<p style="margin-top: 6px;">{e(cp.attendance_sentence())}</p>',
        keep_together('<p class="section">Change in pain per course</p>'
                      f'<p align="center"><img src="{CHART_RESOURCE}"></p>', 14),
        keep_together(
            '<p class="section">Published series, for comparison</p>'
            '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="4">'
            '<thead><tr><th align="left" width="40%">What was found</th><th align="left">Citation</th></tr></thead>'
            f"{series}</table>"
            f'<p style="margin-top: 6px;">{e(_clinic_vs_published(r.regions["lumbar"]))} The uncontrolled series '
            "(Apfel) and the randomised trial (Schimmel) disagree: without a comparison group, falling pain may be "
            "the natural course of back pain, not the treatment's doing.</p>", 14),
    )
