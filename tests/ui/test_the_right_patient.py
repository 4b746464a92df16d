"""Issue 10, finding 7: "whit" matches two patients; the keyboard path is unambiguous (the first Down
selects the next row, Enter opens the selected row) and the page says whose chart is open, with the
date of birth."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.factories import patient
from tests.ui import steps
from tests.ui.conftest import settle


def two_jameses(qtbot, window):
    services = window.services
    patient(services, "1003", "James", "Whitaker", date_of_birth=date(1961, 4, 3))
    patient(services, "1017", "James", "Whitfield", date_of_birth=date(1975, 11, 20))
    window.list_page.reload()
    settle(qtbot, window)
    steps.press(qtbot, window, Qt.Key.Key_F, steps.CTRL)
    qtbot.keyClicks(window.list_page.search, "whit")
    settle(qtbot, window)
    page = window.list_page
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["1003", "1017"]


def test_the_first_down_selects_the_second_james_and_enter_opens_him(qtbot, desk):
    window = desk
    two_jameses(qtbot, window)
    page = window.list_page
    steps.press(qtbot, page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    assert [i.row() for i in page.table.selectionModel().selectedRows()] == [1]
    steps.press(qtbot, page.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    title = window.patient_page.title.text()
    assert title.startswith("Whitfield, James · born Nov 20, 1975 (")
    assert window.patient_page.subtitle.text().startswith("Chart 1017")


def test_enter_in_the_search_opens_the_highlighted_top_row_and_says_who_it_is(qtbot, desk):
    window = desk
    two_jameses(qtbot, window)
    steps.press(qtbot, window.list_page.search, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.patient_page.title.text().startswith("Whitaker, James · born Apr 3, 1961 (")


def test_down_up_and_down_again_walk_the_rows_from_the_search(qtbot, desk):
    window = desk
    two_jameses(qtbot, window)
    page = window.list_page
    steps.press(qtbot, page.search, Qt.Key.Key_Down)
    steps.press(qtbot, page.table, Qt.Key.Key_Up)
    assert [i.row() for i in page.table.selectionModel().selectedRows()] == [0]
    steps.press(qtbot, page.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.patient_page.title.text().startswith("Whitaker, James")
