"""Whatever the cells of an import file hold, the import either takes the files whole or refuses them
with bad rows named by line and field: never another exception (both databases)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decomp_desk.bootstrap import open_services
from decomp_desk.services.imports.importing import ImportRejected, import_files
from tests.conftest import CLINICIAN
from tests.csv_clinic import HEADERS

COURSES = "chart_number,region,start_date,planned_sessions,fee_per_session,status,end_date,plan"
SESSIONS = HEADERS["sessions"] + ",region"

plausible = {
    "chart_number": st.sampled_from(["1001", "1002", "", "'=1", "x" * 40]),
    "date": st.sampled_from(["2026-03-02", "2026-03-03", "0001-01-01", "9999-12-31", "2026-02-30", "", "'-2026"]),
    "number": st.sampled_from(["0", "5", "35", "-1", "1e999", "NaN", "9" * 50, "3.5", "", "'+4", "1,000"]),
    "yes_no": st.sampled_from(["yes", "no", "", "maybe"]),
    "region": st.sampled_from(["lumbar", "cervical", "", "thoracic"]),
    "text": st.text(st.characters(blacklist_categories=["Cs"]), max_size=30) | st.sampled_from(["x" * 10_001, "'@a"]),
}
KIND_OF = {"date": "date", "screened_on": "date", "xray_on": "date", "start_date": "date", "end_date": "date",
           "date_of_birth": "date", "duration_min": "number", "max_force_lb": "number", "pain": "number",
           "numbness": "number", "tingling": "number", "planned_sessions": "number", "fee_per_session": "number",
           "amount": "number", "xray_abnormal": "yes_no", "spinal_hardware": "yes_no", "nerve_damage": "yes_no",
           "bone_cancer": "yes_no", "osteoporosis": "yes_no", "pregnant": "yes_no", "stop_button": "yes_no",
           "region": "region", "chart_number": "chart_number"}


def rows(header: str):
    cells = [plausible[KIND_OF.get(name, "text")] for name in header.split(",")]
    return st.lists(st.tuples(*cells), min_size=1, max_size=4)


def as_csv(header: str, body) -> str:
    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c
    return header + "\n" + "".join(",".join(cell(c) for c in row) + "\n" for row in body)


@pytest.fixture
def clinic(db_url):
    sv = open_services(db_url, CLINICIAN)
    yield sv
    sv.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patients=rows(HEADERS["patients"]), screenings=rows(HEADERS["screenings"]), courses=rows(COURSES),
       sessions=rows(SESSIONS), payments=rows(HEADERS["payments"]), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_garbage_is_taken_whole_or_refused_row_by_row(clinic, tmp_path_factory, patients, screenings, courses,
                                                      sessions, payments, newline):
    folder = tmp_path_factory.mktemp("garbage")
    paths = []
    for name, header, body in (("p.csv", HEADERS["patients"], patients), ("s.csv", HEADERS["screenings"], screenings),
                               ("c.csv", COURSES, courses), ("v.csv", SESSIONS, sessions),
                               ("m.csv", HEADERS["payments"], payments)):
        path = folder / name
        path.write_bytes(as_csv(header, body).replace("\n", newline).encode("utf-8"))
        paths.append(path)
    try:
        import_files(clinic.ctx, paths)
    except ImportRejected as e:
        assert e.rows and all(r.line >= 1 and r.field and r.message for r in e.rows)
