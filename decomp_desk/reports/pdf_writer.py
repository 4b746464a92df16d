"""Pages to paper: a printed page (reports/pages.py: HTML + figures) -> QTextDocument -> QPdfWriter (or
the QPrinter of a print or preview dialog). Knows no page: the pages are built in reports/pages.py.

The only reports module that uses Qt, and only QtGui (no QtWidgets), so the command line can print
without a screen: `ensure_gui_app()` makes a QGuiApplication when the process has none (on Linux
without a display it uses the offscreen platform).

Layout is done on the output device itself (300 dpi for PDF files), so glyph positions are exact and
the text in the PDF is real, selectable text (no ligatures, so "fi" is found by a search). Pagination
is QTextDocument's own (table header rows repeat on every page) with three corrections it lacks:
a one-cell table is a keep-together block, a table row is never split, and a short table (or the
first rows of a long one) is not left at the foot of a page. Every page gets a footer line: the
document's <title> and "Page i of n". The chart is drawn losslessly at its own resolution (300 dpi).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from decomp_desk.reports.page_data import PAPER_SIZES
from decomp_desk.reports.pages import PrintedPage

PDF_RESOLUTION = 300
CHART_DPI = 300
MARGIN_MM = 15.0
FOOTER_MM = 7.0
BASE_FONT_PT = 9.5
MIN_ROWS = 3  # a table with a header starts a new page rather than begin with fewer rows than this
SHORT_TABLE_ROWS = 6  # ... and one with no more rows than this is never split
FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Helvetica Neue", "Helvetica", "Arial", "Liberation Sans"]

_PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
_app: QGuiApplication | None = None  # the application this module made, kept alive for the process


class ReportError(Exception):
    """A page could not be produced; the message is a plain sentence for the user."""


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen on Linux without a display).

    QTextDocument needs fonts, hence a QGuiApplication; a bare QCoreApplication cannot be upgraded.
    """
    global _app
    app = QCoreApplication.instance()
    if app is None:
        argv = [sys.argv[0] if sys.argv and sys.argv[0] else "decomp-desk"]
        headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if sys.platform.startswith("linux") and headless and not os.environ.get("QT_QPA_PLATFORM"):
            argv += ["-platform", "offscreen"]
        # A process that has already loaded QtWidgets (the desk, a pytest-qt run) gets a QApplication, so
        # widgets made later still work; this module never imports QtWidgets itself.
        widgets = sys.modules.get("PySide6.QtWidgets")
        _app = (widgets.QApplication if widgets is not None else QGuiApplication)(argv)
        return _app
    if not isinstance(app, QGuiApplication):
        raise ReportError("Pages can only be drawn in a program that runs a QGuiApplication "
                          "(a QCoreApplication was started instead).")
    return app


def page_layout(paper_size: str = "letter") -> QPageLayout:
    """Portrait Letter or A4 with 15 mm margins."""
    if paper_size not in _PAGE_SIZES:
        raise ReportError(f"The paper size must be one of {', '.join(PAPER_SIZES)}, not {paper_size!r}.")
    return QPageLayout(QPageSize(_PAGE_SIZES[paper_size]), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)


def _default_dpi() -> float:
    """Qt's qt_defaultDpiY(): the unit of `px` lengths and image sizes in a QTextDocument."""
    if QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_Use96Dpi):
        return 96.0
    screen = QGuiApplication.primaryScreen()
    return float(round(screen.logicalDotsPerInchY())) if screen is not None else 100.0


def build_document(html: str, images: dict[str, bytes | QImage] | None = None) -> QTextDocument:
    """A QTextDocument of `html` with `images` (name -> PNG/JPEG bytes, or a QImage with its dots per
    meter set) as its image resources.

    Each image is shown at its true physical size, taken from the dpi it was saved at (a chart saved
    at 300 dpi and 7 inches wide is 7 inches wide on paper); at print time an image wider than the
    page's text is scaled down to fit.
    """
    ensure_gui_app()
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(BASE_FONT_PT)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    sizes: dict[str, tuple[float, float]] = {}
    for name, data in (images or {}).items():
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        if image.isNull():
            raise ReportError(f"The image {name!r} for the page could not be read.")
        doc.addResource(QTextDocument.ResourceType.ImageResource, name, image)
        dpm = image.dotsPerMeterX()
        dpi = dpm * 0.0254 if dpm > 0 else _default_dpi()
        sizes[name] = (image.width() / dpi, image.height() / dpi)  # inches
    doc.setHtml(html)
    _no_ligatures(doc)
    unit = _default_dpi()

    def true_size(name, fmt):  # an <img> without a width attribute: as many inches as it was saved at
        if name not in sizes or fmt.hasProperty(QTextFormat.Property.ImageWidth):
            return None
        return sizes[name][0] * unit, sizes[name][1] * unit
    _resize_images(doc, true_size)
    return doc


def _no_ligatures(doc: QTextDocument) -> None:
    """Plain glyphs, no "fi" ligature: text copied or searched in the PDF then reads as typed."""
    fmt = QTextCharFormat()
    fmt.setFontFeatures({QFont.Tag("liga"): 0, QFont.Tag("clig"): 0})
    cursor = QTextCursor(doc)
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.mergeCharFormat(fmt)


def _image_fragments(doc: QTextDocument):
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                yield fragment
            it += 1
        block = block.next()


def _resize_images(doc: QTextDocument, new_size) -> None:
    """Set each image's width/height to new_size(name, format) -> (w, h) | None (None: leave it)."""
    changes = []
    for fragment in _image_fragments(doc):
        fmt = fragment.charFormat().toImageFormat()
        size = new_size(fmt.name(), fmt)
        if size is not None:
            changes.append((fragment.position(), fragment.length(), fmt, size))
    for position, length, fmt, (w, h) in changes:
        fmt.setWidth(w)
        fmt.setHeight(h)
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)


@dataclass
class Paginated:
    """A document laid out on a device, page by page (what render_document paints)."""

    document: QTextDocument  # a clone, laid out on the device; the original is untouched
    source: QTextDocument  # PySide deletes a clone with the document it was cloned from: keep that alive
    page: QSizeF  # the text area of one page in device pixels (the footer band below it)
    footer_px: float
    pages: int

    def page_of(self, y: float) -> int:
        """0-based page of a layout y coordinate."""
        return int(y // self.page.height())


def paginate(document: QTextDocument, device: QPagedPaintDevice) -> Paginated:
    """Lay a clone of `document` out on `device`'s pages: images fitted to the text width, keep-together
    blocks (one-cell tables) and table rows never split, short tables on one page."""
    ensure_gui_app()
    doc = document.clone()
    doc.documentLayout().setPaintDevice(device)
    dpi = device.logicalDpiY()
    unit_scale = dpi / _default_dpi()  # device pixels per layout `px`
    footer_px = FOOTER_MM / 25.4 * dpi
    page = QSizeF(device.width(), device.height() - footer_px)
    if page.height() <= 0 or page.width() <= 0:
        raise ReportError("The page is too small for its margins.")
    doc.setPageSize(page)

    text_width = (page.width() - 2 * doc.documentMargin() * unit_scale) / unit_scale
    def fit(name, fmt):
        w, h = fmt.width(), fmt.height()
        if w > text_width > 0:
            return text_width, h * text_width / w if h > 0 else 0
        return None
    _resize_images(doc, fit)

    # in order of effect: blocks above a table first, then the table's rows, then the blocks below
    _keep_together(doc, page.height())
    _keep_rows_together(doc, page.height())
    _keep_together(doc, page.height())
    return Paginated(doc, document, page, footer_px, max(1, doc.pageCount()))


def render_document(document: QTextDocument, device: QPagedPaintDevice, *,
                    footer: str | None = None) -> int:
    """Paint `document` page by page onto `device` (a QPdfWriter, or the QPrinter of a print or preview
    dialog). The device's page layout decides paper and margins; every page gets a footer line
    (`footer`, by default the document's title, and "Page i of n"). Returns the number of pages."""
    laid = paginate(document, device)
    doc, page = laid.document, laid.page
    if footer is None:
        footer = doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    painter = QPainter()
    if not painter.begin(device):
        raise ReportError("The printer or PDF file could not be opened for writing.")
    try:
        # lossless: the PDF engine would otherwise store a chart as JPEG, with smudges around its lines
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Text, QColor("#1a1a1a"))
        for index in range(laid.pages):
            if index:
                device.newPage()
            painter.save()
            top = index * page.height()
            painter.translate(0, -top)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, top, page.width(), page.height())
            context.palette = palette
            painter.setClipRect(context.clip)
            doc.documentLayout().draw(painter, context)
            painter.restore()
            _draw_footer(painter, device, page, laid.footer_px, footer or "", index + 1, laid.pages)
    finally:
        painter.end()
        shiboken6.delete(doc)  # a preview paints again on every zoom: do not keep a clone per paint
    return laid.pages


def _one_cell_tables(frame):
    for child in frame.childFrames():
        if isinstance(child, QTextTable) and child.rows() == 1 and child.columns() == 1:
            yield child
        else:
            yield from _one_cell_tables(child)


def _tables(frame) -> list[QTextTable]:
    """Every table below `frame` except one-cell tables (those are keep-together blocks)."""
    found = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable) and not (child.rows() == 1 and child.columns() == 1):
            found.append(child)
        found.extend(_tables(child))
    return found


def _cell_extent(doc: QTextDocument, cell) -> tuple[float, float]:
    layout = doc.documentLayout()
    first = layout.blockBoundingRect(doc.findBlock(cell.firstPosition()))
    last = layout.blockBoundingRect(doc.findBlock(max(cell.firstPosition(), cell.lastPosition())))
    return first.top(), max(first.bottom(), last.bottom())


def _row_cells(table, r: int) -> list:
    cells = (table.cellAt(r, c) for c in range(table.columns()))
    return [cell for cell in cells if cell.row() == r and cell.column() >= 0 and cell.rowSpan() == 1
            and table.cellAt(r, cell.column()).column() == cell.column()]


def _row_extent(doc: QTextDocument, table, r: int) -> tuple[float, float]:
    extents = [_cell_extent(doc, cell) for cell in _row_cells(table, r)]
    if not extents:
        return 0.0, 0.0
    return min(e[0] for e in extents), max(e[1] for e in extents)


def _keep_rows_together(doc: QTextDocument, page_height: float) -> None:
    """Tables with a header: a short one (up to SHORT_TABLE_ROWS rows) is kept on one page, a long
    one starts a new page rather than begin with fewer than MIN_ROWS rows, and no row is split.

    QTextDocument moves a row to the next page only when every one of its cells starts past the
    page's foot, so a row whose notes wrap can be split; such a row gets just enough top padding
    that its cells start past the foot, and QTextDocument then moves it whole."""
    device = doc.documentLayout().paintDevice()
    unit_scale = device.logicalDpiY() / _default_dpi() if device is not None else 1.0
    for table in _tables(doc.rootFrame()):
        header_rows = table.format().headerRowCount()
        body = list(range(header_rows, table.rows()))
        if header_rows == 0 or not body:
            continue
        first_page = int(_row_extent(doc, table, 0)[0] // page_height)
        pages = {int(_row_extent(doc, table, r)[0] // page_height) for r in body}
        on_first = sum(1 for r in body if int(_row_extent(doc, table, r)[0] // page_height) == first_page)
        short_and_split = len(body) <= SHORT_TABLE_ROWS and len(pages | {first_page}) > 1
        if short_and_split or on_first < min(MIN_ROWS, len(body)):
            fmt = table.format()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFormat(fmt)
        for r in body:
            top, bottom = _row_extent(doc, table, r)
            page = int(top // page_height)
            if int((bottom - 0.5) // page_height) == page or bottom - top >= page_height:
                continue
            extra = ((page + 1) * page_height - top + 1) / unit_scale  # padding is in layout px
            for cell in _row_cells(table, r):
                fmt = cell.format().toTableCellFormat()
                own = fmt.hasProperty(QTextFormat.Property.TableCellTopPadding)
                fmt.setTopPadding((fmt.topPadding() if own else table.format().cellPadding()) + extra)
                cell.setFormat(fmt)


def _keep_together(doc: QTextDocument, page_height: float) -> None:
    """Start each one-cell table (page_kit.keep_together, the "keep on one page" block) that would
    straddle a page boundary on a new page instead, if it fits on one page. QTextDocument itself splits
    any cell."""
    layout = doc.documentLayout()
    moved: set[int] = set()
    for _ in range(100):  # each pass moves one block, then lays the document out again
        for table in _one_cell_tables(doc.rootFrame()):
            if table.firstPosition() in moved:
                continue
            rect = layout.frameBoundingRect(table)
            first_page = int(rect.top() // page_height)
            last_page = int(max(rect.top(), rect.bottom() - 1) // page_height)
            if first_page != last_page and rect.height() < page_height:
                fmt = table.format()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                table.setFormat(fmt)
                moved.add(table.firstPosition())
                break
        else:
            return


def _draw_footer(painter: QPainter, device, page: QSizeF, footer_px: float, text: str, number: int,
                 pages: int) -> None:
    painter.save()
    dpi = device.logicalDpiY()
    y_rule = page.height() + footer_px * 0.35
    pen = QPen(QColor("#b8c0c8"))
    pen.setWidthF(0.5 / 72 * dpi)
    painter.setPen(pen)
    painter.drawLine(QPointF(0, y_rule), QPointF(page.width(), y_rule))
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(7.0)
    painter.setFont(font)
    painter.setPen(QColor("#6a6a6a"))
    band = QRectF(0, y_rule, page.width(), page.height() + footer_px - y_rule)
    right = f"Page {number} of {pages}"
    painter.drawText(band, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), right)
    room = band.adjusted(0, 0, -painter.fontMetrics().horizontalAdvance(right) - 0.25 * dpi, 0)
    elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(room.width()))
    painter.drawText(room, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), elided)
    painter.restore()


def write_document_pdf(document: QTextDocument, path: str | os.PathLike, paper_size: str = "letter") -> Path:
    """Write `document` to a PDF file at 300 dpi on Letter or A4; returns the path."""
    ensure_gui_app()
    path = Path(path)
    if not path.parent.is_dir():
        raise ReportError(f"The folder {str(path.parent)!r} does not exist.")
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    if not writer.setPageLayout(page_layout(paper_size)):
        raise ReportError(f"The paper size {paper_size!r} could not be set.")
    writer.setCreator("DecompDesk")
    title = document.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    if title:
        writer.setTitle(title)
    render_document(document, writer)
    del writer  # flushes and closes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise ReportError(f"The PDF file {str(path)!r} could not be written.")
    return path


def write_pdf(html: str, images: dict[str, bytes] | None, path: str | os.PathLike,
              paper_size: str = "letter") -> Path:
    """HTML + images -> PDF file (Letter or A4, 300 dpi, 15 mm margins)."""
    return write_document_pdf(build_document(html, images), path, paper_size)


def figure_image(fig, dpi: int = CHART_DPI) -> QImage:
    """`fig` drawn at `dpi` straight into a QImage, dots per meter set: the pixels figure_png(fig, dpi)
    would hold, without compressing them into a PNG and decoding it again (two thirds of the time a
    300 dpi chart takes; the PDF writer compresses the image itself)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    screen_dpi = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        canvas.draw()
        rgba = canvas.buffer_rgba()
        height, width = rgba.shape[0], rgba.shape[1]
        image = QImage(bytes(rgba), width, height, width * 4, QImage.Format.Format_RGBA8888)
        image = image.convertToFormat(QImage.Format.Format_RGB32)  # opaque (the figure is white), own copy
    finally:
        fig.set_dpi(screen_dpi)
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    return image


# --- a printed page (reports/pages.py) -----------------------------------------------------------------

def page_images(page: PrintedPage, dpi: int = CHART_DPI) -> dict[str, QImage]:
    """The figures of `page` drawn at `dpi` (>= 200): the slow part of a page, safe off the UI thread."""
    return {name: figure_image(fig, dpi=dpi) for name, fig in page.figures.items()}


def page_document(page: PrintedPage, images: dict[str, QImage] | None = None) -> QTextDocument:
    """`page` as a QTextDocument (for preview, print and PDF); `images` as page_images(page) gave them, or
    drawn here. A QTextDocument belongs to the thread it was made on: the desk makes it on the UI thread."""
    return build_document(page.html, page_images(page) if images is None else images)


def write_page_pdf(page: PrintedPage, path: str | os.PathLike) -> Path:
    """`page` as a PDF file on its paper (Letter or A4, 300 dpi, 15 mm margins); returns the path."""
    return write_document_pdf(page_document(page), path, page.paper_size)
