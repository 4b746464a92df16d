"""Issue 17, point 5: pregnancy ticked for a patient recorded as male is asked about, not refused and
not saved without a word."""
from __future__ import annotations

from decomp_desk.domain.types import Contraindication, Sex
from tests.factories import patient
from tests.ui import steps
from tests.ui.conftest import settle


def test_pregnancy_for_a_male_patient_asks_first_and_saves_only_when_confirmed(qtbot, desk, shown):
    window = desk
    p = patient(window.services, "2101", "Sam", "Reyes", sex=Sex.MALE)
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "2101")

    shown.answer = False  # "Cancel": nothing saved, everything ticked stays
    form = steps.fill_screening(qtbot, window, contra=(Contraindication.PREGNANT,))
    steps.click(qtbot, form.save_button)
    settle(qtbot, window)
    assert len(shown.questions) == 1 and "recorded as male" in shown.questions[0]
    assert window.services.screenings.history(p.id) == []
    assert form.contraindications[Contraindication.PREGNANT].isChecked()

    shown.answer = True
    steps.click(qtbot, form.save_button)
    settle(qtbot, window)
    (saved,) = window.services.screenings.history(p.id)
    assert Contraindication.PREGNANT in saved.contraindications


def test_no_question_for_a_female_patient(qtbot, desk, shown):
    window = desk
    p = patient(window.services, "2102", "Ana", "Reyes", sex=Sex.FEMALE)
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "2102")
    steps.screen(qtbot, window, contra=(Contraindication.PREGNANT,))
    assert shown.questions == [] and len(window.services.screenings.history(p.id)) == 1
