"""Patient fields, and the small parsers the import, the command line and the forms share."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.validation import (
    parse_date,
    parse_decimal,
    parse_int,
    parse_time,
    parse_yes_no,
    validate_patient,
)
from tests.domain.builders import TODAY, patient_input


def refused(**kw) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        validate_patient(patient_input(**kw), TODAY)
    return err.value.errors


def test_a_patient_is_returned_trimmed():
    p = validate_patient(patient_input(chart_number=" A-12/3 ", first_name=" Ann ", last_name=" Lee ",
                                       date_of_birth=date(1961, 5, 4), sex="F", phone=" (555) 867-5309 ",
                                       email=" ann@example.com ", insurer=" Aetna ", notes=" as typed "), TODAY)
    assert (p.chart_number, p.first_name, p.last_name) == ("A-12/3", "Ann", "Lee")
    assert (p.phone, p.email, p.insurer) == ("(555) 867-5309", "ann@example.com", "Aetna")
    assert p.notes == " as typed "


@pytest.mark.parametrize("field", ["chart_number", "first_name", "last_name"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_chart_number_and_names_are_required(field, blank):
    assert refused(**{field: blank}) == {field: "is required"}


@pytest.mark.parametrize("chart", ["-12", "12 34", "A" * 33, "#5"])
def test_a_chart_number_holds_letters_digits_and_a_few_marks(chart):
    assert set(refused(chart_number=chart)) == {"chart_number"}


def test_a_date_of_birth_in_the_future_or_before_1900_is_refused():
    assert set(refused(date_of_birth=TODAY + timedelta(days=1))) == {"date_of_birth"}
    assert set(refused(date_of_birth=date(1899, 12, 31))) == {"date_of_birth"}
    assert validate_patient(patient_input(date_of_birth=TODAY), TODAY).date_of_birth == TODAY


@pytest.mark.parametrize("sex, ok", [("", True), ("F", True), ("M", True), ("X", True), ("f", False),
                                     ("Female", False)])
def test_sex_is_f_m_x_or_empty(sex, ok):
    if ok:
        assert validate_patient(patient_input(sex=sex), TODAY).sex == sex
    else:
        assert set(refused(sex=sex)) == {"sex"}


@pytest.mark.parametrize("field, bad", [("email", "ann@"), ("email", "ann example.com"), ("phone", "call me"),
                                        ("phone", "12345")])
def test_email_and_phone_when_given_must_look_right(field, bad):
    assert set(refused(**{field: bad})) == {field}


def test_every_bad_patient_field_is_reported_at_once():
    errors = refused(chart_number="", first_name="", last_name="", sex="Q", email="x", phone="?",
                     date_of_birth=TODAY + timedelta(days=1))
    assert set(errors) == {"chart_number", "first_name", "last_name", "sex", "email", "phone", "date_of_birth"}


def field_of(call, *args):
    with pytest.raises(ValidationError) as err:
        call(*args)
    return err.value.errors


def test_parse_date():
    assert parse_date("date", " 2026-03-02 ") == date(2026, 3, 2)
    for bad in ("", None, "03/02/2026", "2026-02-30", "yesterday"):
        assert set(field_of(parse_date, "screened_on", bad)) == {"screened_on"}


def test_parse_time():
    assert parse_time("start_time", "09:30") == time(9, 30)
    assert parse_time("start_time", "7:05") == time(7, 5)
    for bad in ("", "9", "24:00", "12:60", "9.30", "09:30:00", None):
        assert set(field_of(parse_time, "start_time", bad)) == {"start_time"}


def test_parse_int():
    assert parse_int("pain", " 7 ") == 7 and parse_int("pain", "-3") == -3
    assert field_of(parse_int, "pain", "") == {"pain": "is required"}
    for bad in ("7.0", "seven", "1e3", "+"):
        assert set(field_of(parse_int, "pain", bad)) == {"pain"}


def test_parse_decimal():
    assert parse_decimal("max_force_lb", "65.5") == Decimal("65.5")
    assert parse_decimal("max_force_lb", "1,200") == Decimal(1200)
    assert field_of(parse_decimal, "max_force_lb", " ") == {"max_force_lb": "is required"}
    for bad in ("abc", "NaN", "Infinity", "-inf", "6 5"):
        assert set(field_of(parse_decimal, "max_force_lb", bad)) == {"max_force_lb"}


@pytest.mark.parametrize("text, value", [("yes", True), ("Y", True), ("true", True), ("1", True),
                                         (" no ", False), ("N", False), ("false", False), ("0", False)])
def test_parse_yes_no(text, value):
    assert parse_yes_no("pregnant", text) is value


@pytest.mark.parametrize("bad", ["", None, "maybe", "si"])
def test_parse_yes_no_refuses_anything_else(bad):
    assert set(field_of(parse_yes_no, "pregnant", bad)) == {"pregnant"}
