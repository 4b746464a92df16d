"""The window fits the screen it opens on and is found as it was left (ui/window_memory.py), through
the real start (run_desk, in its own process: tests/ui/desk_probe.py) on a simulated screen of the
offscreen platform, with the frame margins a desktop adds."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QSplitter

from decomp_desk.ui.window_memory import FILE_NAME, WindowMemory, first_geometry, open_settings
from tests.ui import steps
from tests.ui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]


def screen_config(folder: Path, width: int, height: int) -> str:
    config = folder / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def start_desk(tmp_path: Path, url: str, screen: tuple[int, int], change: str = "") -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": screen_config(tmp_path, *screen),
           "XDG_DATA_HOME": str(tmp_path / "data")}  # the window's memory lives in the data folder
    env.pop("DECOMP_DESK_PROBE_CHANGE", None)
    if change:
        env["DECOMP_DESK_PROBE_CHANGE"] = change
    done = subprocess.run([sys.executable, "-m", "tests.ui.desk_probe", url, "Riverside Chiropractic"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def inside(inner: list[int], outer: list[int]) -> bool:
    return QRect(*outer).contains(QRect(*inner))


def test_first_start_fits_the_screen():
    assert first_geometry(QRect(0, 0, 1366, 728)) == (QRect(0, 0, 1366, 728), True)  # a laptop: maximised
    rect, maximised = first_geometry(QRect(0, 0, 1920, 1040))
    assert not maximised and rect.size().toTuple() == (1280, 800) and rect.center() == QRect(0, 0, 1920, 1040).center()


def test_at_1366_x_768_the_whole_window_and_its_status_bar_are_on_screen(tmp_path):
    seen = start_desk(tmp_path, f"sqlite:///{tmp_path / 'new.sqlite3'}", (1366, 768))
    assert seen["exit"] == 0 and seen["window"]["screen"] == [0, 0, 1366, 768]
    assert seen["window"]["maximized"] and inside(seen["window"]["frame"], seen["window"]["screen"]), seen
    assert seen["window"]["status_bar_visible"] and inside(seen["window"]["status_bar"], seen["window"]["screen"]), seen


def test_a_restarted_desk_finds_its_size_and_column_widths_kept(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    first = start_desk(tmp_path, url, (1920, 1080), change="1100x700:170")
    assert not first["window"]["maximized"] and first["size"] == [1280, 800]  # fitted: a big screen is not filled
    assert first["window"]["columns"][0] != 170
    again = start_desk(tmp_path, url, (1920, 1080))
    assert again["size"] == [1100, 700] and again["window"]["columns"][0] == 170 and not again["window"]["maximized"]
    assert (tmp_path / "data" / "DecompDesk" / FILE_NAME).is_file()


def test_splitters_and_the_last_tab_are_kept(qtbot, desk, tmp_path, monkeypatch):
    """In one process: the patient page (built when the first patient opens) gets its state back too."""
    from tests.factories import cleared_patient_with_course

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = desk
    memory = WindowMemory(window, open_settings())
    p, _course = cleared_patient_with_course(window.services, "2001")
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, p.chart_number)
    page = window.patient_page
    page.tabs.setCurrentWidget(page.billing)
    splitter = page.billing.findChildren(QSplitter)[0]
    splitter.setSizes([300, 700])
    kept = splitter.sizes()
    memory.save()

    from decomp_desk.ui.main_window import MainWindow

    second = MainWindow(window.services, window.runner)
    qtbot.addWidget(second)
    second.resize(1366, 768)
    WindowMemory(second, open_settings()).restore()
    second.show()
    second.start()
    settle(qtbot, window)
    steps.open_patient(qtbot, second, p.chart_number)
    page2 = second.patient_page
    assert page2.tabs.currentWidget() is page2.billing
    qtbot.waitUntil(lambda: page2.billing.findChildren(QSplitter)[0].sizes()[0] == kept[0], timeout=3000)
