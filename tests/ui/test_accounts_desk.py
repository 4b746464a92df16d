"""Accounts at the desk, through the real widgets: the first administrator, signing in (right, wrong,
locked after five), the automatic lock (patient data covered, a half-typed dialog kept, a wrong unlock
password), signing out, the Audit view and its filters, the Users window, a front-desk user kept out
of both, changing one's password, and the daily backup."""
from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.types import Role
from decomp_desk.services.accounts import LOCK_AFTER_FAILURES
from decomp_desk.services.backups.backup_files import BackupError
from decomp_desk.ui import daily_backup
from decomp_desk.ui.account_menu import signed_in_text
from decomp_desk.ui.app import SIGNED_OUT
from decomp_desk.ui.dialogs.password_dialogs import ChangePasswordDialog, ResetPasswordDialog
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.sign_in_dialogs import MEANWHILE_AFTER_MS, FirstAdminDialog, LoginDialog, sign_in
from decomp_desk.ui.dialogs.user_dialog import UserDialog
from decomp_desk.ui.dialogs.users_dialog import UsersDialog
from decomp_desk.ui.idle_lock import Cover
from decomp_desk.ui.main_window import MainWindow
from decomp_desk.ui.pages.audit_view import AuditView
from decomp_desk.ui.workers import Runner
from tests.conftest import CLINICIAN
from tests.factories import patient
from tests.ui import steps
from tests.ui.conftest import settle, show_window

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # quick hashes; the rules are the same
PASSWORD = "decompress me daily"
FRAN_PASSWORD = "front desk at 42"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("DECOMP_DESK_SCREENSHOTS", ROOT / "screenshots"))


def shoot(widget: QWidget, name: str, above: QWidget | None = None) -> None:
    """The widget's picture; with `above`, that window drawn over it where it stands (a second top-level
    window, as the lock panel over the main window)."""
    QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    picture = widget.grab()
    if above is not None:
        painter = QPainter(picture)
        painter.drawPixmap(above.geometry().topLeft() - widget.geometry().topLeft(), above.grab())
        painter.end()
    assert picture.save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def clinic(sqlite_url):
    """A clinic's database with its administrator Ann (also a clinician) and Fran at the front desk;
    the services act as no one until someone signs in."""
    services = open_services(sqlite_url, SIGNED_OUT)
    services.accounts.hasher = FAST
    ann = services.accounts.create_first_admin("ann", "Dr. Ann Lee", PASSWORD, also_clinician=True)
    services.act_as(ann)
    services.accounts.create_user("fran", "Fran Desk", [Role.FRONT_DESK], FRAN_PASSWORD)
    services.act_as(SIGNED_OUT)
    yield services
    services.dispose()


def desk_as(qtbot, services, username: str, password: str) -> MainWindow:
    services.act_as(services.accounts.login(username, password))
    return show_window(qtbot, services)


@pytest.fixture
def ann_desk(qtbot, clinic):
    window = desk_as(qtbot, clinic, "ann", PASSWORD)
    yield window
    window.runner.shutdown()


def fill_login(qtbot, username: str, password: str):
    def fill(d: LoginDialog) -> None:
        steps.type_into(qtbot, d.username, username)
        steps.type_into(qtbot, d.password, password)
    return fill


def covered(window: QWidget) -> bool:
    """Every point of the window shows the cover: nothing under it can be seen or clicked."""
    covers = [c for c in window.findChildren(Cover, options=Qt.FindChildOption.FindDirectChildrenOnly)
              if c.isVisible()]
    if not covers or covers[0].geometry() != window.rect():
        return False
    w, h = window.width(), window.height()
    for x, y in ((w // 2, h // 2), (10, 10), (w - 10, h - 10), (w // 4, h // 3), (w - 40, 12)):
        hit = window.childAt(QPoint(x, y))
        if hit is None or not (hit is covers[0] or covers[0].isAncestorOf(hit)):
            return False
    return True


def unlock_with(qtbot, window: MainWindow, password: str) -> None:
    panel = window.account.lock.panel
    steps.type_into(qtbot, panel.password, password)
    steps.click(qtbot, panel.unlock_button)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)


# --- the first start and signing in -------------------------------------------------------------------

def test_the_first_start_creates_the_administrator_and_the_window_acts_as_them(qtbot, sqlite_url, drive, shown):
    services = open_services(sqlite_url, SIGNED_OUT)
    services.accounts.hasher = FAST
    runner = Runner()
    try:
        def fill(d: FirstAdminDialog) -> None:
            assert d.also_clinician.isChecked()  # a solo chiropractor is both
            steps.type_into(qtbot, d.username, "ann")
            steps.type_into(qtbot, d.full_name, "Dr. Ann Lee")
            steps.type_into(qtbot, d.password, PASSWORD)
            steps.type_into(qtbot, d.password_again, "decompress m")
            steps.click(qtbot, d.save_button)  # the second password differs: refused, all kept
            assert d.isVisible() and d.password_again.property("invalid") is True
            assert "Password again: does not match the password" in d.marks.text()
            assert d.password.text() == PASSWORD and d.username.text() == "ann"
            shoot(d, "accounts-first-administrator")
            steps.type_into(qtbot, d.password_again, PASSWORD)

        driven = drive(FirstAdminDialog, fill)
        actor = sign_in(services, runner)
        assert actor is not None and actor.username == "ann"
        assert actor.roles == {Role.ADMINISTRATOR, Role.CLINICIAN}
        assert services.ctx.actor == actor and driven.results == [actor]
        window = MainWindow(services, runner)
        qtbot.addWidget(window)
        window.show()
        window.start()
        settle(qtbot, window)
        assert window.account.signed_in.text() == "Signed in: Dr. Ann Lee (Administrator, Clinician)"
        assert window.account.users_action.isEnabled() and window.account.audit_action.isEnabled()
        assert not services.accounts.needs_first_admin()
        p = patient(services, "1001", "Bo", "Hart")  # saved under Ann's name
        assert services.patients.get(p.id).updated_by == "ann"
        actions = [e.action for e in services.audit.events(actor="ann")]
        assert "login" in actions and "create" in actions
    finally:
        runner.shutdown()
        services.dispose()


def test_sign_in_right_wrong_and_locked_after_five(qtbot, clinic):
    runner = Runner()
    try:
        d = LoginDialog(clinic, runner)
        qtbot.addWidget(d)
        d.resize(d.sizeHint())
        d.show()
        qtbot.waitExposed(d)
        steps.click(qtbot, d.save_button)  # nothing typed
        assert d.isVisible() and "User name: is required" in d.marks.text()
        for attempt in range(1, LOCK_AFTER_FAILURES + 1):
            steps.type_into(qtbot, d.username, "ann")
            steps.type_into(qtbot, d.password, f"wrong {attempt}")
            steps.press(qtbot, d.password, Qt.Key.Key_Return)  # Enter signs in
            qtbot.waitUntil(lambda: not d.saving, timeout=10000)
            assert d.isVisible() and d.result_value is None
            assert d.password.text() == "" and d.username.text() == "ann"  # the name is kept for the next try
            if attempt < LOCK_AFTER_FAILURES:
                assert d.marks.text().startswith("The user name or password is wrong.")
                if attempt == 1:
                    shoot(d, "accounts-sign-in-wrong-password")
        locked = d.marks.text()
        assert "fifth wrong password" in locked and "is locked until" in locked
        assert "minutes from now" in locked  # the wait, not only the time
        shoot(d, "accounts-sign-in-locked")
        steps.type_into(qtbot, d.password, PASSWORD)  # even the right password, while locked
        steps.click(qtbot, d.save_button)
        qtbot.waitUntil(lambda: not d.saving, timeout=10000)
        assert d.isVisible() and "is locked until" in d.marks.text()

        right = LoginDialog(clinic, runner)
        qtbot.addWidget(right)
        right.show()
        steps.type_into(qtbot, right.username, " Fran ")
        steps.type_into(qtbot, right.password, FRAN_PASSWORD)
        steps.click(qtbot, right.save_button)
        qtbot.waitUntil(lambda: not right.isVisible(), timeout=10000)
        assert right.result_value.username == "fran" and right.result_value.roles == {Role.FRONT_DESK}
        events = [(e.actor, e.action) for e in _all_events(clinic)]
        assert events.count(("ann", "login_failed")) == LOCK_AFTER_FAILURES + 1
        assert ("ann", "account_locked") in events and ("fran", "login") in events
    finally:
        runner.shutdown()


def test_the_window_is_made_while_the_password_is_checked_or_while_the_user_types(qtbot, clinic):
    """The desk's start builds its window in the sign-in's waits (ui/app.run_desk): once, on the UI
    thread, at the first of the click on Sign in (the check runs on a worker meanwhile) or a pause."""
    runner = Runner()
    try:
        done: list[tuple[bool, bool]] = []  # (the check still out?, the dialog still up?) when it ran
        quick = LoginDialog(clinic, runner, meanwhile=lambda: done.append((quick.saving, quick.isVisible())))
        qtbot.addWidget(quick)
        quick.show()
        steps.type_into(qtbot, quick.username, "fran")
        steps.type_into(qtbot, quick.password, FRAN_PASSWORD)
        steps.click(qtbot, quick.save_button)  # sooner than the pause: at the click, the check under way
        assert done == [(True, True)]
        qtbot.waitUntil(lambda: not quick.isVisible(), timeout=10000)
        assert quick.result_value.username == "fran"
        qtbot.wait(MEANWHILE_AFTER_MS + 100)
        assert done == [(True, True)]  # once only: the pause's timer found it done

        slow: list[bool] = []
        typing = LoginDialog(clinic, runner, meanwhile=lambda: slow.append(typing.saving))
        qtbot.addWidget(typing)
        typing.show()
        qtbot.waitUntil(lambda: slow == [False], timeout=MEANWHILE_AFTER_MS * 4)  # made while nobody typed
        steps.type_into(qtbot, typing.username, "fran")
        steps.type_into(qtbot, typing.password, "a wrong password")
        steps.click(qtbot, typing.save_button)
        qtbot.waitUntil(lambda: not typing.saving, timeout=10000)
        assert slow == [False] and typing.isVisible()  # not again at the click
    finally:
        runner.shutdown()


def _all_events(services):
    """The whole trail, newest first, read with every role (as the command line reads it)."""
    keep = services.ctx.actor
    services.act_as(CLINICIAN)
    try:
        return services.audit.events(limit=1000)
    finally:
        services.act_as(keep)


# --- the lock ----------------------------------------------------------------------------------------

def test_the_idle_lock_covers_the_patient_data_and_asks_for_the_password(qtbot, ann_desk, clinic):
    window = ann_desk
    p = patient(clinic, "2001", "Cara", "Diaz")
    window.list_page.reload()
    settle(qtbot, window)
    window.open_patient(p.id)
    settle(qtbot, window)
    assert not covered(window)
    idle = window.account.idle
    assert idle.timer.isActive() and idle.timer.interval() == 10 * 60_000  # the settings' 10 minutes
    from dataclasses import replace
    window.show_clinic(replace(clinic.settings.get(), idle_lock_minutes=3))  # as after File > Settings… saves
    assert idle.timer.isActive() and idle.timer.interval() == 3 * 60_000
    # Activity starts the wait again: keys pressed more often than the idle time keep the desk open.
    # (Measured by behaviour: a coarse QTimer's remainingTime need not move when it is restarted.)
    qtbot.waitUntil(lambda: idle.watching, timeout=5000)  # activity is watched from shortly after the sign-in
    idle.set_interval_ms(1000)
    for _ in range(10):
        qtbot.wait(150)
        qtbot.keyClick(window.patient_page.tabs, Qt.Key.Key_Right)
        assert not window.account.lock.locked
    idle.set_minutes(3)

    other = QWidget()  # a second window of the desk, not a dialog (as a list of balances could be)
    qtbot.addWidget(other)
    other.resize(400, 300)
    other.show()
    idle.set_interval_ms(50)  # the idle time, made short
    qtbot.waitUntil(lambda: window.account.lock.locked, timeout=5000)
    settle(qtbot, window)
    lock = window.account.lock
    assert covered(window), "the patient page shows through the lock"
    assert covered(other)
    assert not idle.timer.isActive()  # no second lock while locked
    assert lock.panel.isVisible() and lock.panel.isModal()
    assert "Dr. Ann Lee (ann) is signed in" in lock.panel.who.text()
    shoot(window, "accounts-lock-window", above=lock.panel)
    shoot(lock.panel, "accounts-lock-panel")

    lock.panel.reject()  # Esc does not unlock
    assert lock.panel.isVisible()
    unlock_with(qtbot, window, "not my password")
    assert lock.locked and covered(window)
    assert lock.panel.message.text().startswith("The password is wrong.")  # only a password was asked
    assert lock.panel.password.text() == ""
    shoot(lock.panel, "accounts-lock-panel-wrong")
    unlock_with(qtbot, window, PASSWORD)
    assert not lock.locked and not covered(window)
    qtbot.waitUntil(lambda: not window.findChildren(Cover) and not other.findChildren(Cover))  # deleted, not hidden
    assert window.stack.currentWidget() is window.patient_page and "Diaz" in window.patient_page.title.text()
    assert idle.timer.isActive()
    actions = [e.action for e in _all_events(clinic) if e.actor == "ann"]
    assert {"lock", "unlock_failed", "unlock"} <= set(actions)


def test_five_wrong_passwords_at_the_lock_lock_the_account(qtbot, ann_desk, clinic, drive, shown):
    window = ann_desk
    steps.press(qtbot, window, Qt.Key.Key_L, steps.CTRL)  # File > Lock now
    assert window.account.lock.locked
    for n in range(LOCK_AFTER_FAILURES):
        unlock_with(qtbot, window, f"guess {n}")
    message = window.account.lock.panel.message.text()
    assert "is locked until" in message and "minutes from now" in message
    unlock_with(qtbot, window, PASSWORD)  # refused while the account is locked
    assert window.account.lock.locked and covered(window)

    # Someone else signs in instead: the covers stay until they have.
    driven = drive(LoginDialog, fill_login(qtbot, "fran", FRAN_PASSWORD))
    steps.click(qtbot, window.account.lock.panel.switch_button)
    assert shown.questions and "Anything typed" in shown.questions[-1]
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    assert clinic.ctx.actor.username == "fran"
    assert not covered(window) and not window.account.lock.locked
    assert window.account.signed_in.text() == "Signed in: Fran Desk (Front desk)"


def test_a_half_typed_dialog_survives_the_lock_with_its_text(qtbot, ann_desk, clinic, monkeypatch):
    """The dialog's exec() loop runs on under the cover; after the unlock the typing goes on and saves."""
    window = ann_desk
    seen: dict = {"returned": False}

    def during(dialog: PatientDialog) -> None:
        steps.type_into(qtbot, dialog.first_name, "Half")
        steps.type_into(qtbot, dialog.last_name, "Way")
        steps.focus(qtbot, dialog.phone)
        qtbot.keyClicks(dialog.phone, "555-01")
        window.account.idle.set_interval_ms(50)
        qtbot.waitUntil(lambda: window.account.lock.locked, timeout=5000)
        seen["covered"] = covered(window) and covered(dialog)
        seen["running"] = dialog.isVisible() and not seen["returned"]
        shoot(window, "accounts-lock-dialog-covered", above=dialog)
        unlock_with(qtbot, window, "wrong password")
        seen["still"] = window.account.lock.locked and covered(dialog)
        unlock_with(qtbot, window, PASSWORD)
        seen["kept"] = (dialog.first_name.text(), dialog.last_name.text(), dialog.phone.text())
        seen["focus"] = QApplication.focusWidget() is dialog.phone
        qtbot.keyClicks(dialog.phone, "23")  # the typing goes on where it stopped
        steps.click(qtbot, dialog.save_button)

    def ask(cls, parent, services, runner, *args, **kwargs):
        dialog = cls(services, runner, *args, parent=parent, **kwargs)
        QTimer.singleShot(0, lambda: during(dialog))
        code = dialog.exec()
        seen["returned"] = True
        return dialog.result_value if code == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(PatientDialog, "ask", classmethod(ask))
    steps.press(qtbot, window, Qt.Key.Key_N, steps.CTRL)
    qtbot.waitUntil(lambda: seen["returned"], timeout=20000)
    settle(qtbot, window)
    assert seen["covered"] and seen["running"] and seen["still"]
    assert seen["kept"] == ("Half", "Way", "555-01") and seen["focus"]
    saved = [r for r in clinic.patients.list() if r.last_name == "Way"]
    assert len(saved) == 1 and clinic.patients.get(saved[0].id).phone == "555-0123"


def test_sign_out_asks_who_signs_in_next_and_closing_it_quits(qtbot, ann_desk, clinic, drive):
    window = ann_desk
    typing = fill_login(qtbot, "fran", FRAN_PASSWORD)

    def fill(d: LoginDialog) -> None:
        assert covered(window)  # nothing of Ann's work shows while the next one signs in
        d.resize(d.sizeHint())
        shoot(window, "accounts-signed-out", above=d)
        typing(d)

    driven = drive(LoginDialog, fill)
    window.account.sign_out_action.trigger()
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    assert "Dr. Ann Lee signed out" in driven.last.note.text()
    assert clinic.ctx.actor.username == "fran" and window.isVisible() and not covered(window)
    ann = [e.action for e in _all_events(clinic) if e.actor == "ann"]
    assert ann[0] == "logout"

    drive(LoginDialog, lambda d: None, save=False)  # closed without signing in
    window.account.sign_out_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)


# --- roles -------------------------------------------------------------------------------------------

def test_front_desk_cannot_open_users_or_the_audit_trail_nor_record_sessions(qtbot, clinic, shown):
    window = desk_as(qtbot, clinic, "fran", FRAN_PASSWORD)
    try:
        acc = window.account
        assert acc.signed_in.text() == signed_in_text(clinic.ctx.actor) == "Signed in: Fran Desk (Front desk)"
        for action in (acc.users_action, acc.audit_action):
            assert not action.isEnabled()
            assert "Only an administrator may open this; Fran Desk is not one." in action.toolTip()
        acc.manage_users()  # reached some other way: refused with the same words
        assert shown.last_error().startswith("Only an administrator")
        patient_id = _register_as_admin(clinic)
        window.list_page.reload()
        settle(qtbot, window)
        window.open_patient(patient_id)
        settle(qtbot, window)
        a = window.patient_actions
        for action in (a.new_screening, a.new_session):
            assert not action.isEnabled()
            assert "Only a clinician screens and records sessions; Fran Desk is not one." in action.toolTip()
        assert a.edit_patient.isEnabled()  # the front desk keeps the patient's details
        shoot(window, "accounts-front-desk-window")
    finally:
        window.runner.shutdown()


def _register_as_admin(services) -> int:
    keep = services.ctx.actor
    services.act_as(services.accounts.login("ann", PASSWORD))
    try:
        return patient(services, "3001", "Dot", "Eng").id
    finally:
        services.act_as(keep)


def test_the_administrator_manages_users(qtbot, ann_desk, clinic, drive, shown, monkeypatch):
    window = ann_desk
    opened: list[UsersDialog] = []

    def ask(cls, parent, services, runner):
        d = cls(services, runner, parent)
        qtbot.addWidget(d)
        d.show()
        opened.append(d)

    monkeypatch.setattr(UsersDialog, "ask", classmethod(ask))  # shown, not exec()'d: the test goes on
    window.account.users_action.trigger()
    d = opened[0]
    qtbot.waitUntil(lambda: d.model.rowCount() == 2, timeout=10000)
    assert [u.username for u in d.model.rows()] == ["ann", "fran"]

    def new_user(u: UserDialog) -> None:
        steps.type_into(qtbot, u.username, "sam")
        steps.type_into(qtbot, u.full_name, "Dr. Sam Ortiz")
        steps.type_into(qtbot, u.password, "short")
        steps.click(qtbot, u.save_button)  # no role, short password: both named, nothing lost
        assert u.isVisible() and "Roles: choose at least one" in u.marks.text()
        assert "Password: must be at least 12 characters" in u.marks.text()
        steps.click(qtbot, u.role_boxes[Role.CLINICIAN])
        steps.type_into(qtbot, u.password, "sam's own password")
        steps.type_into(qtbot, u.password_again, "sam's own password")
        shoot(u, "accounts-new-user")

    added = drive(UserDialog, new_user)
    steps.click(qtbot, d.add_button)
    qtbot.waitUntil(lambda: d.model.rowCount() == 3, timeout=10000)
    assert added.results[-1].roles == {Role.CLINICIAN}
    assert d.selected().username == "sam"
    d.resize(900, 420)
    shoot(d, "accounts-users")

    def more_roles(u: UserDialog) -> None:
        assert u.username.isReadOnly()
        steps.click(qtbot, u.role_boxes[Role.FRONT_DESK])
    drive(UserDialog, more_roles)
    steps.click(qtbot, d.edit_button)
    qtbot.waitUntil(lambda: d.selected() is not None and Role.FRONT_DESK in d.selected().roles, timeout=10000)

    def new_password(r: ResetPasswordDialog) -> None:
        steps.type_into(qtbot, r.new_password, "a new one at 99")
        steps.type_into(qtbot, r.new_password_again, "a new one at 99")
    drive(ResetPasswordDialog, new_password)
    steps.click(qtbot, d.reset_button)
    qtbot.waitUntil(lambda: bool(shown.infos), timeout=10000)
    settle(qtbot, window)
    assert clinic.accounts.verify_password("sam", "a new one at 99").username == "sam"

    steps.click(qtbot, d.active_button)  # Disable, after a question
    qtbot.waitUntil(lambda: d.selected() is not None and not d.selected().active, timeout=10000)
    assert "Disable the account sam?" in shown.questions[-1] and d.active_button.text() == "&Enable"
    with pytest.raises(Exception, match="disabled"):
        clinic.accounts.verify_password("sam", "a new one at 99")

    # Ann's own account cannot be disabled: said, and the list stays as it was.
    row = next(i for i in range(d.proxy.rowCount()) if d.model.row_at(d.proxy.mapToSource(d.proxy.index(i, 0)))
               .username == "ann")
    d.table.selectRow(row)
    steps.click(qtbot, d.active_button)
    settle(qtbot, window)
    assert "you cannot disable your own account" in shown.last_error()

    # A lock lifted early.
    for n in range(LOCK_AFTER_FAILURES):
        with pytest.raises(Exception):
            clinic.accounts.verify_password("fran", f"nope {n}")
    d.reload()
    settle(qtbot, window)
    fran = next(i for i in range(d.proxy.rowCount()) if d.model.row_at(d.proxy.mapToSource(d.proxy.index(i, 0)))
                .username == "fran")
    d.table.selectRow(fran)
    assert d.unlock_button.isEnabled() and d.selected().locked_until is not None
    steps.click(qtbot, d.unlock_button)
    qtbot.waitUntil(lambda: d.selected() is not None and d.selected().locked_until is None, timeout=10000)
    assert clinic.accounts.verify_password("fran", FRAN_PASSWORD).username == "fran"


def test_a_user_changes_their_password(qtbot, ann_desk, clinic, drive):
    window = ann_desk

    def wrong_current(d: ChangePasswordDialog) -> None:
        steps.type_into(qtbot, d.current_password, "not it at all")
        steps.type_into(qtbot, d.new_password, "spine and disc at 7")
        steps.type_into(qtbot, d.new_password_again, "spine and disc at 7")

    driven = drive(ChangePasswordDialog, wrong_current)
    window.account.change_password_action.trigger()
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    d = driven.last
    assert driven.results == [None] and d.isVisible()
    assert d.current_password.property("invalid") is True and "Current password: is wrong" in d.marks.text()
    assert d.new_password.text() == "spine and disc at 7"  # kept
    shoot(d, "accounts-change-password-refused")
    d.close()

    def right(d: ChangePasswordDialog) -> None:
        steps.type_into(qtbot, d.current_password, PASSWORD)
        steps.type_into(qtbot, d.new_password, "spine and disc at 7")
        steps.type_into(qtbot, d.new_password_again, "spine and disc at 7")

    driven = drive(ChangePasswordDialog, right)
    window.account.change_password_action.trigger()
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    assert driven.results == ["ann"]
    assert "password was changed" in window.statusBar().currentMessage()
    assert clinic.accounts.login("ann", "spine and disc at 7").username == "ann"
    with pytest.raises(Exception):
        clinic.accounts.login("ann", PASSWORD)


# --- the Audit view ----------------------------------------------------------------------------------

def choose(qtbot, combo, text: str) -> None:
    """Pick an entry with the keyboard, as a user would (each step is a choice: it filters)."""
    steps.focus(qtbot, combo)
    while combo.currentText() != text:
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, f"{text!r} is not offered"


def test_the_audit_view_shows_sign_ins_and_locks_and_filters_them(qtbot, ann_desk, clinic, shown):
    window = ann_desk
    with pytest.raises(Exception):
        clinic.accounts.login("fran", "not fran's")
    p = patient(clinic, "4001", "Eli", "Ford")
    clinic.patients.get(p.id)
    window.account.lock_action.trigger()
    unlock_with(qtbot, window, PASSWORD)
    assert not window.account.lock.locked

    view = AuditView(clinic, window.runner)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    view.reload()
    settle(qtbot, window)
    rows = view.rows_on_show()
    assert {("ann", "login"), ("fran", "login_failed"), ("ann", "lock"), ("ann", "unlock")} <= \
        {(r.actor, r.action) for r in rows}
    assert rows == sorted(rows, key=lambda r: (r.at, r.id), reverse=True)  # newest first
    assert view.model.flags(view.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag.NoItemFlags
    shoot(view, "accounts-audit-view")

    choose(qtbot, view.action, "lock")
    settle(qtbot, window)
    assert {(r.actor, r.action) for r in view.rows_on_show()} == {("ann", "lock")}
    choose(qtbot, view.action, "login_failed")
    settle(qtbot, window)
    assert [(r.actor, r.detail) for r in view.rows_on_show()] == [("fran", "wrong password (1 of 5)")]

    view.action.setCurrentIndex(0)
    settle(qtbot, window)
    choose(qtbot, view.user, "fran")
    settle(qtbot, window)
    assert {r.actor for r in view.rows_on_show()} == {"fran"}
    view.user.setCurrentIndex(0)
    settle(qtbot, window)

    steps.type_into(qtbot, view.chart, "4001")
    qtbot.keyClick(view.chart, Qt.Key.Key_Return)
    settle(qtbot, window)
    shown_rows = view.rows_on_show()
    assert shown_rows and {r.chart_number for r in shown_rows} == {"4001"}
    assert {"create", "view"} <= {r.action for r in shown_rows}
    view.chart.clear()

    view.until.setDate(view.until.date().addDays(-1))
    steps.click(qtbot, view.until_on)  # up to yesterday: nothing, all of it happened today
    settle(qtbot, window)
    assert view.rows_on_show() == [] and view.count.text() == "0 events"
    steps.click(qtbot, view.until_on)
    steps.click(qtbot, view.since_on)  # from 30 days ago: everything again
    settle(qtbot, window)
    assert len(view.rows_on_show()) >= 6

    steps.type_into(qtbot, view.contains, "wrong password")  # narrows the rows loaded, no new query
    assert not window.runner.busy
    assert {r.action for r in view.rows_on_show()} == {"login_failed"}
    assert view.count.text().startswith("1 of ")
    assert clinic.ctx.actor.username == "ann" and shown.errors == []


# --- the daily backup --------------------------------------------------------------------------------

def test_the_daily_backup_runs_once_a_day_and_keeps_the_newest(qtbot, ann_desk, clinic, tmp_path):
    from dataclasses import replace

    window = ann_desk
    clinic.settings.update(replace(clinic.settings.get(), name="Spine Clinic", backup_retention=2))
    folder = tmp_path / "backups"
    day = date(2026, 3, 2)
    daily_backup.run_daily_backup(window, folder, today=day)
    settle(qtbot, window)
    assert [p.name for p in folder.glob("*.backup")] == ["decomp-desk-2026-03-02.backup"]
    made = folder / "decomp-desk-2026-03-02.backup"
    # saved, then (once a day) restored into a scratch database and checked: the status bar says both
    assert window.statusBar().currentMessage() == (
        f"Today's backup was saved to {made}. The newest backup, {made.name}, was restored into a scratch "
        "database and checked: 0 patients, 0 sessions.")
    window.statusBar().clearMessage()
    daily_backup.run_daily_backup(window, folder, today=day)  # the same day again: nothing more
    settle(qtbot, window)
    assert len(list(folder.glob("*.backup"))) == 1 and window.statusBar().currentMessage() == ""
    for n in (1, 2):
        daily_backup.run_daily_backup(window, folder, today=day + timedelta(days=n))
        settle(qtbot, window)
    assert sorted(p.name for p in folder.glob("*.backup")) == ["decomp-desk-2026-03-03.backup",
                                                        "decomp-desk-2026-03-04.backup"]  # retention 2
    backups = [e for e in _all_events(clinic) if e.action == "backup"]
    assert len(backups) == 3 and {e.actor for e in backups} == {"ann"}


def test_a_failed_daily_backup_is_said_and_the_desk_goes_on(qtbot, ann_desk, monkeypatch, tmp_path, shown):
    from decomp_desk.services.backups import daily_backups

    def fails(*a, **k):
        raise BackupError("pg_dump is not installed.")

    monkeypatch.setattr(daily_backups, "automatic_backup", fails)
    daily_backup.run_daily_backup(ann_desk, tmp_path)
    settle(qtbot, ann_desk)
    message = ann_desk.statusBar().currentMessage()
    assert message.startswith("Today's automatic backup failed: pg_dump is not installed.")
    assert shown.errors == [] and ann_desk.isVisible()


def test_the_desk_backs_up_once_shown_with_its_list_loaded(qtbot, clinic, tmp_path):
    """As run_desk does it: the window is built while the sign-in is typed, loads its list once someone has
    signed in (signed out, nothing is read), and the backup waits for the window."""
    folder = tmp_path / "backups"
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    daily_backup.back_up_once_loaded(window, folder)
    settle(qtbot, window)
    assert window.list_page.model.rowCount() == 0 and not folder.exists()  # not shown yet
    clinic.act_as(clinic.accounts.login("ann", PASSWORD))
    window.account.follow_sign_in()
    window.start()
    window.show()
    qtbot.waitUntil(lambda: any(folder.glob("*.backup")), timeout=10000)
    settle(qtbot, window)
    assert [p.name for p in folder.glob("*.backup")] == [f"decomp-desk-{date.today().isoformat()}.backup"]
    window.list_page.reload()  # later loads make no more
    settle(qtbot, window)
    assert len(list(folder.glob("*.backup"))) == 1
    assert [e.actor for e in _all_events(clinic) if e.action == "backup"] == ["ann"]
    window.runner.shutdown()


def test_a_list_loaded_before_the_window_shows_backs_up_when_it_shows(qtbot, clinic, tmp_path):
    """The other order: the list is in before the window is shown; the backup waits for the showing."""
    folder = tmp_path / "backups"
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    daily_backup.back_up_once_loaded(window, folder)
    clinic.act_as(clinic.accounts.login("ann", PASSWORD))
    window.account.follow_sign_in()
    with qtbot.waitSignal(window.list_page.loaded, timeout=10000):
        window.start()
    settle(qtbot, window)
    assert not folder.exists()  # loaded, not shown: no backup yet
    with qtbot.waitSignal(window.list_page.loaded, timeout=10000):
        window.list_page.reload()  # loaded again, still not shown
    settle(qtbot, window)
    assert not folder.exists()
    window.show()
    qtbot.waitUntil(lambda: any(folder.glob("*.backup")), timeout=10000)
    settle(qtbot, window)
    assert len(list(folder.glob("*.backup"))) == 1
    window.runner.shutdown()


def test_the_start_reads_today_the_settings_and_the_list_on_one_connection(qtbot, clinic):
    """In the order the user sees them, one after another: no connection opened beside another (on
    PostgreSQL each is a server process and a password exchange)."""
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    clinic.act_as(clinic.accounts.login("ann", PASSWORD))
    window.account.follow_sign_in()
    pool = clinic.ctx.Session.kw["bind"].pool
    before = pool.checkedin()
    shown = []
    today, show_book, show_clinic = window.book_desk.today, window.book_desk.today.show_book, window.show_clinic
    today.show_book = lambda *a, **k: (shown.append("today"), show_book(*a, **k))
    window.show_clinic = lambda clinic: (shown.append("settings"), show_clinic(clinic))
    window.list_page.loaded.connect(lambda: shown.append("list"))
    window.start()
    window.show()
    qtbot.waitUntil(lambda: "list" in shown, timeout=10000)
    settle(qtbot, window)
    assert pool.checkedin() == max(before, 1)
    assert shown == ["today", "settings", "list"]  # the list, the longest, shown with nothing read beside it
    window.runner.shutdown()


# --- the real start, in a process of its own ------------------------------------------------------------

def test_the_real_start_makes_the_administrator_signs_in_and_backs_up_once_a_day(tmp_path):
    from tests.ui.test_desk import run_probe

    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    first = run_probe(url, "Riverside Chiropractic")
    assert (first["first_run"], first.get("first_admin"), first.get("sign_in")) == (True, True, None)
    assert first["actor"] == "probe" and first["signed_in"] == "Signed in: Probe Admin (Administrator, Clinician)"
    today = f"decomp-desk-{date.today().isoformat()}.backup"
    assert first["backups"] == [today] and first["errors"] == []  # in the data folder beside the database

    again = run_probe(url)  # a named clinic with an administrator: straight to the sign-in
    assert (again["first_run"], again.get("first_admin"), again["sign_in"]) == (False, None, True)
    assert again["accounts_asked"] == 1  # once: nothing before the sign-in could have made an account
    assert again["actor"] == "probe" and again["backups"] == [today]  # still one for today

    closed = run_probe(url, "--cancel-sign-in")  # closing the sign-in ends the desk, no window shown
    assert closed["sign_in"] and closed["exit"] == 0 and "title" not in closed


def test_the_account_screens_fit_the_screen_and_each_alt_letter_means_one_thing(qtbot, ann_desk, clinic):
    from decomp_desk.ui.idle_lock import LockPanel
    from decomp_desk.ui.pages.audit_view import AuditDialog
    from tests.ui.test_desk import _alt_letters

    window, runner = ann_desk, ann_desk.runner
    fran = next(u for u in clinic.accounts.list_users() if u.username == "fran")
    screens = [FirstAdminDialog(clinic, runner), LoginDialog(clinic, runner), ChangePasswordDialog(clinic, runner),
               ResetPasswordDialog(clinic, runner, fran), UserDialog(clinic, runner), UserDialog(clinic, runner, fran),
               UsersDialog(clinic, runner), AuditDialog(clinic, runner), LockPanel("Dr. Ann Lee (ann)")]
    room_w, room_h = 1366, 768 - 48 - 30  # less a task bar and a title bar
    for d in screens:
        qtbot.addWidget(d)
        size = d.sizeHint().expandedTo(d.minimumSizeHint()).expandedTo(d.size() if d.isVisible() else d.sizeHint())
        assert size.width() <= room_w and size.height() <= room_h, (type(d).__name__, size)
        letters = _alt_letters(d)
        assert len(letters) == len(set(letters)), (type(d).__name__, sorted(letters))
    settle(qtbot, window)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    letters = [t.replace("&&", "")[t.replace("&&", "").find("&") + 1].lower() for t in texts if "&" in t]
    assert len(letters) == len(set(letters)), texts
    assert [k.toString() for k in window.account.lock_action.shortcuts()] == ["Ctrl+L"]
    for action in (window.account.users_action, window.account.audit_action, window.account.lock_action,
                   window.account.change_password_action, window.account.sign_out_action):
        assert action in file_menu.actions()


def test_enter_in_the_audit_windows_chart_number_looks_it_up_and_keeps_the_window(qtbot, ann_desk, clinic, shown,
                                                                                monkeypatch):
    from decomp_desk.ui.pages.audit_view import AuditDialog

    opened = []
    monkeypatch.setattr(AuditDialog, "ask", classmethod(lambda cls, parent, services, runner: opened.append(
        cls(services, runner, parent)) or opened[-1].show()))
    patient(clinic, "5001", "Fay", "Gray")
    ann_desk.account.audit_action.trigger()
    d = opened[0]
    qtbot.addWidget(d)
    settle(qtbot, ann_desk)
    steps.type_into(qtbot, d.view.chart, "5001")
    steps.press(qtbot, d.view.chart, Qt.Key.Key_Return)
    settle(qtbot, ann_desk)
    assert d.isVisible() and {r.chart_number for r in d.view.rows_on_show()} == {"5001"}
    assert shown.errors == []


def test_records_without_accounts_are_not_handed_to_whoever_opens_the_desk(sqlite_url):
    """Patients on file and no account (issue 11, point 6): no first-run dialog, no administrator for the
    taking; the desk says how to add one from the command line, and ends."""
    from tests.conftest import CLINICIAN
    from tests.ui.test_desk import run_probe

    services = open_services(sqlite_url, CLINICIAN)
    patient(services, "1001", "Bo", "Hart")
    services.dispose()
    seen = run_probe(sqlite_url)
    assert seen["exit"] == 1 and not seen["first_run"] and "first_admin" not in seen and "sign_in" not in seen
    [error] = seen["errors"]
    assert "holds records but no user accounts" in error and "decomp-desk add-user" in error
    assert "title" not in seen  # no window
