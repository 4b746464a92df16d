"""Property-based checks of the session validator: it refuses only with ValidationError, accepts every
in-range session, and names any out-of-range score."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import AdverseEvent, Position, Scores, TableMode
from decomp_desk.domain.validation import SessionInput, validate_session

SCORE_FIELDS = [f"{n}_{w}" for n in ("pain", "numbness", "tingling") for w in ("before", "after")]
any_int = st.integers(min_value=-10**6, max_value=10**6) | st.integers()
decimals = st.decimals(allow_nan=True, allow_infinity=True) | st.integers().map(Decimal)
times = st.none() | st.times()


def maybe(strategy):
    return st.none() | strategy


def scores(values):
    return st.builds(Scores, values, values, values)


@st.composite
def arbitrary_sessions(draw):
    return SessionInput(
        date=draw(st.dates()), start_time=draw(times), duration_min=draw(any_int),
        position=draw(st.sampled_from(Position)), before=draw(scores(any_int)),
        after=draw(maybe(scores(any_int))), harness=draw(st.booleans()),
        max_force_lb=draw(maybe(decimals)), min_force_lb=draw(maybe(decimals)),
        mode=draw(maybe(st.sampled_from(TableMode))),
        hold_s=draw(maybe(any_int)), rest_s=draw(maybe(any_int)), progressive_steps=draw(maybe(any_int)),
        regressive_steps=draw(maybe(any_int)), cycles=draw(maybe(any_int)), angle_deg=draw(maybe(decimals)),
        stop_button=draw(st.booleans()), stop_minute=draw(maybe(any_int)),
        adverse_events=draw(st.frozensets(st.sampled_from(AdverseEvent))),
    )


@given(arbitrary_sessions(), st.dates())
def test_validate_session_refuses_only_with_validation_error(session, today):
    try:
        flags = validate_session(session, today)
    except ValidationError as err:
        assert err.errors and all(isinstance(m, str) and m for m in err.errors.values())
        assert str(err)
    else:
        assert isinstance(flags, tuple) and all(isinstance(f, str) for f in flags)


in_range_score = st.integers(0, 10)
force = st.decimals(min_value=0, max_value=500, places=1)
small = st.integers(0, 600)


@st.composite
def valid_sessions(draw, today):
    duration = draw(st.integers(1, 120))
    stop = draw(st.booleans())
    low, high = sorted([draw(force), draw(force)])
    return SessionInput(
        date=draw(st.dates(max_value=today)), start_time=draw(times), duration_min=duration,
        position=draw(st.sampled_from(Position)), before=draw(scores(in_range_score)),
        after=draw(maybe(scores(in_range_score))), harness=draw(st.booleans()),
        max_force_lb=draw(maybe(st.just(high))), min_force_lb=draw(maybe(st.just(low))),
        mode=draw(maybe(st.sampled_from(TableMode))), hold_s=draw(maybe(small)), rest_s=draw(maybe(small)),
        progressive_steps=draw(maybe(small)), regressive_steps=draw(maybe(small)), cycles=draw(maybe(small)),
        angle_deg=draw(maybe(st.decimals(min_value=-90, max_value=90, places=1))),
        stop_button=stop, stop_minute=draw(maybe(st.integers(0, duration))) if stop else None,
        adverse_events=draw(st.frozensets(st.sampled_from(AdverseEvent))),
    )


TODAY = date(2026, 3, 20)


@given(valid_sessions(TODAY))
def test_every_in_range_session_is_accepted_and_flagged_only_for_an_unusual_duration(session):
    flags = validate_session(session, TODAY)
    assert bool(flags) is not (30 <= session.duration_min <= 45)


out_of_range = st.integers(max_value=-1) | st.integers(min_value=11)


@given(valid_sessions(TODAY), st.sampled_from(SCORE_FIELDS), out_of_range)
def test_any_score_outside_0_to_10_is_refused_naming_that_field(session, field, bad):
    name, which = field.split("_")
    base = getattr(session, which) or Scores(0, 0, 0)
    values = {**base.as_dict(), name: bad}
    changed = replace(session, **{which: Scores(**values)})
    try:
        validate_session(changed, TODAY)
    except ValidationError as err:
        assert set(err.errors) == {field}
        assert str(bad) in err.errors[field]
    else:
        pytest.fail(f"{field}={bad} was accepted")
