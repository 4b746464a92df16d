"""Database work off the UI thread: a callable runs on a thread pool and its plain result (or the
exception it raised) comes back to the UI thread by signal. Writes run one at a time.

A job knows the widget that asked for it (its owner) and, optionally, a key: its result is delivered only
while the owner still exists and no newer job of the same owner and key has been submitted since. So a
page that loads another patient, or a dialog closed before its load returned, is never painted with a
stale or orphaned result, and no page keeps a hand-made token for it."""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressBar, QWidget

from decomp_desk.domain.records import record
from decomp_desk.ui.dialogs import messages

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
# Wraps a job as it is submitted, e.g. so that it acts as whoever is signed in at that moment
# (Services.capture), whatever happens to the signed-in user before a worker gets to it.
Capture = Callable[[], Callable[[Callable[[], Any]], Callable[[], Any]]]


@record
class _Pending:
    on_done: Done | None
    on_error: Failed | None
    owner: QObject | None
    key: Hashable | None


class _Relay(QObject):
    """Lives in the UI thread; a worker emits on it and Qt queues the call over to the UI thread."""

    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.job_id, self.fn, self.relay = job_id, fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the UI thread, never lost in a worker
            if not isinstance(exc, Exception) or not messages.is_expected(exc):
                log.exception("background job failed")
            self.relay.finished.emit(self.job_id, False, exc)
        else:
            self.relay.finished.emit(self.job_id, True, result)


class Runner(QObject):
    """Runs service calls in the background for one window.

    `submit(fn, on_done, on_error, write=..., parent=owner, key=...)`: `on_done(result)` or
    `on_error(exception)` is called in the UI thread; without `on_error` the exception becomes a message
    box (never a crash). Neither is called once the owner is deleted, nor when a newer job of the same
    owner and key was submitted after this one. Reads may run side by side; writes go through a pool of
    one thread, so they never race each other.
    `behind_writes=True` puts a read that can wait in the writes' line, after the jobs already in it: it
    then reuses their thread and database connection instead of opening one beside them.
    `busy` is true while any job is out; `busy_changed` and `settled` tell when that changes."""

    busy_changed = Signal(bool)
    settled = Signal()  # emitted each time the last outstanding job has been delivered

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._pending: dict[int, _Pending] = {}
        self._latest: dict[tuple[int, Hashable], int] = {}  # (owner, key) -> the newest job's id
        self._ids = itertools.count(1)
        self.capture: Capture | None = None

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None, *,
               write: bool = False, parent: QObject | None = None, key: Hashable | None = None,
               behind_writes: bool = False) -> int:
        if key is not None and parent is None:
            raise ValueError("a keyed job needs the widget it belongs to")
        job_id = next(self._ids)
        was_busy = self.busy
        self._pending[job_id] = _Pending(on_done, on_error, parent, key)
        if key is not None:
            self._latest[(id(parent), key)] = job_id
        if not was_busy:
            self.busy_changed.emit(True)
        if self.capture is not None:
            fn = self.capture()(fn)
        (self._writes if write or behind_writes else self._reads).start(_Job(job_id, fn, self._relay))
        return job_id

    def _current(self, job_id: int, job: _Pending) -> bool:
        """Is the job's result still wanted: its owner alive, and no newer job of the same key asked?"""
        slot = (id(job.owner), job.key)
        newest = job.key is None or self._latest.get(slot) == job_id
        if job.key is not None and newest:
            del self._latest[slot]
        return newest and (job.owner is None or shiboken6.isValid(job.owner))

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        job = self._pending.pop(job_id, None)
        try:
            if job is None or not self._current(job_id, job):
                return
            if ok:
                if job.on_done is not None:
                    job.on_done(payload)
            elif job.on_error is not None:
                job.on_error(payload)
            else:
                owner = job.owner if isinstance(job.owner, QWidget) else None
                messages.show_error(owner, messages.describe_error(payload))
        finally:
            if not self._pending:
                self.busy_changed.emit(False)
                self.settled.emit()

    def shutdown(self, timeout_ms: int = 15000) -> None:
        """Let running jobs finish (a save in flight is not cut off) before the database closes."""
        self._reads.clear()
        self._reads.waitForDone(timeout_ms)
        self._writes.waitForDone(timeout_ms)


class BusyCursor(QObject):
    """The busy cursor (an arrow with a spinner: the window still answers) while the runner works."""

    def __init__(self, runner: Runner):
        super().__init__(runner)
        self._on = False
        runner.busy_changed.connect(self._set)

    @Slot(bool)
    def _set(self, busy: bool) -> None:
        if busy and not self._on:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        elif not busy and self._on:
            QApplication.restoreOverrideCursor()
        self._on = busy


class BusyIndicator(QProgressBar):
    """An indeterminate bar for the status bar, and the busy cursor, while the runner works."""

    def __init__(self, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 10)
        self.setMaximumHeight(self.fontMetrics().height())
        self.setAccessibleName("Working")
        self.hide()
        self.cursor_owner = BusyCursor(runner)
        runner.busy_changed.connect(self.setVisible)
