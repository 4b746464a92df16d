"""Progress figures (DOMAIN.md 'Progress'): the tab, the printed summary and `progress --json` use these."""
import json
import random
from datetime import time

import pytest

from decomp_desk.domain.progress import (
    chronological,
    compute_progress,
    improvement_percent,
    is_meaningful_pain_improvement,
)
from decomp_desk.domain.types import AdverseEvent as AE
from tests.domain.builders import day, point

JSON_KEYS = {"chart_number", "sessions_completed", "sessions_planned", "first_session", "latest_session",
             "baseline", "latest", "change", "improvement_percent", "meaningful_pain_improvement",
             "stop_button_count", "adverse_event_count"}
SCORE_KEYS = {"pain", "numbness", "tingling"}


@pytest.mark.parametrize("baseline, latest, meaningful", [
    (10, 7, True),    # 3 points, 30% exactly
    (7, 5, False),    # 2 points but 28.6%
    (6, 4, True),     # 2 points, 33.3%
    (3, 1, True),     # 2 points, 66.7%
    (2, 0, True),     # 2 points, 100%
    (10, 8, False),   # 2 points but 20%
    (1, 0, False),    # 100% but 1 point
    (10, 6, True), (8, 6, False), (5, 3, True), (4, 2, True), (9, 7, False), (9, 6, True),
    (0, 0, False), (5, 5, False), (4, 8, False),
])
def test_meaningful_pain_improvement_needs_two_points_and_thirty_percent(baseline, latest, meaningful):
    assert is_meaningful_pain_improvement(baseline, latest) is meaningful
    progress = compute_progress([point(day(0), pain=baseline), point(day(3), pain=latest)], 30)
    assert progress.meaningful_pain_improvement is meaningful


@pytest.mark.parametrize("baseline, latest, percent", [
    (8, 5, 38),     # 37.5 rounds half up
    (8, 3, 63),     # 62.5 rounds half up
    (10, 7, 30), (7, 5, 29), (3, 2, 33), (3, 1, 67), (6, 5, 17), (2, 0, 100), (5, 5, 0),
    (4, 6, -50),
    (8, 9, -13),    # a 12.5% worsening reads 13%, like a 12.5% improvement does
    (10, 0, 100),
])
def test_improvement_percent_is_rounded_half_up(baseline, latest, percent):
    assert improvement_percent(baseline, latest) == percent


@pytest.mark.parametrize("latest", [0, 3, 10])
def test_improvement_percent_is_none_when_the_baseline_is_zero(latest):
    assert improvement_percent(0, latest) is None


def test_no_sessions():
    p = compute_progress([], 30)
    assert (p.sessions_completed, p.sessions_planned, p.first_session, p.latest_session) == (0, 30, None, None)
    assert (p.baseline, p.latest, p.change, p.improvement_percent) == (None, None, None, None)
    assert (p.meaningful_pain_improvement, p.stop_button_count, p.adverse_event_count) == (False, 0, 0)
    assert p.points == ()
    assert "No sessions" in p.plain_sentence()


def test_one_session_is_both_baseline_and_latest():
    p = compute_progress([point(day(0), pain=6, numbness=0, tingling=3, stop_button=True)], 20)
    assert (p.sessions_completed, p.sessions_planned) == (1, 20)
    assert p.first_session == p.latest_session == day(0)
    assert p.baseline == p.latest
    assert p.change == {"pain": 0, "numbness": 0, "tingling": 0}
    assert p.improvement_percent == {"pain": 0, "numbness": None, "tingling": 0}
    assert p.meaningful_pain_improvement is False
    assert p.stop_button_count == 1
    assert "first session" in p.plain_sentence()


def test_zero_baseline_gives_no_percent_but_a_change():
    p = compute_progress([point(day(0), pain=0, numbness=0, tingling=4), point(day(2), pain=3, numbness=0,
                                                                                 tingling=2)], 30)
    assert p.change == {"pain": 3, "numbness": 0, "tingling": -2}
    assert p.improvement_percent == {"pain": None, "numbness": None, "tingling": 50}
    assert p.meaningful_pain_improvement is False
    out = p.as_json("1001")
    assert out["improvement_percent"] == {"pain": None, "numbness": None, "tingling": 50}
    assert '"pain": null' in json.dumps(out)
    assert "no pain at the start" in p.plain_sentence()


def test_baseline_and_latest_go_by_date_and_time_not_by_entry_order():
    points = [point(day(0), time(15, 0), pain=7), point(day(1), time(8, 0), pain=5),
              point(day(0), time(9, 0), pain=8), point(day(1), time(17, 30), pain=4),
              point(day(0), time(11, 45), pain=6)]
    expected = [(day(0), 8), (day(0), 6), (day(0), 7), (day(1), 5), (day(1), 4)]
    for seed in range(20):
        random.Random(seed).shuffle(points)
        p = compute_progress(points, 30)
        assert [(x.date, x.before.pain) for x in p.points] == expected
        assert [x.number for x in p.points] == [1, 2, 3, 4, 5]
        assert (p.baseline.pain, p.latest.pain, p.change["pain"]) == (8, 4, -4)
        assert (p.first_session, p.latest_session) == (day(0), day(1))
        assert p.improvement_percent["pain"] == 50 and p.meaningful_pain_improvement


def test_chronological_renumbers_without_touching_the_given_points():
    late, early = point(day(4), number=1, pain=2), point(day(1), number=2, pain=9)
    ordered = chronological([late, early])
    assert [(x.number, x.before.pain) for x in ordered] == [(1, 9), (2, 2)]
    assert (late.number, early.number) == (1, 2)


def test_every_session_counts_and_stop_button_sessions_are_counted():
    points = [point(day(0)), point(day(1), stop_button=True, stop_minute=12, duration_min=12),
              point(day(2)), point(day(3), stop_button=True)]
    p = compute_progress(points, 30)
    assert (p.sessions_completed, p.stop_button_count) == (4, 2)


def test_adverse_events_count_each_event_and_never_soreness():
    points = [point(day(0), events=(AE.SORENESS,)),
              point(day(1), events=(AE.MUSCLE_SPASM, AE.TISSUE_DAMAGE)),
              point(day(2), events=(AE.SORENESS, AE.OTHER)),
              point(day(3), events=tuple(AE)),
              point(day(4))]
    assert compute_progress(points, 30).adverse_event_count == 2 + 1 + 3
    assert compute_progress(points[:1], 30).adverse_event_count == 0


def test_as_json_has_exactly_the_documented_keys():
    p = compute_progress([point(day(0), pain=8, numbness=4, tingling=2),
                          point(day(9), pain=5, numbness=4, tingling=3, stop_button=True,
                                events=(AE.MUSCLE_SPASM, AE.SORENESS))], 30)
    out = p.as_json("1001")
    assert set(out) == JSON_KEYS
    for key in ("baseline", "latest", "change", "improvement_percent"):
        assert set(out[key]) == SCORE_KEYS
    assert out == {
        "chart_number": "1001", "sessions_completed": 2, "sessions_planned": 30,
        "first_session": "2026-03-02", "latest_session": "2026-03-11",
        "baseline": {"pain": 8, "numbness": 4, "tingling": 2},
        "latest": {"pain": 5, "numbness": 4, "tingling": 3},
        "change": {"pain": -3, "numbness": 0, "tingling": 1},
        "improvement_percent": {"pain": 38, "numbness": 0, "tingling": -50},
        "meaningful_pain_improvement": True, "stop_button_count": 1, "adverse_event_count": 1,
    }
    assert json.loads(json.dumps(out)) == out


def test_as_json_of_no_sessions_keeps_every_key():
    out = compute_progress([], 30).as_json("7")
    assert set(out) == JSON_KEYS
    assert out["first_session"] is None and out["improvement_percent"] is None
    assert out["meaningful_pain_improvement"] is False


@pytest.mark.parametrize("baseline, latest, words", [
    (8, 4, "a meaningful improvement"), (7, 5, "not yet the 2-point and 30% fall"),
    (5, 5, "unchanged at 5"), (4, 6, "risen from 4 to 6"),
])
def test_the_patient_sentence_follows_the_figures(baseline, latest, words):
    p = compute_progress([point(day(0), pain=baseline), point(day(1), pain=latest)], 30)
    assert words in p.plain_sentence()
