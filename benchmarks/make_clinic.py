"""Ten busy years as import files: 10,000 patients, each screened and treated through a course of 30
sessions (300,000 sessions, about 50 a working day), in DOMAIN.md's CSV format."""
from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Ann", "Bea", "Carl", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jill", "Ken", "Lena", "Mo", "Nia",
         "Omar", "Pia", "Quin", "Rosa", "Sam", "Tess", "Uma", "Vic", "Wes", "Xena", "Yara", "Zed"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson"]
INSURERS = ["Blue Cross Blue Shield", "Aetna", "Cigna", "UnitedHealthcare", "Humana", ""]


def write_clinic(folder: Path, patients: int = 10_000, sessions_per_patient: int = 30, end: date | None = None,
                 seed: int = 7) -> dict[str, Path]:
    """Write patients.csv, screenings.csv and sessions.csv; return their paths by kind."""
    rnd = random.Random(seed)
    end = end or date.today() - timedelta(days=1)
    span = 3650  # ten years of first visits
    folder.mkdir(parents=True, exist_ok=True)
    paths = {k: folder / f"{k}.csv" for k in ("patients", "screenings", "sessions")}
    with paths["patients"].open("w", newline="") as pf, paths["screenings"].open("w", newline="") as sf, \
            paths["sessions"].open("w", newline="") as tf:
        pw, sw, tw = csv.writer(pf), csv.writer(sf), csv.writer(tf)
        pw.writerow("chart_number,first_name,last_name,date_of_birth,sex,phone,email,insurer".split(","))
        sw.writerow(("chart_number,screened_on,xray_on,xray_abnormal,spinal_hardware,nerve_damage,bone_cancer,"
                     "osteoporosis,pregnant,region,conditions").split(","))
        tw.writerow(("chart_number,date,start_time,duration_min,position,max_force_lb,pain,numbness,tingling,"
                     "stop_button,adverse_events,notes").split(","))
        for i in range(patients):
            chart = str(100000 + i)
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            dob = date(1940, 1, 1) + timedelta(days=rnd.randrange(60 * 365))
            pw.writerow([chart, first, last, dob.isoformat(), rnd.choice("FMX"), f"555-{rnd.randrange(100, 999)}-{i % 10000:04d}",
                         f"{first.lower()}.{last.lower()}{i}@example.com", rnd.choice(INSURERS)])
            screened = end - timedelta(days=span) + timedelta(days=rnd.randrange(span - 120))
            region = "lumbar" if rnd.random() < 0.8 else "cervical"
            sw.writerow([chart, screened.isoformat(), (screened - timedelta(days=2)).isoformat(), "no", "no", "no",
                         "no", "no", "no", region, "herniated_disc;sciatica" if region == "lumbar" else "neck_back_pain"])
            pain = rnd.randrange(5, 10)
            day = screened + timedelta(days=1)
            for n in range(sessions_per_patient):
                while day.weekday() >= 5:
                    day += timedelta(days=1)
                if n and rnd.random() < 0.5:
                    pain = max(0, pain - 1)
                stop = rnd.random() < 0.02
                tw.writerow([chart, day.isoformat(), f"{8 + (i + n) % 10:02d}:{(n * 7) % 60:02d}",
                             20 if stop else rnd.choice((30, 35, 40, 45)), "face_down" if region == "lumbar" else "face_up",
                             rnd.randrange(40, 110) if region == "lumbar" else rnd.randrange(10, 30), pain,
                             max(0, pain - 2), max(0, pain - 3), "yes" if stop else "no",
                             "soreness" if rnd.random() < 0.1 else "", ""])
                day += timedelta(days=rnd.choice((2, 2, 3)))
    return paths


if __name__ == "__main__":
    import sys

    print(write_clinic(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/work")))
