"""`outcomes CHART --json` and `clinic-report --json` run as a script runs them, on both databases."""
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.outcome_clinic import OUTCOMES_1001, write_clinic_with_outcomes, write_outcomes

ROOT = Path(__file__).resolve().parents[2]
REGION_KEYS = ["courses", "completed", "discontinued", "active", "sessions", "mean_baseline_pain", "mean_latest_pain",
               "meaningful_pain_percent", "adverse_events_per_100_sessions", "stop_button_sessions_per_100",
               "function"]


def run(url, *args, home: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECOMP_DESK_DEBUG": "", "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}
    result = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", url, *args], capture_output=True,
                            text=True, timeout=180, env=env, cwd=ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_outcomes_and_clinic_report_json(db_url, tmp_path):
    assert run(db_url, "import", *map(str, write_clinic_with_outcomes(tmp_path)), home=tmp_path).returncode == 0
    out = run(db_url, "outcomes", "1001", "--json", home=tmp_path)
    assert out.returncode == 0 and json.loads(out.stdout) == OUTCOMES_1001
    assert list(json.loads(out.stdout)) == list(OUTCOMES_1001)
    text = run(db_url, "outcomes", "1001", home=tmp_path).stdout
    assert "fallen from 40% to 20%" in text and "meaningful" in text

    report = json.loads(run(db_url, "clinic-report", "--json", home=tmp_path).stdout)
    assert list(report) == ["from", "to", "regions"] and list(report["regions"]) == ["lumbar", "cervical", "all"]
    for figures in report["regions"].values():
        assert list(figures) == REGION_KEYS
        assert list(figures["function"]) == ["courses", "mean_change", "meaningful_percent"]
    ranged = json.loads(run(db_url, "clinic-report", "--from", "2026-03-04", "--to", "2026-03-04", "--json",
                            home=tmp_path).stdout)
    assert ranged["from"] == "2026-03-04" and ranged["regions"]["all"]["courses"] == 1


def test_refusals_are_sentences(db_url, tmp_path):
    bad = write_outcomes(tmp_path, "1001,2026-03-03,odi,9;9,\n")
    r = run(db_url, "import", str(bad), home=tmp_path)
    assert r.returncode != 0 and "outcomes.csv line 2: answers:" in r.stderr
    r = run(db_url, "outcomes", "NOPE", "--json", home=tmp_path)
    assert r.returncode != 0 and r.stderr.strip()
    r = run(db_url, "clinic-report", "--from", "2026-13-01", home=tmp_path)
    assert r.returncode != 0 and "from" in r.stderr


def test_clinic_report_pdf_sets_the_published_series_beside_the_clinic(sqlite_url, tmp_path):
    assert run(sqlite_url, "import", *map(str, write_clinic_with_outcomes(tmp_path)), home=tmp_path).returncode == 0
    out = tmp_path / "clinic.pdf"
    r = run(sqlite_url, "clinic-report", "--from", "2026-01-01", "--output", str(out), home=tmp_path)
    assert r.returncode == 0 and out.is_file(), r.stderr
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Clinic outcome report" in text and "courses started from 2026-01-01 to today" in text.lower()
    assert "uncontrolled series" in text
    assert "Musculoskeletal Disorders 2010;11:155" in text and "Spine Journal 2009;18(12)" in text
    assert "Apfel" in text and "Schimmel" in text
    assert "Mean pain at first session (0-10) 8.0 5.0 6.5" in text
    assert "Mean ODI/NDI change (points) \u221220.0 \u2014 \u221220.0" in text


def test_the_progress_summary_pdf_carries_the_function_figures(sqlite_url, tmp_path):
    assert run(sqlite_url, "import", *map(str, write_clinic_with_outcomes(tmp_path)), home=tmp_path).returncode == 0
    out = tmp_path / "summary.pdf"
    assert run(sqlite_url, "report", "1001", "--output", str(out), home=tmp_path).returncode == 0
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Daily function" in text and "fallen from 40% to 20%" in text
    assert "Oswestry Disability Index (ODI) 40% 20% \u221220 points minimal yes" in text
    assert "3.0 of 10 5.7 of 10 +2.7" in text
