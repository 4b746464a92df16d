"""Every printed page, from its plain data (reports/page_data.py) to what the writer needs: the HTML (written
with reports/page_kit.py), the charts it shows as matplotlib figures, the paper, and how the desk speaks of
it. No Qt here: reports/pdf_writer.py draws the figures at print resolution and lays the page out.

    page = printed_page(services.billing.statement_context("1001"))
    write_page_pdf(page, "statement.pdf")            # reports/pdf_writer.py

The desk's one printer (ui/page_printer.py) and the command line both go through `printed_page`, so a
preview, the paper and `decomp-desk report/statement/estimate/clinic-report` show the same pages."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from matplotlib.figure import Figure

from decomp_desk.domain.records import record
from decomp_desk.reports import summary_html as summary
from decomp_desk.reports.charts import progress_figure
from decomp_desk.reports.clinic_report_chart import pain_change_figure
from decomp_desk.reports.clinic_report_html import CHART_RESOURCE as PAIN_CHANGE_RESOURCE
from decomp_desk.reports.clinic_report_html import clinic_report_html
from decomp_desk.reports.day_sheet import day_sheet_html
from decomp_desk.reports.estimate_html import estimate_html
from decomp_desk.reports.function_chart import function_figure
from decomp_desk.reports.function_html import FUNCTION_CHART_RESOURCE
from decomp_desk.reports.page_data import (
    ClinicReportPage,
    DaySheet,
    EstimateContext,
    StatementContext,
    SummaryContext,
)
from decomp_desk.reports.statement_html import statement_html

# Fits the text width of both Letter (7.32 in) and A4 (7.09 in) at 15 mm margins; 3.6 in high, so 30
# sessions' scores stay apart on paper.
CHART_SIZE_IN = (7.0, 3.6)
FUNCTION_CHART_HEIGHT_IN = 2.2

PageData = SummaryContext | StatementContext | EstimateContext | ClinicReportPage | DaySheet


@record
class PrintedPage:
    """One page ready for the writer. `figures` are the images the HTML names (`<img src="chart.png">`),
    drawn at print resolution by the writer; `name` ("Progress summary of Rosa Quint") is how the desk's
    status line speaks of it; `what` and `chart_number` are what the audit trail records when it is
    printed or saved (`chart_number` None: a page of the whole clinic)."""

    html: str
    paper_size: str
    name: str
    what: str
    chart_number: str | None
    figures: Mapping[str, Figure] = field(default_factory=dict)


def summary_page(ctx: SummaryContext) -> PrintedPage:
    figures = {summary.CHART_RESOURCE: progress_figure(ctx.progress, width=CHART_SIZE_IN[0], height=CHART_SIZE_IN[1])}
    if ctx.function is not None and ctx.function.points:  # a scored ODI or NDI form: its chart too
        figures[FUNCTION_CHART_RESOURCE] = function_figure(ctx.function, ctx.progress.sessions_completed,
                                                           width=CHART_SIZE_IN[0], height=FUNCTION_CHART_HEIGHT_IN)
    return PrintedPage(summary.summary_html(ctx), ctx.paper_size, f"Progress summary of {ctx.patient_name}",
                       "progress summary", ctx.chart_number, figures)


def statement_page(ctx: StatementContext) -> PrintedPage:
    return PrintedPage(statement_html(ctx), ctx.paper_size, f"Statement of {ctx.account.patient_name}",
                       "statement", ctx.account.chart_number)


def estimate_page(ctx: EstimateContext) -> PrintedPage:
    return PrintedPage(estimate_html(ctx), ctx.paper_size, f"Cost estimate of {ctx.patient_name}",
                       "estimate", ctx.chart_number)


def clinic_report_page(cp: ClinicReportPage) -> PrintedPage:
    return PrintedPage(clinic_report_html(cp), cp.paper_size, "Clinic outcome report", "clinic outcome report",
                       None, {PAIN_CHANGE_RESOURCE: pain_change_figure(cp.report)})


def day_sheet_page(sheet: DaySheet) -> PrintedPage:
    return PrintedPage(day_sheet_html(sheet), sheet.paper_size, f"Day sheet of {sheet.day.isoformat()}",
                       "day sheet", None)


_BUILDERS: dict[type, Callable[[Any], PrintedPage]] = {
    SummaryContext: summary_page, StatementContext: statement_page, EstimateContext: estimate_page,
    ClinicReportPage: clinic_report_page, DaySheet: day_sheet_page}


def printed_page(data: PageData) -> PrintedPage:
    """The page of any page data. Builds its figures too (a third of a second for a summary's chart): call
    it off the UI thread in the desk."""
    builder = _BUILDERS.get(type(data))
    if builder is None:
        raise TypeError(f"no printed page is made of a {type(data).__name__}")
    return builder(data)
