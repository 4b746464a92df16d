"""Issue 10, finding 1: a score typed in the session form is the score saved, on every keyboard path
(digits one after another, Tab, the arrow keys, paste, and 10)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from tests.ui import steps
from tests.ui.pages.test_sessions_tab import cleared_patient


def saved_scores(window, p):
    course = window.services.courses.current(p.id)
    (s,) = window.services.sessions.for_course(course.id)
    i = s.as_input()
    return (i.before.pain, i.before.numbness, i.before.tingling), \
        (i.after.pain, i.after.numbness, i.after.tingling) if i.after else None


def test_one_five_two_typed_is_pain_1_numbness_5_tingling_2_saved(qtbot, desk, drive, shown):
    window = desk
    p = cleared_patient(qtbot, window)

    def fill(d: SessionDialog) -> None:
        steps.focus(qtbot, d.before["pain"])
        steps.type_at_focus(qtbot, "152")
        assert [d.before[n].score() for n in ("pain", "numbness", "tingling")] == [1, 5, 2]
        steps.click(qtbot, d.after_given)
        steps.focus(qtbot, d.after["pain"])
        steps.type_at_focus(qtbot, "111")  # three ones: the last waits for a 0 and is a 1 when saved
        assert [d.after[n].score() for n in ("pain", "numbness", "tingling")] == [1, 1, 1]

    steps.new_session(qtbot, window, drive, fill)
    assert not shown.errors
    assert saved_scores(window, p) == ((1, 5, 2), (1, 1, 1))


def test_tab_arrows_paste_and_ten_each_save_what_was_typed(qtbot, desk, drive, shown):
    window = desk
    p = cleared_patient(qtbot, window)

    def fill(d: SessionDialog) -> None:
        pain, numbness, tingling = (d.before[n] for n in ("pain", "numbness", "tingling"))
        steps.focus(qtbot, pain)
        qtbot.keyClick(pain, "1")
        qtbot.keyClick(pain, Qt.Key.Key_Tab)  # a 1 then Tab: the score is 1, and the cursor moves on
        qtbot.waitUntil(lambda: QApplication.focusWidget() is numbness, timeout=3000)
        qtbot.keyClick(numbness, Qt.Key.Key_Up)
        qtbot.keyClick(numbness, Qt.Key.Key_Up)
        qtbot.keyClick(numbness, Qt.Key.Key_Up)
        qtbot.keyClick(numbness, Qt.Key.Key_Up)  # blank, 0, 1, 2, 3
        qtbot.keyClick(numbness, Qt.Key.Key_Down)
        steps.focus(qtbot, tingling)
        QApplication.clipboard().setText("7")
        qtbot.keyClick(tingling, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        steps.click(qtbot, d.after_given)
        steps.focus(qtbot, d.after["pain"])
        steps.type_at_focus(qtbot, "1010")  # 10, 10
        steps.type_at_focus(qtbot, "0")
        assert [d.after[n].score() for n in ("pain", "numbness", "tingling")] == [10, 10, 0]

    steps.new_session(qtbot, window, drive, fill)
    assert not shown.errors
    assert saved_scores(window, p) == ((1, 2, 7), (10, 10, 0))
