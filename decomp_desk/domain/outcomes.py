"""Outcome questionnaires (DOMAIN.md, "Outcome questionnaires"): ODI, NDI and PSFS scored, banded and
compared within a course, and the re-exam cadence that says when a form is due.

The clinic fills in its own licensed forms; the program keeps only the answers (0-5 per section, or the
patient's named activities 0-10) and shows each section by a short name of our own, never the form's
wording. Rounding is half up on exact decimals, never on floats."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Labelled, Region


class Instrument(Labelled):
    ODI = "odi", "Oswestry Disability Index (ODI)"
    NDI = "ndi", "Neck Disability Index (NDI)"
    PSFS = "psfs", "Patient-Specific Functional Scale (PSFS)"

    @property
    def short(self) -> str:
        return self.value.upper()

    @property
    def has_sections(self) -> bool:
        return self is not Instrument.PSFS


# Short names of our own for the ten sections (the forms' wording is licensed and never shown).
SECTIONS: dict[Instrument, tuple[str, ...]] = {
    Instrument.ODI: ("Pain intensity", "Personal care", "Lifting", "Walking", "Sitting", "Standing", "Sleeping",
                     "Sex life", "Social life", "Travelling"),
    Instrument.NDI: ("Pain intensity", "Personal care", "Lifting", "Reading", "Headaches", "Concentration", "Work",
                     "Driving", "Sleeping", "Recreation"),
}
SECTION_COUNT = 10
MAX_ANSWER = 5
MIN_ANSWERED = 8  # fewer sections answered: the form is incomplete, kept and shown, never scored
MIN_ACTIVITIES, MAX_ACTIVITIES = 3, 5
MAX_ACTIVITY_SCORE = 10
MAX_ACTIVITY_NAME = 120

# Instrument of a region's course, and the region an ODI or NDI form belongs to.
COURSE_INSTRUMENT = {Region.LUMBAR: Instrument.ODI, Region.CERVICAL: Instrument.NDI}
INSTRUMENT_REGION = {Instrument.ODI: Region.LUMBAR, Instrument.NDI: Region.CERVICAL}

# (upper bound inclusive, band) in percent.
BANDS: dict[Instrument, tuple[tuple[int, str], ...]] = {
    Instrument.ODI: ((20, "minimal"), (40, "moderate"), (60, "severe"), (80, "crippling"), (100, "bed-bound")),
    Instrument.NDI: ((9, "none"), (29, "mild"), (49, "moderate"), (69, "severe"), (100, "complete")),
}
# The published minimal clinically important differences: ODI and NDI must fall, PSFS must rise.
MEANINGFUL_FALL = {Instrument.ODI: 10, Instrument.NDI: 15}
MEANINGFUL_PSFS_RISE = Decimal("2.0")

# What each band means, for the patient's page.
BAND_WORDS = {
    "minimal": "daily activities are managed with little difficulty",
    "moderate": "some daily activities are harder than usual",
    "severe": "back or neck problems limit many daily activities",
    "crippling": "back problems affect every part of daily life",
    "bed-bound": "back problems keep you largely in bed",
    "none": "the neck does not limit daily activities",
    "mild": "the neck limits daily activities a little",
    "complete": "the neck limits almost every daily activity",
}

ONE = Decimal(1)
TENTH = Decimal("0.1")


def half_up(value: Decimal, places: int = 0) -> Decimal:
    """Rounded half up (away from zero at a half, for a fall as for a rise) to `places` decimals."""
    return value.quantize(ONE if places == 0 else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def section_score(answers: Sequence[int | None]) -> int | None:
    """ODI or NDI in percent: sum / (5 x sections answered) x 100, half up; None when incomplete."""
    given = [a for a in answers if a is not None]
    if len(given) < MIN_ANSWERED:
        return None
    return int(half_up(Decimal(sum(given)) * 100 / (MAX_ANSWER * len(given))))


def psfs_score(scores: Sequence[int]) -> Decimal:
    """The mean of the activity scores, half up to one decimal."""
    return half_up(Decimal(sum(scores)) / len(scores), 1)


def band(instrument: Instrument, score: int | None) -> str | None:
    if score is None or instrument not in BANDS:
        return None
    for upper, name in BANDS[instrument]:
        if score <= upper:
            return name
    return BANDS[instrument][-1][1]


def is_meaningful(instrument: Instrument, change: int | Decimal) -> bool:
    """The change (latest - baseline) reaches the published minimal clinically important difference."""
    if instrument is Instrument.PSFS:
        return Decimal(change) >= MEANINGFUL_PSFS_RISE
    return change <= -MEANINGFUL_FALL[instrument]


@record
class Activity:
    name: str
    score: int


@record
class FormInput:
    """One filled-in form: ten answers (None for a blank) for ODI/NDI, or 3-5 named activities for PSFS.
    `region` is for a PSFS (ODI and NDI have their own); None lets the newest screening decide."""

    date: date
    instrument: Instrument
    answers: tuple[int | None, ...] = ()
    activities: tuple[Activity, ...] = ()
    region: Region | None = None
    notes: str = ""


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_form(form: FormInput, today: date) -> None:
    """ValidationError naming every refused field."""
    errors: dict[str, str] = {}
    if form.date is None:
        errors["date"] = "is required"
    elif form.date > today:
        errors["date"] = f"{form.date.isoformat()} is in the future"
    if not isinstance(form.instrument, Instrument):
        errors["instrument"] = "must be odi, ndi or psfs"
    elif form.instrument.has_sections:
        if form.activities:
            errors["answers"] = f"an {form.instrument.short} has section answers, not activities"
        elif len(form.answers) != SECTION_COUNT:
            errors["answers"] = f"must be exactly {SECTION_COUNT} answers (some may be blank), not {len(form.answers)}"
        else:
            for i, a in enumerate(form.answers, start=1):
                if a is not None and not (_is_whole(a) and 0 <= a <= MAX_ANSWER):
                    name = SECTIONS[form.instrument][i - 1].lower()
                    errors["answers"] = f"section {i} ({name}) must be blank or a whole number from 0 to 5, not {a}"
                    break
        if form.region is not None and form.region is not INSTRUMENT_REGION[form.instrument]:
            errors["region"] = (f"an {form.instrument.short} is a {INSTRUMENT_REGION[form.instrument].value} form, "
                                f"not {form.region.value}")
    else:
        if form.answers:
            errors["answers"] = "a PSFS has named activities, not section answers"
        elif not MIN_ACTIVITIES <= len(form.activities) <= MAX_ACTIVITIES:
            errors["answers"] = (f"a PSFS names {MIN_ACTIVITIES} to {MAX_ACTIVITIES} activities, "
                                 f"not {len(form.activities)}")
        else:
            seen: set[str] = set()
            for i, act in enumerate(form.activities, start=1):
                name = (act.name or "").strip()
                if not name:
                    errors["answers"] = f"activity {i} needs a name"
                elif len(name) > MAX_ACTIVITY_NAME:
                    errors["answers"] = f"activity {i}'s name is longer than {MAX_ACTIVITY_NAME} characters"
                elif any(ch in name for ch in "=;\n\r"):
                    errors["answers"] = f"activity {i}'s name may not hold '=', ';' or a line break"
                elif name.casefold() in seen:
                    errors["answers"] = f"activity {i} ({name}) is named twice"
                elif not (_is_whole(act.score) and 0 <= act.score <= MAX_ACTIVITY_SCORE):
                    errors["answers"] = f"activity {i} ({name}) must score a whole number from 0 to 10, not {act.score}"
                if "answers" in errors:
                    break
                seen.add(name.casefold())
    if len(form.notes or "") > 10_000:
        errors["notes"] = "is longer than 10,000 characters"
    if errors:
        raise ValidationError(errors)


@record
class ScoredForm:
    """A recorded form as the outcome rules see it. `order` breaks ties of one date (the order recorded)."""

    id: int | None
    date: date
    instrument: Instrument
    answered: int  # sections answered, or the number of activities for a PSFS
    score: int | Decimal | None  # None: an incomplete ODI/NDI
    band: str | None
    order: int = 0

    @property
    def complete(self) -> bool:
        return self.score is not None

    def score_text(self) -> str:
        if self.score is None:
            return "incomplete"
        return f"{self.score}%" if self.instrument.has_sections else f"{self.score} / 10"

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "answered": self.answered, "score": json_number(self.score),
                "band": self.band}


def json_number(value: int | Decimal | None) -> int | float | None:
    """A whole score as an int, a PSFS mean (one decimal) as a float."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def score_form(form: FormInput, id: int | None = None, order: int = 0) -> ScoredForm:
    if form.instrument.has_sections:
        score = section_score(form.answers)
        answered = sum(a is not None for a in form.answers)
        return ScoredForm(id, form.date, form.instrument, answered, score, band(form.instrument, score), order)
    return ScoredForm(id, form.date, form.instrument, len(form.activities),
                      psfs_score([a.score for a in form.activities]), None, order)


@record
class InstrumentSummary:
    instrument: Instrument
    forms: tuple[ScoredForm, ...]
    baseline: ScoredForm | None
    latest: ScoredForm | None
    change: int | Decimal | None
    meaningful: bool | None

    def as_json(self) -> dict:
        def point(f: ScoredForm | None):
            return None if f is None else {"date": f.date.isoformat(), "score": json_number(f.score)}
        return {"forms": [f.as_json() for f in self.forms], "baseline": point(self.baseline),
                "latest": point(self.latest), "change": json_number(self.change), "meaningful": self.meaningful}

    def plain_sentence(self) -> str:
        """The function result in words a patient understands."""
        name = self.instrument.label
        if self.baseline is None:
            return f"No complete {name} form has been scored yet."
        if self.change is None:
            return (f"Your first {name} score is {self.baseline.score_text()}"
                    + (f" ({self.baseline.band}: {BAND_WORDS[self.baseline.band]})" if self.baseline.band else "")
                    + "; later forms will be compared with it.")
        if self.instrument is Instrument.PSFS:
            direction = "risen" if self.change > 0 else "fallen" if self.change < 0 else "stayed"
            text = (f"Your own activities score has {direction} from {self.baseline.score} to "
                    f"{self.latest.score} out of 10 (10 = as before the problem)")
            verdict = ("a meaningful improvement" if self.meaningful
                       else "not yet the 2-point rise counted as meaningful")
            return f"{text}: {verdict}."
        lower_is_better = "lower is better"
        if self.change < 0:
            moved = f"fallen from {self.baseline.score}% to {self.latest.score}%"
        elif self.change > 0:
            moved = f"risen from {self.baseline.score}% to {self.latest.score}%"
        else:
            moved = f"stayed at {self.latest.score}%"
        threshold = MEANINGFUL_FALL[self.instrument]
        verdict = ("a meaningful improvement in daily function" if self.meaningful
                   else f"not yet the {threshold}-point fall counted as meaningful")
        return (f"Your disability score ({self.instrument.short}, {lower_is_better}) has {moved}, now "
                f"{self.latest.band} ({BAND_WORDS[self.latest.band]}): {verdict}.")


def ordered(forms: Iterable[ScoredForm]) -> list[ScoredForm]:
    """By date, then the order recorded."""
    return sorted(forms, key=lambda f: (f.date, f.order))


def summarize(instrument: Instrument, forms: Iterable[ScoredForm]) -> InstrumentSummary:
    """Baseline = first scored form, latest = most recent scored one, change = latest - baseline."""
    mine = tuple(ordered(f for f in forms if f.instrument is instrument))
    scored = [f for f in mine if f.complete]
    if not scored:
        return InstrumentSummary(instrument, mine, None, None, None, None)
    first, last = scored[0], scored[-1]
    if len(scored) < 2:
        return InstrumentSummary(instrument, mine, first, last, None, None)
    change = last.score - first.score
    return InstrumentSummary(instrument, mine, first, last, change, is_meaningful(instrument, change))


def is_due(number: int, planned: int) -> bool:
    """A form of the course's instrument is due at session 1, every 10th session and the last planned."""
    return number == 1 or number % 10 == 0 or number == planned


def missing_sessions(session_dates: Sequence[date], planned: int, form_dates: Iterable[date]) -> list[int]:
    """Numbers of the recorded sessions (chronological, 1-based) at which a form was due and none of the
    course's instrument is dated on that session's day."""
    return missing_among(enumerate(session_dates, start=1), planned, form_dates)


def missing_among(numbered: Iterable[tuple[int, date]], planned: int, form_dates: Iterable[date]) -> list[int]:
    """missing_sessions over (number, date) pairs of a course's sessions, where the caller already has
    them numbered and may have left out sessions at which no form can be due."""
    have = set(form_dates)
    return [n for n, d in numbered if is_due(n, planned) and d not in have]


def parse_answers(text: str) -> tuple[int | None, ...]:
    """'3;2;;4;1;0;2;3;1;2' -> ten answers, blanks as None; ValidationError on a value that is not 0-5."""
    parts = text.split(";")
    if len(parts) != SECTION_COUNT:
        raise ValidationError.single("answers", f"must be exactly {SECTION_COUNT} values separated by ';' "
                                                f"(blanks allowed), not {len(parts)}")
    values: list[int | None] = []
    for i, p in enumerate(parts, start=1):
        p = p.strip()
        if not p:
            values.append(None)
        elif p.isdigit() and 0 <= int(p) <= MAX_ANSWER:
            values.append(int(p))
        else:
            raise ValidationError.single("answers", f"value {i} ({p}) must be blank or a whole number from 0 to 5")
    return tuple(values)


def parse_activities(text: str) -> tuple[Activity, ...]:
    """'tie shoes=3;walk 30 minutes=4;lift grandchild=2' -> the activities."""
    acts: list[Activity] = []
    for i, p in enumerate((p for p in text.split(";") if p.strip()), start=1):
        if "=" not in p:
            raise ValidationError.single("answers", f"activity {i} ({p.strip()}) must be written name=score")
        name, _, score = p.rpartition("=")
        score = score.strip()
        if not (score.isdigit() and int(score) <= MAX_ACTIVITY_SCORE):
            raise ValidationError.single("answers", f"activity {i} ({name.strip()}) must score a whole number "
                                                    f"from 0 to 10, not {score or 'nothing'}")
        acts.append(Activity(name.strip(), int(score)))
    return tuple(acts)


def format_answers(form: FormInput) -> str:
    """The import file's `answers` cell: the inverse of parse_answers / parse_activities."""
    if form.instrument.has_sections:
        return ";".join("" if a is None else str(a) for a in form.answers)
    return ";".join(f"{a.name}={a.score}" for a in form.activities)


@record
class FunctionPoint:
    """A scored form on the progress chart, at the number of the course's sessions on or before its day."""

    session_number: int
    date: date
    score: int | Decimal


@record
class FunctionProgress:
    """What the Progress tab and the printed summary show of function: the course's instrument (ODI or
    NDI) session by session, its baseline/latest/change/band/meaningful, the missing re-exams, and the
    PSFS when one was taken."""

    instrument: Instrument
    summary: InstrumentSummary
    points: tuple[FunctionPoint, ...]
    missing: tuple[int, ...]
    psfs: InstrumentSummary | None = None

    @property
    def has_forms(self) -> bool:
        return bool(self.summary.forms) or bool(self.psfs and self.psfs.forms)


def function_points(summary: InstrumentSummary, session_dates: Sequence[date]) -> tuple[FunctionPoint, ...]:
    points = []
    for f in summary.forms:
        if f.score is not None:
            n = sum(1 for d in session_dates if d <= f.date)
            points.append(FunctionPoint(max(n, 1), f.date, f.score))
    return tuple(points)
