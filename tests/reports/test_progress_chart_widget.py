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
