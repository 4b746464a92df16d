"""The clinic outcome report's page (HTML for a QTextDocument, no Qt here) and its rows of figures, which
the window and `clinic-report` share. The published series stand beside the clinic's own figures, with
their citations, and the page says plainly that the clinic's figures are an uncontrolled series."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from decomp_desk.domain.clinic_outcomes import (
    PUBLISHED_SERIES,
    REGION_KEYS,
    UNCONTROLLED_NOTE,
    ClinicReport,
    RegionFigures,
)


@dataclass(frozen=True)
class Attendance:
    appointments: int
    no_shows: int
    cancellations: int


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


TITLE = "Clinic outcome report"
CHART_RESOURCE = "pain-change.png"
DASH = "\u2014"


@dataclass(frozen=True)
class ClinicReportPage:
    """What the window and the printed page show."""

    clinic_name: str
    paper_size: str
    printed_on: date
    report: ClinicReport
    # Appointments dated in the period, and how many of them were no-shows and cancellations: attendance
    # is the first sign of a course that will be abandoned. None where the book was not read.
    attendance: Attendance | None = None

    def attendance_sentence(self) -> str:
        a = self.attendance
        if a is None or a.appointments == 0:
            return "No appointments are booked in this period."
        return (f"Appointments dated in the period: {a.appointments}; no-shows: {a.no_shows} "
                f"({_percent(a.no_shows, a.appointments)}); cancellations: {a.cancellations} "
                f"({_percent(a.cancellations, a.appointments)}).")

    def period(self) -> str:
        r = self.report
        if r.start is None and r.end is None:
            return "all courses on file"
        start = r.start.isoformat() if r.start else "the first"
        end = r.end.isoformat() if r.end else "today"
        return f"courses started from {start} to {end}"


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


CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 9.5pt; color: #1a1a1a; }
p.title { font-size: 14pt; font-weight: 700; color: #1f3b57; margin-top: 4px; margin-bottom: 4px; }
p.section { font-size: 11pt; font-weight: 700; color: #1f3b57; margin-top: 0px; margin-bottom: 5px; }
p { margin-top: 0px; margin-bottom: 4px; }
.clinic { font-size: 14pt; font-weight: 700; color: #1f3b57; }
.muted { color: #5a5a5a; font-size: 8.5pt; }
.warning { background-color: #fff4e0; font-size: 10pt; }
table.grid { border-collapse: collapse; }
table.grid th { background-color: #e4eaf0; color: #1f3b57; font-weight: 600; font-size: 8.5pt;
                border-width: 1px; border-style: solid; border-color: #9aa5b1; }
table.grid td { border-width: 1px; border-style: solid; border-color: #c3cbd3; }
td.center, th.center { text-align: center; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _clinic_vs_published(f: RegionFigures) -> str:
    if f.mean_baseline_pain is None:
        return "The clinic has no lumbar course with two or more sessions in this period to set beside it."
    return (f"The clinic's lumbar courses in this period: mean pain {f.mean_baseline_pain} at the first session "
            f"and {f.mean_latest_pain} at the latest, over {f.pain_courses} course"
            f"{'s' if f.pain_courses != 1 else ''}.")


def clinic_report_html(page: ClinicReportPage) -> str:
    r = page.report
    head = "".join(f'<th class="center" width="16%">{k.capitalize()}</th>' for k in REGION_KEYS)
    rows = "".join(f"<tr><td>{_e(label.strip())}</td>" + "".join(f'<td class="center">{_e(v)}</td>' for v in values)
                   + "</tr>" for label, *values in figure_rows(r))
    series = "".join(f"<tr><td>{_e(summary)}</td><td class=\"muted\">{_e(citation)}</td></tr>"
                     for citation, summary in PUBLISHED_SERIES)
    return "\n".join([
        "<html><head>", f"<title>{_e(TITLE)} \u2013 {_e(page.clinic_name)}</title>", f"<style>{CSS}</style>",
        "</head><body>",
        f'<p class="clinic">{_e(page.clinic_name)}</p>',
        f'<p class="title">{_e(TITLE)}</p>',
        f'<p class="muted">{_e(page.period().capitalize())}; printed {_e(page.printed_on.isoformat())}. Pain '
        "figures count courses with at least two sessions; meaningful pain improvement is a fall of at least 2 points "
        "and 30% from the first session (of courses whose first pain was above 0); meaningful function improvement "
        "is an ODI fall of 10 points or an NDI fall of 15.</p>",
        '<table width="100%" cellspacing="0" cellpadding="8" style="margin-top: 6px;">'
        f'<tr><td class="warning"><b>Read with care.</b> {_e(UNCONTROLLED_NOTE)}</td></tr></table>',
        '<p class="section" style="margin-top: 12px;">The clinic\'s figures</p>',
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="3">'
        f'<thead><tr><th align="left">Figure</th>{head}</tr></thead>{rows}</table>',
        f'<p style="margin-top: 6px;">{_e(page.attendance_sentence())}</p>',
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 14px;"><tr><td>'
        '<p class="section">Change in pain per course</p>'
        f'<p align="center"><img src="{CHART_RESOURCE}"></p></td></tr></table>',
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 14px;"><tr><td>'
        '<p class="section">Published series, for comparison</p>'
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="4">'
        '<thead><tr><th align="left" width="40%">What was found</th><th align="left">Citation</th></tr></thead>'
        f"{series}</table>"
        f'<p style="margin-top: 6px;">{_e(_clinic_vs_published(r.regions["lumbar"]))} The uncontrolled series '
        "(Apfel) and the randomised trial (Schimmel) disagree: without a comparison group, falling pain may be the "
        "natural course of back pain, not the treatment's doing.</p></td></tr></table>",
        "</body></html>",
    ])
