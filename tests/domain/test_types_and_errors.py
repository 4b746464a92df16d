"""The vocabulary (enum words match the import format) and the sentences errors produce."""
import pytest

from decomp_desk.domain.errors import DomainError, NotCleared, ValidationError
from decomp_desk.domain.types import (
    COUNTED_ADVERSE_EVENTS,
    AdverseEvent,
    Condition,
    Contraindication,
    Position,
    Region,
    Scores,
    Sex,
)


def test_enum_words_are_the_import_formats():
    assert [s.value for s in Sex] == ["F", "M", "X"]
    assert [p.value for p in Position] == ["face_down", "face_up"]
    assert [r.value for r in Region] == ["lumbar", "cervical"]
    assert [c.value for c in Contraindication] == [
        "spinal_hardware", "nerve_damage", "bone_cancer", "osteoporosis", "pregnant"]
    assert [e.value for e in AdverseEvent] == ["soreness", "muscle_spasm", "tissue_damage", "other"]
    assert {c.value for c in Condition} == {
        "neck_back_pain", "herniated_disc", "dislocated_spine", "degenerative_disease", "sciatica",
        "posterior_facet_syndrome", "nerve_root_injury"}


def test_soreness_is_not_a_counted_adverse_event():
    assert AdverseEvent.SORENESS not in COUNTED_ADVERSE_EVENTS
    assert set(COUNTED_ADVERSE_EVENTS) == set(AdverseEvent) - {AdverseEvent.SORENESS}


@pytest.mark.parametrize("text, member", [
    ("face_down", Position.FACE_DOWN), (" FACE_UP ", Position.FACE_UP), ("face up (supine)", Position.FACE_UP),
    ("Pregnancy", Contraindication.PREGNANT), ("f", Sex.FEMALE),
])
def test_parse_accepts_the_word_or_the_label_in_any_case(text, member):
    assert type(member).parse(text) is member


@pytest.mark.parametrize("text", ["", None, "prone", "lumbar", "face"])
def test_parse_refuses_anything_else_listing_the_words(text):
    with pytest.raises(ValueError, match="face_down, face_up"):
        Position.parse(text)


def test_a_member_prints_as_its_stored_word():
    assert str(Region.CERVICAL) == "cervical" and f"{Position.FACE_UP}" == "face_up"
    assert Region.CERVICAL == "cervical"


def test_scores_as_dict():
    assert Scores(7, 3, 0).as_dict() == {"pain": 7, "numbness": 3, "tingling": 0}


def test_validation_error_names_every_field_in_its_sentence():
    err = ValidationError({"duration_min": "must be more than 0 minutes", "pain_before": "must be from 0 to 10"})
    assert isinstance(err, DomainError)
    assert err.errors == {"duration_min": "must be more than 0 minutes", "pain_before": "must be from 0 to 10"}
    assert str(err) == "duration min: must be more than 0 minutes; pain before: must be from 0 to 10"
    single = ValidationError.single("date", "is required")
    assert single.errors == {"date": "is required"} and str(single) == "date: is required"


def test_validation_error_keeps_its_own_copy_of_the_errors():
    given = {"date": "is required"}
    err = ValidationError(given)
    given["other"] = "x"
    assert err.errors == {"date": "is required"}


def test_not_cleared_names_its_reasons_and_date():
    err = NotCleared(("pregnancy", "osteoporosis"), "2026-03-02")
    assert err.reasons == ("pregnancy", "osteoporosis")
    assert str(err) == "The patient is not cleared for decompression on 2026-03-02: pregnancy; osteoporosis."
    assert str(NotCleared(["no screening on file"])) == (
        "The patient is not cleared for decompression: no screening on file.")
