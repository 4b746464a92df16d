"""Session field rules: refused (the field named) versus allowed but flagged."""
from datetime import timedelta
from decimal import Decimal

import pytest

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import Scores
from decomp_desk.domain.validation import duration_flagged, validate_session
from tests.domain.builders import TODAY, session_input


def refused(**kw) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        validate_session(session_input(**kw), TODAY)
    return err.value.errors


def test_a_usual_session_is_accepted_without_flags():
    assert validate_session(session_input(), TODAY) == ()


@pytest.mark.parametrize("minutes", [0, -1, -45, 121, 1000])
def test_a_duration_of_zero_negative_or_over_120_is_refused(minutes):
    assert set(refused(duration_min=minutes)) == {"duration_min"}


@pytest.mark.parametrize("minutes", [None, 35.0, "35", True])
def test_a_duration_that_is_not_a_whole_number_is_refused(minutes):
    assert set(refused(duration_min=minutes)) == {"duration_min"}


@pytest.mark.parametrize("minutes, flagged", [(1, True), (29, True), (30, False), (45, False), (46, True),
                                              (120, True)])
def test_durations_outside_30_to_45_are_allowed_but_flagged(minutes, flagged):
    flags = validate_session(session_input(duration_min=minutes), TODAY)
    assert bool(flags) is flagged and duration_flagged(minutes) is flagged
    if flagged:
        assert flags == (f"duration {minutes} min is outside the usual 30 to 45 minutes",)


@pytest.mark.parametrize("which", ["before", "after"])
@pytest.mark.parametrize("score", ["pain", "numbness", "tingling"])
@pytest.mark.parametrize("bad", [-1, 11, 100, 2.5, "5", None, True])
def test_a_score_outside_0_to_10_or_not_whole_is_refused_by_name(which, score, bad):
    scores = {"pain": 5, "numbness": 5, "tingling": 5, score: bad}
    kw = {which: Scores(**scores)}
    errors = refused(**kw)
    assert set(errors) == {f"{score}_{which}"}


@pytest.mark.parametrize("edge", [0, 10])
def test_scores_of_0_and_10_are_accepted(edge):
    assert validate_session(session_input(before=Scores(edge, edge, edge), after=Scores(edge, edge, edge)),
                            TODAY) == ()


@pytest.mark.parametrize("field", ["max_force_lb", "min_force_lb"])
@pytest.mark.parametrize("bad", [Decimal("-0.5"), -1, Decimal("NaN"), Decimal("Infinity"), float("nan")])
def test_a_negative_or_non_numeric_force_is_refused_by_name(field, bad):
    assert set(refused(**{field: bad})) == {field}


def test_zero_force_is_accepted_and_min_above_max_is_refused():
    assert validate_session(session_input(max_force_lb=Decimal(0), min_force_lb=Decimal(0)), TODAY) == ()
    assert set(refused(max_force_lb=Decimal(60), min_force_lb=Decimal("60.5"))) == {"min_force_lb"}


@pytest.mark.parametrize("field", ["hold_s", "rest_s", "progressive_steps", "regressive_steps", "cycles"])
def test_negative_table_settings_are_refused_by_name(field):
    assert set(refused(**{field: -1})) == {field}
    assert validate_session(session_input(**{field: 0}), TODAY) == ()


@pytest.mark.parametrize("angle, ok", [(Decimal(-90), True), (Decimal(90), True), (Decimal("90.1"), False),
                                       (Decimal(-91), False), (Decimal("NaN"), False)])
def test_the_table_angle_is_between_minus_and_plus_90(angle, ok):
    if ok:
        assert validate_session(session_input(angle_deg=angle), TODAY) == ()
    else:
        assert set(refused(angle_deg=angle)) == {"angle_deg"}


def test_a_date_in_the_future_is_refused_and_today_is_not():
    errors = refused(date=TODAY + timedelta(days=1))
    assert set(errors) == {"date"} and "in the future" in errors["date"]
    assert validate_session(session_input(date=TODAY), TODAY) == ()
    assert set(refused(date=None)) == {"date"}


def test_a_stop_minute_needs_the_stop_button():
    assert set(refused(stop_minute=10)) == {"stop_minute"}
    assert set(refused(stop_minute=10, stop_button=False)) == {"stop_minute"}


@pytest.mark.parametrize("minute, ok", [(0, True), (12, True), (35, True), (36, False), (-1, False)])
def test_a_stop_minute_falls_within_the_session(minute, ok):
    kw = dict(stop_button=True, stop_minute=minute)
    if ok:
        assert validate_session(session_input(**kw), TODAY) == ()
    else:
        assert set(refused(**kw)) == {"stop_minute"}


def test_a_short_stop_button_session_is_saved_but_flagged():
    flags = validate_session(session_input(duration_min=12, stop_button=True, stop_minute=12), TODAY)
    assert flags and "12 min" in flags[0]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as err:
        validate_session(session_input(
            date=TODAY + timedelta(days=3), duration_min=0, before=Scores(11, -1, 4), after=Scores(3, 3, 12),
            max_force_lb=Decimal(-5), hold_s=-2, stop_minute=4), TODAY)
    assert set(err.value.errors) == {"date", "duration_min", "pain_before", "numbness_before",
                                     "tingling_after", "max_force_lb", "hold_s", "stop_minute"}
    for field in ("duration min", "pain before", "max force lb", "stop minute"):
        assert field in str(err.value)
