"""Issue 10 through the command line, on SQLite and PostgreSQL: per-region clearance, same-day
screenings, courses (courses.csv, the planned count), robust import files, and pages of a patient
who is not cleared. Each test fails on the program before these rules and passes with them."""
from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.csv_clinic import HEADERS

COURSES = "chart_number,region,start_date,planned_sessions,fee_per_session,status,end_date"
SESSIONS_WITH_REGION = HEADERS["sessions"] + ",region"
PATIENTS = "1001,Ann,Lee,1968-04-12,F,555-0101,,Aetna\n1002,Bob,Ray,1975-09-30,M,555-0102,,\n"


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DECOMP_DESK_DEBUG": ""}
    result = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", url, *args],
                            capture_output=True, text=True, timeout=180, env=env)
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result.stderr
    return result


def ok(url: str, *args: str) -> str:
    result = cli(url, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(url: str, *args: str) -> list[str]:
    """The bad-row lines of a refused command (stderr), after checking it changed nothing it could."""
    result = cli(url, *args)
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()


def csv_file(folder: Path, name: str, header: str, body: str, newline: str = "\n", bom: bool = False) -> str:
    path = folder / name
    text = (header + "\n" + body).replace("\n", newline)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def screening_line(chart, on, region, xray_on="2026-03-01", abnormal="no", hardware="no", pregnant="no"):
    return f"{chart},{on},{xray_on},{abnormal},{hardware},no,no,no,{pregnant},{region},sciatica\n"


def session_line(chart, on, at="09:00", pain=6, region=None, notes=""):
    line = f"{chart},{on},{at},35,face_down,60,{pain},4,3,no,,{notes}"
    return line + (f",{region}\n" if region is not None else "\n")


def patients_json(url) -> dict:
    return {p["chart_number"]: p for p in json.loads(ok(url, "patients", "--json"))}


def pdf_text(path: str) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


# --- per-region clearance (finding 3) --------------------------------------------------------------------

def test_a_neck_xray_never_clears_the_low_back_and_a_contraindication_blocks_every_region(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], PATIENTS)
    screens = csv_file(tmp_path, "s.csv", HEADERS["screenings"],
                       screening_line("1001", "2026-03-02", "cervical")
                       + screening_line("1002", "2026-03-02", "lumbar")
                       + screening_line("1002", "2026-03-09", "cervical", pregnant="yes"))
    visits = csv_file(tmp_path, "v.csv", SESSIONS_WITH_REGION,
                      session_line("1001", "2026-03-03", region="lumbar")
                      + session_line("1002", "2026-03-10", region="lumbar"))
    lines = refused(db_url, "import", people, screens, visits)
    assert "v.csv line 2: date: the patient is not cleared for lumbar decompression on 2026-03-03: " \
           "no lumbar x-ray on file" in lines
    assert "v.csv line 3: date: the patient is not cleared for lumbar decompression on 2026-03-10: pregnancy" in lines
    assert json.loads(ok(db_url, "patients", "--json")) == []  # all or nothing

    # The same sessions of the screened region (and before the pregnancy) are cleared.
    visits = csv_file(tmp_path, "v.csv", SESSIONS_WITH_REGION,
                      session_line("1001", "2026-03-03", region="cervical")
                      + session_line("1002", "2026-03-05", region=""))  # empty region: the newest screening's (lumbar)
    assert "v.csv (sessions): 2 added" in ok(db_url, "import", people, screens, visits)
    listed = patients_json(db_url)
    assert listed["1001"]["clearance"] == "cleared"
    assert (listed["1002"]["clearance"], listed["1002"]["clearance_reasons"]) == ("not_cleared", ["pregnancy"])


# --- same-day screenings (finding 2) -----------------------------------------------------------------

def test_a_differing_same_day_screening_is_a_bad_row_and_an_identical_one_is_skipped(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], PATIENTS)
    clean = csv_file(tmp_path, "s.csv", HEADERS["screenings"], screening_line("1001", "2026-03-02", "lumbar"))
    ok(db_url, "import", people, clean)
    assert "s.csv (screenings): 0 added, 1 already on file" in ok(db_url, "import", clean)

    pregnant = csv_file(tmp_path, "s2.csv", HEADERS["screenings"],
                        screening_line("1001", "2026-03-02", "lumbar", pregnant="yes"))
    lines = refused(db_url, "import", pregnant)
    assert len(lines) == 2 and lines[1].startswith("s2.csv line 2: pregnant: is yes, but the lumbar screening")
    assert patients_json(db_url)["1001"]["clearance"] == "cleared"  # nothing changed, nothing dropped silently

    # Two screenings of one patient, day and region in one file: both are bad rows.
    twice = csv_file(tmp_path, "s3.csv", HEADERS["screenings"],
                     screening_line("1002", "2026-03-04", "lumbar")
                     + screening_line("1002", "2026-03-04", "lumbar", hardware="yes", xray_on=""))
    lines = refused(db_url, "import", twice)
    assert {line.split(":")[0] for line in lines[1:]} == {"s3.csv line 2", "s3.csv line 3"}
    assert any("spinal_hardware" in line and "line 2" in line for line in lines)
    assert any("xray_on" in line and "line 3" in line for line in lines)
    # A screening of the other region the same day is another screening.
    other = csv_file(tmp_path, "s4.csv", HEADERS["screenings"], screening_line("1001", "2026-03-02", "cervical"))
    assert "s4.csv (screenings): 1 added" in ok(db_url, "import", other)


# --- courses (findings 4 and 5) ---------------------------------------------------------------------

def test_courses_csv_planned_count_overlaps_and_clearance(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], PATIENTS)
    screens = csv_file(tmp_path, "s.csv", HEADERS["screenings"],
                       screening_line("1001", "2026-01-02", "lumbar", xray_on="2025-12-30")
                       + screening_line("1002", "2026-03-02", "lumbar", hardware="yes"))
    bad = csv_file(tmp_path, "c.csv", COURSES,
                   "1001,lumbar,2026-01-05,12,,completed,2026-02-20\n"
                   "1001,lumbar,2026-02-10,20,,discontinued,2026-02-24\n"  # overlaps the completed one
                   "1001,lumbar,2026-02-25,20,,active,\n"
                   "1001,lumbar,2026-03-01,20,,active,\n"      # a second active lumbar course
                   "1002,lumbar,2026-03-03,30,85,active,\n"    # spinal hardware: never opened
                   "1001,cervical,2026-03-01,20,,completed,\n")  # completed without an end
    lines = refused(db_url, "import", people, screens, bad)
    assert any(line.startswith("c.csv line 3: start_date: it would overlap the completed lumbar course")
               for line in lines)
    assert any(line.startswith("c.csv line 5: status: the patient already has the active lumbar course from "
                               "2026-02-25") for line in lines)
    assert any(line.startswith("c.csv line 6: start_date: the patient is not cleared for lumbar decompression on "
                               "2026-03-03: screws or metal plates in the spine") for line in lines)
    assert "c.csv line 7: end_date: is required for a completed course" in lines
    assert len(lines) == 5

    good = csv_file(tmp_path, "c.csv", COURSES,
                    "1001,lumbar,2026-01-05,12,,completed,2026-02-20\n1001,lumbar,2026-03-02,20,'=95,active,\n"
                    .replace("'=95", "95.00"))
    visits = csv_file(tmp_path, "v.csv", HEADERS["sessions"],
                      session_line("1001", "2026-01-06", pain=8) + session_line("1001", "2026-02-20", pain=5)
                      + session_line("1001", "2026-03-03", pain=6) + session_line("1001", "2026-03-05", pain=4))
    out = ok(db_url, "import", visits, good, screens, people)  # any order
    assert "c.csv (courses): 2 added" in out and "v.csv (sessions): 4 added" in out and "opened" not in out
    figures = json.loads(ok(db_url, "progress", "1001", "--json"))
    assert (figures["sessions_completed"], figures["sessions_planned"], figures["first_session"]) == (
        2, 20, "2026-03-03")
    assert "2 of 20" in ok(db_url, "progress", "1001")
    # Again: nothing added.
    again = ok(db_url, "import", people, screens, good, visits)
    assert "c.csv (courses): 0 added, 2 already on file" in again and "v.csv (sessions): 0 added, 4 already" in again


def test_pages_of_a_patient_not_cleared_say_so_at_the_top(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], PATIENTS)
    screens = csv_file(tmp_path, "s.csv", HEADERS["screenings"],
                       screening_line("1001", "2026-03-02", "lumbar")
                       + screening_line("1001", "2026-03-09", "cervical", hardware="yes"))
    visits = csv_file(tmp_path, "v.csv", HEADERS["sessions"], session_line("1001", "2026-03-03"))
    ok(db_url, "import", people, screens, visits)
    for command in ("report", "estimate"):
        out = str(tmp_path / f"{command}.pdf")
        ok(db_url, command, "1001", "--output", out)
        text = pdf_text(out)
        top = " ".join(text.split("\n\n")[0:3]).split()
        assert "Not cleared for lumbar decompression" in " ".join(top), text[:400]
        assert "screws or metal plates in the spine" in " ".join(text.split())
        first_figure = text.find("Sessions completed" if command == "report" else "Estimate")
        assert text.find("Not cleared") < first_figure
    # A cleared patient's pages carry no such line.
    ok(db_url, "import", csv_file(tmp_path, "v2.csv", HEADERS["sessions"], ""))
    screens2 = csv_file(tmp_path, "s2.csv", HEADERS["screenings"], screening_line("1002", "2026-03-02", "lumbar"))
    ok(db_url, "import", screens2)
    out = str(tmp_path / "cleared.pdf")
    ok(db_url, "estimate", "1002", "--output", out)
    assert "Not cleared" not in pdf_text(out)


def test_a_summary_printed_from_the_command_line_never_names_the_operating_system_account(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], PATIENTS)
    screens = csv_file(tmp_path, "s.csv", HEADERS["screenings"], screening_line("1001", "2026-03-02", "lumbar"))
    visits = csv_file(tmp_path, "v.csv", HEADERS["sessions"], session_line("1001", "2026-03-03"))
    ok(db_url, "import", people, screens, visits)
    out = str(tmp_path / "summary.pdf")
    ok(db_url, "report", "1001", "--output", out)
    signature = [line for line in pdf_text(out).splitlines() if "Clinician" in line]
    assert signature and all(getpass.getuser() not in line for line in signature), signature


# --- robust import files --------------------------------------------------------------------------------

def test_cr_crlf_and_bom_files_import_and_the_formula_guard_is_removed(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], "1001,Ann,'-Lee,1968-04-12,F,'+1 555 0101,,\n",
                      newline="\r", bom=True)
    screens = csv_file(tmp_path, "s.csv", HEADERS["screenings"], screening_line("1001", "2026-03-02", "lumbar"),
                       newline="\r\n", bom=True)
    visits = csv_file(tmp_path, "v.csv", HEADERS["sessions"], session_line("1001", "2026-03-03", notes="'=SUM(A1)"),
                      newline="\r")
    out = ok(db_url, "import", people, screens, visits)
    assert "p.csv (patients): 1 added" in out and "v.csv (sessions): 1 added" in out
    (row,) = json.loads(ok(db_url, "patients", "--json"))
    assert (row["last_name"], row["phone"]) == ("-Lee", "+1 555 0101")


def test_a_huge_cell_or_number_is_a_bad_row_with_a_sentence(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"], "1001,Ann,Lee,1968-04-12,F,,,\n")
    screens = csv_file(tmp_path, "s.csv", HEADERS["screenings"], screening_line("1001", "2026-03-02", "lumbar"))
    visits = csv_file(tmp_path, "v.csv", HEADERS["sessions"],
                      session_line("1001", "2026-03-03", notes="x" * 200_000)
                      + f"1001,2026-03-04,09:00,{'9' * 5000},face_down,{'1' * 4000},6,4,3,no,,\n"
                      + session_line("1001", "2026-03-05", notes="y" * 10_000))
    lines = refused(db_url, "import", people, screens, visits)
    assert lines[0] == "Nothing was imported: 3 bad rows."
    assert lines[1] == "v.csv line 2: notes: is 200,000 characters long; a cell holds at most 10,000"
    assert lines[2].startswith("v.csv line 3: duration_min: 999999999999... (5,000 characters) is not a number")
    assert lines[3].startswith("v.csv line 3: max_force_lb: ")
    assert json.loads(ok(db_url, "patients", "--json")) == []


def test_a_name_longer_than_its_column_is_a_bad_row_on_every_database(db_url, tmp_path):
    people = csv_file(tmp_path, "p.csv", HEADERS["patients"],
                      f"1001,Ann,{'L' * 5000},1968-04-12,F,,,\n1002,Bob,Ray,,,,{'b' * 300}@example.com,\n"
                      "1003,Cy,Oz,,,,,Aet\x00na\n")
    lines = refused(db_url, "import", people)
    assert lines[1:] == ["p.csv line 2: last_name: is 5,000 characters long; at most 100 fit",
                         "p.csv line 3: email: is 312 characters long; at most 200 fit",
                         "p.csv line 4: insurer: holds a NUL character (the file is damaged here)"]
