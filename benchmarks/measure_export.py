"""The whole-clinic export, measured in a fresh process started by run.py:

    python benchmarks/measure_export.py export URL WORK_FOLDER

`decomp-desk export DIR` (cli.main in process) of the clinic the import built, timed, with the process's
resident memory before and its peak (VmHWM) after: the export streams, so the peak should barely move
however many sessions there are. Beside it the bare baseline: the same session rows read with the
driver alone (sqlcipher3 on the encrypted file, or a psycopg server-side cursor) and written with
csv.writer. One RESULT line."""
from __future__ import annotations

import csv
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baselines import CIPHER_SETTINGS
from rss import rss_mb

SESSIONS_SQL = ("SELECT p.chart_number, t.date, t.start_time, t.duration_min, t.position, t.max_force_lb, "
                "t.pain_before, t.numbness_before, t.tingling_before, t.stop_button, t.soreness, t.muscle_spasm, "
                "t.tissue_damage, t.other_adverse, t.notes, c.region FROM treatment_sessions t "
                "JOIN courses c ON c.id = t.course_id JOIN patients p ON p.id = c.patient_id "
                "ORDER BY p.chart_number, t.date, t.start_time, t.id")


def peak_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bare_export(url: str, path: Path) -> tuple[float, int]:
    """The sessions query with the bare driver, each row written as it comes: (seconds, rows)."""
    start = time.perf_counter()
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        if url.startswith("sqlite"):
            # The clinic's file is encrypted (SQLCipher) as every new clinic is: the bare driver opens it
            # with sqlcipher3 and the key DecompDesk keeps for this user, as measure.py's baselines do.
            import sqlcipher3.dbapi2 as sqlcipher

            from decomp_desk.db import cipher, keystore

            path = Path(url.removeprefix("sqlite:///"))
            con = sqlcipher.connect(str(path))
            if cipher.encrypted_salt(path):
                con.execute(f"PRAGMA key = \"x'{keystore.key_for(path).hex()}'\"")
                for pragma in CIPHER_SETTINGS:
                    con.execute(pragma)
            for row in con.execute(SESSIONS_SQL):
                out.writerow(row)
                rows += 1
            con.close()
        else:
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as con:
                with con.cursor(name="bare_export") as cur:  # server-side, as the export's stream
                    cur.itersize = 5000
                    cur.execute(SESSIONS_SQL)
                    for row in cur:
                        out.writerow(row)
                        rows += 1
    return time.perf_counter() - start, rows


def measure_export(url: str, work: str) -> dict:
    from decomp_desk.cli import main as cli_main

    target = Path(work) / "export"
    shutil.rmtree(target, ignore_errors=True)
    before = rss_mb()
    start = time.perf_counter()
    code = cli_main(["--database", url, "export", str(target)])
    elapsed = time.perf_counter() - start
    if code not in (0, None):
        raise SystemExit(f"decomp-desk export failed with exit status {code}")
    peak = peak_mb()
    sessions = sum(1 for _ in open(target / "sessions.csv", encoding="utf-8")) - 1
    rows = {p.name: sum(1 for _ in open(p, encoding="utf-8")) - 1 for p in sorted(target.glob("*.csv"))}
    shutil.rmtree(target)
    bare_seconds, bare_rows = bare_export(url, Path(work) / "bare-export.csv")
    Path(work, "bare-export.csv").unlink()
    if bare_rows != sessions:
        raise SystemExit(f"the export wrote {sessions} sessions, the database has {bare_rows}")
    return {"sessions": sessions, "rows": rows, "seconds": elapsed, "rss_before_mb": before, "peak_mb": peak,
            "bare_seconds": bare_seconds,
            "how": "decomp-desk export DIR (cli.main in process): every file, README, audit event and rename",
            "bare_how": "the sessions rows only, read with the bare driver and written with csv.writer"}


if __name__ == "__main__":
    if sys.argv[1:2] != ["export"]:
        raise SystemExit("usage: measure_export.py export URL WORK_FOLDER")
    print("RESULT " + json.dumps(measure_export(*sys.argv[2:4])), flush=True)
