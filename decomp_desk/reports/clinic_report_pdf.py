"""The clinic outcome report as a QTextDocument (preview, print) and a PDF file (QtGui only)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QTextDocument

from decomp_desk.reports.clinic_report_chart import pain_change_figure
from decomp_desk.reports.clinic_report_html import CHART_RESOURCE, ClinicReportPage, clinic_report_html
from decomp_desk.reports.pdf import CHART_DPI, build_document, figure_image, write_document_pdf


def clinic_report_document(page: ClinicReportPage) -> QTextDocument:
    fig = pain_change_figure(page.report)
    return build_document(clinic_report_html(page), {CHART_RESOURCE: figure_image(fig, dpi=CHART_DPI)})


def write_clinic_report_pdf(page: ClinicReportPage, path: str | os.PathLike) -> Path:
    return write_document_pdf(clinic_report_document(page), path, page.paper_size)
