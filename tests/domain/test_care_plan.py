"""The care plan: phases, total, expected by a day, behind (DOMAIN.md, "Care plan and appointment book")."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decomp_desk.domain.care_plan import CarePlan, Phase, parse_plan, planned_sessions_for, track
from decomp_desk.domain.errors import ValidationError

START = date(2026, 3, 2)  # a Monday


def test_parse_total_and_text():
    plan = parse_plan("3x4,2x3")
    assert plan.phases == (Phase(3, 4), Phase(2, 3))
    assert plan.total == 18 and plan.weeks == 7 and plan.text == "3x4,2x3"
    assert plan.weekly() == (3, 3, 3, 3, 2, 2, 2)
    assert parse_plan(" 3 X 4 , 2x3 ").text == "3x4,2x3"
    assert plan.describe() == "3 a week for 4 weeks, then 2 a week for 3 weeks (18 visits)"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_no_plan(text):
    assert parse_plan(text) is None


@pytest.mark.parametrize("text, words", [
    ("3x", "is not a phase"), ("3x4,,2x3", "is not a phase"), ("abc", "is not a phase"), ("0x4", "visits a week"),
    ("8x2", "visits a week"), ("3x0", "number of weeks"), ("3x53", "number of weeks"), ("7x30", "at most 200"),
    ("-3x4", "is not a phase"), ("3.5x4", "is not a phase"),
])
def test_bad_plans_name_the_field(text, words):
    with pytest.raises(ValidationError) as e:
        parse_plan(text, "plan")
    assert list(e.value.errors) == ["plan"] and words in e.value.errors["plan"]


def test_expected_counts_only_finished_weeks():
    plan = parse_plan("3x4,2x3")
    assert plan.expected_by(START, START - timedelta(days=1)) == 0
    assert plan.expected_by(START, START) == 0  # week 0 is not finished on its own days
    assert plan.expected_by(START, START + timedelta(days=6)) == 0
    assert plan.expected_by(START, START + timedelta(days=7)) == 3  # week 1 begins: week 0 is finished
    assert plan.expected_by(START, START + timedelta(days=13)) == 3
    assert plan.expected_by(START, START + timedelta(days=14)) == 6
    assert plan.expected_by(START, START + timedelta(days=28)) == 12  # four weeks of 3
    assert plan.expected_by(START, START + timedelta(days=35)) == 14  # then 2 a week
    assert plan.expected_by(START, START + timedelta(days=49)) == 18  # the whole plan
    assert plan.expected_by(START, START + timedelta(days=400)) == 18  # never more than the total


def test_behind_is_expected_minus_recorded_up_to_the_day_when_above_zero():
    plan = parse_plan("3x4,2x3")
    day = START + timedelta(days=15)  # week 2: 6 expected
    sessions = [START, START + timedelta(days=2), START + timedelta(days=8), START + timedelta(days=20)]
    t = track(plan, START, sessions, day)
    assert (t.expected, t.recorded, t.behind, t.planned) == (6, 3, 3, 18)
    assert t.describe() == "expected 6 by 2026-03-17, 3 recorded: 3 behind"
    ahead = track(plan, START, [START + timedelta(days=i) for i in range(8)], day)
    assert ahead.behind == 0 and ahead.describe().endswith("on plan")
    assert track(None, START, sessions, day) is None


def test_planned_sessions_follow_the_plan():
    assert planned_sessions_for("3x4,2x3", None) == 18
    assert planned_sessions_for("3x4,2x3", 18) == 18
    assert planned_sessions_for("", 24) == 24
    assert planned_sessions_for(None, None) is None
    with pytest.raises(ValidationError) as e:
        planned_sessions_for("3x4,2x3", 30)
    assert e.value.errors == {"planned_sessions": "is 30, but the plan 3x4,2x3 totals 18"}


phases = st.lists(st.tuples(st.integers(1, 7), st.integers(1, 6)), min_size=1, max_size=4)


@given(phases, st.integers(-10, 400))
def test_expected_is_the_sum_of_whole_weeks_before_the_day(ph, offset):
    plan = CarePlan(tuple(Phase(a, b) for a, b in ph))
    assert parse_plan(plan.text) == plan
    day = START + timedelta(days=offset)
    expected = plan.expected_by(START, day)
    brute = sum(plan.weekly()[w] for w in range(len(plan.weekly())) if offset >= 0 and 7 * w + 6 < offset)
    assert expected == brute
    assert 0 <= expected <= plan.total
    assert plan.expected_by(START, day + timedelta(days=1)) >= expected  # never falls as days pass
