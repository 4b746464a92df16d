"""`outcomes CHART [--json]` and `clinic-report [--from DATE] [--to DATE] [--json] [--output FILE.pdf]`
(DOMAIN.md, "Outcome questionnaires" and "Clinic outcome report")."""
from __future__ import annotations

import sys

from decomp_desk.bootstrap import Services
from decomp_desk.cli import _print_json, _table, arg, command


@command("outcomes", "the outcome questionnaires (ODI, NDI, PSFS) of a patient's current course",
         arg("chart_number", metavar="CHART_NUMBER"), arg("--json", action="store_true", help="print JSON"))
def outcomes(args, services: Services) -> int:
    o = services.outcomes.for_chart(args.chart_number)
    if args.json:
        _print_json(o.as_json())
        return 0
    print(f"Chart {o.chart_number}: {o.region.value} course, {o.sessions_completed} of {o.sessions_planned} "
          f"sessions; its instrument is the {o.instrument.label}.")
    _table(("Date", "Form", "Answered", "Score", "Band"),
           [(f.date.isoformat(), f.instrument.short, f.scored.answered, f.scored.score_text(), f.scored.band or "")
            for f in o.forms])
    for instrument, summary in o.summaries.items():
        if summary.forms or instrument is o.instrument:
            print(summary.plain_sentence())
    if o.missing:
        print(f"Missing {o.instrument.short} forms at session{'s' * (len(o.missing) != 1)} "
              + ", ".join(map(str, o.missing)) + ".")
    return 0


@command("clinic-report", "the clinic's outcomes (courses started in a period) beside published series",
         arg("--from", dest="start", metavar="DATE", help="courses started on or after this day (2026-01-01)"),
         arg("--to", dest="end", metavar="DATE", help="courses started on or before this day"),
         arg("--json", action="store_true", help="print JSON"),
         arg("--output", metavar="FILE.pdf", help="write the printed page as a PDF"))
def clinic_report(args, services: Services) -> int:
    from decomp_desk.domain.validation import parse_date

    start = parse_date("from", args.start) if args.start else None
    end = parse_date("to", args.end) if args.end else None
    page = services.clinic_report.report(start, end)
    if args.output:
        from decomp_desk.reports.pages import printed_page
        from decomp_desk.reports.pdf_writer import ReportError, write_page_pdf

        try:
            path = write_page_pdf(printed_page(page), args.output)
        except ReportError as e:
            print(e, file=sys.stderr)
            return 1
        if not args.json:
            print(f"Wrote the clinic outcome report to {path}.")
    if args.json:
        _print_json(page.report.as_json())
        return 0
    if args.output:
        return 0
    from decomp_desk.reports.clinic_report_html import figure_rows

    _table(("", "Lumbar", "Cervical", "All"), figure_rows(page.report))
    print(page.attendance_sentence())
    return 0
