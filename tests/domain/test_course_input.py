"""The course form's field rules (domain/course_input.py), without a database: every wrong field is named
at once, in the sentences the form shows beside each field."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from decomp_desk.domain.course_input import CourseInput, validate_course
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import Region

DAY = date(2026, 3, 2)


def refused(**fields) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        validate_course(CourseInput(Region.LUMBAR, DAY, **fields))
    return e.value.errors


def test_a_course_with_the_clinics_defaults_or_sound_figures_passes():
    validate_course(CourseInput(Region.LUMBAR, DAY))
    validate_course(CourseInput(Region.CERVICAL, DAY, 24, Decimal("62.50"), discount_percent=Decimal("12.5"),
                                plan="3x4,2x3"))
    validate_course(CourseInput(Region.LUMBAR, DAY, 1, discount_amount=Decimal("1000000")))
    validate_course(CourseInput(Region.LUMBAR, DAY, 200, plan=""))  # '' is no plan


@pytest.mark.parametrize("planned", [0, -3, 201])
def test_the_planned_count_is_from_1_to_200(planned):
    assert refused(planned_sessions=planned) == {"planned_sessions": "must be from 1 to 200"}


@pytest.mark.parametrize("percent", [Decimal(x) for x in ("-1", "100.01", "12.345", "NaN", "Infinity")])
def test_a_discount_percent_is_from_0_to_100_in_cents(percent):
    assert refused(discount_percent=percent) == {
        "discount_percent": "must be from 0 to 100, with at most two decimals"}


@pytest.mark.parametrize("amount", [Decimal(x) for x in ("-0.01", "1000000.01", "0.043", "1E+30", "sNaN")])
def test_a_discount_amount_is_up_to_a_million_dollars_in_cents(amount):
    assert refused(discount_amount=amount) == {
        "discount_amount": "must be from $0.00 to $1,000,000.00, with at most two decimals"}


def test_a_discount_is_a_percent_or_an_amount_not_both():
    assert refused(discount_percent=Decimal("10"), discount_amount=Decimal("50")) == {
        "discount_amount": "give a discount as a percent or as an amount, not both"}
    validate_course(CourseInput(Region.LUMBAR, DAY, discount_percent=Decimal("0"), discount_amount=Decimal("50")))


def test_every_wrong_field_is_named_at_once():
    errors = refused(planned_sessions=0, fee_per_session=Decimal("-5"), discount_percent=Decimal("150"),
                     plan="three a week")
    assert set(errors) >= {"planned_sessions", "fee_per_session", "discount_percent"}
    assert len(errors) == 4  # and the care plan's own field
