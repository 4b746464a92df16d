"""The command line behaves as one should: a closed pipe ends quietly, no display gives one sentence
and status 1 (instead of Qt's abort), and the rotated log in the data folder is private and holds no
patient data (decomp_desk/launch.py)."""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from decomp_desk import launch
from decomp_desk.services.demo.loading import load_demo

ROOT = Path(__file__).resolve().parents[2]


def command_env(tmp_path: Path, **extra: str) -> dict:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT), **extra}
    env.pop("DECOMP_DESK_DATABASE_URL", None)
    return env


@pytest.fixture
def demo_url(services, db_url):
    load_demo(services)
    return db_url


def test_a_closed_pipe_ends_quietly(tmp_path, demo_url):
    """`decomp-desk audit --limit 2000 | head -1`, with head gone before the first line is written."""
    reader = subprocess.Popen([sys.executable, "-m", "decomp_desk", "--database", demo_url, "audit", "--limit",
                               "2000"], cwd=tmp_path, env=command_env(tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    reader.stdout.close()  # the reader went away: every write from now on meets a closed pipe
    _, err = reader.communicate(timeout=120)
    assert (reader.returncode, err.decode()) == (0, "")


def test_the_audit_piped_into_head_prints_its_first_line_only(tmp_path, demo_url):
    done = subprocess.run(f'"{sys.executable}" -m decomp_desk --database "{demo_url}" audit --limit 2000 | head -1',
                          shell=True, cwd=tmp_path, env=command_env(tmp_path), capture_output=True, text=True,
                          timeout=120, executable="/bin/bash")
    assert done.stdout.startswith("When") and done.stdout.count("\n") == 1 and done.stderr == ""


def test_no_display_is_one_sentence_and_status_1(tmp_path, sqlite_url):
    env = command_env(tmp_path)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", sqlite_url], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == launch.NO_DISPLAY + "\n" and done.stderr.count(". ") == 0  # one sentence
    assert "desktop" in done.stderr and "qt.qpa" not in done.stderr
    # The commands need no display.
    version = subprocess.run([sys.executable, "-m", "decomp_desk", "--version"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("decomp-desk ")
    listed = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", sqlite_url, "patients"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr


def test_the_log_is_private_rotated_and_holds_no_patient_data(tmp_path, demo_url, services):
    chart = services.patients.list()[0].chart_number
    env = command_env(tmp_path)
    for args in (["progress", chart], ["report", chart, "--output", str(tmp_path / "s.pdf")],
                 ["progress", "NO-SUCH-CHART"]):
        subprocess.run([sys.executable, "-m", "decomp_desk", "--database", demo_url, *args], cwd=tmp_path, env=env,
                       capture_output=True, timeout=120)
    log_file = tmp_path / "data" / "DecompDesk" / "logs" / launch.LOG_NAME
    text = log_file.read_text(encoding="utf-8")
    assert "progress ended with status 0" in text and "report ended with status 0" in text
    assert "progress ended with status 1" in text
    assert chart not in text and "NO-SUCH-CHART" not in text and demo_url not in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700


def test_an_error_is_logged_by_type_and_place_never_its_message(tmp_path, monkeypatch):
    monkeypatch.setattr(launch, "LOG_BYTES", 400)
    root = logging.getLogger()
    before = list(root.handlers)
    path = launch.setup_logging(tmp_path / "logs")
    try:
        name, chart = "Ann Lee", "1042"
        try:
            raise ValueError(f"{name}, chart {chart}, owes $300")  # a message that names a patient
        except ValueError:
            logging.getLogger("decomp_desk.ui.app").error("unexpected error", exc_info=True)
        for i in range(20):
            logging.getLogger("decomp_desk").info("daily backup %d written", i)
    finally:
        for h in root.handlers[len(before):]:
            root.removeHandler(h)
            h.close()
    files = sorted(path.parent.iterdir())
    assert [f.name for f in files][:2] == [launch.LOG_NAME, launch.LOG_NAME + ".1"]  # rotated
    assert len(files) <= launch.LOG_KEPT + 1
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    everything = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "Ann Lee" not in everything and "1042" not in everything
    assert "ValueError (message withheld)" in everything and "test_command_line_behaviour.py" in everything
