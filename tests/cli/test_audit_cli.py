"""`decomp-desk audit`: the trail read from a shell, and commands recorded under the operating-system user's
name (both databases). Runs the installed script, as a scheduled job or an administrator would."""
import getpass
import json
import os
import shutil
import subprocess

import pytest

from tests.factories import patient

EXE = shutil.which("decomp-desk")
pytestmark = pytest.mark.skipif(EXE is None, reason="the decomp-desk script is not installed (pip install -e .)")
ME = f"os:{getpass.getuser()}"


def run(url: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([EXE, "--database", url, *args], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DECOMP_DESK_DEBUG": ""})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_a_command_line_action_is_recorded_under_the_os_user(services, db_url):
    patient(services, chart="1001")  # by the desk's clinician, 'dr.test'
    assert run(db_url, "progress", "1001").returncode == 1  # no course yet; the patient was still opened
    events = json.loads(run(db_url, "audit", "--json", "--chart", "1001").stdout)
    assert [(e["actor"], e["action"], e["chart_number"]) for e in events] == [
        (ME, "view", "1001"), ("dr.test", "create", "1001")]
    assert set(events[0]) == {"id", "at", "actor", "action", "entity", "entity_id", "chart_number", "detail"}
    mine = json.loads(run(db_url, "audit", "--json", "--user", ME).stdout)
    assert [e["action"] for e in mine] == ["view_audit", "view"]  # reading the trail is itself recorded


def test_filters_and_the_table(services, db_url):
    patient(services, chart="1001")
    patient(services, chart="1002", first="Bea")
    out = run(db_url, "audit", "--action", "create", "--since", "2000-01-01").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["When", "Who", "Action", "Record", "Chart", "Detail"]
    assert "patient" in lines[1] and "1002" in lines[1] and "dr.test" in lines[1]
    assert lines[-1] == "2 events"
    assert json.loads(run(db_url, "audit", "--json", "--until", "2000-01-01").stdout) == []
    assert len(json.loads(run(db_url, "audit", "--json", "--limit", "1").stdout)) == 1


def test_a_bad_date_is_a_sentence(db_url):
    result = run(db_url, "audit", "--since", "last tuesday")
    assert result.returncode == 1 and result.stderr.strip() == "since: 'last tuesday' is not a date like 2026-03-02"
