"""Pages and charts: Qt-free building blocks (context, charts, summary_html) and the PDF writer (pdf).

Importing this package does not import Qt; `decomp_desk.reports.pdf` (QtGui only) is imported
explicitly where a page is drawn:

    from decomp_desk.reports.pdf import write_summary_pdf, summary_document
"""
from decomp_desk.reports.charts import draw_progress, figure_png, figure_svg, plotted_series, progress_figure
from decomp_desk.reports.context import PAPER_SIZES, Letterhead, SummaryContext
from decomp_desk.reports.summary_html import CHART_RESOURCE, TITLE, summary_html

__all__ = [
    "CHART_RESOURCE", "PAPER_SIZES", "TITLE", "Letterhead", "SummaryContext", "draw_progress", "figure_png",
    "figure_svg", "plotted_series", "progress_figure", "summary_html",
]
