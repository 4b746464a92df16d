"""Pictures of each main screen at 1366 x 768 (offscreen), to look at before calling the desk done.

They go to a temporary folder, unless DECOMP_DESK_SCREENSHOTS names one to keep them in (say
screenshots/ at the project root, which git ignores); a second run at 200 % scaling goes to 200/ in it."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from decomp_desk.domain.types import ClearanceState, Contraindication
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.ui import theme
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from tests.ui import steps
from tests.ui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]
FOLDER = Path(os.environ.get("DECOMP_DESK_SCREENSHOTS") or tempfile.mkdtemp(prefix="decomp-desk-screenshots-"))


def save(widget: QWidget, name: str) -> Path:
    QApplication.processEvents()
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{name}.png"
    pixmap = widget.grab()
    assert not pixmap.isNull() and pixmap.save(str(path))
    ratio = widget.devicePixelRatioF()
    assert pixmap.width() == round(widget.width() * ratio)
    return path


def test_main_screens(qtbot, desk, drive):
    window = desk
    load_demo(window.services)
    window.list_page.reload()
    settle(qtbot, window)
    rows = window.list_page.model.rows()
    assert len(rows) >= 20
    paths = [save(window, "01-patient-list")]
    under_way = next(r for r in rows if r.clearance.cleared and 8 <= (r.sessions_completed or 0) < r.sessions_planned)
    not_cleared = next(r for r in rows if r.clearance.state is ClearanceState.NOT_CLEARED and r.sessions_planned)

    steps.open_patient(qtbot, window, under_way.chart_number)
    page = window.patient_page
    assert page.file.patient.id == under_way.id
    paths.append(save(window, "02-patient-overview"))

    form = steps.fill_screening(qtbot, window, contra=(Contraindication.NERVE_DAMAGE,))
    assert "nerve damage" in form.decision.text()
    paths.append(save(window, "03-screening-tab"))

    page.tabs.setCurrentWidget(page.sessions)
    paths.append(save(window, "04-sessions-tab"))
    page.tabs.setCurrentWidget(page.progress)
    assert page.progress.chart.series()["pain-before"]
    paths.append(save(window, "04-progress-tab"))

    def pose(d: SessionDialog) -> None:  # a short session, typed half-way, as the clinician sees it
        steps.type_into(qtbot, d.duration_min, "25")
        steps.focus(qtbot, d.before["pain"])
        steps.type_at_focus(qtbot, "53")
        paths.append(save(d, "05-session-dialog"))

    drive(SessionDialog, pose, save=False)
    page.actions.new_session.trigger()
    qtbot.waitUntil(lambda: bool(paths) and paths[-1].name.startswith("05"), timeout=5000)

    def pose_patient(d: PatientDialog) -> None:
        steps.type_into(qtbot, d.first_name, "Ann")
        steps.type_into(qtbot, d.email, "ann.example.com")
        paths.append(save(d, "06-patient-dialog"))

    drive(PatientDialog, pose_patient, save=False)
    steps.press(qtbot, window, Qt.Key.Key_N, steps.CTRL)
    qtbot.waitUntil(lambda: paths[-1].name.startswith("06"), timeout=5000)
    settle(qtbot, window)

    steps.open_patient(qtbot, window, not_cleared.chart_number)  # the reason, and New session unavailable
    page.tabs.setCurrentWidget(page.sessions)
    paths.append(save(window, "07-not-cleared-sessions"))

    try:
        theme.apply_theme(QApplication.instance(), Qt.ColorScheme.Dark)
        page.tabs.setCurrentWidget(page.overview)
        qtbot.wait(50)
        paths.append(save(window, "08-dark-overview"))
        steps.open_patient(qtbot, window, under_way.chart_number)
        page.tabs.setCurrentWidget(page.sessions)
        paths.append(save(window, "09-dark-sessions"))
    finally:
        theme.apply_theme(QApplication.instance(), Qt.ColorScheme.Light)
    assert all(p.stat().st_size > 10_000 for p in paths)


@pytest.mark.skipif(os.environ.get("QT_SCALE_FACTOR") == "2", reason="this is the 200 % run itself")
def test_main_screens_at_200_percent():
    """The same screens with every size doubled (as on a 2732 x 1536 screen at 200 %)."""
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen",
           "DECOMP_DESK_SCREENSHOTS": str(FOLDER / "200")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"{__file__}::test_main_screens"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    from PySide6.QtGui import QImage
    image = QImage(str(FOLDER / "200" / "01-patient-list.png"))
    assert (image.width(), image.height()) == (2732, 1536)
