"""Screening rules 1-4 of DOMAIN.md, and which screening governs a session's date."""
from itertools import combinations, permutations

import pytest

from decomp_desk.domain.eligibility import (
    NO_SCREENING,
    NO_XRAY,
    XRAY_ABNORMAL,
    assess,
    clearance_on,
    governing,
)
from decomp_desk.domain.types import ClearanceState, Contraindication
from tests.domain.builders import DAY0, day, screening

C = Contraindication
LABELS = {
    C.SPINAL_HARDWARE: "screws or metal plates in the spine",
    C.NERVE_DAMAGE: "nerve damage",
    C.BONE_CANCER: "bone cancer",
    C.OSTEOPOROSIS: "osteoporosis",
    C.PREGNANT: "pregnancy",
}


def test_a_clean_screening_with_a_normal_xray_clears():
    result = assess(screening())
    assert result.state is ClearanceState.CLEARED and result.cleared
    assert result.reasons == ()
    assert result.screened_on == DAY0
    assert result.describe() == "Cleared"


@pytest.mark.parametrize("contra", list(C))
def test_each_contraindication_alone_blocks_and_is_named(contra):
    result = assess(screening(contra=(contra,)))
    assert result.state is ClearanceState.NOT_CLEARED and not result.cleared
    assert result.reasons == (LABELS[contra],)
    assert result.describe() == f"Not cleared: {LABELS[contra]}"


@pytest.mark.parametrize("pair", list(combinations(C, 2)))
def test_two_contraindications_are_both_named(pair):
    result = assess(screening(contra=pair))
    assert not result.cleared
    assert set(result.reasons) == {LABELS[c] for c in pair}


def test_every_reason_is_named_in_a_stable_order():
    everything = assess(screening(xray_on=None, contra=tuple(reversed(C))))
    assert everything.reasons == (NO_XRAY, *(LABELS[c] for c in C))
    assert everything.describe() == "Not cleared: " + "; ".join(everything.reasons)


def test_no_xray_date_blocks():
    result = assess(screening(xray_on=None))
    assert result.state is ClearanceState.NOT_CLEARED
    assert result.reasons == (NO_XRAY,)


def test_no_xray_is_named_once_even_if_marked_abnormal():
    assert assess(screening(xray_on=None, abnormal=True)).reasons == (NO_XRAY,)


def test_an_abnormal_xray_blocks():
    result = assess(screening(abnormal=True))
    assert result.state is ClearanceState.NOT_CLEARED
    assert result.reasons == (XRAY_ABNORMAL,)


def test_an_abnormal_xray_and_a_contraindication_are_both_named():
    result = assess(screening(abnormal=True, contra=(C.OSTEOPOROSIS,)))
    assert result.reasons == (XRAY_ABNORMAL, "osteoporosis")


def test_no_screening_means_not_screened():
    for result in (assess(None), clearance_on([], DAY0)):
        assert result.state is ClearanceState.NOT_SCREENED and not result.cleared
        assert result.reasons == (NO_SCREENING,)
        assert result.describe() == "Not screened"


def test_a_screening_dated_after_the_session_does_not_count():
    assert clearance_on([screening(on=day(3))], day(2)).state is ClearanceState.NOT_SCREENED
    assert clearance_on([screening(on=day(3))], day(3)).cleared


def test_a_later_screening_blocks_from_its_date_on_and_earlier_sessions_keep_the_earlier_one():
    history = [screening(on=day(0)), screening(on=day(5), contra=(C.PREGNANT,))]
    assert clearance_on(history, day(0)).cleared
    assert clearance_on(history, day(4)).cleared
    assert clearance_on(history, day(4)).screened_on == day(0)
    blocked = clearance_on(history, day(5))
    assert (blocked.cleared, blocked.reasons, blocked.screened_on) == (False, ("pregnancy",), day(5))
    assert clearance_on(history, day(60)).reasons == ("pregnancy",)


def test_a_new_clean_screening_clears_again_from_its_date():
    history = [screening(on=day(0)), screening(on=day(5), contra=(C.PREGNANT,)), screening(on=day(300))]
    assert not clearance_on(history, day(299)).cleared
    assert clearance_on(history, day(300)).cleared


def test_an_earlier_clean_screening_cannot_lift_a_newer_block():
    history = [screening(on=day(0), contra=(C.BONE_CANCER,)), screening(on=day(-30))]
    assert clearance_on(history, day(10)).reasons == ("bone cancer",)
    assert clearance_on(history, day(-1)).cleared


def test_screenings_given_out_of_order_give_the_same_answer_on_every_date():
    history = [screening(on=day(0)), screening(on=day(5), contra=(C.NERVE_DAMAGE,)),
               screening(on=day(9), xray_on=day(9)), screening(on=day(12), abnormal=True)]
    expected = {n: clearance_on(history, day(n)) for n in range(-1, 15)}
    for order in permutations(history):
        assert {n: clearance_on(order, day(n)) for n in range(-1, 15)} == expected
        assert governing(order) == history[-1]
    assert [expected[n].cleared for n in (-1, 0, 4, 5, 8, 9, 11, 12, 14)] == [
        False, True, True, False, False, True, True, False, False]


def test_of_same_day_screenings_the_one_given_last_governs():
    first = screening(on=day(2), xray_on=None)  # morning: x-ray not yet taken
    second = screening(on=day(2), xray_on=day(2))  # afternoon: x-ray taken, normal
    assert clearance_on([first, second], day(2)).cleared
    assert clearance_on([second, first], day(2)).reasons == (NO_XRAY,)
    assert governing([screening(on=day(0)), first, second], day(3)) is second


def test_governing_without_a_date_is_the_newest_and_with_one_ignores_later():
    old, new = screening(on=day(0)), screening(on=day(7))
    assert governing([new, old]) is new
    assert governing([new, old], day(6)) is old
    assert governing([new, old], day(-1)) is None
    assert governing([]) is None
