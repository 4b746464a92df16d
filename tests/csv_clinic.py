"""A small clinic as the import files of DOMAIN.md, with the progress figures it must give.
Import as `from tests.csv_clinic import ...`."""
from __future__ import annotations

from pathlib import Path

HEADERS = {
    "patients": "chart_number,first_name,last_name,date_of_birth,sex,phone,email,insurer",
    "screenings": "chart_number,screened_on,xray_on,xray_abnormal,spinal_hardware,nerve_damage,bone_cancer,"
                  "osteoporosis,pregnant,region,conditions",
    "sessions": "chart_number,date,start_time,duration_min,position,max_force_lb,pain,numbness,tingling,stop_button,"
                "adverse_events,notes",
    "payments": "chart_number,date,amount,method",
}

PATIENTS = """\
1001,Ann,Lee,1968-04-12,F,555-0101,ann.lee@example.com,Aetna
1002,Bob,Ray,1975-09-30,M,555-0102,,Medicare
1003,Cleo,Diaz,1990-01-05,F,555-0103,cleo@example.com,
1004,Dan,Wu,,X,,,Cigna
"""
# 1003 is pregnant from 2026-03-20 on; 1004 has no x-ray.
SCREENINGS = """\
1001,2026-03-02,2026-02-27,no,no,no,no,no,no,lumbar,herniated_disc;sciatica
1002,2026-03-02,2026-03-01,no,no,no,no,no,no,cervical,neck_back_pain
1003,2026-03-02,2026-03-01,no,no,no,no,no,no,lumbar,sciatica
1003,2026-03-20,2026-03-01,no,no,no,no,no,yes,lumbar,sciatica
1004,2026-03-02,,,no,no,no,no,no,lumbar,
"""
# Not in date order: the baseline is the earliest session, whatever the file's order.
SESSIONS = """\
1001,2026-03-05,09:00,40,face_down,65,7,5,3,no,,
1001,2026-03-03,09:00,35,face_down,60,8,5,4,no,soreness,
1001,2026-03-10,09:15,20,face_down,70,6,4,3,yes,muscle_spasm;soreness,stopped early
1001,2026-03-12,09:00,45,face_down,70.5,4,2,1,no,other,"dizzy, then fine"
1002,2026-03-04,10:00,30,face_up,15,5,0,2,no,,
1002,2026-03-06,10:00,30,face_up,18,5,0,1,no,,
1003,2026-03-10,11:00,30,face_down,50,6,3,3,no,,
"""
PAYMENTS = """\
1001,2026-03-03,170.00,card
1002,2026-03-04,85,cash
"""
FILES = {"patients": PATIENTS, "screenings": SCREENINGS, "sessions": SESSIONS, "payments": PAYMENTS}

PROGRESS_1001 = {
    "chart_number": "1001", "sessions_completed": 4, "sessions_planned": 30,
    "first_session": "2026-03-03", "latest_session": "2026-03-12",
    "baseline": {"pain": 8, "numbness": 5, "tingling": 4}, "latest": {"pain": 4, "numbness": 2, "tingling": 1},
    "change": {"pain": -4, "numbness": -3, "tingling": -3},
    "improvement_percent": {"pain": 50, "numbness": 60, "tingling": 75},
    "meaningful_pain_improvement": True, "stop_button_count": 1, "adverse_event_count": 2,
}


def write_csv(folder: Path, name: str, kind: str, body: str) -> Path:
    """`body` (rows, without the header) as a UTF-8 CSV file named `name`."""
    path = folder / name
    path.write_text(HEADERS[kind] + "\n" + body, encoding="utf-8")
    return path


def write_clinic(folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """The four files (named by kind unless `names` says otherwise), payments first: the import orders them."""
    names = names or {}
    return [write_csv(folder, names.get(kind, f"{kind}.csv"), kind, FILES[kind]) for kind in reversed(list(FILES))]
