"""Issue 17, points 4 and 9: Who owes separates what the insurer is expected to pay from what the patient
owes, shows a credit as a credit, and a patient opened from it is not left behind the still-open window;
the Billing tab of a course with no payments says so rather than "payments -$0.00"."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.types import Coverage
from tests.services.billing_helpers import course_with_sessions, pay
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.pages.test_clinic_billing import open_view


def test_who_owes_splits_insurer_and_patient_and_opens_the_patient_in_front(qtbot, desk):
    window = desk
    s = window.services
    start = s.ctx.today() - timedelta(days=8)
    insured, _ = course_with_sessions(s, "6001", n=4, fee=Decimal("100.00"), start=start, first="Ida", last="Insured")
    half = Insurance("Aetna", "A1", Coverage.PARTLY_COVERED, coverage_percent=Decimal("50"), coverage_verified_on=start)
    s.billing.set_insurance(insured.id, half)
    pay(s, insured.id, "50.00", on=start)  # the patient paid $50 of their $200 share
    credit, _ = course_with_sessions(s, "6002", n=1, fee=Decimal("50.00"), start=start, first="Cal", last="Credit")
    pay(s, credit.id, "80.00", on=start)
    view = open_view(qtbot, window)
    steps.click(qtbot, view.owing_only)
    headers = [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(view.proxy.columnCount())]
    row = {view.proxy.index(r, 0).data(): [view.proxy.index(r, c).data() for c in range(len(headers))]
           for r in range(view.proxy.rowCount())}
    ida = dict(zip(headers, row["6001"], strict=True))
    assert (ida["Balance"], ida["Insurer expected"], ida["Patient owes"]) == ("$350.00", "$200.00", "$150.00")
    cal = dict(zip(headers, row["6002"], strict=True))
    assert (cal["Balance"], cal["Patient owes"]) == ("$30.00 credit", "$30.00 credit")

    index = view.proxy.index(list(row).index("6001"), 1)
    rect = view.table.visualRect(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, window)
    assert not view.isVisible()  # out of the way of the patient just opened
    assert window.patient_page.file.patient.id == insured.id

    steps.press(qtbot, window, Qt.Key.Key_B, steps.CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert view.isVisible()  # and back, as it was


def test_a_course_without_payments_says_no_payments_yet(qtbot, desk):
    window = desk
    s = window.services
    start = s.ctx.today() - timedelta(days=8)
    course_with_sessions(s, "6003", n=2, fee=Decimal("85.00"), start=start, first="Nell", last="Nopay")
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "6003")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.billing)
    settle(qtbot, window)
    text = page.billing.findChild(type(page.title), "balance_breakdown").text()
    assert "no payments yet" in text and "−$0.00" not in text and "-$0.00" not in text
