"""Build DecompDesk as a program that runs on a machine without Python: a PyInstaller one-folder build
for the system this runs on (Linux here; Windows and macOS from their spec files, on those systems).

    python packaging/build.py            # dist/decomp-desk (Linux) / dist/DecompDesk (Windows, macOS)
    python packaging/build.py --smoke    # then start the build: --version, check on a demo clinic,
                                         # a printed page, and the desk's window offscreen

The Linux folder carries install-linux.sh, which puts the desk in the user's menu with its icon.
Prints how long the build took (CI has 90 minutes for everything; this build takes a few)."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPECS = {"linux": "decomp-desk-linux.spec", "win32": "decomp-desk-windows.spec", "darwin": "decomp-desk-macos.spec"}
NAMES = {"linux": "decomp-desk", "win32": "DecompDesk", "darwin": "DecompDesk"}


def platform_key() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller; the folder it made."""
    key = platform_key()
    if key not in SPECS:
        raise SystemExit(f"No build is written for {sys.platform}.")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(HERE / SPECS[key])],
                   cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    folder = dist / NAMES[key]
    if key == "linux":
        target = folder / "install-linux.sh"
        shutil.copy(HERE / "linux" / "install.sh", target)
        target.chmod(0o755)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    print(f"Built {folder} ({size / 1e6:.0f} MB) in {time.monotonic() - started:.0f} s.")
    return folder


def program(folder: Path) -> Path:
    exe = folder / ("decomp-desk.exe" if os.name == "nt" else "decomp-desk")
    if not exe.is_file():
        raise SystemExit(f"{exe} is missing.")
    return exe


def smoke(folder: Path) -> None:
    """Start the build as a clinic would, with nothing of this tree on the path."""
    exe = program(folder)
    with tempfile.TemporaryDirectory(prefix="decomp-desk-smoke-") as tmp:
        tmp_path = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "DECOMP_DESK_DATABASE_URL")}
        env.update(XDG_DATA_HOME=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
        url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"

        def run(*args: str, timeout: int = 300) -> str:
            done = subprocess.run([str(exe), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=timeout)
            if done.returncode != 0:
                raise SystemExit(f"{exe.name} {' '.join(args)} failed ({done.returncode}):\n"
                                 f"{done.stdout}\n{done.stderr}")
            return done.stdout

        print(run("--version").strip())
        print(run("--database", url, "demo").strip())
        print(run("--database", url, "check").strip().splitlines()[-1])
        chart = run("--database", url, "patients").splitlines()[1].split()[0]
        pdf = tmp_path / "summary.pdf"
        run("--database", url, "report", chart, "--output", str(pdf))
        print(f"Printed the progress summary of chart {chart}: {pdf.stat().st_size:,} bytes.")
        window_starts(exe, url, env, tmp_path)
        if platform_key() == "linux":
            menu_entry_installs(folder, env, tmp_path)


def window_starts(exe: Path, url: str, env: dict, tmp_path: Path, wait_s: float = 60) -> None:
    """The desk starts offscreen and asks for the sign-in (the log says the window's platform came up);
    it is still running, without an error, when it is stopped."""
    log = tmp_path / "data" / "DecompDesk" / "logs" / "decomp-desk.log"
    desk = subprocess.Popen([str(exe), "--database", url], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + wait_s
    try:
        while time.monotonic() < deadline and desk.poll() is None:
            if log.is_file() and "the desk started" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.5)
        time.sleep(2)  # and stays up, waiting for the sign-in
        alive = desk.poll() is None
    finally:
        desk.terminate()
        out, err = desk.communicate(timeout=30)
    text = log.read_text(encoding="utf-8") if log.is_file() else ""
    if not alive or "the desk started" not in text or "ERROR" in text:
        raise SystemExit(f"The desk did not start offscreen.\nlog:\n{text}\nstdout:\n{out}\nstderr:\n{err}")
    print(next(line for line in text.splitlines() if "the desk started" in line).split(": ", 1)[1])


def menu_entry_installs(folder: Path, env: dict, tmp_path: Path) -> None:
    """install-linux.sh puts the desk in this user's menu, with its icon, and the entry starts the copy."""
    data = tmp_path / "menu"
    run_env = {**env, "XDG_DATA_HOME": str(data)}
    subprocess.run([str(folder / "install-linux.sh")], env=run_env, check=True, capture_output=True, timeout=300)
    entry = data / "applications" / "decomp-desk.desktop"
    icons = [data / "icons" / "hicolor" / f"{s}x{s}" / "apps" / "decomp-desk.png" for s in (16, 48, 256, 512)]
    copied = data / "decomp-desk" / "app" / "decomp-desk"
    svg = data / "icons" / "hicolor" / "scalable" / "apps" / "decomp-desk.svg"
    missing = [p for p in (entry, copied, svg, *icons) if not p.exists()]
    if missing or f'Exec="{copied}"' not in entry.read_text(encoding="utf-8"):
        raise SystemExit(f"install-linux.sh left out {missing or 'the Exec line'}.")
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry)], check=True)
    version = subprocess.run([str(copied), "--version"], env=run_env, capture_output=True, text=True, timeout=60)
    if version.returncode != 0:
        raise SystemExit(f"The installed copy does not start: {version.stderr}")
    subprocess.run([str(folder / "install-linux.sh"), "--uninstall"], env=run_env, check=True, capture_output=True)
    if entry.exists() or copied.exists():
        raise SystemExit("install-linux.sh --uninstall left the menu entry or the program behind.")
    print(f"install-linux.sh put the desk in the menu with its icon ({entry.name}), and took it out again.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the build goes (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder")
    parser.add_argument("--smoke", action="store_true", help="start the build afterwards")
    parser.add_argument("--smoke-only", action="store_true", help="start an existing build, do not build")
    args = parser.parse_args()
    folder = args.dist / NAMES.get(platform_key(), "decomp-desk")
    if not args.smoke_only:
        folder = build(args.dist, args.work)
    if args.smoke or args.smoke_only:
        started = time.monotonic()
        smoke(folder)
        print(f"The build starts and works ({time.monotonic() - started:.0f} s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
