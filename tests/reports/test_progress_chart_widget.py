"""The Progress tab's chart widget: the Figure of reports/charts.py in a FigureCanvasQTAgg."""
from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

from decomp_desk.domain.progress import compute_progress
from decomp_desk.domain.types import SCORE_NAMES
from decomp_desk.reports.charts import EMPTY_MESSAGE
from decomp_desk.ui.widgets.chart_canvas import ProgressChart


def visible_labels(chart):
    return [t.get_text() for t in chart.figure.axes[0].get_xticklabels() if t.get_text()]


def test_chart_shows_the_course(qtbot, progress):
    chart = ProgressChart(progress=progress)
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    chart.show()
    qtbot.waitExposed(chart)
    assert isinstance(chart.canvas, FigureCanvasQTAgg) and chart.canvas.figure is chart.figure
    series = chart.series()
    for name in SCORE_NAMES:
        assert series[f"{name}-before"] == [(p.number, float(getattr(p.before, name))) for p in progress.points]
    assert chart.accessibleDescription() == progress.plain_sentence()
    chart.canvas.draw()
    assert chart.canvas.get_width_height()[0] > 0


def test_set_progress_redraws(qtbot, progress, empty_progress, course_of):
    chart = ProgressChart()
    qtbot.addWidget(chart)
    chart.show()
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    assert EMPTY_MESSAGE in texts  # a new chart, before any course: the empty message
    chart.set_progress(progress)
    assert [y for _, y in chart.series()["pain-before"]] == [8, 7, 6, 5, 4]
    assert chart.progress() is progress
    long = compute_progress(course_of(30), 30)
    chart.set_progress(long)
    assert len(chart.series()["pain-before"]) == 30
    chart.set_progress(empty_progress)
    assert chart.series() == {}


def test_labels_are_thinned_again_when_the_chart_is_narrowed(qtbot, course_of):
    chart = ProgressChart(progress=compute_progress(course_of(30), 30))
    qtbot.addWidget(chart)
    chart.resize(1600, 500)
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.waitUntil(lambda: chart.figure.get_figwidth() > 12, timeout=5000)
    wide = len(visible_labels(chart))
    chart.resize(520, 400)
    qtbot.waitUntil(lambda: len(visible_labels(chart)) < wide, timeout=5000)
    assert visible_labels(chart)[0].startswith("1\n") and visible_labels(chart)[-1].startswith("30\n")


def _shuffled(points, seed: int):
    """The same course shape (sessions, events, after-session scores where they were) with other scores,
    so other relief strokes."""
    import random
    from dataclasses import replace

    from decomp_desk.domain.types import Scores

    r = random.Random(seed)

    def other(p):
        before = Scores(r.randint(3, 10), r.randint(0, 10), r.randint(0, 10))
        after = None if p.after is None else Scores(r.randint(0, 10), r.randint(0, 10), r.randint(0, 10))
        return replace(p, before=before, after=after)
    return [other(p) for p in points]


def test_the_next_course_of_the_same_shape_reuses_the_figure_and_its_layout(qtbot, course_of):
    """Opening the next patient updates the artists in place (reports.charts.update_progress) and keeps
    the layout solved for the first: what is plotted is exactly what a new figure would plot."""
    from matplotlib.figure import Figure

    from decomp_desk.reports.charts import chart_shape, draw_progress, plotted_series, update_progress

    first = compute_progress(course_of(30, busy=True), 30)
    chart = ProgressChart(progress=first)
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    chart.show()
    qtbot.waitExposed(chart)
    axes, place = chart.figure.axes[0], chart.figure.axes[0].get_position().bounds
    for seed in range(3):
        nxt = compute_progress(_shuffled(course_of(30, busy=True), seed), 30)
        assert chart_shape(nxt) == chart_shape(first)
        chart.set_progress(nxt)
        assert chart.figure.axes == [axes] and axes.get_position().bounds == place  # the same artists, in place
        fresh = Figure(figsize=chart.figure.get_size_inches(), layout="constrained")
        draw_progress(fresh, nxt)
        assert chart.series() == plotted_series(fresh)
        for gid in ("pain-relief", "numbness-relief", "stop-button-paired", "adverse-event-paired"):
            mine = [a for a in axes.get_children() if a.get_gid() == gid]
            theirs = [a for a in fresh.axes[0].get_children() if a.get_gid() == gid]
            assert len(mine) == len(theirs) <= 1
            if gid.endswith("relief") and mine:
                assert [s.tolist() for s in mine[0].get_segments()] == [s.tolist() for s in theirs[0].get_segments()]
        assert [t.get_text() for t in axes.get_xticklabels()] == [t.get_text() for t in fresh.axes[0].get_xticklabels()]
        assert [t.get_text() for t in axes.texts] == [t.get_text() for t in fresh.axes[0].texts]  # baseline label
    # Another shape (a short course): drawn anew, and said so by update_progress
    short = compute_progress(course_of(5), 30)
    assert not update_progress(chart.figure, short)
    chart.set_progress(short)
    assert chart.figure.axes[0] is not axes
    assert [y for _, y in chart.series()["pain-before"]] == [p.before.pain for p in short.points]


def test_courses_of_alternating_shapes_each_keep_their_figure(qtbot, course_of):
    """Patients opened one after another alternate between a few chart shapes: each shape's figure, its
    layout solved once, is kept and shown again for the next course of that shape, and what it plots is
    what a new figure would plot. A new size solves every layout again."""
    from matplotlib.figure import Figure

    from decomp_desk.reports.charts import chart_shape, draw_progress, plotted_series

    busy, plain = compute_progress(course_of(30, busy=True), 30), compute_progress(course_of(30), 30)
    assert chart_shape(busy) != chart_shape(plain)
    chart = ProgressChart(progress=busy)
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    chart.show()
    qtbot.waitExposed(chart)
    busy_figure = chart.figure
    chart.set_progress(plain)
    plain_figure = chart.figure
    assert plain_figure is not busy_figure and chart.canvas.figure is plain_figure
    for seed in range(2):
        for kind, figure in ((busy, busy_figure), (plain, plain_figure)):
            course = compute_progress(_shuffled(kind.points, seed), 30)
            chart.set_progress(course)
            assert chart.figure is figure and chart.canvas.figure is figure and figure.canvas is chart.canvas
            fresh = Figure(figsize=figure.get_size_inches(), layout="constrained")
            draw_progress(fresh, course)
            assert chart.series() == plotted_series(fresh)
    qtbot.waitUntil(lambda: not getattr(chart.canvas, "_draw_pending", False), timeout=5000)
    chart.resize(700, 400)
    qtbot.waitUntil(lambda: chart.figure.get_figwidth() < 8, timeout=5000)
    chart.set_progress(busy)  # the busy figure's layout was for the old size: drawn anew
    assert chart.figure is not busy_figure


def test_an_update_drawn_over_the_kept_background_shows_what_a_full_draw_shows(qtbot, course_of):
    """The next course of a shape is drawn as its changes over the pixels of the last full draw (the
    scale, grid, labels and legend): the canvas then holds the picture a full draw makes, with nothing
    left over of the course before it (a pixel or two where lines cross may be drawn in another order)."""
    import numpy as np

    from decomp_desk.reports.charts import changing_artists

    chart = ProgressChart(progress=compute_progress(course_of(30, busy=True), 30))
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.waitUntil(lambda: not getattr(chart.canvas, "_draw_pending", False), timeout=5000)
    first = chart.figure
    chart.set_progress(compute_progress(_shuffled(course_of(30, busy=True), 5), 30))
    assert chart.figure is first and not getattr(chart.canvas, "_draw_pending", False)  # no full draw asked
    updated = np.asarray(chart.canvas.buffer_rgba()).copy()
    for artist in changing_artists(chart.figure):
        artist.set_animated(False)
    chart.canvas.draw()
    full = np.asarray(chart.canvas.buffer_rgba()).copy()
    differing = (np.abs(updated.astype(int) - full.astype(int)).max(axis=2) > 60).sum()
    assert differing <= updated.shape[0] * updated.shape[1] // 2000
