"""The progress chart on the patient page: reports/charts.py's Figure in a FigureCanvasQTAgg.

The widget draws nothing itself: `set_progress` hands the course's Progress to
`reports.charts.draw_progress`, the same drawing the printed summary embeds, so the screen and the
page cannot disagree. The figure and its artists live as long as the widget: a course whose chart has
the same shape as the last one (reports.charts.update_progress) gets new data in the old artists, and
the layout constrained layout found for that shape is kept, which makes opening the next patient's
chart about four times quicker than a new figure. A few shapes alternate from patient to patient (a
course with or without a stop-button press, spanning a new year or not): the figure of each shape seen
is kept, its layout solved, and the canvas shows the one the course needs. What an update changes
(reports.charts.changing_artists: the x axis and the course's lines and marks) is drawn over the rest of
the figure as it was last drawn in full (kept as pixels), instead of drawing the scale, grid, labels
and legend again: matplotlib's "blitting".
"""
from __future__ import annotations

from collections import OrderedDict

from matplotlib.artist import Artist
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from decomp_desk.domain.progress import Progress, compute_progress
from decomp_desk.reports.charts import (
    changing_artists,
    chart_shape,
    draw_progress,
    plotted_series,
    update_progress,
)

LABEL_SPACING_IN = 0.55  # reports/charts.py thins the session labels by the figure's width
KEPT_SHAPES = 6  # figures kept, one per chart shape, the least recently shown one dropped first


class ProgressChart(QWidget):
    """Pain, numbness and tingling, session by session. Call `set_progress` whenever the course changes."""

    def __init__(self, parent: QWidget | None = None, progress: Progress | None = None):
        super().__init__(parent)
        self.figure = Figure(figsize=(7.5, 3.6), layout="constrained", facecolor="white")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(420, 240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.setAccessibleName("Progress chart")
        self._progress = progress if progress is not None else compute_progress([], 30)
        self._label_slots = self._slots()
        # (shape, size, dpi) -> the figure drawn for it, its layout solved; the one on show among them
        self._kept: OrderedDict[tuple[object, ...], Figure] = OrderedDict()
        self._follow()
        self._draw()

    def progress(self) -> Progress:
        return self._progress

    def set_progress(self, progress: Progress) -> None:
        """Redraw the chart for `progress` (an empty course shows "No sessions recorded yet")."""
        self._progress = progress
        self._draw()

    def series(self) -> dict[str, list[tuple[int, float]]]:
        """What is plotted (see reports.charts.plotted_series): for tests and for a screen reader's table."""
        return plotted_series(self.figure)

    def _draw(self, fresh_layout: bool = False) -> None:
        self.setAccessibleDescription(self._progress.plain_sentence())
        key = self._key()
        if fresh_layout:  # a new size: the layouts solved for the old one no longer fit
            self._kept.clear()
        elif update_progress(self.figure, self._progress):
            self._draw_changes()
            return
        elif key in self._kept and update_progress(self._kept[key], self._progress):
            self._show_figure(self._kept[key])
            self._kept.move_to_end(key)
            self._draw_changes()
            return
        # A new shape (or size): drawn anew, the layout solved once for it and then kept as it is. The
        # figure on show is drawn over unless it is kept for another shape.
        if any(fig is self.figure for fig in self._kept.values()):
            width, height = self.figure.get_size_inches()
            self._show_figure(Figure(figsize=(float(width), float(height)), dpi=self.figure.dpi, facecolor="white"))
            self._follow()
        self.figure.set_layout_engine("constrained")
        draw_progress(self.figure, self._progress)
        self.figure.get_layout_engine().execute(self.figure)  # type: ignore[union-attr]
        self.figure.set_layout_engine("none")
        self._moving()  # marked after the layout (which counts them) and before the draw (which keeps the rest)
        self.canvas.draw()
        if key[0] != ("empty",):
            self._kept[key] = self.figure
            while len(self._kept) > KEPT_SHAPES:
                self._kept.popitem(last=False)

    def _key(self) -> tuple[object, ...]:
        return (chart_shape(self._progress), tuple(self.figure.get_size_inches()), self.figure.dpi)

    def _show_figure(self, figure: Figure) -> None:
        figure.set_canvas(self.canvas)
        self.canvas.figure = figure
        self.figure = figure

    def _follow(self) -> None:
        """The canvas's events belong to the figure on show (matplotlib keeps them on the figure): each
        figure, once shown, gets the widget's handlers."""
        self.canvas.mpl_connect("resize_event", self._resized)
        self.canvas.mpl_connect("draw_event", self._drawn)

    # --- blitting: the changes drawn over the unchanging rest -------------------------------------------
    def _moving(self) -> list[Artist]:
        """The artists an update changes, left out of a full draw (matplotlib's "animated") and drawn over
        its pixels; none for the empty chart, which is always drawn in full."""
        if getattr(self.figure, "_decomp_shape", None) is None or not self.figure.axes:
            return []
        moving = changing_artists(self.figure)
        for artist in moving:
            artist.set_animated(True)
        return moving

    def _drawn(self, _event) -> None:
        """After a full draw, which left the moving artists out: its pixels are kept as the background,
        then the moving artists are drawn over them. A draw that came before they were marked drew them
        itself: its pixels are right, but no background."""
        if self.canvas.is_saving():
            return
        marked = getattr(self.figure, "_decomp_shape", None) is not None and self.figure.axes and all(
            artist.get_animated() for artist in changing_artists(self.figure))
        moving = self._moving()
        if not marked or not moving:
            self.figure._decomp_background = None  # type: ignore[attr-defined]
            return
        self.figure._decomp_background = (self._pixels(), self.canvas.copy_from_bbox(self.figure.bbox))  # type: ignore[attr-defined]
        for artist in moving:
            self.figure.draw_artist(artist)

    def _pixels(self) -> tuple[object, ...]:
        return (*self.canvas.get_width_height(physical=True), self.figure.dpi)

    def _draw_changes(self) -> None:
        """After update_progress: the background of the last full draw, the moving artists over it, and
        the canvas repainted; a full draw when there is no background of this size yet."""
        moving = self._moving()
        kept = getattr(self.figure, "_decomp_background", None)
        if not moving or kept is None or kept[0] != self._pixels() or getattr(self.canvas, "_draw_pending", False):
            self.canvas.draw_idle()
            return
        self.canvas.restore_region(kept[1])
        for artist in moving:
            self.figure.draw_artist(artist)
        self.canvas.blit(self.figure.bbox)

    def _slots(self) -> int:
        return int(self.figure.get_figwidth() / LABEL_SPACING_IN)

    def _resized(self, _event) -> None:
        # the session labels were thinned for the old width; thin them again when the room changes
        slots = self._slots()
        self._label_slots = slots
        self._draw(fresh_layout=True)  # the figure's size changed: its layout is solved again
