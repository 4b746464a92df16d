"""Open a treatment course (region, planned sessions, fee) or change one."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import fmt_dollars, parse_money, validate_fee
from decomp_desk.domain.types import Condition, Region
from decomp_desk.services.dto import ClinicSettingsView, CourseView, PatientDetail, ScreeningView
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.insurance_dialog import parse_percent
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import EnumCombo, chain_tab_order, date_edit, plain_text, to_qdate
from decomp_desk.ui.widgets.icd_code_picker import IcdCodePicker
from decomp_desk.ui.workers import Runner

LABELS = {"region": "Region", "start_date": "Start date", "planned_sessions": "Planned sessions",
          "fee_per_session": "Fee per session", "conditions": "Conditions", "icd10_codes": "ICD-10 codes",
          "discount_percent": "Discount", "discount_amount": "Discount", "notes": "Notes", "plan": "Care plan"}
NO_DISCOUNT, PERCENT, AMOUNT = "", "percent", "amount"


class CourseDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, patient: PatientDetail, clinic: ClinicSettingsView,
                 existing: CourseView | None = None, screening: ScreeningView | None = None, lead: str = "",
                 parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Open course" if existing is None else "Save course")
        self.patient, self.existing = patient, existing
        self.setWindowTitle(f"{'Open a treatment course' if existing is None else 'Edit the course'}: "
                            f"{patient.full_name}")
        self.region = EnumCombo(Region)
        self.start_date = date_edit(latest=None, value=services.today())
        self.planned_sessions = QSpinBox()
        self.planned_sessions.setRange(1, 999)
        self.planned_sessions.setValue(clinic.default_planned_sessions)
        self.plan = QLineEdit()
        self.plan.setPlaceholderText("e.g. 3x4,2x3 (visits a week x weeks); empty for none")
        self.plan.setToolTip("Phases of visits per week for a number of weeks; the planned sessions are then the "
                             "plan's total, and the visit tracker shows who is behind")
        self.plan_total = QLabel()
        self.plan_total.setObjectName("plan_total")
        self.plan.textChanged.connect(self._plan_changed)
        self.fee_per_session = QLineEdit(f"{clinic.default_fee:.2f}")
        self.fee_per_session.setToolTip(f"In dollars; the clinic's usual fee is {fmt_dollars(clinic.default_fee)}")
        self.conditions = {c: QCheckBox(c.label) for c in Condition}
        self.icd10_codes = IcdCodePicker()
        self.notes = plain_text(2)
        self.discount_kind = QComboBox()
        self.discount_kind.addItem("No discount", NO_DISCOUNT)
        self.discount_kind.addItem("% off the course", PERCENT)
        self.discount_kind.addItem("$ off the course", AMOUNT)
        self.discount_kind.setAccessibleName("Discount kind")
        self.discount = QLineEdit()
        self.discount.setAccessibleName("Discount")
        self.discount.setPlaceholderText("e.g. 10 or 250.00")
        self.discount.setToolTip("For paying the course in advance: taken off the course's charges, never off "
                                 "single sessions")

        conditions = QGridLayout()
        for i, box in enumerate(self.conditions.values()):
            conditions.addWidget(box, i // 2, i % 2)
        form = QFormLayout()
        form.addRow("&Region:", self.region)
        form.addRow("&Start date:", self.start_date)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan, 1)
        plan_row.addWidget(self.plan_total)
        plan_label = QLabel("Care pla&n:")
        plan_label.setBuddy(self.plan)
        form.addRow(plan_label, plan_row)
        form.addRow("&Planned sessions:", self.planned_sessions)
        form.addRow("&Fee per session ($):", self.fee_per_session)
        discount_row = QHBoxLayout()
        discount_row.addWidget(self.discount_kind)
        discount_row.addWidget(self.discount, 1)
        discount_label = QLabel("Disco&unt (paid in advance):")
        discount_label.setBuddy(self.discount_kind)
        form.addRow(discount_label, discount_row)
        form.addRow("Conditions:", conditions)
        form.addRow("&ICD-10 codes:", self.icd10_codes)
        form.addRow("N&otes:", self.notes)
        layout = QVBoxLayout(self)
        if lead:
            note = QLabel(lead)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        chain_tab_order([self.region, self.start_date, self.plan, self.planned_sessions, self.fee_per_session,
                         self.discount_kind, self.discount, *self.conditions.values(), self.icd10_codes.edit, self.icd10_codes.button, self.notes,
                         self.save_button])

        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 50)  # two columns of conditions, uncut

        if existing is not None:
            self._fill(existing)
        elif screening is not None:  # the screening says what is being treated, and where
            self.region.set_current(screening.region)
            for c, box in self.conditions.items():
                box.setChecked(c in screening.conditions)
        self.bind({"region": self.region, "start_date": self.start_date, "planned_sessions": self.planned_sessions,
                   "fee_per_session": self.fee_per_session, "icd10_codes": self.icd10_codes.edit, "notes": self.notes,
                   "discount_percent": self.discount, "discount_amount": self.discount, "plan": self.plan},
                  LABELS)
        self.discount_kind.currentIndexChanged.connect(lambda _: self._discount_kind_changed(True))
        self.region.currentIndexChanged.connect(lambda _: self.icd10_codes.set_region(self.region.current()))
        self.icd10_codes.set_region(self.region.current())
        runner.submit(services.billing.icd_codes, self.icd10_codes.set_codes, self._codes_not_loaded, parent=self)
        self._discount_kind_changed(False)
        self.region.setFocus()

    def _fill(self, c: CourseView) -> None:
        self.region.set_current(c.region)
        self.start_date.setDate(to_qdate(c.start_date))
        self.planned_sessions.setValue(c.planned_sessions)
        self.fee_per_session.setText(f"{c.fee_per_session:.2f}")
        for cond, box in self.conditions.items():
            box.setChecked(cond in c.conditions)
        self.icd10_codes.set_text(c.icd10_codes)
        self.notes.setPlainText(c.notes)
        self.plan.setText(c.plan)
        if c.discount_percent:
            self.discount_kind.setCurrentIndex(self.discount_kind.findData(PERCENT))
            self.discount.setText(format(c.discount_percent.normalize(), "f"))
        elif c.discount_amount:
            self.discount_kind.setCurrentIndex(self.discount_kind.findData(AMOUNT))
            self.discount.setText(f"{c.discount_amount:.2f}")

    def _plan_changed(self, text: str) -> None:
        """The planned total beside the plan as it is typed; a plan decides the planned sessions."""
        from decomp_desk.domain.care_plan import parse_plan

        try:
            plan = parse_plan(text)
        except ValidationError as e:
            self.plan_total.setText("")
            self.plan_total.setToolTip(str(e))
            self.planned_sessions.setEnabled(True)
            return
        self.planned_sessions.setEnabled(plan is None)
        if plan is None:
            self.plan_total.setText("")
            return
        self.planned_sessions.setValue(plan.total)
        self.plan_total.setText(f"= {plan.total} sessions")
        self.plan_total.setToolTip(plan.describe())

    def _codes_not_loaded(self, exc: BaseException) -> None:
        # the codes can still be typed; the list is a convenience, not a reason to refuse the course
        self.icd10_codes.button.setToolTip(f"The clinic's list could not be loaded: {messages.describe_error(exc)}")

    def _discount_kind_changed(self, by_user: bool) -> None:
        self.discount.setEnabled(self.discount_kind.currentData() != NO_DISCOUNT)
        if by_user:
            self._edited("discount_percent" if self.discount_kind.currentData() == PERCENT else "discount_amount")

    def _discount(self) -> tuple[Decimal | None, Decimal | None]:
        """(percent, amount) of the course discount as typed; raises ValidationError naming the field."""
        kind, text = self.discount_kind.currentData(), self.discount.text()
        if kind == PERCENT:
            try:
                percent = parse_percent(text)
            except ValidationError:
                raise ValidationError.single("discount_percent", f"{text!r} is not a percent") from None
            if percent is None:
                raise ValidationError.single("discount_percent", "is required (or choose No discount)")
            if percent > 100 or percent != percent.quantize(Decimal("0.01")):
                raise ValidationError.single("discount_percent", "must be from 0 to 100, with at most two decimals")
            return percent, None
        if kind == AMOUNT:
            return None, parse_money("discount_amount", text)
        return None, None

    def check(self) -> tuple[CourseInput | None, dict[str, str]]:
        errors: dict[str, str] = {}
        fee: Decimal | None = None
        try:
            fee = validate_fee("fee_per_session", parse_money("fee_per_session", self.fee_per_session.text()))
        except ValidationError as e:
            errors.update(e.errors)
        percent = amount = None
        try:
            percent, amount = self._discount()
        except ValidationError as e:
            errors.update(e.errors)
        codes = self.icd10_codes.codes()
        from decomp_desk.domain.care_plan import parse_plan

        try:
            parse_plan(self.plan.text())
        except ValidationError as e:
            errors.update(e.errors)
        data = CourseInput(
            region=self.region.current(), start_date=self.start_date.date().toPython(),
            planned_sessions=self.planned_sessions.value(), fee_per_session=fee,
            conditions=frozenset(c for c, box in self.conditions.items() if box.isChecked()),
            icd10_codes=codes, notes=self.notes.toPlainText().strip(),
            discount_percent=percent, discount_amount=amount, plan=self.plan.text().strip(),
        )
        return data, errors

    def store(self, data: CourseInput) -> CourseView:
        if self.existing is None:
            return self.services.courses.open(self.patient.id, data)
        return self.services.courses.update(self.existing.id, data, expected_version=self.existing.version)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, patient: PatientDetail,
            clinic: ClinicSettingsView, existing: CourseView | None = None, screening: ScreeningView | None = None,
            lead: str = "") -> CourseView | None:
        return cls.run(services, runner, patient, clinic, existing, screening, lead, parent=parent)
