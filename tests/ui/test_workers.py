"""The job layer: a result reaches only the widget that asked, only if it still exists, and only if no
newer job of the same key was asked for since; a job acts as whoever was signed in when it was asked."""
from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor
from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog
from decomp_desk.ui.workers import Runner


def _gate() -> tuple[threading.Event, object]:
    """A job that waits until the test opens the gate, then returns `value`."""
    gate = threading.Event()

    def job_returning(value):
        def job():
            assert gate.wait(10), "the test never opened the gate"
            return value
        return job
    return gate, job_returning


def test_a_job_whose_widget_is_deleted_delivers_nothing_and_raises_nothing(qtbot, shown):
    runner = Runner()
    label = QLabel("waiting")
    gate, returning = _gate()
    delivered, failed = [], []
    runner.submit(returning("done"), delivered.append, failed.append, parent=label)
    runner.submit(lambda: 1 / 0, delivered.append, parent=label)  # an error for a gone widget: no box either
    label.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with qtbot.waitSignal(runner.settled, timeout=10000):
        gate.set()
    assert delivered == [] and failed == [] and shown.errors == []
    runner.shutdown()


def test_a_stale_result_never_paints(qtbot):
    """The slower, older load of the same key arrives last and is dropped; another key is not affected."""
    runner = Runner()
    page = QWidget()
    qtbot.addWidget(page)
    gate, returning = _gate()
    painted = []
    runner.submit(returning("patient A"), painted.append, parent=page, key="patient")
    runner.submit(lambda: "patient B", painted.append, parent=page, key="patient")
    runner.submit(lambda: "the month", painted.append, parent=page, key="month")
    qtbot.waitUntil(lambda: "patient B" in painted and "the month" in painted, timeout=10000)
    with qtbot.waitSignal(runner.settled, timeout=10000):
        gate.set()
    assert sorted(painted) == ["patient B", "the month"]
    runner.shutdown()


def test_a_job_acts_as_whoever_was_signed_in_when_it_was_asked(qtbot, services: Services):
    runner = Runner()
    runner.capture = services.ctx.capture
    owner = QWidget()
    qtbot.addWidget(owner)
    before = services.ctx.actor
    gate = threading.Event()
    seen = []

    def who_acts():
        assert gate.wait(10)
        return services.ctx.actor
    runner.submit(who_acts, seen.append, parent=owner)
    services.act_as(Actor("someone.else", "Someone Else", frozenset({Role.FRONT_DESK})))
    with qtbot.waitSignal(runner.settled, timeout=10000):
        gate.set()
    assert seen == [before]
    assert services.ctx.actor.username == "someone.else"  # the desk's own user is what was set
    runner.shutdown()


def test_escape_on_settings_before_its_load_returns_shows_nothing(qtbot, services: Services, shown, monkeypatch):
    gate = threading.Event()
    real_load = SettingsDialog._load

    def slow_load(self):
        assert gate.wait(10)
        return real_load(self)
    monkeypatch.setattr(SettingsDialog, "_load", slow_load)
    runner = Runner()
    dialog = SettingsDialog(services, runner)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with qtbot.waitSignal(runner.settled, timeout=10000):
        gate.set()
    assert shown.errors == []
    runner.shutdown()


def test_a_read_behind_the_writes_waits_for_them_and_shares_their_thread(qtbot):
    """The desk's first list is a write (its listing is recorded); the settings read at start goes behind
    it: it starts once the write is done, on the same worker (so on the connection it gave back), while
    an ordinary read runs beside the write at once."""
    runner = Runner()
    page = QWidget()
    qtbot.addWidget(page)
    gate, _ = _gate()
    ran: list[tuple[str, int]] = []

    def write():
        assert gate.wait(10), "the test never opened the gate"
        ran.append(("write", threading.get_ident()))

    runner.submit(write, parent=page, write=True)
    runner.submit(lambda: ran.append(("behind", threading.get_ident())), parent=page, behind_writes=True)
    runner.submit(lambda: ran.append(("read", threading.get_ident())), parent=page)
    qtbot.waitUntil(lambda: [what for what, _ in ran] == ["read"], timeout=10000)
    with qtbot.waitSignal(runner.settled, timeout=10000):
        gate.set()
    assert [what for what, _ in ran] == ["read", "write", "behind"]
    assert ran[1][1] == ran[2][1] != ran[0][1]
    runner.shutdown()
