"""Pictures of Today and the week's book at 1366 x 768 on the demo clinic's week, to look at (written
to screenshots/ at the project root, or DECOMP_DESK_SCREENSHOTS, like test_screenshots.py)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from decomp_desk.services.demo.loading import load_demo
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.test_screenshots import save


def test_today_and_the_week(qtbot, desk):
    window = desk
    load_demo(window.services)
    window.refresh()
    settle(qtbot, window)
    today = window.book_desk.today
    assert window.stack.currentWidget() is today and today.table.rowCount() > 0
    paths = [save(window, "10-today")]
    steps.press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page = window.book_desk.book
    steps.click(qtbot, page.week_view)
    settle(qtbot, window)
    assert page.grid.columnCount() >= 10  # Monday to Saturday, two tables each
    paths.append(save(window, "11-book-week"))
    steps.click(qtbot, page.day_view)
    settle(qtbot, window)
    paths.append(save(window, "12-book-day"))
    assert all(p.stat().st_size > 10_000 for p in paths)
