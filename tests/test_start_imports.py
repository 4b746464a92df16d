"""The desk's start stays lean (benchmarks/run.py holds it to 1.3 x a bare Qt window with a matplotlib
canvas): what `decomp-desk` imports before its patient list is up must not grow the libraries and
modules that only later actions need. Each is imported where it is used instead."""
from __future__ import annotations

import os
import subprocess
import sys

# Loaded by the first patient opened, the first print, import, backup, demo or sign-in; never at start.
LATER = (
    "matplotlib", "numpy", "alembic", "cryptography",
    "decomp_desk.reports.charts", "decomp_desk.reports.pdf_writer", "decomp_desk.reports.pages",
    "decomp_desk.ui.widgets.chart_canvas",
    "decomp_desk.services.imports.importing", "decomp_desk.services.demo.loading",
    "decomp_desk.services.backups.backup_restore", "decomp_desk.services.backups.daily_backups",
    "decomp_desk.services.billing", "decomp_desk.services.reporting",
    "decomp_desk.ui.pages.patient_page", "decomp_desk.ui.dialogs.first_run_dialog",
    "decomp_desk.ui.dialogs.settings_dialog", "decomp_desk.domain.billing", "decomp_desk.ui.page_printer",
    "decomp_desk.services.courses", "decomp_desk.services.sessions", "decomp_desk.services.screenings",
)


def in_a_fresh_process(code: str) -> subprocess.CompletedProcess:
    """`code` run by a new interpreter: what a start loads shows only in a process of its own."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})

def a_clinic(tmp_path, admin: tuple[str, str] | None = None) -> str:
    """A new clinic's SQLite address, made in this process (with that administrator, name and password):
    what the fresh process then loads is the start's alone."""
    from decomp_desk.bootstrap import open_services
    from decomp_desk.services.clinic_files import create_clinic

    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    create_clinic(url, None)
    if admin is not None:
        services = open_services(url)
        services.accounts.create_first_admin(admin[0], "Dr. Ann Admin", admin[1])
        services.dispose()
    return url


def test_the_desks_start_imports_nothing_a_later_action_needs():
    # The modules `decomp-desk` imports before run_desk() shows the window with its list.
    code = ("import sys; import decomp_desk.cli, decomp_desk.ui.app, decomp_desk.ui.main_window; "
            f"print(sorted(m for m in {LATER!r} if m in sys.modules))")
    out = in_a_fresh_process(code)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_check_before_the_sign_in_leaves_the_orm_to_the_sign_in(tmp_path):
    # The ORM's first query in a process sets up every mapper (about 20 ms). The desk asks whether the
    # clinic has an account before its sign-in dialog shows; that question is asked of the table, so the
    # set-up is left for later (the next test), when Argon2 leaves the UI thread free.
    url = a_clinic(tmp_path)
    code = (f"from decomp_desk.bootstrap import open_services\n"
            f"from decomp_desk.db import models as m\n"
            f"services = open_services({url!r})\n"
            f"print(services.accounts.needs_first_admin(), m.User.__mapper__.configured)\n")
    out = in_a_fresh_process(code)
    assert out.stdout.split() == ["True", "False"], out.stdout + out.stderr


def test_the_sign_in_checks_the_password_before_the_orm_is_set_up(tmp_path):
    # Argon2 leaves the interpreter free; the ORM's set-up does not. The sign-in checks the password
    # first, on the hash read from the table, so at the desk the check runs on its worker while the UI
    # thread builds the window and sets the ORM up (app.py), not after the set-up.
    url = a_clinic(tmp_path, admin=("ann", "decompress me daily"))
    code = (f"from argon2 import PasswordHasher\n"
            f"from decomp_desk.bootstrap import open_services\n"
            f"from decomp_desk.db import models as m\n"
            f"seen = []\n"
            f"class Watched(PasswordHasher):\n"
            f"    def verify(self, hash, password):\n"
            f"        seen.append(m.User.__mapper__.configured)\n"
            f"        return super().verify(hash, password)\n"
            f"services = open_services({url!r})\n"
            f"services.accounts.hasher = Watched(time_cost=2, memory_cost=19 * 1024, parallelism=1)\n"
            f"print(services.accounts.login('ann', 'decompress me daily').username, seen)\n")
    out = in_a_fresh_process(code)
    assert out.stdout.split() == ["ann", "[False]"], out.stdout + out.stderr


def test_each_database_loads_its_own_driver_and_no_other(tmp_path):
    # The embedded file is opened by sqlcipher3, never by Python's own sqlite3 (which SQLAlchemy's SQLite
    # dialect would import as its default driver); and sqlcipher3 is not loaded with the desk's modules, so
    # a desk on a PostgreSQL server never loads it.
    code = (f"import sys\n"
            f"import decomp_desk.cli, decomp_desk.ui.app, decomp_desk.ui.main_window\n"
            f"from decomp_desk.services.clinic_files import create_clinic\n"
            f"from decomp_desk.bootstrap import load_driver, open_services\n"
            f"before = 'sqlcipher3' in sys.modules\n"
            f"url = 'sqlite:///{tmp_path / 'clinic.sqlite3'}'\n"
            f"load_driver(url)\n"
            f"loaded = 'sqlcipher3' in sys.modules\n"
            f"create_clinic(url, None)\n"
            f"open_services(url).accounts.needs_first_admin()\n"
            f"print(before, loaded, 'sqlite3' in sys.modules)\n")
    out = in_a_fresh_process(code)
    assert out.stdout.split() == ["False", "True", "False"], out.stdout + out.stderr


def test_loading_runs_no_garbage_collection_and_a_command_runs_with_it_on():
    # Loading makes about a million objects and no garbage; the collector walking them cost two passes of
    # 15-25 ms a start. It is off while the program loads (launch.run) and on again for a command (the
    # desk runs its own on the UI thread: tests/ui/test_gc_on_ui_thread.py); run leaves it as it was.
    # The probe stands in for the log's set-up, the last step before the command itself.
    code = ("import gc\n"
            "passes = []\n"
            "gc.callbacks.append(lambda phase, info: phase == 'start' and passes.append(info['generation']))\n"
            "from decomp_desk import launch\n"
            "seen = {}\n"
            "def probe():\n"
            "    seen.update(loading=len(passes) - before, on=gc.isenabled())\n"
            "    raise SystemExit(0)\n"
            "launch.setup_logging = probe\n"
            "before = len(passes)\n"
            "try:\n"
            "    launch.run(['audit'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(seen['loading'], seen['on'], gc.isenabled())\n")
    out = in_a_fresh_process(code)
    assert out.stdout.split() == ["0", "True", "True"], out.stdout + out.stderr
