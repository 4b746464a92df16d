"""outcomes.csv (DOMAIN.md, "Outcome questionnaires"): `chart_number,date,instrument,answers,region`.

Read after the courses and sessions of the same batch, so a form may join a course the batch itself opens. A form
joins the patient's course of its region whose dates hold its date; a form no course holds is a bad row.
Importing again adds nothing: a form with the same chart, date and instrument as one on file is skipped
when identical, and is a bad row when it differs (a different answer must never be dropped silently)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.domain.course_rules import holding
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.outcomes import (
    INSTRUMENT_REGION,
    FormInput,
    Instrument,
    format_answers,
    parse_activities,
    parse_answers,
    validate_form,
)
from decomp_desk.domain.types import Region
from decomp_desk.domain.validation import parse_date

COLUMNS = ("chart_number", "date", "instrument", "answers", "region")


def _enum(enum_cls, name: str, text: str, optional: bool = False):
    text = text.strip().lower()
    if not text:
        if optional:
            return None
        raise ValidationError.single(name, "is required")
    try:
        return enum_cls(text)
    except ValueError:
        raise ValidationError.single(name, f"{text!r} is not one of: {', '.join(x.value for x in enum_cls)}") from None


def outcome_row(cells: dict[str, str], today: date) -> FormInput:
    """The row's form; ValidationError naming every bad cell."""
    errors: dict[str, str] = {}

    def take(name, parse):
        try:
            return parse()
        except ValidationError as e:
            errors.update(e.errors)
            return None

    if not cells["chart_number"].strip():
        errors["chart_number"] = "is required"
    on = take("date", lambda: parse_date("date", cells["date"]))
    instrument = take("instrument", lambda: _enum(Instrument, "instrument", cells["instrument"]))
    region = take("region", lambda: _enum(Region, "region", cells["region"], optional=True))
    answers, activities = (), ()
    if instrument is not None:
        text = cells["answers"]
        if instrument.has_sections:
            answers = take("answers", lambda: parse_answers(text)) or ()
        else:
            activities = take("answers", lambda: parse_activities(text)) or ()
        if region is not None and instrument.has_sections and region is not INSTRUMENT_REGION[instrument]:
            errors["region"] = (f"an {instrument.short} is a {INSTRUMENT_REGION[instrument].value} form, "
                                f"not {region.value}")
    if errors:
        raise ValidationError(errors)
    form = FormInput(on, instrument, answers=answers, activities=activities, region=region)
    validate_form(form, today)
    return form


class OutcomeLedger:
    """The forms on file, loaded once for the whole file (the courses are the import's own ledger's)."""

    def __init__(self, s: Session, chart_of: dict[int, str]):
        f = m.OutcomeForm
        self.on_file: dict[tuple[str, date, Instrument], tuple[str, Region]] = {
            (chart_of[pid], d, instrument): (answers, region) for pid, d, instrument, answers, region in
            s.execute(select(f.patient_id, f.date, f.instrument, f.answers, f.region))}


def course_holds(ledger, chart: str, region: Region, on: date) -> bool:
    """A course of the patient's in the import's ledger (on file, or opened or moved by this batch) holds `on`."""
    return holding([c.span() for c in ledger.courses.get(chart, ())], region, on) is not None


def take_outcome(batch, f, line: int, cells: dict[str, str], report) -> None:
    """One row of outcomes.csv within the import's batch (services/imports/importing.py's _Batch)."""
    chart = cells["chart_number"].strip()
    form = outcome_row(cells, batch.today)
    if batch._known_patient(chart) is None:
        return
    if getattr(batch, "outcome_ledger", None) is None:
        batch.outcome_ledger = OutcomeLedger(batch.ledger.s, batch.ledger.chart_of)
    ledger = batch.outcome_ledger
    region = INSTRUMENT_REGION.get(form.instrument) or form.region
    if region is None:
        region = batch.ledger.region_on(chart, form.date)
        if region is None:
            if batch.blind or chart in batch.doubtful:
                return
            raise ValidationError.single("region", "is needed: the patient has no screening on or before "
                                                   f"{form.date.isoformat()} to take it from")
    key = (chart, form.date, form.instrument)
    on_file = ledger.on_file.get(key)
    if on_file is not None:
        if on_file == (format_answers(form), region):
            report.skipped += 1
            return
        raise ValidationError.single("answers", f"a different {form.instrument.short} of this patient dated "
                                                f"{form.date.isoformat()} is on file; correct it at the desk")
    batch._once(f, line, ("outcome", *key), "date")
    if not course_holds(batch.ledger, chart, region, form.date):
        if batch.blind or chart in batch.doubtful:
            return
        raise ValidationError.single("date", f"no {region.value} course of the patient holds "
                                             f"{form.date.isoformat()}")
    report.added += 1
    batch.pending.append((chart, form, region))


def write_outcomes(writer, rows: list[tuple[str, FormInput, Region]]) -> None:
    writer._insert(m.OutcomeForm, [{"patient_id": writer._patient_id(chart), "date": form.date,
                                    "instrument": form.instrument, "region": region,
                                    "answers": format_answers(form), "notes": "", **writer.stamp}
                                   for chart, form, region in rows])
