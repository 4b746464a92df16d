"""The desk as a whole: starting it, the first run, the status bar, background work and its errors,
the palettes, the keyboard and the screen size."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Region
from decomp_desk.services.context import DatabaseUnavailable
from decomp_desk.ui import theme
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.first_run_dialog import FirstRunDialog
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.main_window import display_url
from decomp_desk.ui.workers import Runner
from tests.factories import cleared_patient_with_course, patient
from tests.ui import steps
from tests.ui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]


def test_the_status_bar_names_the_database_without_its_password(desk):
    assert desk.database_label.text() == f"Database: {desk.services.url}"
    assert display_url("postgresql+psycopg://decomp:s3cret@db.local:5432/clinic") == \
        "postgresql+psycopg://decomp:***@db.local:5432/clinic"
    assert display_url("sqlite:////home/ann/clinic.sqlite3") == "sqlite:////home/ann/clinic.sqlite3"


def run_probe(url: str, *args: str, env: dict | None = None) -> dict:
    """The real run_desk, in a process of its own (see tests/ui/desk_probe.py)."""
    done = subprocess.run([sys.executable, "-m", "tests.ui.desk_probe", url, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_run_desk_on_a_new_database_asks_the_clinic_name_then_opens_the_window(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    seen = run_probe(url, "Riverside Chiropractic")
    assert seen.pop("created") == str(tmp_path / "new.sqlite3")  # made on purpose, with a recovery passphrase
    assert seen == {"first_run": True, "errors": [], "exit": 0, "title": "DecompDesk: Riverside Chiropractic",
                    "status": f"Database: {url}", "patients": 0, "style": "fusion", "size": seen["size"],
                    # then the administrator is made (tests/ui/test_accounts_desk.py drives that dialog)
                    "first_admin": True, "actor": "probe", "signed_in": seen["signed_in"],
                    "backups": seen["backups"], "package": seen["package"], "icon": True, "style_sheet": True,
                    "window": seen["window"], "accounts_asked": 2}  # again after the first-run dialog
    assert seen["size"][0] <= 1366 and seen["size"][1] <= 800
    again = run_probe(url)  # the second start goes straight to the window
    assert (again["first_run"], again["title"], again["exit"]) == (False, "DecompDesk: Riverside Chiropractic", 0)


def test_cancelling_the_new_clinic_makes_nothing_and_ends_the_desk(tmp_path):
    path = tmp_path / "new.sqlite3"
    seen = run_probe(f"sqlite:///{path}", "--cancel-new-clinic")
    assert (seen["created"], seen["first_run"], seen["exit"], "title" in seen) == (str(path), False, 0, False)
    assert not path.exists()


def test_an_empty_database_file_is_not_opened_as_a_new_clinic_without_asking(tmp_path):
    path = tmp_path / "emptied.sqlite3"
    path.write_bytes(b"")
    seen = run_probe(f"sqlite:///{path}", "--cancel-new-clinic")
    assert seen["created"] == str(path) and seen["exit"] == 0 and path.read_bytes() == b""


def test_a_database_whose_key_this_user_lacks_opens_with_its_recovery_passphrase(tmp_path):
    import shutil

    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    first = run_probe(url, "Riverside Chiropractic")  # made at the first start, recovery passphrase and all
    assert first["created"] and "recovery_asked" not in first
    moved = tmp_path / "new-computer"
    moved.mkdir()
    shutil.copy(tmp_path / "new.sqlite3", moved / "clinic.sqlite3")
    elsewhere = {"DECOMP_DESK_KEY_DIR": str(moved / "keys")}
    cancelled = run_probe(f"sqlite:///{moved / 'clinic.sqlite3'}", env=elsewhere)
    assert cancelled["recovery_asked"] == [""] and cancelled["exit"] == 0 and "title" not in cancelled
    opened = run_probe(f"sqlite:///{moved / 'clinic.sqlite3'}",
                       env={**elsewhere, "PROBE_RECOVERY": "a wrong guess|probe recovery passphrase"})
    assert opened["recovery_asked"] == ["", "That passphrase does not open this database; try again."]
    assert opened["title"] == "DecompDesk: Riverside Chiropractic" and opened["errors"] == []
    again = run_probe(f"sqlite:///{moved / 'clinic.sqlite3'}", env=elsewhere)  # the key is kept for this user now
    assert "recovery_asked" not in again and again["title"] == "DecompDesk: Riverside Chiropractic"


def test_closing_the_first_run_dialog_ends_the_desk(tmp_path):
    seen = run_probe(f"sqlite:///{tmp_path / 'new.sqlite3'}", "--cancel-first-run")
    assert (seen["first_run"], seen["exit"], "title" in seen) == (True, 0, False)


def test_an_unreachable_database_is_a_message_not_a_crash():
    seen = run_probe("postgresql+psycopg://nobody:pw@127.0.0.1:9/nothing?connect_timeout=2")
    assert seen["exit"] == 1 and len(seen["errors"]) == 1
    assert seen["errors"][0].startswith("The database could not be opened.")


def test_database_trouble_while_loading_becomes_a_message(qtbot, desk, shown, monkeypatch):
    def down(*a, **k):
        raise DatabaseUnavailable("The database server cannot be reached; check the network.")

    monkeypatch.setattr(desk.services.patients, "list", down)
    desk.refresh_action.trigger()
    settle(qtbot, desk)
    assert shown.errors == ["The database server cannot be reached; check the network."]
    monkeypatch.setattr(desk.services.patients, "get", lambda *a: 1 / 0)
    desk.open_patient(1)
    settle(qtbot, desk)
    assert shown.last_error().startswith("Something went wrong and nothing was changed: ZeroDivisionError")
    assert desk.isVisible()


def test_work_runs_off_the_ui_thread_with_a_busy_indicator_and_writes_one_at_a_time(qtbot, desk):
    runner: Runner = desk.runner
    release = threading.Event()
    threads, running, peak = [], [0], [0]
    lock = threading.Lock()

    def job():
        threads.append(threading.current_thread())
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        release.wait(5)
        with lock:
            running[0] -= 1
        return "done"

    results = []
    for _ in range(3):
        runner.submit(job, results.append, write=True)
    qtbot.waitUntil(lambda: desk.busy.isVisible())
    assert QApplication.overrideCursor() is not None
    assert runner.busy
    release.set()
    settle(qtbot, desk)
    assert results == ["done"] * 3 and peak[0] == 1
    assert threading.main_thread() not in threads
    assert not desk.busy.isVisible() and QApplication.overrideCursor() is None


def test_light_and_dark_palettes_follow_the_scheme(qapp, qtbot):
    banner = Banner(None, "ok", "Cleared")
    try:
        theme.apply_theme(qapp, Qt.ColorScheme.Dark)
        assert theme.is_dark()
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
        qtbot.waitUntil(lambda: "#1e3b24" in banner.styleSheet())  # the banner follows, in its dark shade
        theme.apply_theme(qapp, Qt.ColorScheme.Light)
        assert not theme.is_dark()
        qtbot.waitUntil(lambda: "#e3f3e6" in banner.styleSheet())
        assert theme.style_name(qapp) == "fusion"  # under the style sheet (ui/theme.py)
    finally:
        theme.apply_theme(qapp, Qt.ColorScheme.Light)
        banner.deleteLater()


def test_every_action_is_in_a_menu_and_the_main_ones_have_their_shortcuts(desk):
    in_menus = {a for menu in desk.menuBar().actions() for a in menu.menu().actions()}
    for action in desk.patient_page.actions.all() + [desk.new_patient_action, desk.find_action]:
        assert action in in_menus, action.text()
    keys = {a.text(): [k.toString() for k in a.shortcuts()] for a in in_menus}
    assert keys["New &patient…"] == ["Ctrl+N"]
    assert keys["&Find patient"] == ["Ctrl+F"]
    assert keys["&New session…"] == ["Ctrl+Shift+N", "Ctrl+R"]
    menus = [m.text() for m in desk.menuBar().actions()]
    assert all("&" in m for m in menus), menus  # Alt opens each


def _focus_chain(start: QWidget, stop: QWidget) -> list[QWidget]:
    chain, w = [start], start.nextInFocusChain()
    while w is not stop and len(chain) < 200:
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(start.window()) and w.isEnabled():
            chain.append(w)
        w = w.nextInFocusChain()
    return chain


def test_the_session_form_tabs_in_reading_order(qtbot, desk):
    p, course = cleared_patient_with_course(desk.services, on=desk.services.ctx.today())
    d = SessionDialog(desk.services, desk.runner, desk.services.patients.get(p.id), course)
    qtbot.addWidget(d)
    d.show()
    chain = _focus_chain(d.date, d.save_button)
    order = [d.date, d.start_time, d.duration_min, d.position, d.harness, *d.before.values(), d.after_given,
             d.max_force_lb, d.mode, d.min_force_lb, d.hold_s, d.rest_s, d.progressive_steps, d.regressive_steps,
             d.cycles, d.angle_deg, d.stop_button, *d.effects.values(), d.adverse_notes, d.notes, d.clinician]
    assert [w for w in chain if w in order] == order  # the disabled after-scores and stop minute are skipped


def test_window_and_dialogs_fit_a_1366_by_768_screen(qtbot, desk):
    p, course = cleared_patient_with_course(desk.services, on=desk.services.ctx.today())
    detail = desk.services.patients.get(p.id)
    clinic = desk.services.settings.get()
    dialogs = [SessionDialog(desk.services, desk.runner, detail, course),
               PatientDialog(desk.services, desk.runner, detail),
               CourseDialog(desk.services, desk.runner, detail, clinic),
               FirstRunDialog(desk.services, desk.runner)]
    room_w, room_h = 1366, 768 - 48  # less a task bar
    hint = desk.minimumSizeHint().expandedTo(desk.minimumSize())
    assert hint.width() <= room_w and hint.height() <= room_h, hint
    for d in dialogs:
        qtbot.addWidget(d)
        size = d.sizeHint().expandedTo(d.minimumSizeHint())
        assert size.width() <= room_w and size.height() <= room_h - 30, (type(d).__name__, size)
    desk.open_patient(p.id)
    settle(qtbot, desk)
    for tab in range(3):
        desk.patient_page.tabs.setCurrentIndex(tab)
        hint = desk.minimumSizeHint()
        assert hint.width() <= room_w and hint.height() <= room_h, (tab, hint)


def test_new_session_after_a_course_was_completed_opens_a_new_course_first(qtbot, desk, drive):
    services = desk.services
    p = patient(services, "4001", "Dee", "Fox")
    from tests.factories import screening
    services.screenings.record(p.id, screening(on=services.ctx.today(), xray_on=services.ctx.today()))
    old = services.courses.open(p.id, CourseInput(Region.LUMBAR, services.ctx.today()))
    from decomp_desk.domain.types import CourseStatus
    services.courses.set_status(old.id, CourseStatus.COMPLETED)
    desk.list_page.reload()
    settle(qtbot, desk)
    steps.open_patient(qtbot, desk, "4001")
    course = drive(CourseDialog, steps.fill_course(qtbot, planned=12))
    driven = steps.new_session(qtbot, desk, drive, steps.fill_session(qtbot, "444"))
    assert course.results[-1].planned_sessions == 12
    assert driven.results[-1].session.course_id == course.results[-1].id
    assert isinstance(driven.last, QDialog)


def _alt_letters(window: QWidget) -> list[str]:
    """The Alt+letter of every mnemonic on show in this window (menus, tabs, labels, buttons)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QMenuBar, QTabBar

    texts = []
    for bar in window.findChildren(QMenuBar):
        texts += [a.text() for a in bar.actions()]
    for tabs in window.findChildren(QTabBar):
        if tabs.isVisibleTo(window):
            texts += [tabs.tabText(i) for i in range(tabs.count())]
    for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if w.isVisibleTo(window) and (not isinstance(w, QLabel) or w.buddy() is not None):
            texts.append(w.text())
    letters = []
    for text in texts:
        i = text.replace("&&", "").find("&")
        if i >= 0:
            letters.append(text.replace("&&", "")[i + 1].lower())
    return letters


def test_each_alt_letter_means_one_thing_on_every_screen(qtbot, desk):
    p, course = cleared_patient_with_course(desk.services, on=desk.services.ctx.today())
    detail = desk.services.patients.get(p.id)
    screens = {"list": _alt_letters(desk)}
    desk.open_patient(p.id)
    settle(qtbot, desk)
    for i in range(desk.patient_page.tabs.count()):
        desk.patient_page.tabs.setCurrentIndex(i)
        screens[f"tab {i}"] = _alt_letters(desk)
    for d in (SessionDialog(desk.services, desk.runner, detail, course),
              PatientDialog(desk.services, desk.runner, detail),
              CourseDialog(desk.services, desk.runner, detail, desk.services.settings.get()),
              FirstRunDialog(desk.services, desk.runner)):
        qtbot.addWidget(d)
        screens[type(d).__name__] = _alt_letters(d)
    for name, letters in screens.items():
        assert len(letters) == len(set(letters)), (name, sorted(letters))
    assert len(screens["SessionDialog"]) >= 15


def test_the_screening_form_saves_with_ctrl_s(qtbot, desk):
    p = patient(desk.services, "5001", "Eve", "Moss")
    desk.list_page.reload()
    settle(qtbot, desk)
    steps.open_patient(qtbot, desk, "5001")
    form = steps.fill_screening(qtbot, desk)
    steps.focus(qtbot, form.xray_finding)
    qtbot.keyClicks(form.xray_finding, "normal alignment")
    steps.press(qtbot, form.xray_finding, Qt.Key.Key_S, steps.CTRL)
    settle(qtbot, desk)
    assert [s.xray_finding for s in desk.services.screenings.history(p.id)] == ["normal alignment"]
    assert desk.patient_page.actions.new_session.isEnabled()

