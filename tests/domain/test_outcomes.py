"""ODI, NDI and PSFS scoring, bands, meaningful change and the re-exam cadence (DOMAIN.md), exhaustively
where the space is small and against a Fraction reference with hypothesis where it is not."""
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import product
from math import floor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.outcomes import (
    Activity,
    FormInput,
    Instrument,
    band,
    format_answers,
    is_due,
    is_meaningful,
    missing_sessions,
    parse_activities,
    parse_answers,
    psfs_score,
    score_form,
    section_score,
    summarize,
    validate_form,
)

ODI, NDI, PSFS = Instrument.ODI, Instrument.NDI, Instrument.PSFS
TODAY = date(2026, 6, 1)


def half_up(x: Fraction, places: int = 0) -> Fraction:
    scale = 10 ** places
    return Fraction(floor(x * scale + Fraction(1, 2)), scale)


def reference_section_score(answers):
    given_ = [a for a in answers if a is not None]
    if len(given_) < 8:
        return None
    return int(half_up(Fraction(sum(given_) * 100, 5 * len(given_))))


def test_every_sum_of_every_answered_count_scores_as_the_reference():
    for answered in range(0, 11):
        for total in range(0, 5 * answered + 1):
            answers = []
            left = total
            for _ in range(answered):
                a = min(5, left)
                answers.append(a)
                left -= a
            answers += [None] * (10 - answered)
            assert section_score(answers) == reference_section_score(answers), (answered, total)


def test_the_halves_round_up():
    # 9 answered, sum 1: 1/45*100 = 2.22 -> 2; sum 5 of 8 answered: 12.5 -> 13
    assert section_score([1] + [0] * 8 + [None]) == 2
    assert section_score([5] + [0] * 7 + [None, None]) == 13
    assert section_score([3, 2, None, 4, 1, 0, 2, 3, 1, 2]) == 40  # 18 / 45


def test_fewer_than_eight_answers_is_incomplete_never_scored():
    assert section_score([5] * 7 + [None] * 3) is None
    f = score_form(FormInput(TODAY, ODI, (5,) * 7 + (None,) * 3))
    assert (f.answered, f.score, f.band, f.complete) == (7, None, None, False)


@given(st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=10, max_size=10))
def test_any_form_scores_as_the_reference(answers):
    assert section_score(answers) == reference_section_score(answers)


ODI_BANDS = [(0, 20, "minimal"), (21, 40, "moderate"), (41, 60, "severe"), (61, 80, "crippling"),
             (81, 100, "bed-bound")]
NDI_BANDS = [(0, 9, "none"), (10, 29, "mild"), (30, 49, "moderate"), (50, 69, "severe"), (70, 100, "complete")]


@pytest.mark.parametrize("instrument, table", [(ODI, ODI_BANDS), (NDI, NDI_BANDS)])
def test_every_score_falls_in_its_band(instrument, table):
    for score in range(0, 101):
        expected = next(name for lo, hi, name in table if lo <= score <= hi)
        assert band(instrument, score) == expected
    assert band(instrument, None) is None
    assert band(PSFS, 5) is None


def test_psfs_means_every_three_activity_form_half_up_to_a_tenth():
    for scores in product(range(11), repeat=3):
        assert psfs_score(scores) == Decimal(str(float(half_up(Fraction(sum(scores), 3), 1))))


@given(st.lists(st.integers(0, 10), min_size=3, max_size=5))
def test_psfs_mean_matches_the_reference(scores):
    exact = half_up(Fraction(sum(scores), len(scores)), 1)
    assert Fraction(psfs_score(scores)) == exact


def test_psfs_rounding_examples():
    assert psfs_score([3, 4, 2]) == Decimal("3.0")
    assert psfs_score([1, 1, 0, 0]) == Decimal("0.5")
    assert psfs_score([2, 2, 3]) == Decimal("2.3")
    assert psfs_score([1, 0, 0, 0]) == Decimal("0.3")  # 0.25 -> 0.3


def test_meaningful_thresholds_exactly():
    assert is_meaningful(ODI, -10) and not is_meaningful(ODI, -9) and not is_meaningful(ODI, 10)
    assert is_meaningful(NDI, -15) and not is_meaningful(NDI, -14)
    assert is_meaningful(PSFS, Decimal("2.0")) and not is_meaningful(PSFS, Decimal("1.9"))
    assert not is_meaningful(PSFS, Decimal("-2.0"))


@given(st.integers(-100, 100))
def test_meaningful_is_a_fall_of_the_threshold_or_more(change):
    assert is_meaningful(ODI, change) is (change <= -10)
    assert is_meaningful(NDI, change) is (change <= -15)


def form(day, answers, order=0, instrument=ODI):
    return score_form(FormInput(date(2026, 3, day), instrument, tuple(answers)), id=order, order=order)


def test_baseline_is_the_first_scored_latest_the_last_incomplete_skipped():
    forms = [form(2, [None] * 10, 1), form(2, [3] * 10, 2), form(12, [2] * 10, 3), form(22, [1] * 10, 5),
             form(22, [5] * 3 + [None] * 7, 6)]
    s = summarize(ODI, reversed(forms))
    assert [f.order for f in s.forms] == [1, 2, 3, 5, 6]
    assert (s.baseline.score, s.latest.score, s.change, s.meaningful) == (60, 20, -40, True)
    assert s.as_json()["baseline"] == {"date": "2026-03-02", "score": 60}
    assert s.as_json()["forms"][0] == {"date": "2026-03-02", "answered": 0, "score": None, "band": None}


def test_one_scored_form_has_no_change():
    s = summarize(ODI, [form(2, [3] * 10)])
    assert s.baseline == s.latest and s.change is None and s.meaningful is None
    assert summarize(ODI, []).as_json() == {"forms": [], "baseline": None, "latest": None, "change": None,
                                            "meaningful": None}


def test_same_day_forms_go_by_the_order_recorded():
    s = summarize(ODI, [form(2, [1] * 10, order=9), form(2, [4] * 10, order=3)])
    assert (s.baseline.score, s.latest.score, s.change) == (80, 20, -60)


def test_psfs_summary_in_json_numbers():
    a = score_form(FormInput(date(2026, 3, 2), PSFS, activities=(Activity("tie shoes", 3), Activity("walk", 4),
                                                                   Activity("lift", 2))), order=1)
    b = score_form(FormInput(date(2026, 3, 20), PSFS, activities=(Activity("tie shoes", 6), Activity("walk", 6),
                                                                    Activity("lift", 4))), order=2)
    j = summarize(PSFS, [a, b]).as_json()
    assert j["forms"][0] == {"date": "2026-03-02", "answered": 3, "score": 3.0, "band": None}
    assert j["change"] == 2.3 and j["meaningful"] is True


def test_cadence_session_one_every_tenth_and_the_last_planned():
    assert [n for n in range(1, 36) if is_due(n, 30)] == [1, 10, 20, 30]
    assert [n for n in range(1, 26) if is_due(n, 24)] == [1, 10, 20, 24]
    days = [date(2026, 3, 1) + timedelta(days=i) for i in range(24)]
    forms = [days[0], days[19]]
    assert missing_sessions(days, 24, forms) == [10, 24]
    assert missing_sessions(days[:9], 24, []) == [1]


@given(st.integers(1, 60), st.integers(0, 70), st.sets(st.integers(0, 69)))
def test_missing_is_a_due_session_without_a_form_that_day(planned, done, with_form):
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(done)]
    got = missing_sessions(days, planned, [days[i] for i in with_form if i < done])
    expected = [n for n in range(1, done + 1) if (n == 1 or n % 10 == 0 or n == planned) and n - 1 not in with_form]
    assert got == expected


def test_parse_answers_and_activities_round_trip():
    assert parse_answers("3;2;;4;1;0;2;3;1;2") == (3, 2, None, 4, 1, 0, 2, 3, 1, 2)
    acts = parse_activities("tie shoes=3;walk 30 minutes=4;lift grandchild=2")
    assert acts[1] == Activity("walk 30 minutes", 4)
    f = FormInput(TODAY, PSFS, activities=acts)
    assert parse_activities(format_answers(f)) == acts
    assert format_answers(FormInput(TODAY, ODI, parse_answers("3;2;;4;1;0;2;3;1;2"))) == "3;2;;4;1;0;2;3;1;2"


@pytest.mark.parametrize("text", ["1;2;3", "1;2;3;4;5;6;7;8;9;0;1", "6;0;0;0;0;0;0;0;0;0", "x;0;0;0;0;0;0;0;0;0",
                                  "-1;0;0;0;0;0;0;0;0;0", "1.5;0;0;0;0;0;0;0;0;0"])
def test_bad_answers_are_refused_naming_the_field(text):
    with pytest.raises(ValidationError) as e:
        parse_answers(text)
    assert "answers" in e.value.errors


@pytest.mark.parametrize("text", ["tie shoes", "tie shoes=11", "tie shoes=-1", "a=x"])
def test_bad_activities_are_refused(text):
    with pytest.raises(ValidationError) as e:
        parse_activities(text)
    assert "answers" in e.value.errors


@pytest.mark.parametrize("bad", [
    FormInput(TODAY, PSFS, activities=(Activity("a", 1), Activity("b", 2))),
    FormInput(TODAY, PSFS, activities=tuple(Activity(str(i), 1) for i in range(6))),
    FormInput(TODAY, PSFS, activities=(Activity("a", 1), Activity("A", 2), Activity("c", 3))),
    FormInput(TODAY, ODI, (1,) * 9),
    FormInput(TODAY, NDI, (1,) * 9 + (6,)),
])
def test_bad_forms_are_refused(bad):
    with pytest.raises(ValidationError) as e:
        validate_form(bad, TODAY)
    assert "answers" in e.value.errors


def test_a_future_form_or_a_wrong_region_is_refused():
    from decomp_desk.domain.types import Region

    with pytest.raises(ValidationError) as e:
        validate_form(FormInput(TODAY + timedelta(days=1), ODI, (1,) * 10, region=Region.CERVICAL), TODAY)
    assert set(e.value.errors) == {"date", "region"}
