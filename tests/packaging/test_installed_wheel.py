"""`pip install .` (not editable), as a clinic's machine gets it: the wheel is built, installed into a
fresh virtual environment (its dependencies taken from this machine's, --system-site-packages), and the
desk started from it, offscreen, away from the source tree: it finds its icon and style sheet in the
installed package, and both console and GUI scripts are there."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from decomp_desk import __version__

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "ui" / "desk_probe.py"


def _run(cmd: list, cwd: Path, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding the wheel built from this tree; its python."""
    work = tmp_path_factory.mktemp("wheel")
    # Built as pip builds it for `pip install .`: in an isolated environment with pyproject's build requirements.
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", ROOT], cwd=work)
    wheels = list((work / "dist").glob("decomp_desk-*.whl"))
    assert len(wheels) == 1
    venv.EnvBuilder(with_pip=False).create(work / "venv")
    python = work / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The dependencies come from this machine's site-packages, added as plain path entries: like
    # --system-site-packages, but without running its .pth files, one of which may be an editable install
    # of DecompDesk itself (its import hook would win over the wheel under test).
    site_packages = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work)
    (Path(site_packages.stdout.strip()) / "machine-packages.pth").write_text(
        "\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    # Without PYTHONPATH: pip would take the source tree (with the egg-info the build left) as installed.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--force-reinstall",
          "-q", wheels[0]], cwd=work, env=env)
    return python


def _clean_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DECOMP_DESK_DATABASE_URL")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"))
    return env


def test_the_installed_desk_starts_with_its_icon_and_style(installed, tmp_path, sqlite_url):
    env = _clean_env(tmp_path)
    shutil.copy(PROBE, tmp_path / "desk_probe.py")  # run from tmp_path: the source tree is not importable
    done = _run([installed, "desk_probe.py", sqlite_url], cwd=tmp_path, env=env)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    venv_root = installed.parents[1]
    assert Path(seen["package"]).is_relative_to(venv_root), seen["package"]  # not this source tree
    assert seen["icon"] is True and seen["style_sheet"] is True and seen["exit"] == 0, seen
    assert seen["errors"] == []


def test_the_installed_scripts(installed, tmp_path, sqlite_url):
    env = _clean_env(tmp_path)
    bin_dir = installed.parent
    console = bin_dir / "decomp-desk"
    assert (bin_dir / "decomp-desk-gui").exists()
    assert _run([console, "--version"], cwd=tmp_path, env=env).stdout.strip() == f"decomp-desk {__version__}"
    _run([console, "--database", sqlite_url, "demo"], cwd=tmp_path, env=env, timeout=600)
    assert "OK" in _run([console, "--database", sqlite_url, "check"], cwd=tmp_path, env=env).stdout
    # The printed pages read their CSS from the installed package.
    pdf = tmp_path / "summary.pdf"
    chart = _run([installed, "-c", "import json, sys; from decomp_desk.cli import main; main(['--database', "
                  f"{sqlite_url!r}, 'balances', '--json'])"], cwd=tmp_path, env=env).stdout
    first = next(r["chart_number"] for r in json.loads(chart) if int(r["sessions_charged"]) > 0)
    _run([console, "--database", sqlite_url, "report", first, "--output", pdf], cwd=tmp_path, env=env)
    assert pdf.stat().st_size > 10_000
