"""The appointment book through the real widgets, on the demo clinic: Today as the opening view,
booking a course on a busy table, a drag onto a taken slot refused, a session recorded from Today,
the printed day sheet, and the book's settings with a test message through a real SMTP server."""
from __future__ import annotations

import subprocess
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from decomp_desk.domain.appointments import HOLDS_SLOT, AppointmentStatus
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.ui.book.dialogs import AppointmentSessionDialog, BookAppointmentDialog, BookCourseDialog
from decomp_desk.ui.book.settings_dialog import BookSettingsDialog
from decomp_desk.ui.forms import to_qdate, to_qtime
from tests.smtp_sink import smtp_sink
from tests.ui import steps
from tests.ui.conftest import settle

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def demo_desk(qtbot, window):
    load_demo(window.services)
    window.refresh()
    settle(qtbot, window)
    return window


def open_book(qtbot, window, day=None, week=False):
    steps.press(qtbot, window, Qt.Key.Key_T, CTRL | SHIFT)
    page = window.book_desk.book
    assert window.stack.currentWidget() is page
    if day is not None:
        page.date.setDate(to_qdate(day))
    if week:
        steps.click(qtbot, page.week_view)
    settle(qtbot, window)
    return page


def no_clash(services, days) -> None:
    for day in days:
        slots = [a for a in services.appointments.day(day).appointments if a.status in HOLDS_SLOT]
        for i, x in enumerate(slots):
            for y in slots[i + 1:]:
                sx, sy = x.start_time.hour * 60 + x.start_time.minute, y.start_time.hour * 60 + y.start_time.minute
                overlap = sx < y.end_minute and sy < x.end_minute
                assert not (overlap and (x.table == y.table or x.patient_id == y.patient_id)), (x, y)


def test_the_desk_opens_on_today(qtbot, desk):
    window = demo_desk(qtbot, desk)
    today = window.book_desk.today
    assert window.stack.currentWidget() is today
    book = window.services.appointments.day(window.services.ctx.today())
    assert today.table.rowCount() == len(book.rows)
    names = {today.table.item(r, 2).text() for r in range(today.table.rowCount())}
    assert names == {r.appointment.patient_name for r in book.rows}


def test_book_a_demo_patients_course_three_times_a_week_on_a_busy_table(qtbot, desk, drive, shown):
    window = demo_desk(qtbot, desk)
    sv = window.services
    today = sv.ctx.today()
    # A booked appointment of the coming Monday/Wednesday/Friday whose other table is free at that time,
    # and a patient under way who has nothing booked that day.
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=d) for d in (0, 2, 4, 7, 9, 11) if monday + timedelta(days=d) >= today]
    books = {d: sv.appointments.day(d).appointments for d in days}

    def start(a) -> int:
        return a.start_time.hour * 60 + a.start_time.minute

    def other_free(a) -> bool:
        return not any(b.table != a.table and b.status in HOLDS_SLOT and start(b) < a.end_minute
                       and start(a) < b.end_minute for b in books[a.date])

    busy = next(a for d in days for a in books[d] if a.status is AppointmentStatus.BOOKED and other_free(a))
    rows = sv.patients.list("")
    booked_that_day = {a.patient_id for a in books[busy.date]}
    candidate = next(r for r in rows if r.clearance.cleared and r.sessions_planned and
                     r.sessions_completed < r.sessions_planned - 5 and r.id not in booked_that_day)
    page = open_book(qtbot, window, busy.date)

    def fill(d: BookCourseDialog) -> None:
        qtbot.keyClicks(d.patient.lineEdit(), f"{candidate.last_name}, {candidate.first_name} ({candidate.chart_number})")
        d.first_day.setDate(to_qdate(busy.date))
        d.at.setTime(to_qtime(busy.start_time))
        d.table.setCurrentText(busy.table)

    driven = drive(BookCourseDialog, fill)
    steps.click(qtbot, page.book_course_button)
    settle(qtbot, window)
    result = driven.results[-1]
    assert result is not None and result.count > 0
    assert shown.infos[-1].startswith(f"Booked {result.count} appointments.")
    first = result.booked[0]
    assert first.date == busy.date and first.start_time == busy.start_time
    assert first.table != busy.table  # the busy table was taken: another table at the same time
    no_clash(sv, sorted({a.date for a in result.booked}))
    assert all(a.date.weekday() in (0, 2, 4) for a in result.booked)
    grid = page.grid
    assert grid.position_of(first.id) is not None  # on the grid, selected
    assert grid.selected_appointment().id == first.id


def test_dragging_onto_a_taken_slot_is_refused_naming_the_clash(qtbot, desk, shown):
    window = demo_desk(qtbot, desk)
    sv = window.services
    today = sv.ctx.today()
    day = next(today + timedelta(days=i) for i in range(7)
               if len([a for a in sv.appointments.day(today + timedelta(days=i)).appointments
                       if a.status is AppointmentStatus.BOOKED]) >= 2)
    booked = [a for a in sv.appointments.day(day).appointments if a.status is AppointmentStatus.BOOKED]
    mover, target = booked[0], next(a for a in booked[1:] if a.patient_id != booked[0].patient_id)
    page = open_book(qtbot, window, day)
    grid = page.grid
    source, goal = grid.position_of(mover.id), grid.position_of(target.id)
    viewport = grid.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grid.point_of(*source))
    qtbot.mouseMove(viewport, grid.point_of(*goal))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=grid.point_of(*goal))
    settle(qtbot, window)
    refusal = shown.last_error()
    assert target.patient_name in refusal and ("is taken" in refusal or "already has an appointment" in refusal)
    assert sv.appointments.get(mover.id).start_time == mover.start_time  # nothing moved


def test_book_with_enter_move_with_the_keyboard_and_cancel_with_delete(qtbot, desk, drive, shown):
    window = demo_desk(qtbot, desk)
    sv = window.services
    day = sv.ctx.today() + timedelta(days=7 - sv.ctx.today().weekday() + 1)  # next week's Tuesday
    taken = {a.patient_id for a in sv.appointments.day(day).appointments}
    who = next(r for r in sv.patients.list("") if r.clearance.cleared and r.sessions_planned
               and r.sessions_completed < r.sessions_planned and r.id not in taken)
    page = open_book(qtbot, window, day)
    grid = page.grid
    free = next(r for r in range(grid.rowCount() - 8) if all(
        grid.appointment_at(r + i, 1) is None and grid.item(r + i, 1).toolTip() != "Closed" for i in range(8)))
    grid.setCurrentCell(free, 1)
    steps.focus(qtbot, grid)

    def fill(d: BookAppointmentDialog) -> None:
        qtbot.keyClicks(d.patient.lineEdit(), f"{who.last_name}, {who.first_name} ({who.chart_number})")

    driven = drive(BookAppointmentDialog, fill)
    steps.press(qtbot, grid, Qt.Key.Key_Return)
    settle(qtbot, window)
    booked = driven.results[-1]
    assert booked is not None and booked.table == grid.columns[1][1] and booked.patient_id == who.id
    assert grid.selected_appointment().id == booked.id
    steps.press(qtbot, grid, Qt.Key.Key_Down, CTRL)  # a quarter of an hour later
    settle(qtbot, window)
    moved = sv.appointments.get(booked.id)
    assert (moved.start_time.hour * 60 + moved.start_time.minute) - (booked.start_time.hour * 60
                                                                      + booked.start_time.minute) == 15
    grid.select_appointment(booked.id)
    steps.press(qtbot, grid, Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert "Cancel the appointment of" in shown.questions[-1]
    assert sv.appointments.get(booked.id).status is AppointmentStatus.CANCELLED
    assert grid.position_of(booked.id) is None and who.first_name in page.others.text()


def test_record_a_session_from_today(qtbot, desk, drive):
    window = demo_desk(qtbot, desk)
    sv = window.services
    today = window.book_desk.today
    cleared = {r.id for r in sv.patients.list("") if r.clearance.cleared}
    index = next(i for i, r in enumerate(today.rows) if r.appointment.patient_id in cleared
                 and not r.session_recorded and r.appointment.status in (AppointmentStatus.BOOKED,
                                                                          AppointmentStatus.ARRIVED))
    appointment = today.rows[index].appointment
    today.table.selectRow(index)
    steps.focus(qtbot, today.table)
    driven = drive(AppointmentSessionDialog, steps.fill_session(qtbot, scores="532"))
    steps.press(qtbot, today.table, Qt.Key.Key_R, CTRL)
    settle(qtbot, window)
    dialog = driven.last
    assert dialog.date.date().toPython() == appointment.date
    assert dialog.start_time.time().toPython().replace(second=0) == appointment.start_time
    saved = driven.results[-1]
    assert saved is not None and saved.session.date == appointment.date
    done = sv.appointments.get(appointment.id)
    assert done.status is AppointmentStatus.DONE and done.session_id == saved.session.id
    row = next(i for i, r in enumerate(today.rows) if r.appointment.id == appointment.id)
    assert today.table.item(row, 6).text() == "recorded" and today.table.item(row, 4).text() == "Done"


def test_the_day_sheet_lists_the_day(qtbot, desk, tmp_path, monkeypatch):
    window = demo_desk(qtbot, desk)
    today = window.book_desk.today
    path = tmp_path / "day.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "PDF (*.pdf)"))
    steps.click(qtbot, today.print_button)
    qtbot.waitUntil(lambda: path.exists() and path.stat().st_size > 0, timeout=15000)
    settle(qtbot, window)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    day = window.services.ctx.today()
    assert "Day sheet" in text and day.isoformat() in text and "Table 1" in text and "Table 2" in text
    for r in today.rows:
        assert r.appointment.patient_name in text and r.appointment.span in text


def test_appointment_settings_with_a_test_message(qtbot, desk, drive, shown, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = desk
    with smtp_sink() as (sink, port):
        def fill(d: BookSettingsDialog) -> None:
            steps.type_into(qtbot, d.tables, "North, South")
            steps.click(qtbot, d.open_days[6])  # Sunday: closed by default -> open
            steps.type_into(qtbot, d.host, "127.0.0.1")
            d.port.setValue(port)
            steps.click(qtbot, d.starttls)  # the local server has no TLS
            steps.type_into(qtbot, d.sender, "desk@example.com")
            steps.type_into(qtbot, d.test_to, "owner@example.com")
            steps.click(qtbot, d.test_button)
            qtbot.waitUntil(lambda: hasattr(d, "test_result"), timeout=10000)

        drive(BookSettingsDialog, fill)
        window.book_desk.settings_action.trigger()
        settle(qtbot, window)
        assert [m["To"] for m in sink.messages] == ["owner@example.com"]
        assert shown.infos[-1] == "A test message was sent to owner@example.com."
    view = window.services.book_settings.get()
    assert view.tables == ("North", "South") and view.hours[6] is not None and view.smtp_host == "127.0.0.1"
    assert not view.smtp_starttls



def test_send_reminders_from_the_book(qtbot, desk, shown, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = demo_desk(qtbot, desk)
    sv = window.services
    day = next(sv.today() + timedelta(days=i) for i in range(1, 8)
               if any(a.status is AppointmentStatus.BOOKED for a in sv.appointments.day(sv.today() + timedelta(days=i)).appointments))
    booked = [a for a in sv.appointments.day(day).appointments if a.status is AppointmentStatus.BOOKED]
    with smtp_sink() as (sink, port):
        sv.book_settings.set_smtp("127.0.0.1", port, False, "", "desk@example.com", "")
        page = open_book(qtbot, window, day)
        steps.click(qtbot, page.remind_button)
        settle(qtbot, window)
        with_address = [a for a in booked if sv.patients.get(a.patient_id).email]
        assert len(sink.messages) == len(with_address) > 0
        assert shown.infos[-1].startswith(f"{len(with_address)} reminder")
        steps.click(qtbot, page.remind_button)  # each appointment is reminded once
        settle(qtbot, window)
        assert len(sink.messages) == len(with_address) and "already reminded" in shown.infos[-1]
