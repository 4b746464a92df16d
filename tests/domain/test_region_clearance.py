"""Per-region clearance (domain/clearance.py) and the course rules (domain/course_rules.py, plan_text.py):
worked cases, then every combination against a plain reference reading of DOMAIN.md."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decomp_desk.domain.clearance import clearance_for, usual_region
from decomp_desk.domain.course_rules import CourseSpan, holding, may_start_earlier, span_problem
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.plan_text import parse_plan, plan_total
from decomp_desk.domain.types import ClearanceState, Contraindication, CourseStatus, Region, ScreeningFacts

D0 = date(2026, 3, 2)
L, C = Region.LUMBAR, Region.CERVICAL


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def facts(n=0, region=L, xray=True, abnormal=False, contra=()):
    return ScreeningFacts(day(n), day(n) if xray else None, abnormal, frozenset(contra), region)


def test_a_neck_xray_never_clears_the_low_back():
    result = clearance_for([facts(region=C)], L, D0)
    assert (result.state, result.reasons) == (ClearanceState.NOT_CLEARED, ("no lumbar x-ray on file",))
    assert clearance_for([facts(region=C)], C, D0).cleared


def test_a_contraindication_of_any_region_refuses_every_region():
    history = [facts(0, L), facts(1, C, contra=[Contraindication.PREGNANT])]
    assert clearance_for(history, L, day(1)).reasons == ("pregnancy",)
    assert clearance_for(history, L, day(0)).cleared  # sessions before it stay cleared


def test_the_newest_of_the_region_governs_the_xray_and_every_reason_is_named():
    history = [facts(0, L), facts(2, L, abnormal=True), facts(3, C, contra=[Contraindication.OSTEOPOROSIS,
                                                                           Contraindication.BONE_CANCER])]
    assert clearance_for(history, L, day(3)).reasons == (
        "the lumbar x-ray shows a bone abnormality", "bone cancer", "osteoporosis")
    assert clearance_for(history, C, day(3)).reasons == ("bone cancer", "osteoporosis")


def test_of_the_same_day_the_one_recorded_last_is_newer():
    clean, pregnant = facts(0), facts(0, contra=[Contraindication.PREGNANT])
    assert not clearance_for([clean, pregnant], L, D0).cleared
    assert clearance_for([pregnant, clean], L, D0).cleared


def test_nothing_screened_on_or_before_the_day():
    result = clearance_for([facts(5)], L, D0)
    assert (result.state, result.reasons) == (ClearanceState.NOT_SCREENED, ("no screening on file",))
    assert usual_region([facts(0, C), facts(1, L)], day(0)) is C


screenings = st.lists(st.builds(facts, st.integers(0, 4), st.sampled_from([L, C]), st.booleans(), st.booleans(),
                                st.lists(st.sampled_from(list(Contraindication)), max_size=2)), max_size=5)


def reference(history, region, on):
    """DOMAIN.md's words, literally: (a) the newest of any region names no contraindication; (b) the
    newest of the region has an x-ray date and no abnormality; same day: the later given."""
    dated = [(s.screened_on, i, s) for i, s in enumerate(history) if s.screened_on <= on]
    if not dated:
        return None
    newest_any = max(dated)[2]
    mine = [t for t in dated if t[2].region is region]
    newest_mine = max(mine)[2] if mine else None
    xray_ok = newest_mine is not None and newest_mine.xray_on is not None and not newest_mine.xray_abnormal
    return xray_ok and not newest_any.contraindications


@settings(max_examples=400)
@given(screenings, st.sampled_from([L, C]), st.integers(-1, 5))
def test_clearance_agrees_with_the_rule_as_written(history, region, n):
    expected, result = reference(history, region, day(n)), clearance_for(history, region, day(n))
    if expected is None:
        assert result.state is ClearanceState.NOT_SCREENED
    else:
        assert result.cleared is expected
        assert bool(result.reasons) is (not expected)  # a refusal always says why


def span(key, region, start, end=None, status=None):
    status = status or (CourseStatus.ACTIVE if end is None else CourseStatus.COMPLETED)
    return CourseSpan(key, region, day(start), None if end is None else day(end), status)


def test_course_spans():
    done, active = span(1, L, 0, 10), span(2, L, 20)
    assert span_problem(span(None, L, 30), [done, active]).startswith("the patient already has the active lumbar")
    assert "overlap" in span_problem(span(None, L, 5, 12, CourseStatus.DISCONTINUED), [done, active])
    assert span_problem(span(None, L, 11, 19, CourseStatus.DISCONTINUED), [done, active]) is None
    assert span_problem(span(None, L, 10, 20, CourseStatus.DISCONTINUED), [done, active]) is None  # boundary days
    assert "overlap" in span_problem(span(None, L, 9, 12, CourseStatus.DISCONTINUED), [done])
    assert span_problem(span(None, C, 0), [done, active]) is None  # another region
    assert span_problem(span(None, L, 12, 11), []).startswith("the course would end")
    assert holding([done, active], L, day(10)) is done and holding([done, active], L, day(15)) is None
    assert may_start_earlier(active, [done, active], day(11)) is None
    assert may_start_earlier(active, [done, active], day(10)) is None  # the day the last one ended
    assert "within the completed lumbar course" in may_start_earlier(active, [done, active], day(9))


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 10), st.booleans()), max_size=6))
def test_courses_accepted_one_by_one_never_overlap(wanted):
    kept: list[CourseSpan] = []
    for i, (start, length, active) in enumerate(wanted):
        c = span(i, L, start, None if active else start + length)
        if span_problem(c, kept) is None:
            kept.append(c)
    assert sum(c.end is None for c in kept) <= 1
    assert all(not a.overlaps(b) for a in kept for b in kept if a is not b)
    # Every day belongs to at most one course, or to two that meet on it (the later one takes it).
    for n in range(0, 45):
        holders = [c for c in kept if c.holds(day(n))]
        assert len(holders) <= 2
        if len(holders) == 2:
            assert {holders[0].start, holders[0].end} & {holders[1].start, holders[1].end} == {day(n)}


def test_plans():
    assert plan_total(parse_plan("plan", "3x4,2x3")) == 18
    assert plan_total(parse_plan("plan", " 3 x 4 ")) == 12
    for bad in ("", "3x", "3x4;2x3", "8x1", "3x0", "x4", "9" * 400):
        with pytest.raises(ValidationError):
            parse_plan("plan", bad)
