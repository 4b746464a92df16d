"""The printed progress summary as a PDF: real text, the right figures, a sharp chart, Letter and A4,
and a sensible page for a course with no sessions or one."""
from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from decomp_desk.domain.progress import compute_progress
from decomp_desk.reports.pages import printed_page
from decomp_desk.reports.pdf_writer import (
    ReportError,
    build_document,
    page_document,
    paginate,
    write_page_pdf,
    write_pdf,
)

LETTER_PT, A4_PT = (612, 792), (595, 842)


def page_size(path, index=0):
    box = PdfReader(path).pages[index].mediabox
    return round(float(box.width)), round(float(box.height))


def image_placements(path):
    """(pixel width, displayed width in inches, filter) of every image drawn on every page."""
    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        ctm, stack = [1, 0, 0, 1, 0, 0], []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(list(ctm))
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                A, B, C, D, E, F = ctm
                ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
            elif op == b"Do":
                xobj = xobjects[operands[0]].get_object()
                if xobj.get("/Subtype") == "/Image":
                    shown_pt = math.hypot(ctm[0], ctm[1])
                    found.append((int(xobj["/Width"]), shown_pt / 72, xobj.get("/Filter")))
    return found


@pytest.fixture
def summary_pdf(tmp_path, make_ctx, progress):
    return write_page_pdf(printed_page(make_ctx(progress)), tmp_path / "summary.pdf")


def test_the_figures_are_real_text(summary_pdf, pdf_text):
    pages = pdf_text(summary_pdf)
    text = " ".join(pages)
    for expected in (
        "Riverside Spine & Chiropractic", "1200 Elm Street, Suite 4", "Springfield, IL 62704", "(217) 555-0142",
        "Spinal decompression progress summary", "Margaret O'Connor", "C-1042", "May 14, 1968",
        "Lumbar (low back)", "Herniated or ruptured disc, Sciatica", "March 2, 2026 \u2013 March 11, 2026",
        "Sessions completed 5 of 30",
        "Your pain has fallen from 8 to 4 out of 10 (50% less) over 5 sessions, a meaningful improvement.",
        # baseline, latest, change, improvement for each score; tingling starts at 0: n/a
        "Pain 8 4 \u22124 50%", "Numbness 5 3 \u22122 40%", "Tingling 0 0 0 n/a",
        "Meaningful pain improvement: yes",
        "Stop button pressed in 1 session: session 3 (Mar 6, 2026, at minute 12).",
        "Adverse events: 1", "Dr. Daniel Reyes, DC", "Signature", "Date",
    ):
        assert expected in text, expected
    assert pages[0].startswith("Riverside Spine & Chiropractic")


def test_every_session_row_is_printed(summary_pdf, pdf_text):
    text = " ".join(pdf_text(summary_pdf))
    # no., date, minutes, pain/numbness/tingling before and after, notes
    for row in ("1 Mar 2, 2026 45 8 6 5 4 0 0", "2 Mar 4, 2026 45 7 \u2014 5 \u2014 2 \u2014",
                "3 Mar 6, 2026 22 6 4 4 3 1 1 Stop button (min 12)",
                "4 Mar 9, 2026 45 5 3 3 2 1 1 Muscle spasm; soreness", "5 Mar 11, 2026 45 4 2 3 2 0 0"):
        assert row in text, row


def test_text_has_no_ligatures_and_a_title(summary_pdf):
    reader = PdfReader(summary_pdf)
    raw = "".join(page.extract_text() for page in reader.pages)
    assert "\ufb01" not in raw and "Springfield" in raw  # "fi" is two letters a search can find
    assert reader.metadata.title == "Spinal decompression progress summary \u2013 Margaret O'Connor \u2013 chart C-1042"


def test_pages_are_numbered(summary_pdf, pdf_text):
    pages = pdf_text(summary_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_chart_is_sharp_and_fits_the_page(summary_pdf):
    placements = image_placements(summary_pdf)
    assert len(placements) == 1
    pixels, shown_in, filters = placements[0]
    assert 6.0 <= shown_in <= 7.1  # inside the text width of Letter and A4
    assert pixels / shown_in >= 200
    assert "/DCTDecode" not in str(filters)  # lossless, no JPEG smudges around the lines


@pytest.mark.parametrize("paper, size", [("letter", LETTER_PT), ("a4", A4_PT)])
def test_letter_and_a4(tmp_path, make_ctx, progress, paper, size, pdf_text):
    path = write_page_pdf(printed_page(make_ctx(progress, paper_size=paper)), tmp_path / f"{paper}.pdf")
    reader = PdfReader(path)
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == size for p in reader.pages)
    assert "5 of 30" in " ".join(pdf_text(path))
    pixels, shown_in, _ = image_placements(path)[0]
    assert shown_in <= (size[0] / 72 - 2 * 15 / 25.4) + 0.01


def test_no_sessions_gives_one_sensible_page(tmp_path, make_ctx, empty_progress, pdf_text):
    path = write_page_pdf(printed_page(make_ctx(empty_progress)), tmp_path / "none.pdf")
    pages = pdf_text(path)
    assert len(pages) == 1
    for expected in ("Margaret O'Connor", "0 of 30", "No sessions yet",
                     "No sessions have been recorded yet; your progress will show here after your first session.",
                     "Signature"):
        assert expected in pages[0], expected
    assert image_placements(path) == []


def test_one_session_gives_one_sensible_page(tmp_path, make_ctx, one_progress, pdf_text):
    path = write_page_pdf(printed_page(make_ctx(one_progress, paper_size="a4", date_of_birth=None)),
                          tmp_path / "one.pdf")
    pages = pdf_text(path)
    assert len(pages) == 1
    text = pages[0]
    for expected in ("1 of 30", "March 2, 2026", "You have completed your first session; your starting pain score "
                     "is 8 out of 10", "Pain 8 8 0 0%", "Tingling 0 0 0 n/a", "Starting scores recorded",
                     "1 Mar 2, 2026 45 8 6 5 4 0 0", "Signature"):
        assert expected in text, expected


def test_a_full_course_keeps_rows_whole(tmp_path, make_ctx, course_of, pdf_text):
    progress = compute_progress(course_of(30), 30)
    path = write_page_pdf(printed_page(make_ctx(progress)), tmp_path / "full.pdf")
    pages = pdf_text(path)
    text = " ".join(pages)
    assert "30 of 30" in text
    for p in progress.points:
        assert f"{p.number} {p.date:%b} {p.date.day}, {p.date.year} 45 {p.before.pain}" in text


def _rows_on_pages(laid):
    """For the session table of a laid-out document: each body row's (first page, last page)."""
    from PySide6.QtGui import QTextTable

    doc = laid.document
    layout = doc.documentLayout()
    tables = []

    def walk(frame):
        for child in frame.childFrames():
            if isinstance(child, QTextTable) and child.format().headerRowCount() > 0:
                tables.append(child)
            walk(child)
    walk(doc.rootFrame())
    table = max(tables, key=lambda t: t.rows())  # the session list (the scores table has 4 rows)
    rows = []
    for r in range(table.format().headerRowCount(), table.rows()):
        tops, bottoms = [], []
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            first = layout.blockBoundingRect(doc.findBlock(cell.firstPosition()))
            last = layout.blockBoundingRect(doc.findBlock(cell.lastPosition()))
            tops.append(first.top())
            bottoms.append(last.bottom())
        rows.append((laid.page_of(min(tops)), laid.page_of(max(bottoms) - 0.5)))
    return rows


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_session_row_is_split_across_pages(tmp_path, make_ctx, course_of, paper):
    from PySide6.QtGui import QPdfWriter

    from decomp_desk.reports.pdf_writer import PDF_RESOLUTION, page_layout

    # 40 sessions, every third with a stop and four after-effects: wrapped notes on many rows
    ctx = make_ctx(compute_progress(course_of(40, busy=True), 40), paper_size=paper)
    writer = QPdfWriter(str(tmp_path / "rows.pdf"))
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(page_layout(paper))
    laid = paginate(page_document(printed_page(ctx)), writer)
    rows = _rows_on_pages(laid)
    assert len(rows) == 40
    assert laid.pages >= 3
    assert all(first == last for first, last in rows), rows
    assert rows[0][0] < rows[-1][0]  # the list does run over pages


def test_a_short_session_list_is_not_split(tmp_path, make_ctx, progress):
    from PySide6.QtGui import QPdfWriter

    from decomp_desk.reports.pdf_writer import PDF_RESOLUTION, page_layout

    for paper in ("letter", "a4"):
        writer = QPdfWriter(str(tmp_path / f"short-{paper}.pdf"))
        writer.setResolution(PDF_RESOLUTION)
        writer.setPageLayout(page_layout(paper))
        rows = _rows_on_pages(paginate(page_document(printed_page(make_ctx(progress, paper_size=paper))), writer))
        assert len({page for row in rows for page in row}) == 1, (paper, rows)


def test_write_pdf_from_html_and_images(tmp_path, pdf_text):
    from decomp_desk.reports.charts import figure_png, progress_figure

    png = figure_png(progress_figure(compute_progress([], 30), width=4, height=2), dpi=200)
    path = write_pdf("<html><body><p>Hello &amp; welcome</p><img src='x.png'></body></html>", {"x.png": png},
                     tmp_path / "plain.pdf", paper_size="a4")
    assert "Hello & welcome" in pdf_text(path)[0]
    assert page_size(path) == A4_PT
    pixels, shown_in, _ = image_placements(path)[0]
    assert pixels == 800 and shown_in == pytest.approx(4.0, abs=0.05)  # shown at its true size


def test_build_document_keeps_its_images(progress, make_ctx):
    from PySide6.QtGui import QTextDocument

    doc = page_document(printed_page(make_ctx(progress)))
    image = doc.resource(QTextDocument.ResourceType.ImageResource, "chart.png")
    assert image is not None and image.width() >= 2000
    assert "Margaret O'Connor" in doc.toPlainText()


def test_errors_are_plain_sentences(tmp_path):
    with pytest.raises(ReportError, match="does not exist"):
        write_pdf("<p>x</p>", {}, tmp_path / "missing" / "x.pdf")
    with pytest.raises(ReportError, match="paper size"):
        write_pdf("<p>x</p>", {}, tmp_path / "x.pdf", paper_size="legal")
    with pytest.raises(ReportError, match="could not be read"):
        build_document("<p>x</p>", {"x.png": b"not an image"})


HEADLESS = textwrap.dedent("""
    import sys
    from datetime import date
    from decomp_desk.domain.progress import compute_progress
    from decomp_desk.domain.types import Scores, SessionPoint
    from decomp_desk.reports.page_data import Letterhead, SummaryContext
    from decomp_desk.reports.pages import printed_page
    from decomp_desk.reports.pdf_writer import write_page_pdf
    from PySide6.QtCore import QCoreApplication
    assert QCoreApplication.instance() is None
    p = compute_progress([SessionPoint(1, date(2026, 3, 2), None, 40, Scores(6, 2, 1)),
                          SessionPoint(2, date(2026, 3, 4), None, 40, Scores(3, 1, 1))], 12)
    ctx = SummaryContext(Letterhead("Clinic", "Street", "555"), "a4", "Pat Lee", "77", None, "Cervical (neck)", (),
                         "Active", p, "Dr. Kim", date(2026, 3, 5))
    write_page_pdf(printed_page(ctx), sys.argv[1])
    app = QCoreApplication.instance()
    print(type(app).__name__, app.platformName(), "PySide6.QtWidgets" in sys.modules)
""")


def test_prints_without_a_screen_or_an_application(tmp_path, pdf_text):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "cli.pdf"
    result = subprocess.run([sys.executable, "-c", HEADLESS, str(out)], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["QGuiApplication", "offscreen", "False"]
    text = pdf_text(out)[0]
    assert "2 of 12" in text and "Pain 6 3 \u22123 50%" in text and "Pat Lee" in text


def test_a_core_application_is_refused_with_a_sentence(tmp_path):
    code = textwrap.dedent("""
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        from decomp_desk.reports.pdf_writer import ReportError, write_pdf
        try:
            write_pdf("<p>x</p>", {}, "x.pdf")
        except ReportError as e:
            print(e)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "QGuiApplication" in result.stdout, result.stdout + result.stderr
    assert not (Path(tmp_path) / "x.pdf").exists()
