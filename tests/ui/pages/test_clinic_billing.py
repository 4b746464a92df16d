"""The clinic's billing view (Billing > Who owes…, Ctrl+Shift+B): who owes how much, the month's totals,
and a patient opened from it."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from PySide6.QtCore import Qt

from decomp_desk.domain.billing import BalanceRow
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.ui.billing_models import BalanceTableModel, ChargeTableModel, fmt_balance
from decomp_desk.ui.pages.clinic_billing import ClinicBillingWindow, OwingProxy, months_up_to
from tests.services.billing_helpers import course_with_sessions, pay
from tests.ui import steps
from tests.ui.conftest import settle


def clinic(window):
    """Three patients: one owing $170, one paid in full, one in credit."""
    s = window.services
    start = s.ctx.today() - timedelta(days=8)
    owes, _ = course_with_sessions(s, "5001", n=2, fee=D("85.00"), start=start, first="Omar", last="Owens")
    paid, _ = course_with_sessions(s, "5002", n=2, fee=D("60.00"), start=start, first="Pia", last="Paid")
    pay(s, paid.id, "120.00", on=start + timedelta(days=1))
    credit, _ = course_with_sessions(s, "5003", n=1, fee=D("50.00"), start=start, first="Cal", last="Credit")
    pay(s, credit.id, "80.00", on=start)
    return owes, paid, credit


def open_view(qtbot, window) -> ClinicBillingWindow:
    steps.press(qtbot, window, Qt.Key.Key_B, steps.CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = window._clinic_billing
    assert view is not None and view.isVisible()
    qtbot.waitExposed(view)
    settle(qtbot, window)
    return view


def shown_charts(view) -> list[str]:
    return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]


def test_who_owes_the_month_and_opening_a_patient(qtbot, desk_any_db):
    window = desk_any_db
    owes, paid, credit = clinic(window)
    view = open_view(qtbot, window)
    services = window.services

    # Only who owes, by default; every account with the box cleared, sorted by balance.
    assert shown_charts(view) == ["5001"]
    assert view.count.text() == "1 patient owe $170.00 in all; 3 with an account."
    steps.click(qtbot, view.owing_only)
    assert shown_charts(view) == ["5001", "5002", "5003"]  # $170, $0, -$30
    balances = {r.chart_number: r for r in services.billing.balances()}
    for r in range(view.proxy.rowCount()):
        chart = view.proxy.index(r, 0).data()
        assert view.proxy.index(r, 5).data() == fmt_balance(balances[chart].balance)
    assert view.proxy.index(2, 5).data() == "$30.00 credit"  # a credit, never "-$30.00 credit"
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by name
    assert shown_charts(view) == ["5003", "5001", "5002"]
    assert view.proxy.index(0, 8).data() == balances["5003"].last_payment.isoformat()
    assert view.proxy.index(1, 8).data() == "none"

    # The month's totals are the service's.
    today = services.ctx.today()
    totals = services.billing.month_totals(today.year, today.month)
    assert view.charged.text() == fmt_dollars(totals.net_charged)
    assert view.received.text() == fmt_dollars(totals.received)
    assert view.outstanding.text() == fmt_dollars(totals.outstanding)
    # A month with nothing in it.
    view.month.setCurrentIndex(view.month.count() - 1)
    settle(qtbot, window)
    y, m = view.month.currentData()
    assert view.totals.month == m and view.totals.year == y
    assert (view.charged.text(), view.received.text(), view.outstanding.text()) == ("$0.00", "$0.00", "$0.00")

    # A double-click opens the patient in the window, which comes to the front: Who owes steps aside.
    row = shown_charts(view).index("5001")
    index = view.proxy.index(row, 1)
    rect = view.table.visualRect(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, window)
    page = window.patient_page
    assert window.stack.currentWidget() is page and page.file.patient.id == owes.id
    assert page.billing.account.balance == D("170.00")
    assert not view.isVisible()


def test_balance_model_and_proxy_pass_the_model_tester(qtmodeltester):
    rows = [BalanceRow(i, str(6000 + i), "A", f"Name{i}", D("85.00"), i, D(85 * i), D(0), D(40 * i),
                       date(2026, 3, i), date(2026, 3, i) if i % 2 else None) for i in range(1, 6)]
    model = BalanceTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    proxy = OwingProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.sort(5, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "6005"
    proxy.set_owing_only(False)
    qtmodeltester.check(proxy)
    charges = ChargeTableModel()
    qtmodeltester.check(charges)


def test_months_go_back_from_this_one():
    assert months_up_to(date(2026, 2, 10), 3) == [(2026, 2), (2026, 1), (2025, 12)]
