"""Speed on ten busy years: DecompDesk against bare baselines, on SQLite and on PostgreSQL.

    python benchmarks/run.py                       # 10,000 patients, 300,000 sessions; both databases
    python benchmarks/run.py --database sqlite     # one database (the other's earlier figures are kept)
    python benchmarks/run.py --quick               # a smoke run: 1,000 patients, fewer repeats

Not part of the test suite. For each database it builds the clinic through the real CSV import into
a fresh database, then measures, each beside a bare baseline run in the same run:

  import     the CSV import (the command line's `import`), sessions per second, against sqlite3 /
             psycopg executemany of the already-parsed session rows into a bare table
  start      process start to the main window shown with its patient list loaded (median of fresh
             processes), against a bare process that shows a QMainWindow with a FigureCanvasQTAgg
  filter     search as you type over every patient: one keystroke (typing "smith", then five
             backspaces) to the list repainted, against Qt's stock QSortFilterProxyModel
  open       opening a patient (30 sessions) until the page and its chart are drawn, against one raw
             query for the same rows plus the same lines drawn on a canvas of the same size
  pdf        the printed progress summary, as `decomp-desk report` writes it, against the same text
             and a chart of the same rows painted straight onto a QPdfWriter
  memory     resident memory after start, and its growth while 50 patients are opened one after another
  export     `decomp-desk export DIR` of the whole clinic, sessions per second and the peak memory it adds,
             against the bare driver reading the same session rows into csv.writer

Writes benchmarks/results.json and benchmarks/results.md (a --quick run: benchmarks/work/results-quick.*)
and prints the table; the exit status is 1 when a target is missed. The work folder, benchmarks/work/,
holds the generated CSV files, the SQLite databases and the measured processes' bytecode cache (see
child_env); PostgreSQL gets a fresh database, dropped at the end unless --keep. Qt runs offscreen.
"""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # for every process started from here, before any Qt import
# The benchmark clinic's key (its file is encrypted, as every new clinic is) is kept in the work folder,
# not in the user's own configuration folder; every measured process inherits this.
os.environ.setdefault("DECOMP_DESK_KEY_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "work", "keys"))

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_clinic import write_clinic

DEFAULT_PG = "postgresql+psycopg://decomp:decomp@localhost/postgres"
BENCH_DB = "decomp_bench"
MEASURES = ("import", "start", "filter", "open", "pdf", "memory", "export")

# --- targets (the issue's) ----------------------------------------------------------------------------------
START_RATIO = 1.3
FILTER_MS = 16.0
OPEN_MS, OPEN_RATIO = 100.0, 0.7  # issue 12: under 100 ms and quicker than a fresh matplotlib figure
PDF_S = 0.5
IMPORT_RATE = 10_000
GROWTH_MB = 2.0  # between the 50th and the 150th patient: 20 KB a patient at most
EXPORT_RATE = 50_000  # sessions per second, the whole clinic exported (issue 15)
# The export streams; on SQLite the encrypted engine (SQLCipher) keeps its temporary sort in memory, never
# in an unencrypted file, so the sessions' ORDER BY (about 50 MiB for 300,000) is the peak's share there.
EXPORT_GROWTH_MB = 64.0


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- processes ----------------------------------------------------------------------------------------------

BYTECODE = HERE / "work" / "pycache"


def child_env() -> dict:
    """The environment of every measured process. Python's compiled bytecode is cached as on any
    installed program (pip compiles it on install): where the environment sets PYTHONDONTWRITEBYTECODE
    (the machine these figures came from does), the desk would compile its own 45 modules from source at
    every start while the baseline's libraries come precompiled. Both sides share one cache instead."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.pop("DECOMP_DESK_DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
    # The desk's daily backup of the benchmark's clinic goes to the work folder, not the user's data folder.
    env["XDG_DATA_HOME"] = str(HERE / "work" / "data")
    return env


def run_measure(args: list[str], timeout: float, script: str = "measure.py") -> dict:
    """Run measure.py (or another measuring script) in a fresh process; its RESULT line as a dict."""
    cmd = [sys.executable, str(HERE / script), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=child_env(), cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            if proc.returncode == 0:
                return json.loads(line[7:])
    raise RuntimeError(f"{' '.join(args[:2])} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n"
                       f"{proc.stderr[-6000:]}")


def timed_start(script: str, args: list[str]) -> dict:
    """One fresh process of start_bare.py or start_desk.py; its JSON line."""
    env = child_env()
    env["BENCH_T0"] = repr(time.monotonic())  # CLOCK_MONOTONIC: the same clock in the child
    proc = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{script} failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return json.loads(lines[-1])


# --- databases ----------------------------------------------------------------------------------------------

def fresh_sqlite(work: Path) -> str:
    path = work / "clinic.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    for old in work.glob("clinic.before-upgrade-*"):
        old.unlink()
    return f"sqlite:///{path}"


def pg_admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True)


def fresh_postgresql(server_url: str) -> str:
    drop_postgresql(server_url)
    with pg_admin(server_url) as con:
        con.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return re.sub(r"/[^/]*$", f"/{BENCH_DB}", server_url)


def drop_postgresql(server_url: str) -> None:
    """Drop the bench database. The server's autovacuum may still be working on the fresh import, as a
    role this one may not interrupt: wait for it a little, and leave the database (said) if it stays."""
    import psycopg

    for attempt in range(10):
        try:
            with pg_admin(server_url) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            return
        except psycopg.Error as e:
            error = e
            time.sleep(3)
    log(f"could not drop the database {BENCH_DB} ({str(error).strip()}); the next run replaces it")


def postgresql_version(server_url: str) -> str:
    try:
        with pg_admin(server_url) as con:
            return con.execute("SHOW server_version").fetchone()[0]
    except Exception as e:  # reported, not fatal
        return f"unavailable ({e.__class__.__name__})"


# --- the machine ----------------------------------------------------------------------------------------------

def machine(pg_url: str | None) -> dict:
    import matplotlib
    import PySide6
    import sqlalchemy
    import sqlcipher3.dbapi2 as sqlite3  # the embedded database's engine: SQLite with SQLCipher
    from PySide6 import QtCore

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "cpus": os.cpu_count(), "nproc": len(os.sched_getaffinity(0)), "cpu_model": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1), "os": platform.platform(),
        "python": platform.python_version(), "pyside6": PySide6.__version__, "qt": QtCore.qVersion(),
        "sqlalchemy": sqlalchemy.__version__, "matplotlib": matplotlib.__version__,
        "sqlite": f"{sqlite3.sqlite_version} (SQLCipher {sqlite3.connect(':memory:').execute('PRAGMA cipher_version').fetchone()[0]})",
        "postgresql": postgresql_version(pg_url) if pg_url else None,
    }


# --- figures --------------------------------------------------------------------------------------------------

def figure(value, baseline, unit: str, target: str, met: bool | None, ratio=None, **detail) -> dict:
    if ratio is None and value is not None and baseline:
        ratio = value / baseline
    out = {"value": _round(value), "baseline": _round(baseline), "ratio": _round(ratio, 2), "unit": unit,
           "target": target, "met": met}
    if detail:
        out["detail"] = detail
    return out


def _round(x, places: int = 3):
    if isinstance(x, float):
        return round(x, places)
    return x


def measure_database(name: str, url: str, csv: Path, work: Path, opts: argparse.Namespace) -> dict:
    results: dict[str, dict] = {}
    wanted = set(opts.only or MEASURES)

    if not opts.reuse:
        log(f"{name}: importing {opts.patients:,} patients through the CSV import ...")
        imp = run_measure(["import", url, str(csv), str(work)], timeout=1800)
        rate, bare_rate = imp["sessions"] / imp["seconds"], imp["sessions"] / imp["bare_seconds"]
        results["import"] = figure(rate, bare_rate, "sessions/s", f">= {IMPORT_RATE:,} sessions/s",
                                   rate >= IMPORT_RATE, ratio=bare_rate / rate, sessions=imp["sessions"],
                                   seconds=round(imp["seconds"], 2), bare_seconds=round(imp["bare_seconds"], 3),
                                   how=imp["how"], baseline_how=imp["bare_how"],
                                   ratio_means="how many times the bare insert's speed")
        log(f"{name}: import {rate:,.0f} sessions/s ({imp['seconds']:.1f} s), bare {bare_rate:,.0f}/s")

    if wanted & {"start", "memory"}:
        log(f"{name}: start, {opts.start_runs} fresh processes each, alternating ...")
        for _ in range(2):  # warm the file cache and the bytecode cache, for both
            timed_start("start_bare.py", [])
            timed_start("start_desk.py", [url])
        desk, bare = [], []
        for _ in range(opts.start_runs):
            bare.append(timed_start("start_bare.py", []))
            desk.append(timed_start("start_desk.py", [url]))
        if any(d["rows"] != opts.patients for d in desk):
            raise RuntimeError(f"the desk listed {desk[0]['rows']} patients, not {opts.patients}")
        d_s = statistics.median(d["ready_s"] for d in desk)
        b_s = statistics.median(b["ready_s"] for b in bare)
        results["start"] = figure(d_s, b_s, "s", f"<= {START_RATIO} x baseline", d_s <= START_RATIO * b_s,
                                  runs=opts.start_runs, desk_s=[round(d["ready_s"], 3) for d in desk],
                                  bare_s=[round(b["ready_s"], 3) for b in bare], patients_listed=desk[0]["rows"])
        d_m = statistics.median(d["rss_mb"] for d in desk)
        b_m = statistics.median(b["rss_mb"] for b in bare)
        results["memory_after_start"] = figure(d_m, b_m, "MiB", "reported (no target)", None)
        log(f"{name}: start {d_s:.3f} s vs bare {b_s:.3f} s; {d_m:.0f} MiB vs {b_m:.0f} MiB")

    session_measures = [m for m in ("filter", "open", "pdf") if m in wanted]
    if "memory" in wanted and "open" not in session_measures:
        session_measures.append("open")
    if session_measures:
        log(f"{name}: the desk in one process: {', '.join(session_measures)} ...")
        options = {"measures": session_measures, "filter_rounds": opts.filter_rounds,
                   "open_patients": opts.open_patients, "memory_patients": opts.memory_patients,
                   "pdf_patients": opts.pdf_patients}
        ses = run_measure(["session", url, json.dumps(options)], timeout=1200)
        if "filter" in ses:
            f = ses["filter"]
            worst, bare_worst = max(f["median_ms"]), max(f["bare_median_ms"])
            painted, bare_painted = max(f["repainted_median_ms"]), max(f["bare_repainted_median_ms"])
            results["filter"] = figure(
                worst, bare_worst, "ms", f"< {FILTER_MS:g} ms per keystroke", worst < FILTER_MS,
                value_is="the slowest keystroke's median over the rounds", rows=f["rows"],
                keystrokes=f["keystrokes"], rows_shown=f["rows_shown"], median_ms=f["median_ms"], max_ms=f["max_ms"],
                bare_median_ms=f["bare_median_ms"], rounds=f["rounds"],
                repainted_ms=painted, bare_repainted_ms=bare_painted,
                repainted_median_ms=f["repainted_median_ms"], repainted_max_ms=f["repainted_max_ms"],
                repainted_means="the keystroke until the list is repainted with its new rows (Qt repaints at "
                                "its next frame; forced at once here)")
            log(f"{name}: filter worst keystroke {worst:.2f} ms (bare {bare_worst:.2f} ms); "
                f"with the repaint {painted:.2f} ms (bare {bare_painted:.2f} ms)")
        if "open" in ses:
            o = ses["open"]
            v, b = o["median_ms"], o["bare_median_ms"]
            results["open"] = figure(v, b, "ms", f"< {OPEN_MS:g} ms and <= {OPEN_RATIO:g} x baseline",
                                     v < OPEN_MS and v <= OPEN_RATIO * b, patients=o["patients"],
                                     max_ms=round(o["max_ms"], 1), bare_max_ms=round(o["bare_max_ms"], 1),
                                     first_open_ms=round(o["first_open_ms"], 1),
                                     sessions_per_patient=o["sessions_per_patient"], canvas_px=o["canvas_px"],
                                     chart="the Progress tab's own chart, drawn as the tab comes on show")
            log(f"{name}: open {v:.1f} ms (bare {b:.1f} ms), first {o['first_open_ms']:.0f} ms")
            if "memory" in wanted:
                rss = o["rss_mb"]
                fifty, last = str(opts.open_patients), str(opts.memory_patients)
                growth = rss[last] - rss[fifty]
                results["memory_after_patients"] = figure(
                    rss[fifty], rss["10"], "MiB",
                    f"no growth after the first {fifty}: <= {GROWTH_MB:g} MiB more after the {last}th patient",
                    growth <= GROWTH_MB, growth_mb=round(growth, 2), patients_opened=int(last),
                    growth_10_to_50_mb=round(rss[fifty] - rss["10"], 2),
                    rss_after_start_mb=round(ses["rss_after_start_mb"], 1),
                    rss_after_patients_mb={k: round(v, 1) for k, v in rss.items()},
                    baseline_is=f"the same process after the 10th patient (value: after the {fifty}th)",
                    measured="VmRSS from /proc/self/status after a gc.collect(), the patients opened one after "
                             "another through the real page (Progress tab, chart drawn), back to the list "
                             "between them")
                log(f"{name}: memory " + " -> ".join(f"{v:.0f}" for v in rss.values()) + " MiB")
        if "pdf" in ses:
            p = ses["pdf"]
            results["pdf"] = figure(p["median_s"], p["bare_median_s"], "s", f"< {PDF_S:g} s", p["median_s"] < PDF_S,
                                    patients=p["patients"], max_s=round(p["max_s"], 3), bytes=p["bytes"], how=p["how"])
            log(f"{name}: pdf {p['median_s']:.3f} s (bare {p['bare_median_s']:.3f} s)")
    if "export" in wanted:
        log(f"{name}: exporting the whole clinic ...")
        exp = run_measure(["export", url, str(work)], timeout=600, script="measure_export.py")
        rate, bare_rate = exp["sessions"] / exp["seconds"], exp["sessions"] / exp["bare_seconds"]
        growth = exp["peak_mb"] - exp["rss_before_mb"]
        results["export"] = figure(rate, bare_rate, "sessions/s", f">= {EXPORT_RATE:,} sessions/s",
                                   rate >= EXPORT_RATE, ratio=bare_rate / rate, sessions=exp["sessions"],
                                   rows=exp["rows"], seconds=round(exp["seconds"], 2),
                                   bare_seconds=round(exp["bare_seconds"], 3), how=exp["how"],
                                   baseline_how=exp["bare_how"], ratio_means="how many times the bare read's speed")
        results["export_memory"] = figure(growth, None, "MiB", f"<= {EXPORT_GROWTH_MB:g} MiB above the start",
                                          growth <= EXPORT_GROWTH_MB, rss_before_mb=round(exp["rss_before_mb"], 1),
                                          peak_mb=round(exp["peak_mb"], 1))
        log(f"{name}: export {rate:,.0f} sessions/s ({exp['seconds']:.1f} s), bare {bare_rate:,.0f}/s; "
            f"peak memory {growth:+.1f} MiB")
    return results


# --- output ---------------------------------------------------------------------------------------------------

NAMES = {"start": "Start to a usable window", "filter": "Search: one keystroke's filter",
         "open": "Open a patient, chart drawn", "pdf": "Printed summary PDF", "import": "CSV import",
         "memory_after_start": "Memory after start", "memory_after_patients": "Memory after 50 patients",
         "export": "Whole-clinic export", "export_memory": "Export: peak memory added"}


def table(results: dict) -> str:
    lines = []
    dbs = [d for d in ("sqlite", "postgresql") if d in results.get("databases", {})]
    head = "| Measure | Target | " + " | ".join(f"{d}: value | baseline | ratio | met" for d in dbs) + " |"
    lines.append(head)
    lines.append("|" + "---|" * (2 + 4 * len(dbs)))
    keys = [k for k in NAMES if any(k in results["databases"][d] for d in dbs)]
    for k in keys:
        row = [NAMES[k], _target_of(results, dbs, k)]
        for d in dbs:
            f = results["databases"][d].get(k)
            if f is None:
                row += ["–"] * 4
                continue
            row += [f"{_fmt(f['value'])} {f['unit']}", f"{_fmt(f['baseline'])} {f['unit']}", _fmt(f["ratio"]),
                    {True: "yes", False: "**no**", None: "–"}[f["met"]]]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def machine_line(m: dict) -> str:
    pg = f", PostgreSQL {m['postgresql']}" if m.get("postgresql") else ""
    return (f"{m['nproc']} cores ({m['cpu_model']}), {m['ram_gib']} GiB RAM, {m['os']}; Python {m['python']}, "
            f"PySide6 {m['pyside6']} (Qt {m['qt']}), SQLAlchemy {m['sqlalchemy']}, matplotlib {m['matplotlib']}, "
            f"SQLite {m['sqlite']}{pg}")


def notes(results: dict) -> str:
    """The figures behind the table's single numbers, one line per database and measure."""
    out = []
    for d, fs in results["databases"].items():
        try:
            out += _notes_of(d, fs)
        except (KeyError, TypeError, ValueError):  # figures of an older run of this script: no notes
            continue
    return "\n".join(out)


def _notes_of(d: str, fs: dict) -> list[str]:
    out = []
    if "start" in fs:
        x = fs["start"]["detail"]
        out.append(f"- {d}, start: median of {x['runs']} fresh processes each, alternating; desk "
                   f"{min(x['desk_s']):.3f}-{max(x['desk_s']):.3f} s, bare {min(x['bare_s']):.3f}-{max(x['bare_s']):.3f} s; "
                   f"{x['patients_listed']:,} patients listed")
    if "filter" in fs:
        x = fs["filter"]["detail"]
        out.append(f"- {d}, search: per keystroke {', '.join(f'{k or chr(8709)} {v:.1f}' for k, v in zip(x['keystrokes'], x['median_ms']))} ms "
                   f"(worst single {max(x['max_ms']):.1f} ms); with the list repainted "
                   f"{fs['filter']['detail']['repainted_ms']:.1f} ms (bare {fs['filter']['detail']['bare_repainted_ms']:.1f} ms)")
    if "open" in fs:
        x = fs["open"]["detail"]
        out.append(f"- {d}, open: median of {x['patients']} patients, slowest {x['max_ms']:.1f} ms; the first patient "
                   f"after start {x['first_open_ms']:.0f} ms (it builds the page and loads the chart's matplotlib); "
                   f"chart: {x['chart']}")
    if "memory_after_patients" in fs:
        x = fs["memory_after_patients"]["detail"]
        after = ", ".join(f"{v:.1f} after the {k}th" for k, v in x["rss_after_patients_mb"].items() if k != "1")
        out.append(f"- {d}, memory: {x['rss_after_start_mb']:.0f} MiB with the window up, "
                   f"{x['rss_after_patients_mb']['1']:.0f} after the 1st patient, {after} "
                   f"({x['growth_10_to_50_mb']:+.2f} MiB from the 10th to the 50th while matplotlib's caches fill, "
                   f"{x['growth_mb']:+.2f} MiB from the 50th to the {x['patients_opened']}th)")
    if "import" in fs:
        x = fs["import"]["detail"]
        out.append(f"- {d}, import: {x['sessions']:,} sessions in {x['seconds']:.1f} s; bare insert {x['bare_seconds']:.2f} s")
    if "export" in fs:
        x = fs["export"]["detail"]
        m = fs.get("export_memory", {}).get("detail", {})
        out.append(f"- {d}, export: {sum(x['rows'].values()):,} rows ({x['sessions']:,} sessions) in {x['seconds']:.1f} s; "
                   f"bare read of the sessions {x['bare_seconds']:.2f} s; memory {m.get('rss_before_mb', 0):.0f} MiB "
                   f"before, peak {m.get('peak_mb', 0):.0f} MiB")
    return out


def _target_of(results, dbs, key):
    for d in dbs:
        if key in results["databases"][d]:
            return results["databases"][d][key]["target"]
    return ""


def _fmt(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def write_results(results: dict, output: Path, opts: argparse.Namespace, argv, began: float) -> str:
    """results.json and results.md (machine, table, notes); returns the markdown."""
    results.update({
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "patients": opts.patients, "sessions": opts.patients * 30, "open_patients": opts.open_patients,
        "machine": machine(opts.pg_url if "postgresql" in results["databases"] else None),
        "minutes": round((time.monotonic() - began) / 60, 1),
    })
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    text = (f"Machine: {machine_line(results['machine'])}. Run {results['run_at']}, {results['minutes']} min.\n\n"
            + table(results) + "\n\n" + notes(results))
    output.with_suffix(".md").write_text(text + "\n")
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 1,000 patients and fewer repeats")
    ap.add_argument("--pg-url", default=os.environ.get("DECOMP_BENCH_PG", DEFAULT_PG),
                    help=f"a PostgreSQL server whose role may CREATE DATABASE (default {DEFAULT_PG})")
    ap.add_argument("--output", type=Path, help="the JSON file (default benchmarks/results.json; "
                                                "benchmarks/work/results-quick.json with --quick)")
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--only", nargs="+", choices=MEASURES, help="measure only these (the import always runs "
                                                                "unless --reuse)")
    ap.add_argument("--reuse", action="store_true", help="keep the database of the previous run (development: "
                                                         "no import figure)")
    ap.add_argument("--keep", action="store_true", help="do not drop the PostgreSQL database at the end")
    opts = ap.parse_args(argv)
    global BYTECODE
    BYTECODE = opts.work / "pycache"
    opts.patients = 1_000 if opts.quick else 10_000
    # 21 alternating pairs: on this shared two-core machine the bare window's own median moved by a sixth
    # between the two databases' phases of one run (0.56 and 0.66 s) with 11.
    opts.start_runs = 3 if opts.quick else 21
    opts.filter_rounds = 3 if opts.quick else 7
    opts.open_patients = 50
    opts.memory_patients = 150
    opts.pdf_patients = 3 if opts.quick else 7
    output = opts.output or (opts.work / "results-quick.json" if opts.quick else HERE / "results.json")
    dbs = ["sqlite", "postgresql"] if opts.database == "both" else [opts.database]

    began = time.monotonic()
    work = opts.work / ("quick" if opts.quick else "full")
    work.mkdir(parents=True, exist_ok=True)
    csv = work / "csv"
    if not opts.reuse or not (csv / "sessions.csv").exists():
        log(f"writing the clinic: {opts.patients:,} patients x 30 sessions ...")
        write_clinic(csv, patients=opts.patients, sessions_per_patient=30)

    results = json.loads(output.read_text()) if output.exists() else {}
    results.setdefault("databases", {})
    for name in dbs:
        if name == "sqlite":
            url = f"sqlite:///{work / 'clinic.sqlite3'}" if opts.reuse else fresh_sqlite(work)
        else:
            url = re.sub(r"/[^/]*$", f"/{BENCH_DB}", opts.pg_url) if opts.reuse else fresh_postgresql(opts.pg_url)
        try:
            figures = measure_database(name, url, csv, work, opts)
        finally:
            if name == "postgresql" and not (opts.keep or opts.reuse):
                drop_postgresql(opts.pg_url)
        if opts.reuse or opts.only:  # keep the figures of the measures not taken this time
            figures = {**results["databases"].get(name, {}), **figures}
        results["databases"][name] = figures
        text = write_results(results, output, opts, argv, began)  # after each database: a later failure keeps it

    print(text)
    log(f"figures in {output} and {output.with_suffix('.md')} ({results['minutes']} min)")
    unmet = [(d, k) for d, fs in results["databases"].items() if d in dbs for k, f in fs.items() if f["met"] is False]
    return 1 if unmet else 0


if __name__ == "__main__":
    sys.exit(main())
