"""What a save changed (domain.op_changes): parts merged, which screens' data each part touches, and a
value read (not written) that carries none."""
from __future__ import annotations

from decomp_desk.domain.op_changes import NO_CHANGES, PARTS, Changes


def test_no_changes_is_false_and_any_part_is_true():
    assert not NO_CHANGES
    assert all(Changes(1, **{part: True}) for part in PARTS)


def test_two_changes_merge_their_parts_and_keep_the_one_id_both_name():
    opened = Changes(7, courses=True, course_id=3, ids=(3,))
    recorded = Changes(7, sessions=True, course_id=3, ids=(41,))
    both = opened | recorded
    assert both.courses and both.sessions and not both.billing
    assert (both.patient_id, both.course_id, both.ids) == (7, 3, (3, 41))
    assert (Changes(7, billing=True) | Changes(8, billing=True)).patient_id is None  # two patients: no one
    assert (Changes(7, outcomes=True) | Changes(7, sessions=True, course_id=3)).course_id == 3


def test_a_payment_touches_the_account_only_and_a_session_nearly_everything_but_the_screening():
    paid = Changes(1, billing=True)
    assert paid.account and not (paid.list_row or paid.progress or paid.clearance or paid.today or paid.missing_forms)
    session = Changes(1, sessions=True, course_id=2)
    assert session.account and session.progress and session.list_row and session.today and session.missing_forms
    assert not session.clearance and not session.screenings


def test_settings_concern_every_patient_and_everything_is_every_part():
    assert Changes(settings=True).about(5) and not Changes(4, billing=True).about(5)
    assert all(getattr(Changes.everything(5), part) for part in PARTS)
