"""The appointment book's commands as a script runs them (`python -m decomp_desk` from this tree), on
SQLite and PostgreSQL: appointments.csv, `day --json`, `book`, and `remind` against a real SMTP server
(aiosmtpd on localhost)."""
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.csv_clinic import write_clinic
from tests.smtp_sink import smtp_sink

ROOT = Path(__file__).resolve().parents[2]
APPOINTMENTS = "chart_number,date,start_time,minutes,table,status\n"


def run(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECOMP_DESK_DEBUG": ""}
    result = subprocess.run([sys.executable, "-m", "decomp_desk", "--database", url, *args], capture_output=True,
                            text=True, timeout=120, env=env, cwd=ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def appointments(folder: Path, body: str, name: str = "appointments.csv") -> Path:
    path = folder / name
    path.write_text(APPOINTMENTS + body, encoding="utf-8")
    return path


def test_import_day_book_and_remind(db_url, tmp_path):
    ok(db_url, "import", *map(str, write_clinic(tmp_path)))
    file = appointments(tmp_path, "1002,2026-03-16,09:00,45,Table A,booked\n"
                                  "1003,2026-03-16,09:00,30,Table B,booked\n"
                                  "1001,2026-03-16,08:00,,Table A,cancelled\n"
                                  "1002,2026-03-18,09:00,45,Table A,no_show\n")
    assert "appointments.csv (appointments): 4 added, 0 already on file" in ok(db_url, "import", str(file))
    assert "0 added, 4 already on file" in ok(db_url, "import", str(file))
    day = json.loads(ok(db_url, "day", "2026-03-16", "--json"))
    assert day == {"date": "2026-03-16", "appointments": [
        {"chart_number": "1001", "start_time": "08:00", "minutes": 45, "table": "Table A", "status": "cancelled"},
        {"chart_number": "1002", "start_time": "09:00", "minutes": 45, "table": "Table A", "status": "booked"},
        {"chart_number": "1003", "start_time": "09:00", "minutes": 30, "table": "Table B", "status": "booked"}]}

    # Ann's course: 30 planned, 4 recorded -> 26 to book; Monday the 16th has both tables taken at 09:00,
    # Wednesday the 18th has only a no-show on Table A.
    out = ok(db_url, "book", "1001", "--from", "2026-03-16", "--days", "mon,wed,fri", "--time", "09:00",
             "--table", "Table A")
    assert out.splitlines()[0] == "Booked 26 appointments."
    assert "Not placed: Mon 2026-03-16: every table is taken at 09:00" in out
    assert ok(db_url, "book", "1001", "--from", "2026-03-16", "--days", "mon,wed,fri", "--time", "09:00") \
        .startswith("Booked 0 appointments.")
    wednesday = json.loads(ok(db_url, "day", "2026-03-18", "--json"))["appointments"]
    assert [(a["chart_number"], a["table"], a["status"]) for a in wednesday] == [
        ("1002", "Table A", "no_show"), ("1001", "Table A", "booked")]
    friday = json.loads(ok(db_url, "day", "2026-03-20", "--json"))["appointments"]
    assert [(a["chart_number"], a["start_time"], a["minutes"]) for a in friday] == [("1001", "09:00", 45)]

    with smtp_sink() as (sink, port):
        dry = ok(db_url, "remind", "2026-03-16", "--smtp", f"127.0.0.1:{port}", "--dry-run")
        assert "Would send to cleo@example.com (chart 1003, 09:00)." in dry
        assert "No reminder for chart 1002: no e-mail address on file." in dry and sink.messages == []
        sent = ok(db_url, "remind", "2026-03-16", "--smtp", f"127.0.0.1:{port}")
        assert "1 reminder sent for 2026-03-16." in sent
        [message] = sink.messages
        assert message["To"] == "cleo@example.com" and sink.envelopes[0][1] == ["cleo@example.com"]
        body = message.get_content()
        assert "2026-03-16" in body and "09:00" in body
        for private in ("Cleo", "Diaz", "1003", "decompression", "Table", "sciatica"):
            assert private not in body and private not in message["Subject"]
        again = ok(db_url, "remind", "2026-03-16", "--smtp", f"127.0.0.1:{port}")
        assert "0 reminders sent for 2026-03-16; 1 already reminded." in again and len(sink.messages) == 1
        # Friday: Ann's booked appointment is reminded once too (the cancelled one on the 16th was not).
        ok(db_url, "remind", "2026-03-20", "--smtp", f"127.0.0.1:{port}")
        assert [m["To"] for m in sink.messages] == ["cleo@example.com", "ann.lee@example.com"]


def test_remind_names_every_failure_and_retries_it_next_time(db_url, tmp_path):
    ok(db_url, "import", *map(str, write_clinic(tmp_path)))
    people = tmp_path / "more.csv"
    people.write_text("chart_number,first_name,last_name,date_of_birth,sex,phone,email,insurer\n"
                      "1001,Ann,Lee,1968-04-12,F,555-0101,bounce@example.com,Aetna\n", encoding="utf-8")
    ok(db_url, "import", str(people))
    ok(db_url, "import", str(appointments(tmp_path, "1001,2026-03-16,09:00,45,T1,booked\n"
                                                    "1003,2026-03-16,10:00,45,T1,booked\n")))
    with smtp_sink() as (sink, port):
        result = run(db_url, "remind", "2026-03-16", "--smtp", f"127.0.0.1:{port}")
        assert result.returncode == 1
        assert "Not sent to bounce@example.com (chart 1001, 09:00)" in result.stderr and "550" in result.stderr
        assert "1 reminder sent for 2026-03-16; 1 failed." in result.stdout
        retry = run(db_url, "remind", "2026-03-16", "--smtp", f"127.0.0.1:{port}")
        assert "bounce@example.com" in retry.stderr and "1 already reminded" in retry.stdout
        assert [m["To"] for m in sink.messages] == ["cleo@example.com"]
    down = run(db_url, "remind", "2026-03-16", "--smtp", "127.0.0.1:1")
    assert down.returncode == 1 and "cannot be reached" in down.stderr


def test_bad_appointment_rows_are_named_and_nothing_is_imported(db_url, tmp_path):
    ok(db_url, "import", *map(str, write_clinic(tmp_path)))
    file = appointments(tmp_path, "1001,2026-03-16,09:00,45,T1,booked\n"
                                  "1002,2026-03-16,09:30,45,T1,booked\n"  # T1 taken by line 2
                                  "1001,2026-03-16,09:15,30,T2,booked\n"  # Ann twice at once
                                  "1001,2026-03-22,09:00,45,T1,booked\n"  # a Sunday
                                  "1004,2026-03-17,09:00,45,T1,booked\n"  # no course
                                  "9999,2026-03-17,10:00,45,T1,booked\n"
                                  "1002,2026-13-01,25:00,0,,maybe\n")
    result = run(db_url, "import", str(file))
    assert result.returncode == 1
    err = result.stderr
    assert "appointments.csv line 3: table: T1 is taken: chart 1001 (line 2) on T1, Mon 2026-03-16 09:00-09:45" in err
    assert "appointments.csv line 4: start_time: the patient already has an appointment then" in err
    assert "appointments.csv line 5: start_time: 09:00-09:45 on 2026-03-22 is outside the opening hours" in err
    assert "appointments.csv line 6: chart_number: chart 1004 (line 6) has no active course" in err
    assert "line 7: chart_number: there is no patient with chart number 9999" in err
    for field in ("date", "start_time", "minutes", "table", "status"):
        assert f"line 8: {field}:" in err
    assert json.loads(ok(db_url, "day", "2026-03-16", "--json"))["appointments"] == []
    changed = appointments(tmp_path, "1001,2026-03-16,09:00,45,T1,booked\n", "a.csv")
    ok(db_url, "import", str(changed))
    differs = appointments(tmp_path, "1001,2026-03-16,09:00,45,T1,done\n", "b.csv")
    assert "differs from this row" in run(db_url, "import", str(differs)).stderr


def test_command_line_refusals_are_sentences(db_url, tmp_path):
    ok(db_url, "import", *map(str, write_clinic(tmp_path)))
    ok(db_url, "import", str(appointments(tmp_path, "1001,2026-03-16,09:00,45,T1,booked\n")))
    for args, words in ((("day", "2026-02-30"), "is not a date"),
                        (("book", "1004", "--from", "2026-03-16", "--days", "mon", "--time", "09:00"), "no active course"),
                        (("book", "1001", "--from", "2026-03-16", "--days", "mon,funday", "--time", "09:00"), "weekday"),
                        (("book", "1001", "--from", "2026-03-16", "--days", "mon", "--time", "9"), "not a time"),
                        (("book", "1001", "--from", "2026-03-16", "--days", "mon", "--time", "09:00", "--table", "Nope"),
                         "not one of the clinic's tables"),
                        (("book", "7777", "--from", "2026-03-16", "--days", "mon", "--time", "09:00"), "7777"),
                        (("remind", "2026-03-16"), "No SMTP server"),
                        (("remind", "2026-03-16", "--smtp", "nohost"), "HOST:PORT")):
        result = run(db_url, *args)
        assert result.returncode != 0 and words in result.stderr, (args, result.stderr)


def test_settings_from_the_command_line(db_url):
    assert ok(db_url, "tables").split() == ["Table", "1"]
    assert ok(db_url, "tables", "--set", "North,South").splitlines() == ["North", "South"]
    hours = ok(db_url, "hours", "sat=closed", "mon=07:00-12:00").splitlines()
    assert hours[0] == "mon 07:00-12:00" and hours[5] == "sat closed" and hours[1] == "tue 08:00-19:00"
    assert run(db_url, "hours", "mon=12:00-07:00").returncode == 1
    assert ok(db_url, "appointment-length", "30").strip() == "30"


def test_a_course_plan_from_courses_csv_is_booked_in_full(db_url, tmp_path):
    people = tmp_path / "patients.csv"
    people.write_text("chart_number,first_name,last_name,date_of_birth,sex,phone,email,insurer\n"
                      "2001,Gil,Ames,1970-05-06,M,555-0199,gil@example.com,\n", encoding="utf-8")
    screened = tmp_path / "screenings.csv"
    screened.write_text("chart_number,screened_on,xray_on,xray_abnormal,spinal_hardware,nerve_damage,bone_cancer,"
                        "osteoporosis,pregnant,region,conditions\n"
                        "2001,2026-02-27,2026-02-27,no,no,no,no,no,no,lumbar,sciatica\n", encoding="utf-8")
    courses = tmp_path / "courses.csv"
    courses.write_text("chart_number,region,start_date,planned_sessions,fee_per_session,status,end_date,plan\n"
                       "2001,lumbar,2026-03-02,,,active,,3x4,2x3\n".replace("3x4,2x3", '"3x4,2x3"'), encoding="utf-8")
    ok(db_url, "import", str(people), str(screened), str(courses))
    assert json.loads(ok(db_url, "progress", "2001", "--json"))["sessions_planned"] == 18
    out = ok(db_url, "book", "2001", "--from", "2026-03-02", "--days", "mon,wed,fri", "--time", "10:00")
    assert out.splitlines()[0] == "Booked 18 appointments."
    mine = json.loads(ok(db_url, "appointments", "2001", "--json"))
    assert len(mine["appointments"]) == 18 and mine["no_shows"] == 0
    assert mine["appointments"][-1]["date"] == "2026-04-10"  # one per chosen day: six weeks of three
