"""What happens around the lock and the accounts while the desk works on: a page prepared while the
desk locks is not opened above the covers; an unlock picks up roles changed meanwhile; new settings
reach the open patient's page at once."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.types import Role
from decomp_desk.ui import printing
from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog, SettingsSaved
from tests.conftest import CLINICIAN
from tests.ui.conftest import settle
from tests.ui.pages.test_billing_tab import billing_patient


def test_a_page_prepared_while_the_desk_locks_is_not_shown_above_the_covers(qtbot, desk, monkeypatch, shown):
    window = desk
    _p, _c, tab = billing_patient(qtbot, window)
    opened = []
    monkeypatch.setattr(printing, "open_preview", lambda dialog: opened.append(dialog.windowTitle()) or 0)
    qtbot.waitUntil(lambda: tab.account is not None)
    tab.print_statement()  # its figures are gathered in the background...
    window.account.lock.lock()  # ...while the desk locks
    settle(qtbot, window)
    assert window.account.lock.locked and opened == [] and shown.errors == []
    assert "not shown because the desk locked" in shown.infos[-1]
    assert [e.action for e in window.services.audit.events(action="print")]  # gathered (and audited) all the same


def test_an_unlock_picks_up_roles_changed_meanwhile(qtbot, desk, sqlite_url):
    services = desk.services
    front = open_services(sqlite_url, CLINICIAN)  # another workstation, its administrator signed in
    try:
        front.accounts.create_first_admin("boss", "Boss Admin", "boss-password-one")
        front.act_as(front.accounts.login("boss", "boss-password-one"))
        front.accounts.create_user("doc", "Dr Doc", [Role.CLINICIAN, Role.ADMINISTRATOR], "doc-password-one")
        services.act_as(services.accounts.login("doc", "doc-password-one"))
        desk.account.follow_sign_in()
        assert desk.settings_action.isEnabled()
        doc = next(u for u in front.accounts.list_users() if u.username == "doc")
        front.accounts.set_roles("doc", [Role.CLINICIAN], expected_version=doc.version)
    finally:
        front.dispose()
    desk.account.lock.lock()
    desk.account.lock._try_unlock("doc-password-one")
    settle(qtbot, desk)
    assert not desk.account.lock.locked
    assert services.ctx.actor.roles == frozenset({Role.CLINICIAN})
    assert not desk.settings_action.isEnabled()


def test_saved_settings_reach_the_open_patients_page(qtbot, desk, monkeypatch):
    window = desk
    billing_patient(qtbot, window)
    page = window.patient_page

    def ask(cls, parent, services, runner):  # the dialog itself is tested in test_settings_dialog.py
        now = services.settings.get()
        return SettingsSaved(services.settings.update(replace(now, name="Riverside", default_fee=Decimal("150.00"))), [])

    monkeypatch.setattr(SettingsDialog, "ask", classmethod(ask))
    assert page.file.clinic.default_fee != Decimal("150.00")
    window.edit_settings()
    settle(qtbot, window)
    assert page.file.clinic.default_fee == Decimal("150.00")
