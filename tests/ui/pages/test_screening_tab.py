"""Screening in the window: the decision updates as boxes are ticked, each reason is named wherever
clearance shows, and a not-cleared patient cannot get a session."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from decomp_desk.domain.types import Contraindication
from tests.factories import patient
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.field_errors import beside

REASONS = [
    pytest.param({"xray": False}, "no lumbar x-ray on file", id="no-xray"),
    pytest.param({"abnormal": True}, "the lumbar x-ray shows a bone abnormality", id="xray-abnormal"),
] + [pytest.param({"contra": (c,)}, c.label.lower(), id=c.value) for c in Contraindication]


def open_new_patient(qtbot, window, chart="2001", first="Ben", last="Ortiz"):
    p = patient(window.services, chart, first, last)
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, chart)
    assert window.patient_page.file.patient.id == p.id
    return p


@pytest.mark.parametrize("form, reason", REASONS)
def test_each_reason_keeps_the_patient_from_a_session_and_is_named(qtbot, desk, shown, form, reason):
    window = desk
    open_new_patient(qtbot, window)
    page = window.patient_page
    decision = steps.screen(qtbot, window, **form)
    assert decision == f"If saved: Not cleared for decompression: {reason}"

    assert page.overview.clearance.text() == f"Not cleared for decompression: {reason}"
    assert page.overview.clearance.tone == "bad"
    new_session = page.actions.new_session
    assert not new_session.isEnabled()
    assert reason in new_session.toolTip() and reason in new_session.statusTip()
    assert page.sessions.blocked.isVisibleTo(page.sessions) and reason in page.sessions.blocked.text()
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)  # a dialog would fail the test (conftest)
    assert len(shown.errors) == 1 and reason in shown.errors[0]  # Ctrl+R says why, as the tooltip does
    steps.press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, window)
    assert window.list_page.model.row_at(0).clearance.describe() == f"Not cleared: {reason}"


def test_the_decision_follows_every_tick_before_anything_is_saved(qtbot, desk):
    window = desk
    open_new_patient(qtbot, window)
    form = steps.fill_screening(qtbot, window, xray=False)
    assert form.decision.text().endswith("no lumbar x-ray on file") and not form.xray_on.isEnabled()
    steps.click(qtbot, form.xray_taken)
    assert form.decision.text().startswith("If saved: Cleared") and form.xray_on.isEnabled()
    steps.click(qtbot, form.contraindications[Contraindication.OSTEOPOROSIS])
    steps.click(qtbot, form.contraindications[Contraindication.PREGNANT])
    assert form.decision.text() == "If saved: Not cleared for decompression: osteoporosis; pregnancy"
    steps.click(qtbot, form.xray_abnormal)
    assert form.decision.text() == ("If saved: Not cleared for decompression: "
                                    "the lumbar x-ray shows a bone abnormality; "
                                    "osteoporosis; pregnancy")
    for box in (form.xray_abnormal, form.contraindications[Contraindication.OSTEOPOROSIS],
                form.contraindications[Contraindication.PREGNANT]):
        steps.click(qtbot, box)
    assert form.decision.text().startswith("If saved: Cleared")
    assert window.services.screenings.history(window.patient_page.file.patient.id) == []  # nothing saved


def test_a_later_screening_blocks_new_sessions_and_the_history_shows_both(qtbot, desk):
    window = desk
    open_new_patient(qtbot, window)
    page = window.patient_page
    steps.screen(qtbot, window, ago=10)
    assert page.actions.new_session.isEnabled()
    steps.screen(qtbot, window, contra=(Contraindication.PREGNANT,), ago=1)
    assert not page.actions.new_session.isEnabled()
    assert page.screening.model.rowCount() == 2
    decisions = [page.screening.proxy.index(r, 6).data() for r in range(2)]
    assert decisions == ["Not cleared: pregnancy", "Cleared"]  # newest first


def test_a_refused_screening_keeps_what_was_ticked_and_names_the_field(qtbot, desk, shown):
    window = desk
    open_new_patient(qtbot, window)
    form = steps.fill_screening(qtbot, window, contra=(Contraindication.NERVE_DAMAGE,), ago=5)
    form.xray_on.setDate(steps.days_ago(window, 2))  # after the screening date: the service refuses
    steps.type_into(qtbot, form.xray_finding, "mild narrowing at L4-L5")
    steps.click(qtbot, form.save_button)
    settle(qtbot, window)
    assert shown.errors == [] and form.summary.text() == "Not saved."  # said once, beside the field
    assert form.xray_on.property("invalid") is True and beside(form.marks, "xray_on") == "Is after the screening date"
    # Nothing typed or ticked is lost; fixing the date saves it.
    assert form.contraindications[Contraindication.NERVE_DAMAGE].isChecked()
    assert form.xray_finding.text() == "mild narrowing at L4-L5"
    form.xray_on.setDate(steps.days_ago(window, 6))
    assert form.xray_on.property("invalid") is False
    steps.click(qtbot, form.save_button)
    settle(qtbot, window)
    history = window.services.screenings.history(window.patient_page.file.patient.id)
    assert [h.xray_finding for h in history] == ["mild narrowing at L4-L5"]
    assert history[0].clearance.reasons == ("nerve damage",)
    assert window.services.ctx.today() - timedelta(days=5) == history[0].screened_on


def test_the_front_desk_sees_the_screening_form_closed_and_why(qtbot, desk):
    from decomp_desk.domain.types import Role
    from decomp_desk.services.context import Actor

    desk.services.act_as(Actor("fran", "Fran Front", frozenset({Role.FRONT_DESK})))
    open_new_patient(qtbot, desk)
    tab = desk.patient_page.screening
    desk.patient_page.tabs.setCurrentWidget(tab)
    assert not tab.form.isEnabled()
    assert tab.form.toolTip() == "Only a clinician screens patients; Fran Front is not one."
    assert not desk.patient_actions.new_screening.isEnabled()
