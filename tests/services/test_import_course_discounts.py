"""courses.csv's optional discount columns (written by the export, so a round trip keeps every balance):
read into the course, and checked as the course form checks them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from decomp_desk.services.imports.importing import ImportRejected, import_files
from tests.csv_clinic import write_csv

COURSES = ("chart_number,region,start_date,planned_sessions,fee_per_session,status,end_date,discount_percent,"
           "discount_amount\n")


def clinic(folder, courses: str):
    write_csv(folder, "patients.csv", "patients", "1001,Ann,Lee,1968-04-12,F,,,\n1002,Bob,Ray,,M,,,\n")
    write_csv(folder, "screenings.csv", "screenings", "1001,2026-03-02,2026-03-01,no,no,no,no,no,no,lumbar,\n"
                                                      "1002,2026-03-02,2026-03-01,no,no,no,no,no,no,lumbar,\n")
    (folder / "courses.csv").write_text(COURSES + courses, encoding="utf-8")
    return [folder / n for n in ("patients.csv", "screenings.csv", "courses.csv")]


def test_the_discounts_are_read_into_the_courses(services, tmp_path):
    import_files(services.ctx, clinic(tmp_path, "1001,lumbar,2026-03-02,30,85.00,active,,10.00,\n"
                                                "1002,lumbar,2026-03-02,20,90.00,active,,,150.00\n"))
    ann, bob = (services.courses.current(services.patients.by_chart(c).id) for c in ("1001", "1002"))
    assert (ann.discount_percent, ann.discount_amount) == (Decimal("10.00"), None)
    assert (bob.discount_percent, bob.discount_amount) == (None, Decimal("150.00"))


def test_a_bad_discount_is_a_bad_row(services, tmp_path):
    with pytest.raises(ImportRejected) as e:
        import_files(services.ctx, clinic(tmp_path, "1001,lumbar,2026-03-02,30,85.00,active,,120,\n"
                                                    "1002,lumbar,2026-03-02,30,85.00,active,,10,50.00\n"))
    assert {(r.line, r.field) for r in e.value.rows} == {(2, "discount_percent"), (3, "discount_amount")}
    assert services.patients.list() == []
