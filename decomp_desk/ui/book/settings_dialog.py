"""Book > Appointment settings… (administrators): the clinic's tables, opening hours per weekday,
the default appointment length, and the SMTP server reminders go through, with "Send a test message".
Saved all at once (one transaction); a refusal names the field."""
from __future__ import annotations

from datetime import time

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.appointments import WEEKDAY_NAMES, Hours
from decomp_desk.services.book_dto import BookSettingsView
from decomp_desk.services.book_settings import KEEP, SmtpServer
from decomp_desk.ui.book.dialogs import minutes_box
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import time_edit
from decomp_desk.ui.workers import Runner

LABELS = {"tables": "Tables", "appointment_minutes": "Appointment length", "smtp_host": "SMTP server",
          "smtp_port": "Port", "smtp_sender": "Sender"}


class BookSettingsDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(services, runner, parent)
        self.setWindowTitle("Appointment settings")
        view: BookSettingsView = services.book_settings.get()
        self.view = view
        self.tables = QLineEdit(", ".join(view.tables))
        self.tables.setToolTip("The decompression tables, comma-separated, in the book's order")
        self.minutes = minutes_box(view.appointment_minutes)
        general = QFormLayout()
        general.addRow("&Tables:", self.tables)
        general.addRow("Default &length:", self.minutes)

        hours_box = QGroupBox("Opening hours")
        grid = QGridLayout(hours_box)
        self.open_days: list[QCheckBox] = []
        self.opens, self.closes = [], []
        for i, name in enumerate(WEEKDAY_NAMES):
            h = view.hours[i]
            box = QCheckBox(name)
            box.setChecked(h is not None)
            opens = time_edit(h.opens if h else time(8))
            closes = time_edit(h.closes if h else time(18))
            box.toggled.connect(opens.setEnabled)
            box.toggled.connect(closes.setEnabled)
            opens.setEnabled(h is not None)
            closes.setEnabled(h is not None)
            grid.addWidget(box, i, 0)
            grid.addWidget(opens, i, 1)
            grid.addWidget(QLabel("to"), i, 2)
            grid.addWidget(closes, i, 3)
            self.open_days.append(box)
            self.opens.append(opens)
            self.closes.append(closes)

        mail = QGroupBox("Reminders by e-mail (SMTP)")
        form = QFormLayout(mail)
        self.host = QLineEdit(view.smtp_host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(view.smtp_port)
        self.starttls = QCheckBox("Use STARTTLS")
        self.starttls.setChecked(view.smtp_starttls)
        self.user = QLineEdit(view.smtp_user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("(unchanged)" if view.smtp_password_set else "")
        self.sender = QLineEdit(view.smtp_sender)
        self.test_to = QLineEdit()
        self.test_to.setPlaceholderText("an address to send the test to")
        self.test_button = QPushButton("Send a &test message")
        self.test_button.clicked.connect(self.send_test)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_to, 1)
        test_row.addWidget(self.test_button)
        form.addRow("&Server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("", self.starttls)
        form.addRow("&User:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow("Se&nder:", self.sender)
        form.addRow(test_row)
        note = QLabel("The password is stored encrypted; its key stays on this computer (the keyring, or a file "
                      "only you can read). A reminder says only the clinic, the day and the time.")
        note.setWordWrap(True)
        form.addRow(note)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(general)
        left.addWidget(hours_box)
        columns.addLayout(left)
        columns.addWidget(mail, 1)
        self.arrange(columns, min_width_em=80)
        self.bind({"tables": self.tables, "appointment_minutes": self.minutes, "smtp_host": self.host,
                   "smtp_port": self.port, "smtp_sender": self.sender}, LABELS)

    def _hours(self) -> dict[int, Hours | None]:
        hours = {}
        for i, box in enumerate(self.open_days):
            opens = self.opens[i].time().toPython().replace(second=0)
            closes = self.closes[i].time().toPython().replace(second=0)
            hours[i] = Hours(opens, closes) if box.isChecked() else None
        return hours

    def check(self):
        errors = {}
        hours = self._hours()
        for i, h in hours.items():
            if h is not None and h.closes <= h.opens:
                errors[f"hours_{i}"] = f"{WEEKDAY_NAMES[i]} closes before it opens"
        password = self.password.text() if self.password.text() else KEEP
        smtp = (self.host.text(), self.port.value(), self.starttls.isChecked(), self.user.text(), self.sender.text(),
                password)
        return (self.tables.text().split(","), hours, self.minutes.value(), smtp), errors

    def store(self, data) -> BookSettingsView:
        tables, hours, minutes, smtp = data
        return self.services.book_settings.save(tables=tables, hours=hours, minutes=minutes, smtp=smtp)

    def send_test(self) -> None:
        """Through the server as typed here (saved or not), to the address given."""
        to = self.test_to.text().strip()
        if "@" not in to:
            messages.show_error(self, "Type the address the test message should go to.")
            return
        typed = self.password.text()
        host, port, tls, user, sender = (self.host.text().strip(), self.port.value(), self.starttls.isChecked(),
                                         self.user.text().strip(), self.sender.text().strip())

        services, stored_password = self.services, self.view.smtp_password_set  # the job never holds the dialog

        def send() -> str:
            password = typed
            if not typed and stored_password:
                stored = services.book_settings.smtp_server()
                password = stored.password if stored else ""
            return services.reminders.send_test(to, SmtpServer(host, port, tls, user, password, sender))

        self.test_button.setEnabled(False)

        def finished(text: str) -> None:
            self.test_button.setEnabled(True)
            self.test_result = text
            messages.show_info(self, text)

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.test_result = str(exc)
            messages.show_error(self, messages.describe_error(exc))

        self.runner.submit(send, finished, failed, parent=self)

    @classmethod
    def ask(cls, parent, services: Services, runner: Runner) -> BookSettingsView | None:
        return cls.run(services, runner, parent=parent)
