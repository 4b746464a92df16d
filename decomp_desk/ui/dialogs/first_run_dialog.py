"""A new, empty database: ask for the clinic's name, and offer to load the demo clinic."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.services.demo import load_demo
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.workers import Runner


class FirstRunDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Start")
        self.setWindowTitle("Welcome to DecompDesk")
        intro = QLabel("This database is new and empty. What is the clinic called? The name heads every printed "
                       "summary and statement; it can be changed later.")
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Riverside Chiropractic")
        self.demo = QCheckBox("Also load the &demo clinic (made-up patients to try the desk with)")
        self.demo.setToolTip("About forty made-up patients, with screenings, courses, sessions and payments")
        form = QFormLayout()
        form.addRow("Clinic &name:", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.demo)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(max(self.fontMetrics().horizontalAdvance("m") * 50, self.demo.sizeHint().width() + 40))
        self.bind({"name": self.name}, {"name": "Clinic name"})
        self.name.setFocus()

    def check(self) -> tuple[tuple[str, bool], dict[str, str]]:
        name = self.name.text().strip()
        return (name, self.demo.isChecked()), ({} if name else {"name": "is required"})

    def store(self, data: tuple[str, bool]) -> str:
        name, demo = data
        self.services.settings.update(replace(self.services.settings.get(), name=name))
        if demo:
            load_demo(self.services)  # keeps the name just given
        return name

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> str | None:
        """The clinic's name once saved; None when the user closed the dialog."""
        return cls.run(services, runner, parent=parent)
