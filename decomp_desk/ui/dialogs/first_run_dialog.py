"""A new, empty database: ask for the clinic's name, or try the demo clinic in a database of its own."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.workers import Runner


class DemoChosen:
    """What `ask` returns when the user chose to try the demo clinic instead of naming theirs."""

    def __repr__(self) -> str:
        return "DEMO_CHOSEN"


DEMO_CHOSEN = DemoChosen()


class FirstRunDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Start")
        self.setWindowTitle("Welcome to DecompDesk")
        intro = QLabel("This database is new and empty. What is the clinic called? The name heads every printed "
                       "summary and statement; it can be changed later.")
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Riverside Chiropractic")
        demo_note = QLabel("Only looking around? The demo clinic has about forty made-up patients. It opens in a "
                           "database of its own, so nothing of it ever reaches this clinic's records or its "
                           "printed statements; this database stays new until you name the clinic.")
        demo_note.setWordWrap(True)
        self.demo = QPushButton("Try the &demo clinic instead")
        self.demo.setToolTip("Opens the demo clinic's own database (made the first time), not this one")
        self.buttons.addButton(self.demo, QDialogButtonBox.ButtonRole.ActionRole)
        self.demo.clicked.connect(self.choose_demo)
        form = QFormLayout()
        form.addRow("Clinic &name:", self.name)
        layout = QVBoxLayout(self)
        # The dialog grows with its text: the sentence naming what is wrong never squeezes the others.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(demo_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 50)
        self.bind({"name": self.name}, {"name": "Clinic name"})
        self.name.setFocus()

    def choose_demo(self) -> None:
        """Nothing is written here: the desk opens the demo clinic's own database instead."""
        if self.saving:
            return
        self.result_value = DEMO_CHOSEN
        self.accept()

    def check(self) -> tuple[str, dict[str, str]]:
        name = self.name.text().strip()
        return name, ({} if name else {"name": "is required"})

    def store(self, name: str) -> str:
        self.services.settings.update(replace(self.services.settings.get(), name=name))
        return name

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> str | DemoChosen | None:
        """The clinic's name once saved; DEMO_CHOSEN for the demo clinic; None when the user closed it."""
        return cls.run(services, runner, parent=parent)
