"""The progress chart plots exactly the course's scores, readable without colour."""
from __future__ import annotations

import struct
import subprocess
import sys

import pytest
from matplotlib.colors import to_hex

from decomp_desk.domain.progress import compute_progress
from decomp_desk.domain.types import SCORE_NAMES, AdverseEvent
from decomp_desk.reports.charts import (
    EMPTY_MESSAGE,
    OKABE_ITO,
    STYLES,
    figure_png,
    figure_svg,
    plotted_series,
    progress_figure,
)


def lines_by_gid(fig):
    return {line.get_gid(): line for ax in fig.axes for line in ax.get_lines() if line.get_gid()}


def test_before_session_series_are_the_sessions_scores(progress):
    series = plotted_series(progress_figure(progress))
    for name in SCORE_NAMES:
        expected = [(p.number, float(getattr(p.before, name))) for p in progress.points]
        assert series[f"{name}-before"] == expected, name
    assert [y for _, y in series["pain-before"]] == [8, 7, 6, 5, 4]
    assert [x for x, _ in series["pain-before"]] == [1, 2, 3, 4, 5]


def test_after_session_series_only_where_recorded(progress):
    series = plotted_series(progress_figure(progress))
    for name in SCORE_NAMES:
        expected = [(p.number, float(getattr(p.after, name))) for p in progress.points if p.after is not None]
        assert series[f"{name}-after"] == expected, name
    assert 2 not in [x for x, _ in series["pain-after"]]


def test_no_after_lines_when_none_recorded(points):
    from dataclasses import replace

    progress = compute_progress([replace(p, after=None) for p in points], 30)
    gids = lines_by_gid(progress_figure(progress))
    assert not [g for g in gids if g.endswith("-after")]
    assert "pain-before" in gids


def test_baseline_and_events_are_marked(progress):
    fig = progress_figure(progress)
    series = plotted_series(fig)
    assert series["baseline-pain"] == [(0, 8.0)]
    assert [x for x, _ in series["stop-button"]] == [3]
    assert [x for x, _ in series["adverse-event"]] == [4]
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Stop button pressed" in texts and "Adverse event" in texts
    assert any("aseline" in t for t in texts)


def test_soreness_alone_is_not_marked_as_adverse(points):
    from dataclasses import replace

    changed = [replace(p, adverse_events=frozenset({AdverseEvent.SORENESS}), stop_button=False) for p in points]
    fig = progress_figure(compute_progress(changed, 30))
    gids = lines_by_gid(fig)
    assert "adverse-event" not in gids and "stop-button" not in gids
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Adverse event" not in texts and "Stop button pressed" not in texts


def test_a_session_with_stop_and_adverse_event_gets_both_marks(points):
    from dataclasses import replace

    changed = [replace(p, adverse_events=frozenset({AdverseEvent.TISSUE_DAMAGE})) if p.number == 3 else p
               for p in points]
    series = plotted_series(progress_figure(compute_progress(changed, 30)))
    assert [x for x, _ in series["stop-button"]] == [3]
    assert [x for x, _ in series["adverse-event"]] == [3, 4]


def test_scale_is_zero_to_ten(progress):
    ax = progress_figure(progress).axes[0]
    low, high = ax.get_ylim()
    assert low <= 0 and high >= 10
    assert list(ax.get_yticks()) == list(range(11))


def test_series_differ_by_marker_line_style_and_colour_blind_safe_colour(progress):
    lines = lines_by_gid(progress_figure(progress))
    before = [lines[f"{n}-before"] for n in SCORE_NAMES]
    assert len({line.get_marker() for line in before}) == 3
    assert len({repr(STYLES[n].linestyle) for n in SCORE_NAMES}) == 3
    # matplotlib reports every custom dash as "--"; the dash pattern itself tells them apart
    patterns = {repr(getattr(line, "_unscaled_dash_pattern", line.get_linestyle())) for line in before}
    assert len(patterns) == 3
    palette = {v.lower() for v in OKABE_ITO.values()}
    assert all(to_hex(line.get_color()) in palette for line in before)
    assert len({to_hex(line.get_color()) for line in before}) == 3
    for name in SCORE_NAMES:  # after-session markers are hollow
        assert to_hex(lines[f"{name}-after"].get_markerfacecolor()) == "#ffffff"


def test_session_labels_carry_dates(progress):
    ax = progress_figure(progress).axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["1\nMar 2", "2\nMar 4", "3\nMar 6", "4\nMar 9", "5\nMar 11"]


def test_many_sessions_thin_the_labels_but_keep_first_and_last(course_of):
    progress = compute_progress(course_of(30), 30)
    fig = progress_figure(progress)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 30  # a tick for every session
    shown = [label for label in labels if label]
    assert 4 <= len(shown) <= 15
    assert labels[0].startswith("1\n") and labels[-1].startswith("30\n")
    assert [y for _, y in plotted_series(fig)["pain-before"]] == [p.before.pain for p in progress.points]


def test_empty_course_says_so(empty_progress):
    fig = progress_figure(empty_progress)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert EMPTY_MESSAGE in texts and EMPTY_MESSAGE == "No sessions recorded yet"
    assert plotted_series(fig) == {}


def test_one_session(one_progress):
    series = plotted_series(progress_figure(one_progress))
    assert series["pain-before"] == [(1, 8.0)]
    assert series["baseline-pain"] == [(0, 8.0)]


def test_png_is_at_least_200_dpi(progress):
    data = figure_png(progress_figure(progress, width=7.5, height=3.6), dpi=200)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1500, 720)
    phys = data.index(b"pHYs")
    ppm_x = struct.unpack(">I", data[phys + 4:phys + 8])[0]
    assert round(ppm_x * 0.0254) == 200


def test_svg_is_vector_with_text(progress):
    svg = figure_svg(progress_figure(progress)).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Numbness" in svg  # text kept as text


@pytest.mark.parametrize("module", ["decomp_desk.reports", "decomp_desk.reports.charts",
                                    "decomp_desk.reports.summary_html", "decomp_desk.reports.page_data",
                                    "decomp_desk.reports.page_kit", "decomp_desk.reports.pages"])
def test_building_blocks_need_neither_qt_nor_pyplot(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r});"
        "from decomp_desk.domain.progress import compute_progress;"
        "from decomp_desk.reports.charts import progress_figure, figure_png;"
        "figure_png(progress_figure(compute_progress([], 30)));"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')) or m == 'matplotlib.pyplot');"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
