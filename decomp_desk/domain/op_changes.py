"""What a save changed, in the manner of Anki's OpChanges: which patient, and which parts of what the
desk shows. A service write returns it inside its result (the `changes` of the value it returns), and
each screen asks it whether there is anything for it to show again, so a payment redraws the Billing tab
and not the chart, and a session redraws the sessions, the progress, the charges, the list's row and
Today but not the screening. A read returns none (`NO_CHANGES`, false).

The parts are the kinds of data, not the screens: which screens show which part is said once here
(the properties below), so a new screen asks the same questions and a new kind of write sets a flag."""
from __future__ import annotations

from dataclasses import field, replace
from typing import TYPE_CHECKING, TypeVar

from decomp_desk.domain.records import record

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")

PARTS = ("patient", "screenings", "courses", "sessions", "billing", "outcomes", "appointments", "settings", "users")


@record
class Changes:
    patient_id: int | None = None  # the patient whose data changed; None: no one patient's (the settings)
    patient: bool = False  # their details: name, phone, address, insurance, archived
    screenings: bool = False  # screenings, and with them today's clearance
    courses: bool = False  # a course opened, edited, completed or discontinued
    sessions: bool = False  # a session recorded or changed: its charge, the progress, the course's count
    billing: bool = False  # payments and insurance: the account
    outcomes: bool = False  # outcome forms (ODI, NDI, PSFS)
    appointments: bool = False  # the appointment book (Today, the book, a patient's attendance)
    settings: bool = False  # the clinic's settings: fees and defaults every page may show
    users: bool = False  # the accounts: who may sign in, their names and roles
    course_id: int | None = None  # the course whose sessions or forms changed, when one did
    ids: tuple[int, ...] = field(default=())  # the rows written (a payment, a session, a form), newest last

    def __bool__(self) -> bool:
        return any(getattr(self, part) for part in PARTS)

    def __or__(self, other: Changes) -> Changes:
        """Both changes at once (a course opened on the way to the session recorded in it)."""
        flags = {part: getattr(self, part) or getattr(other, part) for part in PARTS}
        return Changes(patient_id=_one(self.patient_id, other.patient_id),
                       course_id=_one(self.course_id, other.course_id), ids=self.ids + other.ids, **flags)

    @classmethod
    def everything(cls, patient_id: int | None = None) -> Changes:
        """For a save whose changes are not known (read everything again, as before)."""
        return cls(patient_id, patient=True, screenings=True, courses=True, sessions=True, billing=True,
                   outcomes=True, appointments=True, settings=True, users=True)  # every one of PARTS

    def about(self, patient_id: int | None) -> bool:
        """Does it concern the patient `patient_id` (the settings concern every patient)?"""
        return self.settings or (patient_id is not None and self.patient_id == patient_id)

    # --- which data each part touches ---------------------------------------------------------------
    @property
    def list_row(self) -> bool:
        """The patient list's row: name, phone, clearance, sessions done of planned, last session, archived."""
        return self.patient or self.screenings or self.courses or self.sessions

    @property
    def missing_forms(self) -> bool:
        """The re-exam forms due and on file: the list's last column and the Outcomes tab."""
        return self.outcomes or self.sessions or self.courses

    @property
    def account(self) -> bool:
        """The Billing tab: a session is a charge, a course sets the fee, the patient's name and insurance,
        the settings the usual fee an estimate without a course uses."""
        return self.billing or self.sessions or self.courses or self.patient or self.settings

    @property
    def progress(self) -> bool:
        """The Progress tab: the figures and chart of the sessions, and the forms' function scores."""
        return self.sessions or self.courses or self.outcomes

    @property
    def clearance(self) -> bool:
        """Today's clearance: the screenings, and the course's region it is judged for."""
        return self.screenings or self.courses

    @property
    def today(self) -> bool:
        """Today and the book: appointments, a session recorded at one, the patient's name on them."""
        return self.appointments or self.sessions or self.patient


NO_CHANGES = Changes()


def _one(a: int | None, b: int | None) -> int | None:
    """The one id both name (either, when the other names none); None when they name two."""
    return a if b is None or a == b else b if a is None else None


def changes_field() -> Changes:
    """The `changes` of a value a service returns: set by a write, empty on what a read returns; never
    compared nor printed, so the value means what it meant before (the command line's output is the same)."""
    return field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)


def with_changes(value: T, changes: Changes) -> T:
    """`value` (a frozen dataclass with a `changes` field) carrying what the write changed."""
    return replace(value, changes=changes)
