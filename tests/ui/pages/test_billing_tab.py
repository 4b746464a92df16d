"""The Billing tab through its widgets: insurance verified, an estimate previewed, payments recorded,
corrected and voided (a voided one stays listed), bad amounts and dates refused with the field named and
the form kept, and a statement PDF whose balance is the one `balances --json` prints."""
from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal as D

from PySide6.QtCore import Qt

from decomp_desk.cli import main
from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.domain.types import Coverage, PaymentMethod, Role
from decomp_desk.services.context import Actor
from decomp_desk.ui import printing
from decomp_desk.ui.billing_models import PaymentTableModel
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.insurance_dialog import InsuranceDialog
from decomp_desk.ui.dialogs.payment_dialog import PaymentDialog
from decomp_desk.ui.dialogs.void_payment_dialog import VoidPaymentDialog
from decomp_desk.ui.forms import to_qdate
from tests.factories import patient
from tests.reports.conftest import pdf_pages_text
from tests.services.billing_helpers import audit_actions, course_with_sessions, pay
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.field_errors import beside

STRIKE = Qt.ItemDataRole.FontRole


def billing_patient(qtbot, window, chart="4001", n=4, fee="85.00", **course):
    """A patient with a course of `n` sessions in the last weeks, opened on the Billing tab (Ctrl+5)."""
    start = window.services.ctx.today() - timedelta(days=3 * n + 2)
    p, c = course_with_sessions(window.services, chart, n=n, fee=D(fee), start=start, every=3,
                                first="Rosa", last="Banks", **course)
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, chart)
    page = window.patient_page
    steps.press(qtbot, window, Qt.Key.Key_5, steps.CTRL)
    assert page.tabs.currentWidget() is page.billing
    settle(qtbot, window)
    assert page.billing.account is not None and page.billing.account.patient_id == p.id
    return p, c, page.billing


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def record(qtbot, window, drive, tab, amount: str, method=PaymentMethod.CASH, reference="", ago=0):
    def fill(d: PaymentDialog) -> None:
        d.paid_on.setDate(steps.days_ago(d, ago))
        steps.type_into(qtbot, d.amount, amount)
        d.method.set_current(method)
        if reference:
            steps.type_into(qtbot, d.reference, reference)

    driven = drive(PaymentDialog, fill)
    click(qtbot, tab.record_button)
    settle(qtbot, window)
    return driven.results[-1]


def select_payment(qtbot, tab, payment_id: int) -> None:
    row = tab.payments_model.row_of(payment_id)
    index = tab.payments_proxy.mapFromSource(tab.payments_model.index(row, 1))
    tab.payments_table.scrollTo(index)
    rect = tab.payments_table.visualRect(index)
    qtbot.mouseClick(tab.payments_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_payment().id == payment_id


def balances_json(window, capsys) -> dict[str, dict]:
    capsys.readouterr()
    assert main(["--database", window.services.url, "balances", "--json"]) == 0
    return {row["chart_number"]: row for row in json.loads(capsys.readouterr().out)}


def test_verify_estimate_three_payments_void_one_and_a_statement_that_agrees_with_balances(
        qtbot, desk_any_db, drive, shown, monkeypatch, tmp_path, capsys):
    window = desk_any_db
    p, course, tab = billing_patient(qtbot, window, n=4, fee="85.00")
    services, today = window.services, window.services.ctx.today()
    assert tab.balance.headline.text() == "Balance due: $340.00"
    assert tab.charges_model.rowCount() == 4 and tab.payments_model.rowCount() == 0
    assert tab.insurance.warning.isHidden() and tab.insurance.insurer.text() == "Self-pay"

    # Verify the coverage: Aetna pays half of each session.
    def verify(d: InsuranceDialog) -> None:
        assert d.verified_by.text() == "Dr. Test Clinician" and d.verified_on.date() == to_qdate(today)
        steps.type_into(qtbot, d.insurer.lineEdit(), "Aetna")
        steps.type_into(qtbot, d.policy_number, "W123456789")
        d.coverage.set_current(Coverage.PARTLY_COVERED)
        assert d.share.isEnabled()
        steps.type_into(qtbot, d.share, "50")
        steps.type_into(qtbot, d.notes, "Spoke to Jo, ref 5521")

    insured = drive(InsuranceDialog, verify)
    click(qtbot, tab.insurance_button)
    settle(qtbot, window)
    assert insured.results[-1] is not None
    assert tab.insurance.insurer.text() == "Aetna · member / policy W123456789"
    assert tab.insurance.coverage.text() == "Partly covered: 50% of each session"
    assert tab.insurance.verified.text() == f"{today.isoformat()} by Dr. Test Clinician"
    assert services.billing.insurance(p.id).coverage_percent == D("50")
    est = services.billing.estimate(course.id)
    assert (est.gross, est.insurer_share, est.patient_share) == (D("2550.00"), D("1275.00"), D("1275.00"))
    assert tab.estimate.patient.text() == "$1,275.00" and tab.estimate.insurer.text() == "$1,275.00"

    # Print estimate: the preview shows the same figures.
    previews = []
    # (the page's text read while the preview is open: the document goes with the dialog)
    monkeypatch.setattr(printing, "open_preview", lambda dialog: previews.append(dialog._document.toPlainText()) or 0)
    click(qtbot, tab.print_estimate_button)
    settle(qtbot, window)
    assert len(previews) == 1
    text = previews[0]
    assert "Aetna" in text and "$2,550.00" in text and "$1,275.00" in text
    assert ("print", "dr.test", "patient share 1275.00") in audit_actions(services, "estimate")

    # Three payments, then the card payment voided as entered in error.
    cash = record(qtbot, window, drive, tab, "100.00", ago=6)
    card = record(qtbot, window, drive, tab, "120.50", PaymentMethod.CARD, reference="receipt 88", ago=2)
    check = record(qtbot, window, drive, tab, "75.25", PaymentMethod.CHECK, reference="check 1043")
    assert [x.amount for x in (cash, card, check)] == [D("100.00"), D("120.50"), D("75.25")]
    assert tab.payments_model.rowCount() == 3
    assert tab.balance.headline.text() == f"Balance due: {fmt_dollars(D('340.00') - D('295.75'))}"

    select_payment(qtbot, tab, card.id)
    voiding = drive(VoidPaymentDialog, lambda d: steps.type_into(qtbot, d.reason, "Card payment entered twice"))
    click(qtbot, tab.void_button)
    settle(qtbot, window)
    assert voiding.results[-1].voided
    account = services.billing.account(p.id)
    assert account.paid == D("175.25") and account.balance == D("164.75")
    assert tab.balance.headline.text() == "Balance due: $164.75"
    # The voided payment stays listed, struck through, with who voided it and why.
    assert tab.payments_model.rowCount() == 3
    row = tab.payments_model.row_of(card.id)
    index = tab.payments_model.index(row, 0)
    assert tab.payments_model.data(index, STRIKE).strikeOut()
    assert tab.payments_model.data(tab.payments_model.index(tab.payments_model.row_of(cash.id), 0), STRIKE) is None
    assert tab.payments_model.data(tab.payments_model.index(row, 3)) == "voided"
    assert "VOIDED by dr.test" in tab.payments_model.data(tab.payments_model.index(row, 4))
    assert "Card payment entered twice" in tab.payments_model.data(tab.payments_model.index(row, 4))
    assert tab.selected_payment().id == card.id  # the selection stays on it after the reload
    assert not tab.void_button.isEnabled() and not tab.edit_button.isEnabled()
    assert "voided payment" in tab.balance.breakdown.text()

    # The statement as a PDF: its balance is the one `balances --json` prints.
    target = tmp_path / "statement.pdf"
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, suggested: str(target))
    statuses = []
    window.patient_page.status.connect(statuses.append)
    click(qtbot, tab.statement_pdf_button)
    settle(qtbot, window)
    assert target.exists() and statuses and str(target) in statuses[-1]
    page_text = " ".join(pdf_pages_text(target))
    row = balances_json(window, capsys)[p.chart_number]
    assert row["balance"] == "164.75" and row["payments"] == "175.25" and row["charges"] == "340.00"
    assert f"Balance due: {fmt_dollars(D(row['balance']))}" in page_text
    assert fmt_dollars(D(row["charges"])) in page_text
    assert ("export", "dr.test", "statement; statement.pdf") in audit_actions(services, "patient")


def test_bad_payments_name_the_field_and_keep_what_was_typed(qtbot, desk, drive, shown):
    window = desk
    p, _, tab = billing_patient(qtbot, window, n=2)
    tomorrow = window.services.ctx.today() + timedelta(days=1)

    def zero(d: PaymentDialog) -> None:
        steps.type_into(qtbot, d.amount, "0")
        assert d.amount.property("invalid") is True and "Amount: must be more than zero" in d.marks.text()
        steps.type_into(qtbot, d.reference, "cash at the desk")

    driven = drive(PaymentDialog, zero)
    click(qtbot, tab.record_button)
    settle(qtbot, window)
    d = driven.last
    assert driven.results == [None] and d.isVisible()
    assert shown.errors == [] and beside(d.marks, "amount") == "Must be more than zero"  # said once
    assert (d.amount.text(), d.reference.text()) == ("0", "cash at the desk")

    # Three decimals, and a date in the future: both named, nothing lost.
    steps.type_into(qtbot, d.amount, "12.345")
    d.paid_on.setDate(to_qdate(tomorrow))
    d.method.set_current(PaymentMethod.CHECK)
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.saving, timeout=5000)
    assert shown.errors == [] and beside(d.marks, "amount") == "'12.345' has more than two decimals"
    assert beside(d.marks, "paid_on") == f"{tomorrow.isoformat()} is in the future"
    assert d.amount.property("invalid") is True and d.paid_on.property("invalid") is True
    assert (d.amount.text(), d.paid_on.date().toPython(), d.method.current(), d.reference.text()) == (
        "12.345", tomorrow, PaymentMethod.CHECK, "cash at the desk")
    assert window.services.billing.payments(p.id) == []

    # Put right, the same dialog saves.
    steps.type_into(qtbot, d.amount, "12.35")
    d.paid_on.setDate(to_qdate(window.services.ctx.today()))
    assert not any(w.property("invalid") for w in d.fields.values())
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=5000)
    settle(qtbot, window)
    assert d.result_value.amount == D("12.35")
    assert [x.amount for x in window.services.billing.payments(p.id)] == [D("12.35")]


def test_edit_a_payment_and_a_void_needs_a_reason(qtbot, desk, drive, shown):
    window = desk
    p, _, tab = billing_patient(qtbot, window, n=2)
    paid = pay(window.services, p.id, "50.00", on=window.services.ctx.today())
    window.patient_page.reload()
    settle(qtbot, window)
    assert not tab.edit_button.isEnabled()  # nothing selected yet
    select_payment(qtbot, tab, paid.id)

    def correct(d: PaymentDialog) -> None:
        assert d.amount.text() == "50.00" and d.save_button.text() == "Save changes"
        steps.type_into(qtbot, d.amount, "55.00")

    edited = drive(PaymentDialog, correct)
    click(qtbot, tab.edit_button)
    settle(qtbot, window)
    assert edited.results[-1].amount == D("55.00")
    assert tab.balance.headline.text() == "Balance due: $115.00"

    unexplained = drive(VoidPaymentDialog, lambda d: None)
    click(qtbot, tab.void_button)
    settle(qtbot, window)
    assert unexplained.results == [None] and unexplained.last.isVisible()
    assert shown.errors == [] and unexplained.last.marks.text().count("Reason: is required (say why the payment is voided)") == 1
    unexplained.last.reject()
    assert not window.services.billing.payments(p.id)[0].voided


def test_insurance_refusals_name_the_field(qtbot, desk, drive, shown):
    window = desk
    _, _, tab = billing_patient(qtbot, window, n=1)

    def partly_without_share(d: InsuranceDialog) -> None:
        steps.type_into(qtbot, d.insurer.lineEdit(), "Humana")
        d.coverage.set_current(Coverage.PARTLY_COVERED)
        steps.type_into(qtbot, d.share, "150")

    driven = drive(InsuranceDialog, partly_without_share)
    click(qtbot, tab.insurance_button)
    settle(qtbot, window)
    assert driven.results == [None]
    assert shown.errors == [] and "Plan's share: must be from 0 to 100" in driven.last.marks.text()
    d = driven.last
    assert d.share.property("invalid") is True and d.insurer.currentText() == "Humana"
    # A fixed amount per session instead: saved, and the estimate counts it.
    d.share_kind.setCurrentIndex(d.share_kind.findData("amount"))
    steps.type_into(qtbot, d.share, "40")
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=5000)
    window.refresh_action.trigger()  # the test's stand-in for the modal dialog returning (see `drive`)
    settle(qtbot, window)
    assert tab.insurance.coverage.text() == "Partly covered: $40.00 per session"
    assert tab.estimate.insurer.text() == "$1,200.00"  # 30 planned sessions x $40


def test_course_discount_set_in_the_course_dialog_shows_on_the_tab(qtbot, desk, drive, shown):
    window = desk
    _, course, tab = billing_patient(qtbot, window, n=2, fee="100.00", planned=10)

    def discount(d: CourseDialog) -> None:
        d.discount_kind.setCurrentIndex(d.discount_kind.findData("percent"))
        steps.type_into(qtbot, d.discount, "10.555")
        assert "Discount: must be from 0 to 100, with at most two decimals" in d.marks.text()
        steps.type_into(qtbot, d.discount, "10")

    driven = drive(CourseDialog, discount)
    window.patient_page.actions.edit_course.trigger()
    settle(qtbot, window)
    assert driven.results[-1].discount_percent == D("10")
    assert tab.estimate.discount.text().startswith("−$100.00 (10%")
    assert tab.balance.headline.text() == "Balance due: $180.00"
    assert "10% of $200.00: −$20.00" in tab.discounts.text()


def test_payment_model_passes_the_model_tester(qtmodeltester, desk, qtbot):
    window = desk
    p, _ = course_with_sessions(window.services, "4100", n=1)
    first = pay(window.services, p.id, "10.00")
    pay(window.services, p.id, "20.00")
    window.services.billing.void_payment(first.id, "typo", first.version)
    model = PaymentTableModel()
    model.set_rows(window.services.billing.payments(p.id))
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.row_at(1).voided and model.data(model.index(1, 0), STRIKE).strikeOut()


def test_a_patient_without_a_course_gets_the_clinic_s_usual_estimate(qtbot, desk, drive, shown):
    window = desk
    services = window.services
    p = patient(services, "4200", "Nell", "Ortiz")
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "4200")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.billing)
    settle(qtbot, window)
    clinic = services.settings.get()
    tab = page.billing
    assert tab.balance.headline.text() == "Nothing charged yet"
    assert tab.estimate.course.text().startswith("No course yet")
    total = clinic.default_fee * clinic.default_planned_sessions
    assert tab.estimate.patient.text() == fmt_dollars(total)
    assert services.courses.for_patient(p.id) == []


def test_a_changed_answer_is_verified_today_by_whoever_records_it(qtbot, desk, drive, shown):
    window = desk
    p, _, tab = billing_patient(qtbot, window, n=1)
    earlier = window.services.ctx.today() - timedelta(days=20)
    window.services.billing.set_insurance(p.id, Insurance("Cigna", "C-77", Coverage.NOT_COVERED, None, None,
                                                          earlier, "Tina Alvarez"))
    window.refresh_action.trigger()
    settle(qtbot, window)
    assert tab.insurance.verified.text() == f"{earlier.isoformat()} by Tina Alvarez"

    def notes_only(d: InsuranceDialog) -> None:  # a note added: the verification stands
        assert d.verified_by.text() == "Tina Alvarez" and d.verified_on.date().toPython() == earlier
        steps.type_into(qtbot, d.notes, "Asked again: still not covered")
        assert d.verified_by.text() == "Tina Alvarez"
        d.reject()

    drive(InsuranceDialog, notes_only, save=False)
    click(qtbot, tab.insurance_button)

    def new_answer(d: InsuranceDialog) -> None:  # the insurer now pays part: verified today, by me
        d.coverage.set_current(Coverage.PARTLY_COVERED)
        steps.type_into(qtbot, d.share, "25")
        assert d.verified_by.text() == "Dr. Test Clinician"
        assert d.verified_on.date().toPython() == window.services.ctx.today()

    drive(InsuranceDialog, new_answer)
    click(qtbot, tab.insurance_button)
    settle(qtbot, window)
    assert tab.insurance.verified.text() == f"{window.services.ctx.today().isoformat()} by Dr. Test Clinician"


def test_only_the_front_desk_or_an_administrator_handles_money(qtbot, desk, drive, shown):
    window = desk
    p, _, tab = billing_patient(qtbot, window, n=1)
    pay(window.services, p.id, "20.00", on=window.services.ctx.today())
    window.services.act_as(Actor("dr.kim", "Dr. Kim", frozenset({Role.CLINICIAN})))
    window.refresh_action.trigger()
    settle(qtbot, window)
    select_payment(qtbot, tab, window.services.billing.payments(p.id)[0].id)
    for button in (tab.insurance_button, tab.record_button, tab.edit_button, tab.void_button):
        assert not button.isEnabled(), button.text()
    assert "only the front desk or an administrator may" in tab.void_button.toolTip()
    assert tab.print_statement_button.isEnabled()  # anyone may print the statement
