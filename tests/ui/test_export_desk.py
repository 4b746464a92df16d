"""File > Export clinic… (administrators, a progress dialog, run off the UI thread, Cancel leaves nothing)
and Patient > Export as FHIR… for the open patient, driven through the window's menus."""
from __future__ import annotations

import json
import os
import threading

from PySide6.QtWidgets import QProgressDialog, QPushButton

from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.services.export_kinds import KINDS
from decomp_desk.ui import export_actions
from tests.ui import steps
from tests.ui.conftest import settle


def menu_action(window, menu_title: str, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title)
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_an_administrator_exports_the_clinic_with_a_progress_dialog(qtbot, desk, shown, monkeypatch, tmp_path):
    window = desk
    load_demo(window.services)
    asked = []
    monkeypatch.setattr(export_actions, "ask_export_folder",
                        lambda parent, suggested: asked.append(suggested) or str(tmp_path / "export"))
    seen = []
    original = export_actions.ExportActions._advance
    monkeypatch.setattr(export_actions.ExportActions, "_advance",
                        lambda self, done, total: (seen.append((done, total)), original(self, done, total)))
    action = menu_action(window, "File", "Export clinic…")
    assert action.isEnabled()
    action.trigger()
    assert isinstance(window.exports.progress, QProgressDialog) and window.exports.progress.isVisible()
    settle(qtbot, window, timeout=30000)
    assert window.exports.progress is None
    assert "DecompDesk export" in asked[0]
    assert sorted(os.listdir(tmp_path / "export")) == sorted(["README.txt"] + [k.file for k in KINDS])
    assert seen and seen[-1][0] == seen[-1][1] > 400
    assert "sessions.csv: 431 rows" in shown.infos[-1]
    assert str(tmp_path / "export") in window.statusBar().currentMessage()


def test_cancel_stops_the_export_and_leaves_nothing(qtbot, desk, shown, monkeypatch, tmp_path):
    window = desk
    load_demo(window.services)
    monkeypatch.setattr(export_actions, "ask_export_folder", lambda parent, suggested: str(tmp_path / "export"))
    release = threading.Event()
    window.runner.submit(release.wait, write=True)  # the writer queue is busy: the export waits its turn
    menu_action(window, "File", "Export clinic…").trigger()
    cancel = window.exports.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    steps.click(qtbot, cancel)
    release.set()
    settle(qtbot, window, timeout=30000)
    assert not any("export" in name for name in os.listdir(tmp_path))  # nor a hidden partial folder
    assert "cancelled" in window.statusBar().currentMessage() and not shown.errors
    assert window.exports.progress is None


def test_a_folder_that_is_not_empty_is_refused_before_the_export_starts(qtbot, desk, shown, monkeypatch, tmp_path):
    window = desk
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    monkeypatch.setattr(export_actions, "ask_export_folder", lambda parent, suggested: str(tmp_path / "full"))
    menu_action(window, "File", "Export clinic…").trigger()
    assert "is not empty" in shown.last_error() and window.exports.progress is None
    assert os.listdir(tmp_path / "full") == ["x.txt"]


def test_only_an_administrator_may_export_the_clinic(qtbot, desk):
    window = desk
    window.services.act_as(Actor("fd", "Tina Front", frozenset({Role.FRONT_DESK})))
    window.follow_actor()
    action = menu_action(window, "File", "Export clinic…")
    assert not action.isEnabled() and "Only an administrator" in action.toolTip()


def test_the_open_patient_is_exported_as_fhir(qtbot, desk, shown, monkeypatch, tmp_path):
    window = desk
    load_demo(window.services)
    window.list_page.reload()
    settle(qtbot, window)
    action = menu_action(window, "Patient", "Export as FHIR…")
    assert not action.isEnabled()  # no patient open
    steps.open_patient(qtbot, window, "Sullivan")
    assert action.isEnabled()
    monkeypatch.setattr(export_actions, "ask_fhir_file", lambda parent, suggested: str(tmp_path / "ann.json"))
    action.trigger()
    settle(qtbot, window)
    bundle = json.loads((tmp_path / "ann.json").read_text(encoding="utf-8"))
    assert bundle["type"] == "collection"
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == "1001"
    assert "as FHIR" in window.statusBar().currentMessage() and not shown.errors
    window.show_list()
    assert not action.isEnabled()
