"""The clinic outcome report's figures and rounding (DOMAIN.md, "Clinic outcome report")."""
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from decomp_desk.domain.clinic_outcomes import CourseOutcome, clinic_report
from decomp_desk.domain.outcomes import Instrument
from decomp_desk.domain.types import CourseStatus, Region

L, C = Region.LUMBAR, Region.CERVICAL


def course(region=L, status=CourseStatus.ACTIVE, start=date(2026, 1, 5), sessions=10, baseline=6, latest=3,
           adverse=0, stops=0, instrument=None, change=None):
    return CourseOutcome(region, status, start, sessions, baseline if sessions else None,
                         latest if sessions else None, adverse, stops, instrument, change)


def test_figures_per_region_and_in_all():
    courses = [course(baseline=6, latest=3, adverse=1, stops=2, instrument=Instrument.ODI, change=-12),
               course(status=CourseStatus.COMPLETED, baseline=7, latest=6, sessions=30, instrument=Instrument.ODI,
                      change=-5),
               course(sessions=1, baseline=9, latest=9),
               course(region=C, status=CourseStatus.DISCONTINUED, baseline=0, latest=0, sessions=4,
                      instrument=Instrument.NDI, change=-15)]
    j = clinic_report(courses).as_json()
    assert j["from"] is None and j["to"] is None
    lumbar = j["regions"]["lumbar"]
    assert (lumbar["courses"], lumbar["completed"], lumbar["discontinued"], lumbar["active"], lumbar["sessions"]) == \
        (3, 1, 0, 2, 41)
    assert lumbar["mean_baseline_pain"] == 6.5 and lumbar["mean_latest_pain"] == 4.5
    assert lumbar["meaningful_pain_percent"] == 50
    assert lumbar["adverse_events_per_100_sessions"] == 2.4  # 1 / 41
    assert lumbar["stop_button_sessions_per_100"] == 4.9  # 2 / 41 = 4.878
    assert lumbar["function"] == {"courses": 2, "mean_change": -8.5, "meaningful_percent": 50}
    cervical = j["regions"]["cervical"]
    assert cervical["meaningful_pain_percent"] is None  # baseline 0: nothing counts
    assert cervical["function"] == {"courses": 1, "mean_change": -15.0, "meaningful_percent": 100}
    every = j["regions"]["all"]
    assert every["courses"] == 4 and every["function"]["courses"] == 3
    assert every["function"]["meaningful_percent"] == 67


def test_nothing_counts_gives_nulls():
    j = clinic_report([]).as_json()["regions"]["all"]
    assert j == {"courses": 0, "completed": 0, "discontinued": 0, "active": 0, "sessions": 0,
                 "mean_baseline_pain": None, "mean_latest_pain": None, "meaningful_pain_percent": None,
                 "adverse_events_per_100_sessions": None, "stop_button_sessions_per_100": None,
                 "function": {"courses": 0, "mean_change": None, "meaningful_percent": None}}


def test_the_range_holds_courses_started_in_it_both_ends_included():
    courses = [course(start=date(2026, 1, d)) for d in (1, 10, 20, 31)]
    r = clinic_report(courses, date(2026, 1, 10), date(2026, 1, 20))
    assert r.regions["all"].courses == 2
    assert r.as_json()["from"] == "2026-01-10" and r.as_json()["to"] == "2026-01-20"


def half_up(x: Fraction, places=0):
    s = 10 ** places
    return Fraction(floor(abs(x) * s + Fraction(1, 2)), s) * (1 if x >= 0 else -1)


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(2, 40), st.integers(0, 5)),
                min_size=1, max_size=12))
def test_means_and_rates_half_up(rows):
    courses = [course(baseline=b, latest=last, sessions=n, adverse=a) for b, last, n, a in rows]
    f = clinic_report(courses).regions["lumbar"]
    assert Fraction(f.mean_baseline_pain) == half_up(Fraction(sum(r[0] for r in rows), len(rows)), 1)
    assert Fraction(f.mean_latest_pain) == half_up(Fraction(sum(r[1] for r in rows), len(rows)), 1)
    sessions = sum(r[2] for r in rows)
    assert Fraction(f.adverse_events_per_100_sessions) == half_up(Fraction(sum(r[3] for r in rows) * 100, sessions), 1)
    with_pain = [r for r in rows if r[0] > 0]
    ok = [r for r in with_pain if r[0] - r[1] >= 2 and (r[0] - r[1]) * 10 >= 3 * r[0]]
    expected = int(half_up(Fraction(len(ok) * 100, len(with_pain)))) if with_pain else None
    assert f.meaningful_pain_percent == expected
    assert isinstance(f.mean_baseline_pain, Decimal)
