"""Issue 10, finding 8: the demo clinic never lands in a real clinic. The first start's demo choice opens
the demo clinic's own database (made and filled the first time); the clinic's database stays new."""
from __future__ import annotations

from decomp_desk.bootstrap import open_services
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.ui.dialogs.first_run_dialog import DEMO_CHOSEN, FirstRunDialog
from decomp_desk.ui.workers import Runner
from tests.ui import steps
from tests.ui.test_desk import run_probe


def test_the_first_run_dialog_names_the_clinic_and_its_demo_button_writes_nothing(qtbot, sqlite_url):
    services = open_services(sqlite_url)
    runner = Runner()
    try:
        assert services.settings.is_new_database()
        d = FirstRunDialog(services, runner)
        qtbot.addWidget(d)
        d.show()
        steps.click(qtbot, d.save_button)
        assert d.isVisible() and d.name.property("invalid") is True  # the name is required
        steps.type_into(qtbot, d.name, "Lakeside Chiropractic")
        steps.click(qtbot, d.demo)  # named, then changed their mind: the demo still goes elsewhere
        qtbot.waitUntil(lambda: not d.isVisible(), timeout=5000)
        assert d.result_value is DEMO_CHOSEN
        settings = services.settings.get()
        assert (settings.name, settings.tax_id, settings.phone) == ("", "", "")
        assert services.patients.list() == [] and services.settings.is_new_database()

        d = FirstRunDialog(services, runner)
        qtbot.addWidget(d)
        d.show()
        steps.type_into(qtbot, d.name, "Lakeside Chiropractic")
        steps.click(qtbot, d.save_button)
        qtbot.waitUntil(lambda: not d.saving and not d.isVisible(), timeout=10000)
        assert d.result_value == "Lakeside Chiropractic" and services.patients.list() == []
    finally:
        runner.shutdown()
        services.dispose()


def test_choosing_the_demo_at_the_first_start_opens_its_own_database(tmp_path):
    clinic = tmp_path / "clinic.sqlite3"
    url = f"sqlite:///{clinic}"
    seen = run_probe(url, "--demo")
    assert seen["first_run"] and seen["exit"] == 0 and not seen["errors"]
    assert "(demo clinic: made-up patients, a database of its own)" in seen["title"]
    assert seen["patients"] >= 30
    demo_file = tmp_path / "data" / "DecompDesk" / "decomp-desk-demo.sqlite3"  # the probe's data folder
    assert seen["status"] == f"Database: sqlite:///{demo_file}" and demo_file.exists()

    services = open_services(url)
    try:  # the clinic's own database: as new as before, no made-up patient, no demo letterhead
        assert services.settings.is_new_database() and services.patients.list() == []
        assert services.settings.get().tax_id == ""
    finally:
        services.dispose()

    again = run_probe(url, "--demo")  # the second time the same demo database opens, filled once
    assert again["patients"] == seen["patients"] and again["status"] == seen["status"]


def test_the_demo_never_writes_its_letterhead_over_a_named_clinic(services):
    settings = services.settings.get()
    from dataclasses import replace
    services.settings.update(replace(settings, name="Lakeside Chiropractic"))
    load_demo(services)  # `decomp-desk demo` on an empty database someone already named
    after = services.settings.get()
    assert (after.name, after.tax_id, after.phone) == ("Lakeside Chiropractic", "", "")
