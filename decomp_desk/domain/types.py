"""The clinic's vocabulary: enums and frozen value objects shared by every layer.

Enum values are the words of the import format (DOMAIN.md), so a CSV cell, a database
column and a JSON key all spell a thing the same way.
"""
from __future__ import annotations

import enum
from dataclasses import field
from datetime import date, time

from decomp_desk.domain.records import record


class Labelled(str, enum.Enum):
    """A str enum whose members carry a human label for screens and pages."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:  # the stored word, so f-strings and CSV round-trip
        return self.value

    @classmethod
    def parse(cls, text: str):
        """The member whose value or label is `text` (case-insensitive); ValueError otherwise."""
        needle = (text or "").strip().lower()
        for member in cls:
            if needle in (member.value.lower(), member.label.lower()):
                return member
        raise ValueError(f"{text!r} is not one of: {', '.join(m.value for m in cls)}")


class Sex(Labelled):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Other"


class Position(Labelled):
    FACE_DOWN = "face_down", "Face down (prone)"
    FACE_UP = "face_up", "Face up (supine)"


class Region(Labelled):
    LUMBAR = "lumbar", "Lumbar (low back)"
    CERVICAL = "cervical", "Cervical (neck)"


class Condition(Labelled):
    NECK_BACK_PAIN = "neck_back_pain", "General neck and back pain"
    HERNIATED_DISC = "herniated_disc", "Herniated or ruptured disc"
    DISLOCATED_SPINE = "dislocated_spine", "Dislocated spine"
    DEGENERATIVE_DISEASE = "degenerative_disease", "Degenerative disease"
    SCIATICA = "sciatica", "Sciatica"
    POSTERIOR_FACET_SYNDROME = "posterior_facet_syndrome", "Posterior facet syndrome"
    NERVE_ROOT_INJURY = "nerve_root_injury", "Injury to the spinal nerve roots"


class Contraindication(Labelled):
    SPINAL_HARDWARE = "spinal_hardware", "Screws or metal plates in the spine"
    NERVE_DAMAGE = "nerve_damage", "Nerve damage"
    BONE_CANCER = "bone_cancer", "Bone cancer"
    OSTEOPOROSIS = "osteoporosis", "Osteoporosis"
    PREGNANT = "pregnant", "Pregnancy"


class AdverseEvent(Labelled):
    SORENESS = "soreness", "Soreness"
    MUSCLE_SPASM = "muscle_spasm", "Muscle spasm"
    TISSUE_DAMAGE = "tissue_damage", "Tissue damage"
    OTHER = "other", "Other"


# Soreness is the expected after-effect: recorded and shown, never counted as adverse.
COUNTED_ADVERSE_EVENTS = (AdverseEvent.MUSCLE_SPASM, AdverseEvent.TISSUE_DAMAGE, AdverseEvent.OTHER)


class TableMode(Labelled):
    STATIC = "static", "Static"
    INTERMITTENT = "intermittent", "Intermittent"
    CYCLIC = "cyclic", "Cyclic"


class CourseStatus(Labelled):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    DISCONTINUED = "discontinued", "Discontinued"


class Coverage(Labelled):
    NOT_VERIFIED = "not_verified", "Not yet verified"
    COVERED = "covered", "Covered"
    PARTLY_COVERED = "partly_covered", "Partly covered"
    NOT_COVERED = "not_covered", "Not covered"


class PaymentMethod(Labelled):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    CHECK = "check", "Check"
    INSURANCE = "insurance", "Insurance"


class Role(Labelled):
    ADMINISTRATOR = "administrator", "Administrator"
    CLINICIAN = "clinician", "Clinician"
    FRONT_DESK = "front_desk", "Front desk"


class ClearanceState(Labelled):
    CLEARED = "cleared", "Cleared"
    NOT_CLEARED = "not_cleared", "Not cleared"
    NOT_SCREENED = "not_screened", "Not screened"


@record
class Scores:
    """Patient-reported scores, each a whole number 0 to 10."""

    pain: int
    numbness: int
    tingling: int

    def as_dict(self) -> dict[str, int]:
        return {"pain": self.pain, "numbness": self.numbness, "tingling": self.tingling}


SCORE_NAMES = ("pain", "numbness", "tingling")


@record
class ScreeningFacts:
    """What a screening found; the input of the eligibility rules."""

    screened_on: date
    xray_on: date | None
    xray_abnormal: bool
    contraindications: frozenset[Contraindication] = frozenset()
    region: Region | None = None  # the x-ray's region; None: any (facts built without one)


@record
class SessionPoint:
    """One recorded session as the progress rules see it."""

    number: int  # 1-based order within the course, by date then start time
    date: date
    start_time: time | None
    duration_min: int
    before: Scores
    after: Scores | None = None
    stop_button: bool = False
    stop_minute: int | None = None
    adverse_events: frozenset[AdverseEvent] = field(default_factory=frozenset)
