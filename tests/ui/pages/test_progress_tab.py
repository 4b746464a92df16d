"""The Progress tab and the printed summary from the patient page, through the real widgets:
the chart plots the recorded scores, the figures are DOMAIN.md's, and Print preview, Print and
Save as PDF give the same pages as `decomp-desk report`."""
from __future__ import annotations

import subprocess
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from decomp_desk.domain.types import AdverseEvent, Scores
from decomp_desk.ui import printing
from tests.factories import cleared_patient_with_course, patient, session
from tests.ui import steps
from tests.ui.conftest import settle

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
# before-session scores (pain, numbness, tingling) of four sessions, and what the patient felt after the first
SCORES = [(8, 5, 4), (7, 5, 3), (5, 4, 3), (3, 2, 1)]


def course_with_sessions(services, chart="4001", scores=SCORES):
    first_day = services.ctx.today() - timedelta(days=len(scores) + 2)
    p, course = cleared_patient_with_course(services, chart, first_day, first="Rosa", last="Quint")
    for i, (pain, numb, ting) in enumerate(scores):
        extra = {}
        if i == 0:
            extra["after"] = Scores(6, 4, 4)
        if i == 1:
            extra.update(stop_button=True, stop_minute=12)
        if i == 2:
            extra["adverse_events"] = frozenset({AdverseEvent.MUSCLE_SPASM})
        services.sessions.record(course.id, session(first_day + timedelta(days=i + 1), pain=pain, numbness=numb,
                                                    tingling=ting, **extra))
    return p, course


def open_progress(qtbot, window, chart: str):
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, chart)
    steps.press(qtbot, window, Qt.Key.Key_4, CTRL)
    page = window.patient_page
    assert page.tabs.currentWidget() is page.progress
    return page


def test_the_chart_plots_each_sessions_scores_and_the_figures_follow_the_rules(qtbot, desk_any_db):
    window = desk_any_db
    p, course = course_with_sessions(window.services)
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "4001")
    # opened on the Overview: the chart waits until its tab is on show (matplotlib is the slow part)
    assert window.patient_page.progress.chart.series() == {}
    page = open_progress(qtbot, window, "4001")

    series = page.progress.chart.series()
    for k, name in enumerate(("pain", "numbness", "tingling")):
        assert series[f"{name}-before"] == [(n, float(s[k])) for n, s in enumerate(SCORES, start=1)]
    assert series["pain-after"] == [(1, 6.0)]
    assert [n for n, _ in series["stop-button"]] == [2]
    assert [n for n, _ in series["adverse-event"]] == [3]

    f = page.progress.figures
    assert f.sessions.text() == "Sessions completed: 4 of 30"
    assert [c.text() for c in f.cells["pain"]] == ["8", "3", "\u22125", "63%"]
    assert [c.text() for c in f.cells["numbness"]] == ["5", "2", "\u22123", "60%"]
    assert [c.text() for c in f.cells["tingling"]] == ["4", "1", "\u22123", "75%"]
    assert f.meaningful.text().startswith("Meaningful pain improvement: yes")
    assert "Stop-button sessions: 1" in f.events.text() and "adverse events: 1" in f.events.text()
    # one computation: the same figures as `progress --json` gets from the service
    figures = window.services.sessions.progress(course.id)
    assert (figures.change["pain"], figures.improvement_percent["pain"]) == (-5, 63)
    assert page.progress.chart.progress() == figures


def test_a_patient_without_a_course_or_with_one_session_gets_a_sensible_tab(qtbot, desk):
    window, services = desk, desk.services
    patient(services, "4101", "Nora", "Vale")
    page = open_progress(qtbot, window, "4101")
    assert page.progress.empty.isVisible()
    assert page.progress.figures.cells["pain"][0].text() == "\u2013"
    a = window.patient_actions
    assert not a.preview_summary.isEnabled()
    assert "no treatment course yet" in a.preview_summary.toolTip()

    course_with_sessions(services, "4102", scores=[(6, 3, 2)])
    steps.press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    page = open_progress(qtbot, window, "4102")
    assert not page.progress.empty.isVisible()
    assert page.progress.chart.series()["pain-before"] == [(1, 6.0)]
    assert page.progress.figures.meaningful.text().startswith("Meaningful pain improvement: not yet measurable")
    assert "first session" in page.progress.figures.sentence.text()
    assert a.preview_summary.isEnabled()


def test_print_preview_opens_and_renders_the_summary_without_a_printer(qtbot, desk, monkeypatch):
    window = desk
    course_with_sessions(window.services)
    page = open_progress(qtbot, window, "4001")
    seen = {}

    def open_preview(dialog):
        dialog.show()
        widget = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() > 0)
        seen.update(pages=widget.pageCount(), title=dialog.windowTitle(),
                    paper=dialog.printer().pageLayout().pageSize().id())
        dialog.close()
        return 0

    monkeypatch.setattr(printing, "open_preview", open_preview)
    steps.press(qtbot, window, Qt.Key.Key_P, CTRL | SHIFT)
    settle(qtbot, window)
    assert seen["pages"] >= 1
    assert "Rosa Quint" in seen["title"] and "4001" in seen["title"]
    assert "Progress summary of Rosa Quint shown." in window.statusBar().currentMessage()
    events = window.services.audit.events(chart_number="4001", action="print")
    assert len(events) == 1


def test_print_and_save_as_pdf_give_the_summary_with_its_figures(qtbot, desk, monkeypatch, tmp_path):
    window = desk
    course_with_sessions(window.services)
    open_progress(qtbot, window, "4001")

    printed = tmp_path / "printer.pdf"

    def ask_print(printer: QPrinter, parent=None) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # the "printer" is a file here
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(printing, "ask_print", ask_print)
    steps.press(qtbot, window, Qt.Key.Key_P, CTRL)
    settle(qtbot, window)
    assert "sent to the printer" in window.statusBar().currentMessage()

    chosen = tmp_path / "summary for Rosa"  # no suffix typed: .pdf is added
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, suggested: str(chosen))
    window.patient_actions.save_summary_pdf.trigger()
    settle(qtbot, window)
    saved = chosen.with_name(chosen.name + ".pdf")
    for pdf in (printed, saved):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Rosa Quint" in text and "4001" in text
        assert "4 of 30" in text
        assert "63%" in text and "Meaningful pain improvement: yes" in text
    actions = [e.action for e in window.services.audit.events(chart_number="4001")]
    assert actions.count("print") == 1 and actions.count("export") == 1
