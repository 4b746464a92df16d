"""The command line run as a user runs it (`python -m decomp_desk`, a process of its own), and the raw
bytes of the files it leaves behind."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAME = "Zebedee Quartermaine"  # a name that must never be readable in a file at rest


def cli(url: str | None, *args: str, env: dict | None = None, umask: int | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    database = ["--database", url] if url else []
    environment = {**os.environ, "DECOMP_DESK_DEBUG": "", **(env or {})}
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    result = subprocess.run([sys.executable, "-m", "decomp_desk", *database, *args], capture_output=True, text=True,
                            timeout=180, env=environment, cwd=ROOT, preexec_fn=preexec,
                            input=stdin if stdin is not None else "")
    assert "Traceback" not in result.stderr, result.stderr
    return result


def ok(url: str | None, *args: str, **kw) -> str:
    result = cli(url, *args, **kw)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(url: str | None, *args: str, **kw) -> str:
    result = cli(url, *args, **kw)
    assert result.returncode != 0, result.stdout
    text = result.stderr.strip()
    assert text and "Traceback" not in text
    return text


PLAINTEXT = (SECRET_NAME.encode(), b"SQLite format 3\x00", b"PGDMP")  # a name, a plain database, a plain dump


def plaintext_found(folder: Path, needles: tuple[bytes, ...] = PLAINTEXT) -> list[str]:
    """Every file under `folder` whose raw bytes hold any of `needles`."""
    found = []
    for path in Path(folder).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found


def flip_bit(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0x01
    path.write_bytes(bytes(data))


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777
