"""Pictures of the billing screens on the demo clinic at 1366 x 768 (see test_screenshots.py), and the
printed estimate and statement as the demo's "done when" walks through them: verify a patient's coverage,
print an estimate, record three payments, void one, and print a statement that agrees with `balances`."""
from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decomp_desk.domain.money import fmt_dollars
from decomp_desk.domain.types import Coverage, PaymentMethod
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.ui import printing, theme
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.insurance_dialog import InsuranceDialog
from decomp_desk.ui.dialogs.payment_dialog import PaymentDialog
from decomp_desk.ui.dialogs.void_payment_dialog import VoidPaymentDialog
from tests.reports.conftest import pdf_pages_text
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.pages.test_billing_tab import balances_json, click, record, select_payment
from tests.ui.test_screenshots import FOLDER, save


def test_billing_screens_on_the_demo_clinic(qtbot, desk, drive, shown, monkeypatch, capsys):
    window = desk
    load_demo(window.services)
    window.list_page.reload()
    settle(qtbot, window)
    rows = window.list_page.model.rows()
    under_way = next(r for r in rows if r.clearance.cleared and 8 <= (r.sessions_completed or 0) < r.sessions_planned)
    steps.open_patient(qtbot, window, under_way.chart_number)
    page = window.patient_page
    steps.press(qtbot, window, Qt.Key.Key_5, steps.CTRL)
    settle(qtbot, window)
    tab = page.billing
    paths = [save(window, "20-billing-tab")]

    def verify(d: InsuranceDialog) -> None:
        steps.type_into(qtbot, d.insurer.lineEdit(), "Blue Cross Blue Shield")
        steps.type_into(qtbot, d.policy_number, "XJH448812")
        d.coverage.set_current(Coverage.PARTLY_COVERED)
        steps.type_into(qtbot, d.share, "40")
        steps.type_into(qtbot, d.notes, "Called 2 pm, spoke to Dana; 30 visits a year")
        paths.append(save(d, "21-insurance-dialog"))

    drive(InsuranceDialog, verify)
    click(qtbot, tab.insurance_button)
    settle(qtbot, window)

    previews = []
    monkeypatch.setattr(printing, "open_preview", lambda dialog: previews.append(dialog) or 0)
    click(qtbot, tab.print_estimate_button)
    settle(qtbot, window)
    assert previews

    payments = [record(qtbot, window, drive, tab, amount, method, ref, ago)
                for amount, method, ref, ago in (("150.00", PaymentMethod.CARD, "receipt 5531", 3),
                                                 ("150.00", PaymentMethod.CARD, "receipt 5531", 3),
                                                 ("60.00", PaymentMethod.CASH, "", 0))]
    select_payment(qtbot, tab, payments[1].id)

    def void(d: VoidPaymentDialog) -> None:
        steps.type_into(qtbot, d.reason, "Entered twice (same card receipt)")
        paths.append(save(d, "23-void-dialog"))

    drive(VoidPaymentDialog, void)
    click(qtbot, tab.void_button)
    settle(qtbot, window)
    paths.append(save(window, "24-billing-tab-after-payments"))

    def refused(d: PaymentDialog) -> None:
        steps.type_into(qtbot, d.amount, "20.005")
        d.paid_on.setDate(steps.days_ago(d, -2))
        d.recheck()
        d.touched.update({"amount", "paid_on"})
        d.recheck()
        paths.append(save(d, "22-payment-dialog-refused"))

    drive(PaymentDialog, refused, save=False)
    click(qtbot, tab.record_button)
    settle(qtbot, window)

    def discount(d: CourseDialog) -> None:
        d.discount_kind.setCurrentIndex(d.discount_kind.findData("amount"))
        steps.type_into(qtbot, d.discount, "250.00")
        paths.append(save(d, "27-course-dialog-discount"))

    drive(CourseDialog, discount, save=False)
    page.actions.edit_course.trigger()
    settle(qtbot, window)

    steps.press(qtbot, window, Qt.Key.Key_B, steps.CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = window._clinic_billing
    qtbot.waitExposed(view)
    settle(qtbot, window)
    paths.append(save(view, "25-who-owes"))
    view.close()
    try:
        theme.apply_theme(QApplication.instance(), Qt.ColorScheme.Dark)
        qtbot.wait(50)
        paths.append(save(window, "28-dark-billing-tab"))
    finally:
        theme.apply_theme(QApplication.instance(), Qt.ColorScheme.Light)

    # The statement and the estimate as PDFs, and their first pages as pictures.
    pdfs = {}
    for kind, button in (("statement", tab.statement_pdf_button), ("estimate", tab.estimate_pdf_button)):
        target = FOLDER / f"26-{kind}.pdf"
        monkeypatch.setattr(printing, "ask_save_path", lambda parent, suggested, t=target: str(t))
        click(qtbot, button)
        settle(qtbot, window)
        pdfs[kind] = target
    row = balances_json(window, capsys)[under_way.chart_number]
    text = " ".join(pdf_pages_text(pdfs["statement"]))
    assert f"Balance due: {fmt_dollars(D(row['balance']))}" in text or D(row["balance"]) <= 0
    assert D(row["balance"]) == window.services.billing.account(under_way.id).balance
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    for kind, pdf in pdfs.items():
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(FOLDER / f"26-{kind}")], check=True)
    assert all(p.stat().st_size > 10_000 for p in paths)
