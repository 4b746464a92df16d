"""improvement_percent and is_meaningful_pain_improvement against a straightforward reference."""
from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from decomp_desk.domain.progress import improvement_percent, is_meaningful_pain_improvement

score = st.integers(0, 10)


def reference_percent(baseline: int, latest: int) -> int | None:
    if baseline == 0:
        return None
    exact = Fraction(baseline - latest, baseline) * 100
    rounded = floor(abs(exact) + Fraction(1, 2))  # half up, the same for a rise as for a fall
    return rounded if exact >= 0 else -rounded


def reference_meaningful(baseline: int, latest: int) -> bool:
    return baseline > 0 and baseline - latest >= 2 and Fraction(baseline - latest, baseline) >= Fraction(3, 10)


@given(score, score)
def test_improvement_percent_matches_the_reference(baseline, latest):
    assert improvement_percent(baseline, latest) == reference_percent(baseline, latest)


@given(score, score)
def test_meaningful_improvement_matches_the_reference(baseline, latest):
    assert is_meaningful_pain_improvement(baseline, latest) is reference_meaningful(baseline, latest)


@given(st.integers(0, 1000), st.integers(0, 1000))
def test_the_rules_hold_exactly_beyond_the_pain_scale_too(baseline, latest):
    # No 0..10 pair falls between 29% and 30%; wider numbers check the threshold is compared exactly.
    assert improvement_percent(baseline, latest) == reference_percent(baseline, latest)
    assert is_meaningful_pain_improvement(baseline, latest) is reference_meaningful(baseline, latest)


def test_a_fall_just_short_of_30_percent_is_not_meaningful():
    assert is_meaningful_pain_improvement(1000, 701) is False
    assert is_meaningful_pain_improvement(1000, 700) is True


def test_every_pair_of_scores_matches_the_reference():
    for baseline in range(11):
        for latest in range(11):
            assert improvement_percent(baseline, latest) == reference_percent(baseline, latest)
            assert is_meaningful_pain_improvement(baseline, latest) is reference_meaningful(baseline, latest)


def test_the_reference_itself_is_right_on_the_documented_examples():
    assert [reference_percent(b, l) for b, l in [(8, 5), (7, 5), (0, 3), (8, 9)]] == [38, 29, None, -13]
    assert [reference_meaningful(b, l) for b, l in [(10, 7), (7, 5), (2, 0), (1, 0), (10, 8)]] == [
        True, False, True, False, False]
