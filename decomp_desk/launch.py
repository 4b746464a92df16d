"""What the installed commands do around the command line itself (cli.main): a log file, a sentence
instead of Qt's abort when there is no display, and a quiet end when the reader of the output goes
away (`decomp-desk audit | head -1`).

`decomp-desk` (console) and `decomp-desk-gui` (a GUI script: Windows starts it without a console
window) both come here, as does `python -m decomp_desk`."""
from __future__ import annotations

import gc
import io
import logging
import os
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from decomp_desk import __version__
from decomp_desk.config import data_dir

log = logging.getLogger("decomp_desk")
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]

LOG_NAME = "decomp-desk.log"
LOG_BYTES = 512 * 1024
LOG_KEPT = 4  # decomp-desk.log.1 ... .4 besides the current one: about 2.5 MB at most

NO_DISPLAY = ("DecompDesk's desk needs a graphical desktop, and none was found (no DISPLAY or WAYLAND_DISPLAY): "
              "start it from the desktop's application menu or from a terminal inside the desktop session; "
              "the commands (decomp-desk --help) work without one.")


# --- the log file ------------------------------------------------------------------------------------

def log_dir() -> Path:
    return data_dir() / "logs"


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files only their owner can read (the folder is the data folder's)."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)  # also a file made earlier under a looser umask
        return io.TextIOWrapper(io.FileIO(fd, "a"), encoding=self.encoding or "utf-8", errors=self.errors)


class NoPatientDataFormatter(logging.Formatter):
    """An error's type and where it happened, never its message: a refusal's or a database error's text
    can carry a name, a chart number or a statement parameter. The code path is enough to find a bug."""

    def format(self, record: logging.LogRecord) -> str:
        cached, record.exc_text = record.exc_text, None  # another handler may have cached the full text
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:
        import traceback

        kind, _value, tb = ei
        frames = "".join(traceback.format_tb(tb))
        return f"Traceback (most recent call last):\n{frames}{kind.__name__ if kind else 'Error'} (message withheld)"


def setup_logging(folder: Path | None = None) -> Path | None:
    """Log warnings and errors, backups and each command's outcome to the data folder's rotated log.
    Never stops the program: without a writable folder it runs without the log (None)."""
    folder = folder or log_dir()
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, PrivateRotatingFileHandler) and Path(h.baseFilename).parent == folder:
            return Path(h.baseFilename)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = PrivateRotatingFileHandler(folder / LOG_NAME, maxBytes=LOG_BYTES, backupCount=LOG_KEPT,
                                             encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(NoPatientDataFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)  # libraries: their warnings and errors only
    log.setLevel(logging.INFO)  # the program's own: also backups and each command's outcome
    return Path(handler.baseFilename)


# --- the display ---------------------------------------------------------------------------------------

def no_display() -> bool:
    """On Linux and the BSDs the desk needs an X11 or Wayland display (or a platform named for Qt, such
    as offscreen); without one Qt aborts with a core dump and a hint about plugins. Windows and macOS
    always have their own."""
    if sys.platform in ("win32", "cygwin", "darwin"):
        return False
    env = os.environ
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


# --- the entry points ----------------------------------------------------------------------------------

def quiet_stdout() -> None:
    """The reader went away: point standard output at nothing, so Python's final flush says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def run(argv: list[str] | None = None) -> int:
    # Loading the program makes about a million objects (classes, functions, SQLAlchemy's tables, Qt's
    # wrappers) and not one of them is garbage, yet the collector walked them while they were made: two
    # passes of 15-25 ms in every start even at a threshold of 50,000 (at the default one, more). So it is
    # off while the program loads. A command turns it back on once loaded; the desk runs it on its UI
    # thread (ui/gc_on_ui_thread.py) from the moment its application exists.
    was_on = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if was_on:  # for a caller in the same process (the tests); the program itself ends here
            gc.enable()


def _run(argv: list[str] | None) -> int:
    from decomp_desk.cli import build_parser
    from decomp_desk.cli import main as cli_main

    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, --version or a usage error: argparse has said it
        return done.code if isinstance(done.code, int) else 2
    name = args.command or "desk"
    if name != "desk":
        gc.set_threshold(50_000, 20, 20)  # a pace for commands that make thousands of rows
        gc.enable()
    if name == "desk" and no_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    setup_logging()
    started = time.monotonic()
    try:
        status = cli_main(argv, args)
        sys.stdout.flush()  # here, where a closed pipe can still be ended quietly
    except BrokenPipeError:
        quiet_stdout()
        return 0
    # The command's name and outcome only: its arguments may name a patient (a chart number).
    log.info("decomp-desk %s: %s ended with status %s after %.1f s", __version__, name, status,
             time.monotonic() - started)
    return status


def main() -> None:
    """`decomp-desk` and `python -m decomp_desk`."""
    raise SystemExit(run())


def gui_main() -> None:
    """`decomp-desk-gui`: started without a console on Windows, where there is no standard output or
    error to write to (pythonw sets them to None); what would go there goes to nothing, the log says why."""
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # lives as long as the program
    raise SystemExit(run())
