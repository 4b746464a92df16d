"""The statement and the cost estimate as QTextDocuments (print preview, print) and PDF files.

Like reports/pdf.py, QtGui only: the command line writes these without a screen.

    ctx = services.billing.statement_context("1001")
    write_statement_pdf(ctx, "statement.pdf")        # or statement_document(ctx) for a preview
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QTextDocument

from decomp_desk.reports.billing_context import EstimateContext, StatementContext
from decomp_desk.reports.estimate_html import estimate_html
from decomp_desk.reports.pdf import build_document, write_document_pdf
from decomp_desk.reports.statement_html import statement_html


def statement_document(ctx: StatementContext) -> QTextDocument:
    return build_document(statement_html(ctx))


def write_statement_pdf(ctx: StatementContext, path: str | os.PathLike) -> Path:
    """The statement as a PDF on ctx.paper_size; returns the path."""
    return write_document_pdf(statement_document(ctx), path, ctx.paper_size)


def estimate_document(ctx: EstimateContext) -> QTextDocument:
    return build_document(estimate_html(ctx))


def write_estimate_pdf(ctx: EstimateContext, path: str | os.PathLike) -> Path:
    """The cost estimate as a PDF on ctx.paper_size; returns the path."""
    return write_document_pdf(estimate_document(ctx), path, ctx.paper_size)
