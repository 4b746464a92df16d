"""Issue 17, point 14: the progress chart of a 30-session course stays readable on screen and on paper:
pain and tingling far apart in colour for every common colour-vision deficiency, after-session scores
as markers joined to their own session (no broken second set of lines), and a taller printed chart."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
from matplotlib.colors import to_rgb

from decomp_desk.domain.types import Scores
from decomp_desk.reports.pages import summary_page
from decomp_desk.reports.pdf_writer import page_images
from tests.factories import cleared_patient_with_course, session
from tests.ui.pages.test_progress_tab import open_progress

# Machado et al. (2009) simulation matrices at full severity, on linear RGB.
SIMULATIONS = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def lab(rgb):
    c = np.array(rgb)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin


def to_lab(lin):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a, b, simulation=None) -> float:
    la, lb = lab(to_rgb(a)), lab(to_rgb(b))
    if simulation is not None:
        m = SIMULATIONS[simulation]
        la, lb = np.clip(m @ la, 0, 1), np.clip(m @ lb, 0, 1)
    return float(np.linalg.norm(to_lab(la) - to_lab(lb)))


def thirty_sessions(services):
    first = services.ctx.today() - timedelta(days=62)
    p, course = cleared_patient_with_course(services, "4301", first, first="Theo", last="Thirty")
    for i in range(30):
        before = (max(0, 8 - i // 4), max(0, 6 - i // 6), max(0, 7 - i // 5))
        after = None if i % 4 == 3 else Scores(max(0, before[0] - 2), max(0, before[1] - 1), before[2])
        services.sessions.record(course.id, session(first + timedelta(days=2 * i + 1), pain=before[0],
                                                    numbness=before[1], tingling=before[2], after=after))
    return p, course


def test_thirty_sessions_read_apart_on_screen_and_on_paper(qtbot, desk):
    window = desk
    p, course = thirty_sessions(window.services)
    page = open_progress(qtbot, window, "4301")
    fig = page.progress.chart.figure
    lines = {line.get_gid(): line for ax in fig.axes for line in ax.get_lines() if line.get_gid()}
    colours = {name: lines[f"{name}-before"].get_color() for name in ("pain", "numbness", "tingling")}
    for a, b in (("pain", "tingling"), ("pain", "numbness"), ("numbness", "tingling")):
        for simulation in (None, *SIMULATIONS):
            assert distance(colours[a], colours[b], simulation) > 40, (a, b, simulation)
    for name in ("pain", "numbness", "tingling"):  # markers, no line that breaks where a score is missing
        assert lines[f"{name}-after"].get_linestyle() == "None"
    assert len(page.progress.chart.series()["pain-before"]) == 30

    summary = window.services.reports.summary(chart_number="4301", audit=False)
    image = next(iter(page_images(summary_page(summary)).values()))
    assert image.height() / image.width() >= 3.5 / 7.0  # taller on paper than the 3.1 in it was
