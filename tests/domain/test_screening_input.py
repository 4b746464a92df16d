"""The screening form's date rules (domain/screening_input.py), without a database."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.screening_input import ScreeningInput, validate_screening
from decomp_desk.domain.types import Region

TODAY = date(2026, 3, 20)
DAY = timedelta(days=1)


def screening(on=TODAY, xray_on=TODAY, abnormal=False) -> ScreeningInput:
    return ScreeningInput(screened_on=on, xray_on=xray_on, xray_abnormal=abnormal, region=Region.LUMBAR)


def refused(data: ScreeningInput) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        validate_screening(data, TODAY)
    return e.value.errors


def test_a_screening_today_or_earlier_with_an_earlier_xray_passes():
    validate_screening(screening(), TODAY)
    validate_screening(screening(TODAY - 5 * DAY, TODAY - 30 * DAY, abnormal=True), TODAY)
    validate_screening(screening(xray_on=None), TODAY)  # no x-ray yet: recorded, not cleared


def test_nothing_is_dated_in_the_future():
    assert refused(screening(TODAY + DAY, TODAY + DAY)) == {
        "screened_on": "2026-03-21 is in the future", "xray_on": "2026-03-21 is in the future"}


def test_the_xray_is_not_after_the_screening():
    assert refused(screening(TODAY - 2 * DAY, TODAY - DAY)) == {"xray_on": "is after the screening date"}


def test_an_abnormal_xray_needs_its_date():
    assert refused(screening(xray_on=None, abnormal=True)) == {"xray_abnormal": "needs an x-ray date"}
