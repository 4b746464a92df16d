"""Outcome questionnaire forms (ODI, NDI, PSFS). Imported by db/models.py.

A form belongs to the patient and a region; its course is the patient's course of that region whose
dates hold the form's date, found when read, so a course whose start moves (an earlier session, an
import) keeps its forms. The answers are kept as the import file writes them ('3;2;;4;...' or
'tie shoes=3;...'): the domain parses and scores them, and the round trip is exact."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from decomp_desk.db.base import Base, EnumText, Tracked
from decomp_desk.domain.outcomes import Instrument
from decomp_desk.domain.types import Region


class OutcomeForm(Tracked, Base):
    __tablename__ = "outcome_forms"
    __table_args__ = (Index("ix_outcome_forms_patient_date", "patient_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    date: Mapped[date] = mapped_column(Date)
    instrument: Mapped[Instrument] = mapped_column(EnumText(Instrument))
    region: Mapped[Region] = mapped_column(EnumText(Region))
    answers: Mapped[str] = mapped_column(String(1000))
    notes: Mapped[str] = mapped_column(Text, default="")
