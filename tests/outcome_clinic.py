"""Outcome forms for the small CSV clinic of tests/csv_clinic.py (import as `from tests.outcome_clinic import ...`)."""
from __future__ import annotations

from pathlib import Path

from tests.csv_clinic import write_clinic

OUTCOMES_HEADER = "chart_number,date,instrument,answers,region"
# 1001: lumbar course 2026-03-03..; 1002: cervical course 2026-03-04..
OUTCOMES = """\
1001,2026-03-03,odi,3;2;;4;1;0;2;3;1;2,
1001,2026-03-12,odi,1;1;;2;1;0;1;1;1;1,
1001,2026-03-03,psfs,tie shoes=3;walk 30 minutes=4;lift grandchild=2,
1001,2026-03-12,psfs,tie shoes=6;walk 30 minutes=6;lift grandchild=5,lumbar
1002,2026-03-04,ndi,2;2;2;2;2;2;2;2;;,
"""
OUTCOMES_1001 = {
    "chart_number": "1001", "region": "lumbar", "sessions_completed": 4, "sessions_planned": 30,
    "instruments": {
        "odi": {"forms": [{"date": "2026-03-03", "answered": 9, "score": 40, "band": "moderate"},
                          {"date": "2026-03-12", "answered": 9, "score": 20, "band": "minimal"}],
                "baseline": {"date": "2026-03-03", "score": 40}, "latest": {"date": "2026-03-12", "score": 20},
                "change": -20, "meaningful": True},
        "psfs": {"forms": [{"date": "2026-03-03", "answered": 3, "score": 3.0, "band": None},
                           {"date": "2026-03-12", "answered": 3, "score": 5.7, "band": None}],
                 "baseline": {"date": "2026-03-03", "score": 3.0}, "latest": {"date": "2026-03-12", "score": 5.7},
                 "change": 2.7, "meaningful": True},
    },
    "missing": [],
}


def write_outcomes(folder: Path, body: str = OUTCOMES, name: str = "outcomes.csv") -> Path:
    path = folder / name
    path.write_text(OUTCOMES_HEADER + "\n" + body, encoding="utf-8")
    return path


def write_clinic_with_outcomes(folder: Path) -> list[Path]:
    return [write_outcomes(folder), *write_clinic(folder)]
